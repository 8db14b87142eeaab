//! Activities: one per artifact template of the engagement's kit version.
//! Consultants assign, start, complete and reopen them (the states are one
//! pure function, [`next`]); their details and document links change through
//! the write path like every other change.

mod details;
mod lifecycle;
mod links;
mod list;
mod validation;
mod workflow;

pub use details::{DesignAdoptionChange, ReadinessTarget, assign, set_design_adoption, set_readiness_target};
pub(crate) use lifecycle::transition;
pub use lifecycle::{DesignFacts, can, complete, design_rules, reopen, start};
pub use links::{NewDocumentLink, add_document_link, document_link, may_link, remove_document_link};
pub use list::{ActivityFilter, ActivitySort, QuestionFilter, list, questions};
pub use workflow::{ActivityAction, next};

use opskit_entity::{activity, artifact_template};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::{
    domain::{Viewer, access::Access, ids::ActivityId, write::Scope},
    error::{Error, Result},
};

/// An activity the caller may see (`NOT_FOUND` otherwise) with the caller's access.
pub async fn get<C: ConnectionTrait>(db: &C, viewer: &Viewer, id: ActivityId) -> Result<(activity::Model, Access)> {
    activity::Model::load(db, viewer, id).await
}

/// The artifact template the activity works on.
pub(crate) async fn template_of<C: ConnectionTrait>(
    db: &C,
    activity: &activity::Model,
) -> Result<artifact_template::Model> {
    artifact_template::Entity::find_by_id(activity.artifact_template_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("activity"))
}

/// The caller's access to a row of the activity `activity_id` (a document
/// link, an answer): a stranger gets `NOT_FOUND` naming the row's kind `what`.
pub(crate) async fn access_through<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    activity_id: i64,
    what: &'static str,
) -> Result<Access> {
    get(db, viewer, ActivityId(activity_id)).await.map(|(_, access)| access).map_err(|e| e.naming(what))
}
