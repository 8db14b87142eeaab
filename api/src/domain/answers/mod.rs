//! Answers to an activity's question bank: each value is checked against the
//! question's answer kind, and every change keeps the previous value in the
//! answer's history.

mod record;
mod value;

pub use record::{AnswerInput, record};
pub use value::{AnswerValue, check};

use opskit_entity::answer;
use sea_orm::{DatabaseConnection, EntityTrait};

use crate::{
    domain::{Viewer, engagements::activities, ids::ActivityId},
    error::{Error, Result},
};

/// An answer the caller may see (`NOT_FOUND` otherwise).
pub async fn get(db: &DatabaseConnection, viewer: &Viewer, id: i64) -> Result<answer::Model> {
    let found = answer::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound("answer"))?;
    activities::get(db, viewer, ActivityId(found.activity_id)).await.map_err(|e| match e {
        Error::NotFound(_) => Error::NotFound("answer"),
        other => other,
    })?;
    Ok(found)
}
