//! `trackedObject(system, key)`: what a ticket is linked to, among the
//! objects the caller may see. A stranger to every engagement that links the
//! ticket gets an empty list, as if nothing did.

use opskit_entity::{activity, deviation, enums::TrackerSystem, runbook};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::{
    domain::{Viewer, access, validate::MAX_LABEL},
    error::{Error, Result},
};

/// Most objects one ticket lists (per kind of object).
pub const MAX_LINKED: u64 = 100;

/// An object linked to a ticket.
#[derive(Debug, Clone)]
pub enum Linked {
    Activity(activity::Model),
    Deviation(deviation::Model),
    Runbook(runbook::Model),
}

/// The activities, deviations and runbooks (in that order, oldest first) that
/// ticket `key` of `system` tracks, in the engagements the caller may read.
pub async fn tracked(
    db: &DatabaseConnection,
    viewer: &Viewer,
    system: TrackerSystem,
    key: &str,
) -> Result<Vec<Linked>> {
    let key = key.trim();
    if key.chars().count() > MAX_LABEL {
        return Err(Error::BadUserInput(format!("a ticket key has at most {MAX_LABEL} characters")));
    }
    let readable = access::readable_engagements(viewer);
    let mut found = Vec::new();

    let mut query = activity::Entity::find()
        .filter(activity::Column::TrackerKey.eq(key))
        .filter(activity::Column::TrackerSystem.eq(system));
    if let Some(readable) = &readable {
        query = query.filter(activity::Column::EngagementId.in_subquery(readable.clone()));
    }
    let rows = query.order_by_asc(activity::Column::Id).limit(MAX_LINKED).all(db).await?;
    found.extend(rows.into_iter().map(Linked::Activity));

    let mut query = deviation::Entity::find()
        .filter(deviation::Column::TrackerKey.eq(key))
        .filter(deviation::Column::TrackerSystem.eq(system));
    if let Some(readable) = &readable {
        query = query.filter(deviation::Column::EngagementId.in_subquery(readable.clone()));
    }
    let rows = query.order_by_asc(deviation::Column::Id).limit(MAX_LINKED).all(db).await?;
    found.extend(rows.into_iter().map(Linked::Deviation));

    let mut query = runbook::Entity::find()
        .filter(runbook::Column::TrackerKey.eq(key))
        .filter(runbook::Column::TrackerSystem.eq(system));
    if let Some(readable) = readable {
        query = query.filter(runbook::Column::EngagementId.in_subquery(readable));
    }
    let rows = query.order_by_asc(runbook::Column::Id).limit(MAX_LINKED).all(db).await?;
    found.extend(rows.into_iter().map(Linked::Runbook));
    Ok(found)
}
