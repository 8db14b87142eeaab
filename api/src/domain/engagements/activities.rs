//! Activities: one per artifact template of the engagement's kit version.

use opskit_entity::activity;
use sea_orm::{ConnectionTrait, EntityTrait};

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
