//! Sprints: the numbered time boxes of an engagement. They are generated with
//! the engagement to cover its kit's workshop plan; consultants (and admins)
//! move them and add more. Sprints of one engagement never overlap.

mod add;
mod generate;
mod rules;
mod update;

use opskit_entity::sprint;
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};

pub use add::{NewSprint, add};
pub use generate::generate;
pub use rules::{MAX_GOAL, MAX_SPRINTS, sprint_count};
pub use update::{SprintChanges, update};

use crate::{
    domain::{
        Viewer,
        access::{Access, access_via},
        ids::{EngagementId, SprintId},
    },
    error::{Error, Result},
};

/// How a sprint is called: `Sprint 3`.
pub fn name(number: i32) -> String {
    format!("Sprint {number}")
}

/// A sprint the caller may see (`NOT_FOUND` otherwise) with the caller's access.
pub async fn get<C: ConnectionTrait>(db: &C, viewer: &Viewer, id: SprintId) -> Result<(sprint::Model, Access)> {
    let found = sprint::Entity::find_by_id(id.0).one(db).await?.ok_or(Error::NotFound("sprint"))?;
    let access = access_via(db, viewer, found.engagement_id, "sprint").await?;
    Ok((found, access))
}

/// A sprint of the engagement of `access`; a sprint of any other engagement
/// is `NOT_FOUND`, as if it did not exist. With `lock`, the row stays locked
/// (shared) until the transaction ends, so its dates cannot move meanwhile.
pub async fn sprint_in<C: ConnectionTrait>(db: &C, access: &Access, id: SprintId, lock: bool) -> Result<sprint::Model> {
    let mut query = sprint::Entity::find_by_id(id.0);
    if lock && crate::db::supports_row_locks(db) {
        query = query.lock_shared();
    }
    query.one(db).await?.filter(|s| s.engagement_id == access.engagement.id).ok_or(Error::NotFound("sprint"))
}

/// Serializes sprint changes of one engagement, so two of them cannot create
/// an overlap or the same number (PostgreSQL row lock; SQLite already runs one
/// writer at a time).
async fn lock_engagement<C: ConnectionTrait>(tx: &C, id: EngagementId) -> Result<()> {
    if crate::db::supports_row_locks(tx) {
        opskit_entity::engagement::Entity::find_by_id(id.0).lock_exclusive().one(tx).await?;
    }
    Ok(())
}
