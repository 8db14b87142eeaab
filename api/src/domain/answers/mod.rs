//! Answers to an activity's question bank: each value is checked against the
//! question's answer kind, and every change keeps the previous value in the
//! answer's history.

mod record;
mod validation;
mod value;

pub use record::{AnswerInput, open_for_answers, record};
pub use value::AnswerValue;

use opskit_entity::answer;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait};

use crate::{
    domain::{
        Viewer,
        access::Access,
        engagements::activities,
        ids::{AnswerId, TypedId},
        write::Scope,
    },
    error::{Error, Result},
};

/// An answer the caller may see (`NOT_FOUND` otherwise).
pub async fn get(db: &DatabaseConnection, viewer: &Viewer, id: AnswerId) -> Result<answer::Model> {
    Ok(answer::Model::load(db, viewer, id).await?.0)
}

/// An answer is reached through its activity.
impl Scope for answer::Model {
    type Id = AnswerId;

    async fn load<C: ConnectionTrait>(db: &C, viewer: &Viewer, id: AnswerId) -> Result<(Self, Access)> {
        let what = AnswerId::KIND.noun();
        let answer = answer::Entity::find_by_id(id.0).one(db).await?.ok_or(Error::NotFound(what))?;
        let access = activities::access_through(db, viewer, answer.activity_id, what).await?;
        Ok((answer, access))
    }

    fn version(&self) -> i32 {
        self.version
    }
}
