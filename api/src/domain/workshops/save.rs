//! Writing a changed session: one statement that only succeeds if nobody
//! changed the session since it was read, bumping its version.

use chrono::Utc;
use opskit_entity::workshop_session;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use crate::error::{Error, Result};

/// Stores `updated` (the schedule, status, record and cancellation fields)
/// over `current`; returns it with its new version and `updatedAt`.
pub(super) async fn save<C: ConnectionTrait>(
    tx: &C,
    current: &workshop_session::Model,
    mut updated: workshop_session::Model,
) -> Result<workshop_session::Model> {
    updated.version = current.version + 1;
    updated.updated_at = Utc::now();
    let mut active = current.clone().into_active_model();
    active.sprint_id = Set(updated.sprint_id);
    active.starts_at = Set(updated.starts_at);
    active.duration_minutes = Set(updated.duration_minutes);
    active.status = Set(updated.status);
    active.notes = Set(updated.notes.clone());
    active.outcomes = Set(updated.outcomes.clone());
    active.attendee_member_ids = Set(updated.attendee_member_ids.clone());
    active.cancel_reason = Set(updated.cancel_reason.clone());
    active.updated_at = Set(updated.updated_at);
    active.version = Set(updated.version);
    let result = workshop_session::Entity::update_many()
        .set(active)
        .filter(workshop_session::Column::Id.eq(current.id))
        .filter(workshop_session::Column::Version.eq(current.version))
        .exec(tx)
        .await?;
    if result.rows_affected == 0 {
        let now = workshop_session::Entity::find_by_id(current.id).one(tx).await?.map_or(0, |s| s.version);
        return Err(Error::Conflict {
            message: "the workshop session changed while you edited it".into(),
            current_version: now,
        });
    }
    Ok(updated)
}
