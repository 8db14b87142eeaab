//! The one write path. Every mutation is a [`Command`]: its rule alone. [`run`]
//! does the steps every change shares, in this order:
//!
//! 1. open a transaction (retried on serialization failures and a busy SQLite);
//! 2. load the object the command acts on with the caller's access
//!    (`NOT_FOUND` for strangers, as if it did not exist);
//! 3. check the permission in the table (`FORBIDDEN`);
//! 4. check `expectedVersion` (`CONFLICT` with the current version);
//! 5. apply the command's rule, which saves through [`Step::save`], the one
//!    versioned update (`CONFLICT` when it loses a race);
//! 6. record the audit event the rule reports, in the same transaction.
//!
//! Commands outside any engagement (importing a kit, creating an engagement)
//! are [`GlobalCommand`]s, run by [`run_global`] with the same steps minus
//! the object; changes opskit makes for itself, with nobody calling, are
//! [`SystemCommand`]s run by [`run_system`].

use std::future::Future;

use chrono::Utc;
use opskit_entity::engagement;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, Value,
};

use super::{
    Viewer,
    access::{Access, access_via, engagement_access},
    action::Action,
    audit,
    ids::{EngagementId, TypedId},
    permissions::Permission,
};
use crate::error::{Error, Result};

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

/// A row that changes only through [`update`]: it has an ID, a `version`
/// incremented by every change, and maybe an `updated_at`.
pub trait Versioned: Sized + Send + Sync + IntoActiveModel<<Self::Entity as EntityTrait>::ActiveModel> {
    /// Its sea-orm entity.
    type Entity: EntityTrait<Model = Self>;
    /// What people call it, in `CONFLICT` messages.
    const NOUN: &'static str;
    /// The primary key column.
    fn id_column() -> <Self::Entity as EntityTrait>::Column;
    /// The version column.
    fn version_column() -> <Self::Entity as EntityTrait>::Column;
    /// The `updated_at` column, when the table has one.
    fn updated_at_column() -> Option<<Self::Entity as EntityTrait>::Column>;
    /// The stored primary key.
    fn raw_id(&self) -> i64;
    /// The stored version.
    fn stored_version(&self) -> i32;
}

/// The changes to a [`Versioned`] row: an active model with only the changed columns set.
pub type Changes<M> = <<M as Versioned>::Entity as EntityTrait>::ActiveModel;

/// Writes `changes` over `before` (the row as read in this transaction) if
/// nobody changed it since, incrementing its version and setting `updated_at`;
/// returns the stored row. A lost race is `CONFLICT` with the current version.
pub async fn update<M, C>(tx: &C, before: &M, mut changes: Changes<M>) -> Result<M>
where
    M: Versioned,
    M::Entity: EntityTrait<Model = M>,
    C: ConnectionTrait,
    <<M::Entity as EntityTrait>::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
{
    changes.set(M::version_column(), Value::from(before.stored_version() + 1));
    if let Some(column) = M::updated_at_column() {
        changes.set(column, Value::from(Utc::now()));
    }
    let result = M::Entity::update_many()
        .set(changes)
        .filter(M::id_column().eq(before.raw_id()))
        .filter(M::version_column().eq(before.stored_version()))
        .exec(tx)
        .await?;
    let stored = M::Entity::find_by_id(before.raw_id()).one(tx).await?.ok_or(Error::NotFound(M::NOUN))?;
    if result.rows_affected == 0 {
        return Err(Error::Conflict {
            message: format!("the {} changed while you edited it", M::NOUN),
            current_version: stored.stored_version(),
        });
    }
    Ok(stored)
}

/// `CONFLICT` when the caller expected another version than the current one.
pub fn check_version(noun: &str, current: i32, expected: Option<i32>) -> Result<()> {
    match expected {
        Some(seen) if seen != current => Err(Error::Conflict {
            message: format!("the {noun} changed since you read it: its version is {current}, not {seen}"),
            current_version: current,
        }),
        _ => Ok(()),
    }
}

/// What a rule reports to the audit trail: the action and the object it
/// changed (of the action's kind), with a summary for people.
#[derive(Debug, Clone)]
pub struct Event {
    pub action: Action,
    pub object_id: i64,
    pub summary: String,
    /// The engagement the change belongs to, when not the one of the command's
    /// object (a new engagement).
    pub engagement: Option<EngagementId>,
}

/// A rule's outcome: its value and the change to record, if anything changed.
#[derive(Debug, Clone)]
pub struct Done<T> {
    pub value: T,
    pub event: Option<Event>,
}

impl<T> Done<T> {
    /// A change to `object_id` (of `action`'s kind), described by `summary`.
    pub fn new(value: T, action: Action, object_id: i64, summary: impl Into<String>) -> Self {
        let event = Event { action, object_id, summary: summary.into(), engagement: None };
        Self { value, event: Some(event) }
    }

    /// A change to the stored row `saved`, which is also the value returned.
    pub fn saved(saved: T, action: Action, summary: impl Into<String>) -> Self
    where
        T: Versioned,
    {
        let id = saved.raw_id();
        Self::new(saved, action, id, summary)
    }

    /// Nothing changed: nothing is recorded.
    pub fn unchanged(value: T) -> Self {
        Self { value, event: None }
    }

    /// Records the change in `engagement` rather than the command object's.
    pub fn in_engagement(mut self, engagement: EngagementId) -> Self {
        if let Some(event) = &mut self.event {
            event.engagement = Some(engagement);
        }
        self
    }
}

/// What a rule works with: the open transaction, the caller, the object
/// loaded and the caller's access to its engagement.
pub struct Step<'a, S> {
    pub tx: &'a DatabaseTransaction,
    pub viewer: &'a Viewer,
    pub target: S,
    pub access: Access,
}

impl<S> Step<'_, S> {
    /// The engagement the object belongs to.
    pub fn engagement_id(&self) -> EngagementId {
        self.access.engagement_id()
    }
}

impl<S: Versioned> Step<'_, S>
where
    S::Entity: EntityTrait<Model = S>,
    <<S::Entity as EntityTrait>::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
{
    /// Saves `changes` to the loaded object: the versioned update.
    pub async fn save(&self, changes: Changes<S>) -> Result<S> {
        update(self.tx, &self.target, changes).await
    }
}

/// The object a command acts on, and the version the caller last read.
#[derive(Debug, Clone, Copy)]
pub struct On<I> {
    pub id: I,
    /// `CONFLICT` unless this is the object's current version; `None` skips the check.
    pub expected_version: Option<i32>,
}

impl<I> On<I> {
    /// Acting on `id` whatever its version.
    pub fn id(id: I) -> Self {
        Self { id, expected_version: None }
    }

    /// Acting on `id` as the caller last read it.
    pub fn versioned(id: I, expected_version: Option<i32>) -> Self {
        Self { id, expected_version }
    }
}

/// One mutation inside an engagement, written as its rule alone.
pub trait Command: Sync {
    /// What it acts on.
    type Target: Scope;
    /// What it returns.
    type Output: Send;
    /// The permission the caller needs.
    fn permission(&self) -> Permission;
    /// Input checks that need no stored data, run before the transaction opens.
    fn validate(&self) -> Result<()> {
        Ok(())
    }
    /// The rule: checks what needs stored data, writes, and reports the change.
    fn apply(&self, step: &Step<'_, Self::Target>) -> impl Future<Output = Result<Done<Self::Output>>> + Send;
}

/// Runs `command` on the object `on` names, on the write path (see the module's documentation).
pub async fn run<C: Command>(
    db: &DatabaseConnection,
    viewer: &Viewer,
    on: On<<C::Target as Scope>::Id>,
    command: C,
) -> Result<C::Output> {
    command.validate()?;
    crate::transaction!(db, |tx| {
        let (target, access) = C::Target::load(tx, viewer, on.id).await?;
        access.check(command.permission())?;
        check_version(<<C::Target as Scope>::Id as TypedId>::KIND.noun(), target.version(), on.expected_version)?;
        let step = Step { tx, viewer, target, access };
        let done = command.apply(&step).await?;
        if let Some(event) = done.event {
            let engagement = event.engagement.unwrap_or(step.access.engagement_id());
            record(tx, Some(viewer), Some(engagement), event).await?;
        }
        Ok(done.value)
    })
}

/// What a global rule works with: the open transaction and the caller.
pub struct GlobalStep<'a> {
    pub tx: &'a DatabaseTransaction,
    pub viewer: &'a Viewer,
}

/// One mutation outside any engagement (a kit import, a new engagement).
pub trait GlobalCommand: Sync {
    type Output: Send;
    /// The permission the caller's global role needs.
    fn permission(&self) -> Permission;
    /// Input checks that need no stored data, run before the transaction opens.
    fn validate(&self) -> Result<()> {
        Ok(())
    }
    /// The rule; the event's `engagement`, if any, is where it is recorded.
    fn apply(&self, step: &GlobalStep<'_>) -> impl Future<Output = Result<Done<Self::Output>>> + Send;
}

/// Runs a global `command`: permission, input checks, then the rule and its
/// audit event in one transaction.
pub async fn run_global<C: GlobalCommand>(db: &DatabaseConnection, viewer: &Viewer, command: C) -> Result<C::Output> {
    viewer.check(command.permission())?;
    command.validate()?;
    crate::transaction!(db, |tx| {
        let done = command.apply(&GlobalStep { tx, viewer }).await?;
        if let Some(event) = done.event {
            record(tx, Some(viewer), event.engagement, event).await?;
        }
        Ok(done.value)
    })
}

/// A change opskit makes for itself, with nobody calling (the bundled kit's
/// import at first start, the `kit import` command): there is no permission
/// to check, and its audit event has no actor.
pub trait SystemCommand: Sync {
    type Output: Send;
    /// The rule; the event's `engagement`, if any, is where it is recorded.
    fn apply(&self, tx: &DatabaseTransaction) -> impl Future<Output = Result<Done<Self::Output>>> + Send;
}

/// Runs a system `command`: the rule and its audit event in one transaction.
pub async fn run_system<C: SystemCommand>(db: &DatabaseConnection, command: C) -> Result<C::Output> {
    crate::transaction!(db, |tx| {
        let done = command.apply(tx).await?;
        if let Some(event) = done.event {
            record(tx, None, event.engagement, event).await?;
        }
        Ok(done.value)
    })
}

async fn record(
    tx: &DatabaseTransaction,
    actor: Option<&Viewer>,
    engagement: Option<EngagementId>,
    event: Event,
) -> Result<()> {
    let change =
        audit::Change { engagement, action: event.action, object_id: event.object_id, summary: &event.summary };
    audit::record(tx, actor, change).await
}

/// Loads a row of an engagement by typed ID with the caller's access: a
/// stranger gets `NOT_FOUND` naming the row's kind.
pub async fn load_child<M, I, C>(db: &C, viewer: &Viewer, id: I, engagement_of: fn(&M) -> i64) -> Result<(M, Access)>
where
    I: TypedId,
    M: sea_orm::ModelTrait + Send + Sync,
    <M as sea_orm::ModelTrait>::Entity: EntityTrait<Model = M>,
    <<<M as sea_orm::ModelTrait>::Entity as EntityTrait>::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
    C: ConnectionTrait,
{
    let noun = I::KIND.noun();
    let found = <M as sea_orm::ModelTrait>::Entity::find_by_id(id.raw()).one(db).await?.ok_or(Error::NotFound(noun))?;
    let access = access_via(db, viewer, engagement_of(&found), noun).await?;
    Ok((found, access))
}

/// Declares a versioned row of an engagement: how the write path loads it by
/// typed ID and saves it. `$updated` names its `updated_at` column, if any.
#[macro_export]
macro_rules! versioned {
    ($model:path, $module:ident, $id:ty, $noun:literal, updated_at: $updated:expr) => {
        impl $crate::domain::write::Versioned for $model {
            type Entity = opskit_entity::$module::Entity;
            const NOUN: &'static str = $noun;
            fn id_column() -> opskit_entity::$module::Column {
                opskit_entity::$module::Column::Id
            }
            fn version_column() -> opskit_entity::$module::Column {
                opskit_entity::$module::Column::Version
            }
            fn updated_at_column() -> Option<opskit_entity::$module::Column> {
                $updated
            }
            fn raw_id(&self) -> i64 {
                self.id
            }
            fn stored_version(&self) -> i32 {
                self.version
            }
        }
    };
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
                $crate::domain::write::load_child(db, viewer, id, |m: &$model| m.engagement_id).await
            }
            fn version(&self) -> i32 {
                self.version
            }
        }
    };
}

crate::scoped!(opskit_entity::activity::Model, activity, super::ids::ActivityId, "activity",
    updated_at: Some(opskit_entity::activity::Column::UpdatedAt));
crate::scoped!(opskit_entity::deviation::Model, deviation, super::ids::DeviationId, "deviation",
    updated_at: Some(opskit_entity::deviation::Column::UpdatedAt));
crate::scoped!(opskit_entity::runbook::Model, runbook, super::ids::RunbookId, "runbook",
    updated_at: Some(opskit_entity::runbook::Column::UpdatedAt));
crate::scoped!(opskit_entity::engagement_member::Model, engagement_member, super::ids::MemberId, "member",
    updated_at: None);
crate::scoped!(opskit_entity::sprint::Model, sprint, super::ids::SprintId, "sprint",
    updated_at: None);
crate::scoped!(opskit_entity::workshop_session::Model, workshop_session, super::ids::WorkshopSessionId,
    "workshop session", updated_at: Some(opskit_entity::workshop_session::Column::UpdatedAt));
crate::scoped!(opskit_entity::readiness_assessment::Model, readiness_assessment,
    super::ids::ReadinessAssessmentId, "readiness assessment", updated_at: None);
crate::versioned!(opskit_entity::answer::Model, answer, super::ids::AnswerId, "answer", updated_at: None);
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
