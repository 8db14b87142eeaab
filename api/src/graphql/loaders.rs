//! Per-request DataLoaders: every relation is read in batches, so the number of
//! SQL statements a request makes does not grow with the size of its result.
//! The kit catalog has no loaders: it is in memory ([`Catalog`]).

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::{DataLoader, Loader};
use opskit_entity::{
    activity, answer, answer_revision, deviation, document_link, engagement, engagement_member, raci_assignment,
    readiness_assessment, runbook, runbook_review, runbook_revision, sprint, user, workshop_session,
};
use sea_orm::{DatabaseConnection, EntityTrait};

use crate::{
    domain::{
        batch,
        ids::{CapabilityId, EngagementId},
        kits::{self, Catalog, CatalogHandle},
        progress,
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

/// How many rows of `E` point at each key through `column`.
pub struct Counted<E: EntityTrait> {
    db: DatabaseConnection,
    column: E::Column,
}

impl<E> Loader<i64> for Counted<E>
where
    E: EntityTrait + Send + Sync,
    E::Column: Send + Sync,
{
    type Value = i64;
    type Error = Arc<Error>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        batch::count_by::<E, _>(&self.db, self.column, keys).await.map_err(Arc::new)
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
pub struct ProgressLoader(DatabaseConnection, CatalogHandle);

impl Loader<i64> for ProgressLoader {
    type Value = progress::Progress;
    type Error = Arc<Error>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let engagements: Vec<EngagementId> = keys.iter().copied().map(EngagementId).collect();
        let catalog = self.1.current();
        let progress = progress::for_engagements(&self.0, &catalog, &engagements).await.map_err(Arc::new)?;
        Ok(progress.into_iter().map(|(id, p)| (id.0, p)).collect())
    }
}

/// All loaders of one request.
pub struct Loaders {
    pub engagement: DataLoader<ById<engagement::Entity>>,
    pub user: DataLoader<ById<user::Entity>>,
    pub members_by_engagement: DataLoader<Grouped<engagement_member::Entity>>,
    pub activities_by_engagement: DataLoader<Grouped<activity::Entity>>,
    pub activity: DataLoader<ById<activity::Entity>>,
    pub member: DataLoader<ById<engagement_member::Entity>>,
    pub answers_by_activity: DataLoader<Grouped<answer::Entity>>,
    /// How many questions of each activity are answered.
    pub answer_counts: DataLoader<Counted<answer::Entity>>,
    pub revisions_by_answer: DataLoader<Grouped<answer_revision::Entity>>,
    pub links_by_activity: DataLoader<Grouped<document_link::Entity>>,
    pub progress: DataLoader<ProgressLoader>,
    pub runbook: DataLoader<ById<runbook::Entity>>,
    pub runbook_revision: DataLoader<ById<runbook_revision::Entity>>,
    pub runbooks_by_engagement: DataLoader<Grouped<runbook::Entity>>,
    pub revisions_by_runbook: DataLoader<Grouped<runbook_revision::Entity>>,
    pub reviews_by_runbook: DataLoader<Grouped<runbook_review::Entity>>,
    pub deviations_by_activity: DataLoader<Grouped<deviation::Entity>>,
    pub deviations_by_engagement: DataLoader<Grouped<deviation::Entity>>,
    pub sprints_by_engagement: DataLoader<Grouped<sprint::Entity>>,
    pub workshop_sessions_by_engagement: DataLoader<Grouped<workshop_session::Entity>>,
    pub readiness_by_engagement: DataLoader<Grouped<readiness_assessment::Entity>>,
    pub raci_by_engagement: DataLoader<Grouped<raci_assignment::Entity>>,
    pub trackers_by_engagement: DataLoader<Grouped<opskit_entity::tracker_connection::Entity>>,
}

impl Loaders {
    pub fn new(db: DatabaseConnection, catalog: CatalogHandle) -> Self {
        use opskit_entity::{activity as a, engagement as e, engagement_member as m, user as u};
        let db = &db;
        Self {
            engagement: by_id::<e::Entity>(db, e::Column::Id, |x| x.id),
            user: by_id::<u::Entity>(db, u::Column::Id, |x| x.id),
            members_by_engagement: grouped::<m::Entity>(db, m::Column::EngagementId, m::Column::Id, |x| {
                x.engagement_id
            }),
            activities_by_engagement: grouped::<a::Entity>(db, a::Column::EngagementId, a::Column::Id, |x| {
                x.engagement_id
            }),
            activity: by_id::<a::Entity>(db, a::Column::Id, |x| x.id),
            member: by_id::<m::Entity>(db, m::Column::Id, |x| x.id),
            answers_by_activity: grouped::<answer::Entity>(db, answer::Column::ActivityId, answer::Column::Id, |x| {
                x.activity_id
            }),
            answer_counts: DataLoader::new(
                Counted { db: db.clone(), column: answer::Column::ActivityId },
                tokio::spawn,
            ),
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
            progress: DataLoader::new(ProgressLoader(db.clone(), catalog), tokio::spawn),
            runbook: by_id::<runbook::Entity>(db, runbook::Column::Id, |x| x.id),
            runbook_revision: by_id::<runbook_revision::Entity>(db, runbook_revision::Column::Id, |x| x.id),
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
pub fn capability_by_key(catalog: &Catalog, kit_id: i64, key: Option<&str>) -> Option<Option<CapabilityId>> {
    kits::capability_by_key(catalog.capabilities_of(kit_id), key)
}

/// [`capability_by_key`] as a raw ID, for filters not yet on typed IDs.
pub fn capability_filter(catalog: &Catalog, kit_id: i64, key: Option<&str>) -> Option<Option<i64>> {
    capability_by_key(catalog, kit_id, key).map(|c| c.map(|id| id.0))
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
