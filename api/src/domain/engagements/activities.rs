//! Activities: one per artifact template of the engagement's kit version.
//! Consultants assign, start, complete and reopen them; the rules of that
//! lifecycle are one pure function, [`transition`].

mod details;
mod lifecycle;
mod links;
mod list;

use crate::domain::write;
use crate::error::Code;
use opskit_entity::{activity, artifact_template, enums::ActivityStatus};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr};

pub use details::{
    DesignAdoptionChange, ReadinessTarget, Tracker, assign, set_design_adoption, set_readiness_target, set_tracker,
};
pub use lifecycle::{complete, reopen, start};
pub use links::{NewDocumentLink, add_document_link, document_link, remove_document_link};
pub use list::{ActivityFilter, QuestionFilter, list, questions};

use crate::{
    domain::{
        Viewer,
        access::{Access, access_via},
        ids::ActivityId,
    },
    error::{Error, Result},
};

/// An activity the caller may see (`NOT_FOUND` otherwise) with the caller's access.
pub async fn get<C: ConnectionTrait>(db: &C, viewer: &Viewer, id: ActivityId) -> Result<(activity::Model, Access)> {
    let activity = activity::Entity::find_by_id(id.0).one(db).await?.ok_or(Error::NotFound("activity"))?;
    let access = access_via(db, viewer, activity.engagement_id, "activity").await?;
    Ok((activity, access))
}

/// What a caller does to an activity's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Start,
    Complete,
    Reopen,
}

/// The status an action leads to, or the `userErrors` code that refuses it.
/// Role checks and cross-activity rules (D&A before Design, mitigated
/// deviations) are applied by the callers; this is the state machine alone.
pub fn transition(from: ActivityStatus, action: Action) -> Result<ActivityStatus, Code> {
    use ActivityStatus::{Done, InProgress, NotStarted};
    match (from, action) {
        (NotStarted, Action::Start) => Ok(InProgress),
        (InProgress, Action::Complete) => Ok(Done),
        (Done, Action::Reopen) => Ok(InProgress),
        (InProgress | Done, Action::Start) => Err(Code::AlreadyStarted),
        (NotStarted, Action::Complete) => Err(Code::NotStarted),
        (Done, Action::Complete) => Err(Code::AlreadyDone),
        (NotStarted | InProgress, Action::Reopen) => Err(Code::NotDone),
    }
}

/// Loads an activity for a change: the caller's access, its artifact template,
/// and the version check.
pub(crate) async fn load_for_change<C: ConnectionTrait>(
    tx: &C,
    viewer: &Viewer,
    id: ActivityId,
    expected_version: Option<i32>,
) -> Result<(activity::Model, artifact_template::Model, Access)> {
    let (activity, access) = get(tx, viewer, id).await?;
    write::check_version("activity", activity.version, expected_version)?;
    let template = artifact_template::Entity::find_by_id(activity.artifact_template_id)
        .one(tx)
        .await?
        .ok_or(Error::NotFound("activity"))?;
    Ok((activity, template, access))
}

/// Writes `changes` to the activity if its version is still the one read,
/// bumping the version and `updated_at`; returns the stored row.
pub(crate) async fn save<C: ConnectionTrait>(
    tx: &C,
    current: &activity::Model,
    changes: Vec<(activity::Column, sea_orm::sea_query::SimpleExpr)>,
) -> Result<activity::Model> {
    let mut update = activity::Entity::update_many()
        .col_expr(activity::Column::Version, Expr::value(current.version + 1))
        .col_expr(activity::Column::UpdatedAt, Expr::value(chrono::Utc::now()));
    for (column, value) in changes {
        update = update.col_expr(column, value);
    }
    let result = update
        .filter(activity::Column::Id.eq(current.id))
        .filter(activity::Column::Version.eq(current.version))
        .exec(tx)
        .await?;
    let stored = activity::Entity::find_by_id(current.id).one(tx).await?.ok_or(Error::NotFound("activity"))?;
    if result.rows_affected == 0 {
        return Err(Error::Conflict {
            message: "the activity changed while you edited it".into(),
            current_version: stored.version,
        });
    }
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::{Action, transition};
    use crate::error::Code;
    use opskit_entity::enums::ActivityStatus::{self, Done, InProgress, NotStarted};

    #[test]
    fn every_status_and_action() {
        let cases: [(ActivityStatus, Action, Result<ActivityStatus, Code>); 9] = [
            (NotStarted, Action::Start, Ok(InProgress)),
            (NotStarted, Action::Complete, Err(Code::NotStarted)),
            (NotStarted, Action::Reopen, Err(Code::NotDone)),
            (InProgress, Action::Start, Err(Code::AlreadyStarted)),
            (InProgress, Action::Complete, Ok(Done)),
            (InProgress, Action::Reopen, Err(Code::NotDone)),
            (Done, Action::Start, Err(Code::AlreadyStarted)),
            (Done, Action::Complete, Err(Code::AlreadyDone)),
            (Done, Action::Reopen, Ok(InProgress)),
        ];
        for (from, action, expected) in cases {
            assert_eq!(transition(from, action), expected, "{from:?} {action:?}");
        }
    }
}
