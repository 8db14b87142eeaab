//! Sprints: the numbered time boxes of an engagement. They are generated with
//! the engagement to cover its kit's workshop plan; consultants (and admins)
//! move them and add more. Sprints of one engagement never overlap. A sprint
//! has no status, so it has no workflow: only its dates and goal are checked.

mod add;
mod generate;
mod update;
mod validation;

use chrono::NaiveDate;
use opskit_entity::sprint;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, sea_query::LockType,
};

pub use add::{NewSprint, add};
pub use generate::{generate, sprint_count};
pub use update::{SprintChanges, update};
pub use validation::{MAX_GOAL, MAX_SPRINT_DAYS, MAX_SPRINTS};

use crate::{
    domain::{
        Viewer,
        access::Access,
        ids::{EngagementId, SprintId},
        write::Scope,
    },
    error::{Error, Result},
};

/// How a sprint is called: `Sprint 3`.
pub fn name(number: i32) -> String {
    format!("Sprint {number}")
}

/// A sprint the caller may see (`NOT_FOUND` otherwise) with the caller's access.
pub async fn get<C: ConnectionTrait>(db: &C, viewer: &Viewer, id: SprintId) -> Result<(sprint::Model, Access)> {
    sprint::Model::load(db, viewer, id).await
}

/// A sprint of the engagement of `access`; a sprint of any other engagement
/// is `NOT_FOUND`, as if it did not exist. With `lock`, the row stays locked
/// until the transaction ends (PostgreSQL): `Share` so that its dates cannot
/// move meanwhile, `Update` to move them.
pub async fn sprint_in<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    id: SprintId,
    lock: Option<LockType>,
) -> Result<sprint::Model> {
    let mut query = sprint::Entity::find_by_id(id.0);
    if let Some(lock) = lock.filter(|_| crate::db::supports_row_locks(db)) {
        query = query.lock(lock);
    }
    query.one(db).await?.filter(|s| s.engagement_id == access.engagement.id).ok_or(Error::NotFound("sprint"))
}

/// A new sprint of `engagement_id`, to insert.
fn row(
    engagement_id: i64,
    number: i32,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    goal: Option<String>,
) -> sprint::ActiveModel {
    sprint::ActiveModel {
        engagement_id: Set(engagement_id),
        number: Set(number),
        starts_on: Set(starts_on),
        ends_on: Set(ends_on),
        goal: Set(goal),
        version: Set(1),
        ..Default::default()
    }
}

/// The sprints of an engagement by number, but for `except`.
async fn sprints_of<C: ConnectionTrait>(
    db: &C,
    engagement: EngagementId,
    except: Option<SprintId>,
) -> Result<Vec<sprint::Model>> {
    let mut query = sprint::Entity::find().filter(sprint::Column::EngagementId.eq(engagement.0));
    if let Some(except) = except {
        query = query.filter(sprint::Column::Id.ne(except.0));
    }
    Ok(query.order_by_asc(sprint::Column::Number).all(db).await?)
}
