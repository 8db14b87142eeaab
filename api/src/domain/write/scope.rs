//! What a command acts on: a row of an engagement loaded with the caller's access.

use std::future::Future;

use sea_orm::{ConnectionTrait, EntityTrait, JoinType, QuerySelect, RelationDef};

use crate::{
    domain::{
        Viewer,
        access::{Access, access_to, engagement_access},
        ids::{EngagementId, TypedId},
    },
    error::{Error, Result},
};
use opskit_entity::engagement;

/// An object a command acts on, loaded with the caller's access.
pub trait Scope: Sized + Send + Sync {
    /// Its typed ID.
    type Id: TypedId;
    /// Loads it; a caller who may not see it gets `NOT_FOUND`.
    fn load<C: ConnectionTrait>(
        db: &C,
        viewer: &Viewer,
        id: Self::Id,
    ) -> impl Future<Output = Result<(Self, Access)>> + Send;
    /// Its current version, for `expectedVersion`.
    fn version(&self) -> i32;
}

/// Loads a row of an engagement by typed ID with the caller's access: a
/// stranger gets `NOT_FOUND` naming the row's kind. The row and its
/// engagement come in one statement (`engagement` is the row's column that
/// points at it).
pub async fn load_child<M, I, C>(
    db: &C,
    viewer: &Viewer,
    id: I,
    engagement: <<M as sea_orm::ModelTrait>::Entity as EntityTrait>::Column,
) -> Result<(M, Access)>
where
    I: TypedId,
    M: sea_orm::ModelTrait + sea_orm::FromQueryResult + Send + Sync,
    <M as sea_orm::ModelTrait>::Entity: EntityTrait<Model = M>,
    <<<M as sea_orm::ModelTrait>::Entity as EntityTrait>::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
    C: ConnectionTrait,
{
    let noun = I::KIND.noun();
    let of_engagement: RelationDef = <M as sea_orm::ModelTrait>::Entity::belongs_to(engagement::Entity)
        .from(engagement)
        .to(engagement::Column::Id)
        .into();
    let (found, engagement) = <M as sea_orm::ModelTrait>::Entity::find_by_id(id.raw())
        .join(JoinType::InnerJoin, of_engagement)
        .select_also(engagement::Entity)
        .one(db)
        .await?
        .and_then(|(found, engagement)| Some((found, engagement?)))
        .ok_or(Error::NotFound(noun))?;
    let access = access_to(db, viewer, engagement).await.map_err(|e| e.naming(noun))?;
    Ok((found, access))
}

/// Declares a versioned row that belongs to an engagement through its
/// `engagement_id`, so that commands can act on it.
#[macro_export]
macro_rules! scoped {
    ($model:path, $module:ident, $id:ty, $noun:literal, updated_at: $updated:expr) => {
        $crate::versioned!($model, $module, $id, $noun, updated_at: $updated);
        impl $crate::domain::write::Scope for $model {
            type Id = $id;
            async fn load<C: sea_orm::ConnectionTrait>(
                db: &C,
                viewer: &$crate::domain::Viewer,
                id: $id,
            ) -> $crate::error::Result<(Self, $crate::domain::access::Access)> {
                $crate::domain::write::load_child(db, viewer, id, opskit_entity::$module::Column::EngagementId).await
            }
            fn version(&self) -> i32 {
                self.version
            }
        }
    };
}

crate::scoped!(opskit_entity::activity::Model, activity, crate::domain::ids::ActivityId, "activity",
    updated_at: Some(opskit_entity::activity::Column::UpdatedAt));
crate::scoped!(opskit_entity::deviation::Model, deviation, crate::domain::ids::DeviationId, "deviation",
    updated_at: Some(opskit_entity::deviation::Column::UpdatedAt));
crate::scoped!(opskit_entity::runbook::Model, runbook, crate::domain::ids::RunbookId, "runbook",
    updated_at: Some(opskit_entity::runbook::Column::UpdatedAt));
crate::scoped!(opskit_entity::engagement_member::Model, engagement_member, crate::domain::ids::MemberId, "member",
    updated_at: None);
crate::scoped!(opskit_entity::sprint::Model, sprint, crate::domain::ids::SprintId, "sprint",
    updated_at: None);
crate::scoped!(opskit_entity::workshop_session::Model, workshop_session, crate::domain::ids::WorkshopSessionId,
    "workshop session", updated_at: Some(opskit_entity::workshop_session::Column::UpdatedAt));
crate::scoped!(opskit_entity::readiness_assessment::Model, readiness_assessment,
    crate::domain::ids::ReadinessAssessmentId, "readiness assessment", updated_at: None);
crate::versioned!(opskit_entity::answer::Model, answer, crate::domain::ids::AnswerId, "answer", updated_at: None);
crate::versioned!(opskit_entity::engagement::Model, engagement, EngagementId, "engagement",
    updated_at: Some(opskit_entity::engagement::Column::UpdatedAt));

impl Scope for engagement::Model {
    type Id = EngagementId;
    async fn load<C: ConnectionTrait>(db: &C, viewer: &Viewer, id: EngagementId) -> Result<(Self, Access)> {
        let access = engagement_access(db, viewer, id).await?;
        Ok((access.engagement.clone(), access))
    }
    fn version(&self) -> i32 {
        self.version
    }
}
