//! Per-request DataLoaders: every relation is read in batches, so the number of
//! SQL statements a request makes does not grow with the size of its result.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::{DataLoader, Loader};
use opskit_entity::{
    activity, answer, answer_revision, artifact_template, capability, deviation, document_link, engagement,
    engagement_member, kit, question, raci_assignment, readiness_assessment, runbook, runbook_review, runbook_revision,
    runbook_template, sprint, user, workshop_session, workshop_template,
};
use sea_orm::{DatabaseConnection, EntityTrait};

use crate::{
    domain::{
        batch,
        ids::{CapabilityId, EngagementId},
        kits, progress,
    },
    error::Error,
};

/// Rows of `E` grouped by one of its columns.
pub struct Grouped<E: EntityTrait> {
    db: DatabaseConnection,
    column: E::Column,
    order: E::Column,
    key_of: fn(&E::Model) -> i64,
}

impl<E> Loader<i64> for Grouped<E>
where
    E: EntityTrait + Send + Sync,
    E::Column: Send + Sync,
    E::Model: Send + Sync + Clone + 'static,
{
    type Value = Vec<E::Model>;
    type Error = Arc<Error>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        batch::group_by::<E, _>(&self.db, self.column, self.order, self.key_of, keys).await.map_err(Arc::new)
    }
}

/// Rows of `E` by primary key.
pub struct ById<E: EntityTrait>(Grouped<E>);

impl<E> Loader<i64> for ById<E>
where
    E: EntityTrait + Send + Sync,
    E::Column: Send + Sync,
    E::Model: Send + Sync + Clone + 'static,
{
    type Value = E::Model;
    type Error = Arc<Error>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let groups = self.0.load(keys).await?;
        Ok(groups.into_iter().filter_map(|(k, mut rows)| rows.pop().map(|row| (k, row))).collect())
    }
}

fn grouped<E: EntityTrait>(
    db: &DatabaseConnection,
    column: E::Column,
    order: E::Column,
    key_of: fn(&E::Model) -> i64,
) -> DataLoader<Grouped<E>>
where
    Grouped<E>: Loader<i64>,
{
    DataLoader::new(Grouped { db: db.clone(), column, order, key_of }, tokio::spawn)
}

fn by_id<E: EntityTrait>(
    db: &DatabaseConnection,
    column: E::Column,
    key_of: fn(&E::Model) -> i64,
) -> DataLoader<ById<E>>
where
    ById<E>: Loader<i64>,
{
    DataLoader::new(ById(Grouped { db: db.clone(), column, order: column, key_of }), tokio::spawn)
}

/// Progress of engagements, a fixed number of statements for any number of them.
pub struct ProgressLoader(DatabaseConnection);

impl Loader<i64> for ProgressLoader {
    type Value = progress::Progress;
    type Error = Arc<Error>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let engagements: Vec<EngagementId> = keys.iter().copied().map(EngagementId).collect();
        let progress = progress::for_engagements(&self.0, &engagements).await.map_err(Arc::new)?;
        Ok(progress.into_iter().map(|(id, p)| (id.0, p)).collect())
    }
}

/// All loaders of one request.
pub struct Loaders {
    pub kit: DataLoader<ById<kit::Entity>>,
    pub engagement: DataLoader<ById<engagement::Entity>>,
    pub user: DataLoader<ById<user::Entity>>,
    pub capability: DataLoader<ById<capability::Entity>>,
    pub artifact_template: DataLoader<ById<artifact_template::Entity>>,
    pub capabilities_by_kit: DataLoader<Grouped<capability::Entity>>,
    pub artifacts_by_kit: DataLoader<Grouped<artifact_template::Entity>>,
    pub artifacts_by_capability: DataLoader<Grouped<artifact_template::Entity>>,
    pub questions_by_artifact: DataLoader<Grouped<question::Entity>>,
    pub runbooks_by_capability: DataLoader<Grouped<runbook_template::Entity>>,
    pub workshops_by_kit: DataLoader<Grouped<workshop_template::Entity>>,
    pub workshops_by_capability: DataLoader<Grouped<workshop_template::Entity>>,
    pub members_by_engagement: DataLoader<Grouped<engagement_member::Entity>>,
    pub activities_by_engagement: DataLoader<Grouped<activity::Entity>>,
    pub activity: DataLoader<ById<activity::Entity>>,
    pub member: DataLoader<ById<engagement_member::Entity>>,
    pub question: DataLoader<ById<question::Entity>>,
    pub answers_by_activity: DataLoader<Grouped<answer::Entity>>,
    pub revisions_by_answer: DataLoader<Grouped<answer_revision::Entity>>,
    pub links_by_activity: DataLoader<Grouped<document_link::Entity>>,
    pub progress: DataLoader<ProgressLoader>,
    pub runbook: DataLoader<ById<runbook::Entity>>,
    pub runbook_revision: DataLoader<ById<runbook_revision::Entity>>,
    pub runbook_template: DataLoader<ById<runbook_template::Entity>>,
    pub runbooks_by_engagement: DataLoader<Grouped<runbook::Entity>>,
    pub revisions_by_runbook: DataLoader<Grouped<runbook_revision::Entity>>,
    pub reviews_by_runbook: DataLoader<Grouped<runbook_review::Entity>>,
    pub deviations_by_activity: DataLoader<Grouped<deviation::Entity>>,
    pub deviations_by_engagement: DataLoader<Grouped<deviation::Entity>>,
    pub workshop_template: DataLoader<ById<workshop_template::Entity>>,
    pub sprints_by_engagement: DataLoader<Grouped<sprint::Entity>>,
    pub workshop_sessions_by_engagement: DataLoader<Grouped<workshop_session::Entity>>,
    pub readiness_by_engagement: DataLoader<Grouped<readiness_assessment::Entity>>,
    pub raci_by_engagement: DataLoader<Grouped<raci_assignment::Entity>>,
    pub trackers_by_engagement: DataLoader<Grouped<opskit_entity::tracker_connection::Entity>>,
}

impl Loaders {
    pub fn new(db: DatabaseConnection) -> Self {
        use opskit_entity::{
            activity as a, artifact_template as at, capability as c, engagement as e, engagement_member as m, kit as k,
            question as q, runbook_template as r, user as u, workshop_template as w,
        };
        let db = &db;
        Self {
            kit: by_id::<k::Entity>(db, k::Column::Id, |x| x.id),
            engagement: by_id::<e::Entity>(db, e::Column::Id, |x| x.id),
            user: by_id::<u::Entity>(db, u::Column::Id, |x| x.id),
            capability: by_id::<c::Entity>(db, c::Column::Id, |x| x.id),
            artifact_template: by_id::<at::Entity>(db, at::Column::Id, |x| x.id),
            capabilities_by_kit: grouped::<c::Entity>(db, c::Column::KitId, c::Column::Position, |x| x.kit_id),
            artifacts_by_kit: grouped::<at::Entity>(db, at::Column::KitId, at::Column::Position, |x| x.kit_id),
            artifacts_by_capability: grouped::<at::Entity>(db, at::Column::CapabilityId, at::Column::Position, |x| {
                x.capability_id.unwrap_or_default()
            }),
            questions_by_artifact: grouped::<q::Entity>(db, q::Column::ArtifactTemplateId, q::Column::Position, |x| {
                x.artifact_template_id
            }),
            runbooks_by_capability: grouped::<r::Entity>(db, r::Column::CapabilityId, r::Column::Id, |x| {
                x.capability_id
            }),
            workshops_by_kit: grouped::<w::Entity>(db, w::Column::KitId, w::Column::Position, |x| x.kit_id),
            workshops_by_capability: grouped::<w::Entity>(db, w::Column::CapabilityId, w::Column::Position, |x| {
                x.capability_id.unwrap_or_default()
            }),
            members_by_engagement: grouped::<m::Entity>(db, m::Column::EngagementId, m::Column::Id, |x| {
                x.engagement_id
            }),
            activities_by_engagement: grouped::<a::Entity>(db, a::Column::EngagementId, a::Column::Id, |x| {
                x.engagement_id
            }),
            activity: by_id::<a::Entity>(db, a::Column::Id, |x| x.id),
            member: by_id::<m::Entity>(db, m::Column::Id, |x| x.id),
            question: by_id::<q::Entity>(db, q::Column::Id, |x| x.id),
            answers_by_activity: grouped::<answer::Entity>(db, answer::Column::ActivityId, answer::Column::Id, |x| {
                x.activity_id
            }),
            revisions_by_answer: grouped::<answer_revision::Entity>(
                db,
                answer_revision::Column::AnswerId,
                answer_revision::Column::Id,
                |x| x.answer_id,
            ),
            links_by_activity: grouped::<document_link::Entity>(
                db,
                document_link::Column::ActivityId,
                document_link::Column::Id,
                |x| x.activity_id,
            ),
            progress: DataLoader::new(ProgressLoader(db.clone()), tokio::spawn),
            runbook: by_id::<runbook::Entity>(db, runbook::Column::Id, |x| x.id),
            runbook_revision: by_id::<runbook_revision::Entity>(db, runbook_revision::Column::Id, |x| x.id),
            runbook_template: by_id::<r::Entity>(db, r::Column::Id, |x| x.id),
            runbooks_by_engagement: grouped::<runbook::Entity>(
                db,
                runbook::Column::EngagementId,
                runbook::Column::Id,
                |x| x.engagement_id,
            ),
            revisions_by_runbook: grouped::<runbook_revision::Entity>(
                db,
                runbook_revision::Column::RunbookId,
                runbook_revision::Column::Number,
                |x| x.runbook_id,
            ),
            reviews_by_runbook: grouped::<runbook_review::Entity>(
                db,
                runbook_review::Column::RunbookId,
                runbook_review::Column::Id,
                |x| x.runbook_id,
            ),
            deviations_by_activity: grouped::<deviation::Entity>(
                db,
                deviation::Column::ActivityId,
                deviation::Column::Id,
                |x| x.activity_id,
            ),
            deviations_by_engagement: grouped::<deviation::Entity>(
                db,
                deviation::Column::EngagementId,
                deviation::Column::Id,
                |x| x.engagement_id,
            ),
            workshop_template: by_id::<w::Entity>(db, w::Column::Id, |x| x.id),
            sprints_by_engagement: grouped::<sprint::Entity>(
                db,
                sprint::Column::EngagementId,
                sprint::Column::Number,
                |x| x.engagement_id,
            ),
            workshop_sessions_by_engagement: grouped::<workshop_session::Entity>(
                db,
                workshop_session::Column::EngagementId,
                workshop_session::Column::Position,
                |x| x.engagement_id,
            ),
            readiness_by_engagement: grouped::<opskit_entity::readiness_assessment::Entity>(
                db,
                opskit_entity::readiness_assessment::Column::EngagementId,
                opskit_entity::readiness_assessment::Column::Id,
                |x| x.engagement_id,
            ),
            raci_by_engagement: grouped::<opskit_entity::raci_assignment::Entity>(
                db,
                opskit_entity::raci_assignment::Column::EngagementId,
                opskit_entity::raci_assignment::Column::Id,
                |x| x.engagement_id,
            ),
            trackers_by_engagement: grouped::<opskit_entity::tracker_connection::Entity>(
                db,
                opskit_entity::tracker_connection::Column::EngagementId,
                opskit_entity::tracker_connection::Column::Id,
                |x| x.engagement_id,
            ),
        }
    }
}

/// For a `capability` (key) filter: `None` without one, `Some(None)` for a key
/// the kit does not have (the filter then matches nothing), else `Some(Some(id))`.
/// The kit's capabilities are loaded only when a key is given.
pub async fn capability_by_key(
    loaders: &Loaders,
    kit_id: i64,
    key: Option<&str>,
) -> Result<Option<Option<CapabilityId>>, Error> {
    let capabilities = match key {
        Some(_) => many(&loaders.capabilities_by_kit, kit_id).await?,
        None => Vec::new(),
    };
    Ok(kits::capability_by_key(&capabilities, key))
}

/// [`capability_by_key`] as a raw ID, for filters not yet on typed IDs.
pub async fn capability_filter(
    loaders: &Loaders,
    kit_id: i64,
    key: Option<&str>,
) -> Result<Option<Option<i64>>, Error> {
    Ok(capability_by_key(loaders, kit_id, key).await?.map(|c| c.map(|id| id.0)))
}

/// Loads one key, if there is such a row; a failed load is `INTERNAL`.
pub async fn maybe<L: Loader<i64, Error = Arc<Error>>>(
    loader: &DataLoader<L>,
    key: i64,
) -> Result<Option<L::Value>, Error> {
    loader.load_one(key).await.map_err(unshare)
}

/// Loads one key; a missing row is `NOT_FOUND` (`what` names it), a failed load is `INTERNAL`.
pub async fn one<L: Loader<i64, Error = Arc<Error>>>(
    loader: &DataLoader<L>,
    key: i64,
    what: &'static str,
) -> Result<L::Value, Error> {
    maybe(loader, key).await?.ok_or(Error::NotFound(what))
}

/// Loads several keys at once; keys without a row are left out.
pub async fn several<L: Loader<i64, Error = Arc<Error>>>(
    loader: &DataLoader<L>,
    keys: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, L::Value>, Error> {
    loader.load_many(keys).await.map_err(unshare)
}

/// Loads a group; no rows is an empty list.
pub async fn many<T: Clone + Send + Sync + 'static, L: Loader<i64, Value = Vec<T>, Error = Arc<Error>>>(
    loader: &DataLoader<L>,
    key: i64,
) -> Result<Vec<T>, Error> {
    Ok(maybe(loader, key).await?.unwrap_or_default())
}

fn unshare(err: Arc<Error>) -> Error {
    match Arc::try_unwrap(err) {
        Ok(inner) => inner,
        Err(shared) => Error::internal(anyhow::anyhow!("{shared}")),
    }
}
