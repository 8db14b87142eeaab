//! The kit catalog in memory. A kit version never changes once imported, so
//! every kit with its capabilities, artifact templates, question banks,
//! runbook templates and workshop plan is read once into a [`Catalog`] and
//! shared read-only (rows as `Arc`s: a field that needs a template borrows it,
//! nothing large is cloned per object). Requests resolve the catalog from it
//! with no SQL.
//!
//! A [`CatalogHandle`] holds the current snapshot and swaps in a new one
//! atomically: whoever took a snapshot keeps reading that whole one. It is
//! reloaded
//!
//! - by an import in this process, before the import returns (`importKit`,
//!   `opskit kit import` against a running server's database is another
//!   process, see below);
//! - on every replica, when a `kit.*` event arrives through the event feed
//!   (PostgreSQL `NOTIFY` with catch-up by position, see
//!   [`crate::domain::events::Feed`]), so an import on one replica, or by the
//!   CLI, reaches the others as soon as they read the event;
//! - when an engagement is created here from a version this replica has not
//!   heard of yet ([`CatalogHandle::ensure_kit`]).

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

use opskit_entity::{artifact_template, capability, engagement, kit, question, runbook_template, workshop_template};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Query, SelectStatement, SimpleExpr},
};

use crate::{
    domain::ids::{
        ArtifactTemplateId, CapabilityId, EngagementId, KitId, QuestionId, RunbookTemplateId, TypedId,
        WorkshopTemplateId,
    },
    error::{Error, Result},
};

/// Rows of one catalog table: by ID, and grouped by a parent in kit order.
struct Table<T> {
    by_id: HashMap<i64, Arc<T>>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self { by_id: HashMap::new() }
    }
}

impl<T> Table<T> {
    /// `rows` (already in kit order) by `id`.
    fn new(rows: &[Arc<T>], id: fn(&T) -> i64) -> Self {
        Self { by_id: rows.iter().map(|row| (id(row), row.clone())).collect() }
    }

    fn get(&self, id: i64) -> Option<&Arc<T>> {
        self.by_id.get(&id)
    }
}

/// `rows` grouped by `parent` (rows without one are left out), keeping their order.
fn grouped<T>(rows: &[Arc<T>], parent: fn(&T) -> Option<i64>) -> HashMap<i64, Vec<Arc<T>>> {
    let mut groups: HashMap<i64, Vec<Arc<T>>> = HashMap::new();
    for row in rows {
        if let Some(key) = parent(row) {
            groups.entry(key).or_default().push(row.clone());
        }
    }
    groups
}

/// The group `key` of `groups`; none is an empty list.
fn group<T>(groups: &HashMap<i64, Vec<Arc<T>>>, key: i64) -> &[Arc<T>] {
    groups.get(&key).map_or(&[], Vec::as_slice)
}

/// Every imported kit version, whole, indexed the ways the API reads it.
#[derive(Default)]
pub struct Catalog {
    /// In import (ID) order.
    kits: Vec<Arc<kit::Model>>,
    kit_by_id: Table<kit::Model>,
    capabilities: Table<capability::Model>,
    capabilities_by_kit: HashMap<i64, Vec<Arc<capability::Model>>>,
    artifacts: Table<artifact_template::Model>,
    artifacts_by_kit: HashMap<i64, Vec<Arc<artifact_template::Model>>>,
    artifacts_by_capability: HashMap<i64, Vec<Arc<artifact_template::Model>>>,
    questions: Table<question::Model>,
    questions_by_artifact: HashMap<i64, Vec<Arc<question::Model>>>,
    runbooks: Table<runbook_template::Model>,
    runbooks_by_kit: HashMap<i64, Vec<Arc<runbook_template::Model>>>,
    runbooks_by_capability: HashMap<i64, Vec<Arc<runbook_template::Model>>>,
    workshops: Table<workshop_template::Model>,
    workshops_by_kit: HashMap<i64, Vec<Arc<workshop_template::Model>>>,
    workshops_by_capability: HashMap<i64, Vec<Arc<workshop_template::Model>>>,
}

/// The rows of `E` that `condition` keeps (all without one) in `order`, shared.
async fn rows<E, C>(db: &C, order: E::Column, condition: Option<SimpleExpr>) -> Result<Vec<Arc<E::Model>>>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let mut query = E::find().order_by_asc(order);
    if let Some(condition) = condition {
        query = query.filter(condition);
    }
    Ok(query.all(db).await?.into_iter().map(Arc::new).collect())
}

impl Catalog {
    /// Reads every kit version: six statements, whatever the number of kits.
    pub async fn load<C: ConnectionTrait>(db: &C) -> Result<Self> {
        Self::load_kits(db, None).await
    }

    /// Reads only the kit version of `engagement`, in the caller's
    /// transaction (for a write that must see what it reads in that
    /// transaction, with no catalog at hand): six small statements.
    pub async fn load_for_engagement<C: ConnectionTrait>(db: &C, engagement: EngagementId) -> Result<Self> {
        let kit = Query::select()
            .column(engagement::Column::KitId)
            .from(engagement::Entity)
            .and_where(engagement::Column::Id.eq(engagement.0))
            .to_owned();
        Self::load_kits(db, Some(kit)).await
    }

    /// The kit versions whose IDs `kits` selects (every one when `None`).
    async fn load_kits<C: ConnectionTrait>(db: &C, kits: Option<SelectStatement>) -> Result<Self> {
        use opskit_entity::{
            artifact_template as at, capability as c, kit as k, question as q, runbook_template as r,
            workshop_template as w,
        };
        let sub = || kits.clone();
        let templates = sub().map(|kits| {
            let of_kits = Query::select()
                .column(at::Column::Id)
                .from(at::Entity)
                .and_where(at::Column::KitId.in_subquery(kits))
                .to_owned();
            q::Column::ArtifactTemplateId.in_subquery(of_kits)
        });
        let kits_found = rows::<k::Entity, _>(db, k::Column::Id, sub().map(|s| k::Column::Id.in_subquery(s))).await?;
        let capabilities =
            rows::<c::Entity, _>(db, c::Column::Position, sub().map(|s| c::Column::KitId.in_subquery(s))).await?;
        let artifacts =
            rows::<at::Entity, _>(db, at::Column::Position, sub().map(|s| at::Column::KitId.in_subquery(s))).await?;
        let questions = rows::<q::Entity, _>(db, q::Column::Position, templates).await?;
        let runbooks = rows::<r::Entity, _>(db, r::Column::Id, sub().map(|s| r::Column::KitId.in_subquery(s))).await?;
        let workshops =
            rows::<w::Entity, _>(db, w::Column::Position, sub().map(|s| w::Column::KitId.in_subquery(s))).await?;
        let kits = kits_found;
        Ok(Self {
            kit_by_id: Table::new(&kits, |x| x.id),
            capabilities: Table::new(&capabilities, |x| x.id),
            capabilities_by_kit: grouped(&capabilities, |x| Some(x.kit_id)),
            artifacts: Table::new(&artifacts, |x| x.id),
            artifacts_by_kit: grouped(&artifacts, |x| Some(x.kit_id)),
            artifacts_by_capability: grouped(&artifacts, |x| x.capability_id),
            questions: Table::new(&questions, |x| x.id),
            questions_by_artifact: grouped(&questions, |x| Some(x.artifact_template_id)),
            runbooks: Table::new(&runbooks, |x| x.id),
            runbooks_by_kit: grouped(&runbooks, |x| Some(x.kit_id)),
            runbooks_by_capability: grouped(&runbooks, |x| Some(x.capability_id)),
            workshops: Table::new(&workshops, |x| x.id),
            workshops_by_kit: grouped(&workshops, |x| Some(x.kit_id)),
            workshops_by_capability: grouped(&workshops, |x| x.capability_id),
            kits,
        })
    }

    /// Every kit version, in import order.
    pub fn kits(&self) -> &[Arc<kit::Model>] {
        &self.kits
    }

    pub fn kit(&self, id: KitId) -> Option<&Arc<kit::Model>> {
        self.kit_by_id.get(id.0)
    }

    /// The kit version with `key` and `version`, if imported.
    pub fn find(&self, key: &str, version: &str) -> Option<&Arc<kit::Model>> {
        self.kits.iter().find(|k| k.key == key && k.version == version)
    }

    /// The newest imported version of `key`.
    pub fn latest(&self, key: &str) -> Option<&Arc<kit::Model>> {
        self.kits.iter().rev().find(|k| k.key == key)
    }

    pub fn capability(&self, id: CapabilityId) -> Option<&Arc<capability::Model>> {
        self.capabilities.get(id.0)
    }

    /// A kit's capabilities, in kit order.
    pub fn capabilities_of(&self, kit: i64) -> &[Arc<capability::Model>] {
        group(&self.capabilities_by_kit, kit)
    }

    pub fn artifact(&self, id: ArtifactTemplateId) -> Option<&Arc<artifact_template::Model>> {
        self.artifacts.get(id.0)
    }

    /// A kit's artifact templates, in kit order.
    pub fn artifacts_of(&self, kit: i64) -> &[Arc<artifact_template::Model>] {
        group(&self.artifacts_by_kit, kit)
    }

    /// A capability's artifact templates (D&A, Design), in kit order.
    pub fn artifacts_of_capability(&self, capability: i64) -> &[Arc<artifact_template::Model>] {
        group(&self.artifacts_by_capability, capability)
    }

    pub fn question(&self, id: QuestionId) -> Option<&Arc<question::Model>> {
        self.questions.get(id.0)
    }

    /// An artifact template's question bank, in order.
    pub fn questions_of(&self, artifact: i64) -> &[Arc<question::Model>] {
        group(&self.questions_by_artifact, artifact)
    }

    pub fn runbook_template(&self, id: RunbookTemplateId) -> Option<&Arc<runbook_template::Model>> {
        self.runbooks.get(id.0)
    }

    /// A kit's core runbook templates, in import order.
    pub fn runbook_templates_of(&self, kit: i64) -> &[Arc<runbook_template::Model>] {
        group(&self.runbooks_by_kit, kit)
    }

    /// A capability's core runbook template(s).
    pub fn runbook_templates_of_capability(&self, capability: i64) -> &[Arc<runbook_template::Model>] {
        group(&self.runbooks_by_capability, capability)
    }

    pub fn workshop_template(&self, id: WorkshopTemplateId) -> Option<&Arc<workshop_template::Model>> {
        self.workshops.get(id.0)
    }

    /// A kit's workshop plan, in kit order.
    pub fn workshop_templates_of(&self, kit: i64) -> &[Arc<workshop_template::Model>] {
        group(&self.workshops_by_kit, kit)
    }

    /// The workshop sessions about a capability, in kit order.
    pub fn workshop_templates_of_capability(&self, capability: i64) -> &[Arc<workshop_template::Model>] {
        group(&self.workshops_by_capability, capability)
    }

    /// A catalog row by typed ID, or `NOT_FOUND` naming its kind.
    pub fn required<I: TypedId, T>(_: I, found: Option<&Arc<T>>) -> Result<Arc<T>> {
        found.cloned().ok_or(Error::NotFound(I::KIND.noun()))
    }
}

/// The current [`Catalog`] of a process, swapped whole when a kit is imported.
/// Clones share it. Reloads run one at a time, so an import in this process
/// and its event arriving through the feed read the catalog once, not twice.
#[derive(Clone, Default)]
pub struct CatalogHandle {
    current: Arc<RwLock<Arc<Catalog>>>,
    reloading: Arc<tokio::sync::Mutex<()>>,
}

impl CatalogHandle {
    /// A handle on the catalog as the database holds it now.
    pub async fn load<C: ConnectionTrait>(db: &C) -> Result<Self> {
        let handle = Self::default();
        handle.reload(db).await?;
        Ok(handle)
    }

    /// The current snapshot; it stays whole for as long as the caller holds it.
    pub fn current(&self) -> Arc<Catalog> {
        // The lock only guards a pointer swap: a poisoned lock still holds a whole catalog.
        self.current.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// Reloads the catalog unless it holds `kit` already: after an import
    /// (here, or on another replica whose event just arrived), and for an
    /// engagement created here from a version another replica imported
    /// moments ago, before that import's event reached this one.
    pub async fn ensure_kit<C: ConnectionTrait>(&self, db: &C, kit: KitId) -> Result<()> {
        let _one_at_a_time = self.reloading.lock().await;
        if self.current().kit(kit).is_none() {
            self.swap(db).await?;
        }
        Ok(())
    }

    /// Reads the catalog again and swaps it in (when events may have been missed).
    pub async fn reload<C: ConnectionTrait>(&self, db: &C) -> Result<()> {
        let _one_at_a_time = self.reloading.lock().await;
        self.swap(db).await
    }

    async fn swap<C: ConnectionTrait>(&self, db: &C) -> Result<()> {
        let fresh = Arc::new(Catalog::load(db).await?);
        *self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner) = fresh;
        Ok(())
    }
}
