//! `updateSprint`: consultants (and admins) move a sprint or change its goal.
//! A sprint may not overlap another one, nor leave a session scheduled in it
//! starting outside its new dates.

use crate::domain::action::Action;
use crate::domain::permissions::Permission;
use crate::domain::write;
use crate::error::Code;
use chrono::NaiveDate;
use opskit_entity::{enums::SessionStatus, sprint, workshop_session};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect, Set,
};

use super::{get, lock_engagement, name, rules};
use crate::{
    domain::{Viewer, audit, ids::SprintId, workshops},
    error::{Error, Result, UserError},
};

/// What to change; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct SprintChanges {
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    /// `Some(None)` clears the goal.
    pub goal: Option<Option<String>>,
    pub expected_version: Option<i32>,
}

/// Applies `changes` to a sprint; an update that changes nothing writes nothing.
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: SprintId,
    changes: SprintChanges,
) -> Result<sprint::Model> {
    crate::transaction!(db, |tx| {
        let (_, access) = get(tx, viewer, id).await?;
        access.check(Permission::ManageSprints)?;
        lock_engagement(tx, access.engagement_id()).await?;
        let current = locked(tx, id).await?;
        write::check_version("sprint", current.version, changes.expected_version)?;

        let starts_on = changes.starts_on.unwrap_or(current.starts_on);
        let ends_on = changes.ends_on.unwrap_or(current.ends_on);
        let mut errors = Vec::new();
        let goal = match changes.goal.clone() {
            Some(goal) => rules::goal(&mut errors, goal),
            None => current.goal.clone(),
        };
        rules::check_dates(&mut errors, starts_on, ends_on);
        let others = sprint::Entity::find()
            .filter(sprint::Column::EngagementId.eq(current.engagement_id))
            .filter(sprint::Column::Id.ne(current.id))
            .all(tx)
            .await?;
        rules::check_overlap(&mut errors, &others, starts_on, ends_on);
        if ends_on >= starts_on {
            check_sessions_inside(tx, &mut errors, &current, starts_on, ends_on).await?;
        }
        if !errors.is_empty() {
            return Err(Error::User(errors));
        }
        let moved = (starts_on, ends_on) != (current.starts_on, current.ends_on);
        let new_goal = goal != current.goal;
        if !moved && !new_goal {
            return Ok(current);
        }

        let updated = sprint::Model { starts_on, ends_on, goal, version: current.version + 1, ..current.clone() };
        save(tx, &current, &updated).await?;

        let mut what = Vec::new();
        if moved {
            what.push(format!("moved {} to {starts_on} – {ends_on}", name(current.number)));
        }
        if new_goal {
            what.push(format!("changed the goal of {}", name(current.number)));
        }
        audit::record_in(tx, viewer, &access, Action::SprintUpdated, current.id, &what.join("; ")).await?;
        Ok(updated)
    })
}

/// Writes `updated` only if nobody changed the sprint since `current` was read.
async fn save<C: ConnectionTrait>(tx: &C, current: &sprint::Model, updated: &sprint::Model) -> Result<()> {
    let mut active = current.clone().into_active_model();
    active.starts_on = Set(updated.starts_on);
    active.ends_on = Set(updated.ends_on);
    active.goal = Set(updated.goal.clone());
    active.version = Set(updated.version);
    let result = sprint::Entity::update_many()
        .set(active)
        .filter(sprint::Column::Id.eq(current.id))
        .filter(sprint::Column::Version.eq(current.version))
        .exec(tx)
        .await?;
    if result.rows_affected == 0 {
        let now = sprint::Entity::find_by_id(current.id).one(tx).await?.map_or(0, |s| s.version);
        return Err(Error::Conflict { message: "the sprint changed while you edited it".into(), current_version: now });
    }
    Ok(())
}

/// The sprint as it is now, locked for this transaction (PostgreSQL), so no
/// session is scheduled into its old dates while they change.
async fn locked<C: ConnectionTrait>(tx: &C, id: SprintId) -> Result<sprint::Model> {
    let mut query = sprint::Entity::find_by_id(id.0);
    if crate::db::supports_row_locks(tx) {
        query = query.lock_exclusive();
    }
    query.one(tx).await?.ok_or(Error::NotFound("sprint"))
}

/// Sessions scheduled in the sprint (and not cancelled) must still start inside it.
async fn check_sessions_inside<C: ConnectionTrait>(
    tx: &C,
    errors: &mut Vec<UserError>,
    sprint: &sprint::Model,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
) -> Result<()> {
    let sessions = workshop_session::Entity::find()
        .filter(workshop_session::Column::SprintId.eq(sprint.id))
        .filter(workshop_session::Column::Status.ne(SessionStatus::Cancelled))
        .filter(workshop_session::Column::StartsAt.is_not_null())
        .all(tx)
        .await?;
    for session in sessions {
        let Some(starts_at) = session.starts_at else { continue };
        if workshops::starts_within(starts_at, starts_on, ends_on) {
            continue;
        }
        let field = if starts_at.date_naive() < starts_on { "startsOn" } else { "endsOn" };
        errors.push(UserError::new(
            field,
            Code::OutsideSprint,
            format!(
                "\"{}\" starts {} and would fall outside {}: reschedule it first",
                session.title,
                starts_at.format("%Y-%m-%d %H:%M UTC"),
                name(sprint.number)
            ),
        ));
    }
    Ok(())
}
