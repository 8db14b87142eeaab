//! The one write path. Every mutation is a [`Command`]: its rule alone. [`run`]
//! does the steps every change shares, in this order:
//!
//! 1. open a transaction (retried on serialization failures and a busy SQLite);
//! 2. load the object the command acts on with the caller's access
//!    (`NOT_FOUND` for strangers, as if it did not exist);
//! 3. check the permission in the table (`FORBIDDEN`);
//! 4. refuse any change to a CLOSED engagement (`ENGAGEMENT_CLOSED`), unless
//!    the command is about the engagement's lifecycle itself;
//! 5. check `expectedVersion` (`CONFLICT` with the current version);
//! 6. apply the command's rule, which saves through [`Step::save`], the one
//!    versioned update (`CONFLICT` when it loses a race);
//! 7. record the audit event the rule reports, in the same transaction, and
//!    the engagement's progress as today's snapshot (`progressHistory`).
//!
//! A create that carries an idempotency key runs through [`run_once`] (or
//! [`run_global_once`]): after the permission check it claims the key, and a
//! retry returns the first result there, before anything is written (see
//! [`idempotent`]).
//!
//! Commands outside any engagement (importing a kit, creating an engagement)
//! are [`GlobalCommand`]s, run by [`run_global`] with the same steps minus
//! the object; changes opskit makes for itself, with nobody calling, are
//! [`SystemCommand`]s run by [`run_system`].

use std::future::Future;

use opskit_entity::enums::EngagementStatus;
use sea_orm::{DatabaseConnection, DatabaseTransaction, EntityTrait};

use super::{
    Viewer,
    access::Access,
    action::Action,
    audit, events,
    ids::{EngagementId, TypedId},
    permissions::Permission,
    progress_history,
};
use crate::error::{Code, Error, Result};

pub mod idempotent;
mod scope;
mod versioned;

pub use idempotent::{Claim, Created, WithSecret};
pub use scope::{Scope, load_child};
pub use versioned::{Changes, Versioned, check_version, update};

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

    /// The same change, returning `value` instead.
    pub fn with_value<U>(self, value: U) -> Done<U> {
        Done { value, event: self.event }
    }

    /// The same change, its value mapped by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Done<U> {
        Done { value: f(self.value), event: self.event }
    }

    /// The same change, its summary rewritten by `f`.
    pub fn summarized(mut self, f: impl FnOnce(&str) -> String) -> Self {
        if let Some(event) = &mut self.event {
            event.summary = f(&event.summary);
        }
        self
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
    /// Whether it may run on a CLOSED engagement: only the engagement's own
    /// lifecycle, whose workflow decides (reopening is the way back).
    fn runs_on_closed(&self) -> bool {
        false
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
    run_claimed(db, viewer, on, command, &NoClaim).await
}

/// Runs a create that may carry an idempotency `key`: as [`run`], and a retry
/// of the same input returns the first result (see [`idempotent`]).
pub async fn run_once<C>(
    db: &DatabaseConnection,
    viewer: &Viewer,
    on: On<<C::Target as Scope>::Id>,
    command: C,
    key: Option<&str>,
) -> Result<C::Output>
where
    C: Command + std::fmt::Debug,
    C::Output: Created + Sync,
    <C::Target as Scope>::Id: std::fmt::Debug,
{
    let input = (on.id, &command);
    match Claim::new(key, std::any::type_name::<C>(), &input)? {
        Some(claim) => run_claimed(db, viewer, on, command, &claim).await,
        None => run(db, viewer, on, command).await,
    }
}

async fn run_claimed<C: Command, R: Replay<C::Output>>(
    db: &DatabaseConnection,
    caller: &Viewer,
    on: On<<C::Target as Scope>::Id>,
    command: C,
    claim: &R,
) -> Result<C::Output> {
    command.validate()?;
    let viewer = &caller.uncached();
    let outcome = crate::transaction!(db, |tx| {
        let (target, access) = C::Target::load(tx, viewer, on.id).await?;
        access.check(command.permission())?;
        if let Some(first) = claim.take(tx, viewer).await? {
            return Ok((first, None));
        }
        if access.engagement.status == EngagementStatus::Closed && !command.runs_on_closed() {
            return Err(Error::user("", Code::EngagementClosed, Code::EngagementClosed.message()));
        }
        check_version(<<C::Target as Scope>::Id as TypedId>::KIND.noun(), target.version(), on.expected_version)?;
        let step = Step { tx, viewer, target, access };
        let done = command.apply(&step).await?;
        claim.fulfil(tx, viewer, &done.value).await?;
        let action = done.event.as_ref().map(|e| e.action);
        if let Some(event) = done.event {
            let engagement = event.engagement.unwrap_or(step.access.engagement_id());
            record(tx, Some(viewer), Some(engagement), event).await?;
        }
        Ok((done.value, action))
    });
    announce(caller, outcome)
}

/// The idempotency step of a run: nothing, or a [`Claim`].
trait Replay<T>: Sync {
    /// The first result, when this run is a retry.
    fn take(&self, tx: &DatabaseTransaction, viewer: &Viewer) -> impl Future<Output = Result<Option<T>>> + Send;
    /// Records the result of the first run.
    fn fulfil(&self, tx: &DatabaseTransaction, viewer: &Viewer, value: &T) -> impl Future<Output = Result<()>> + Send;
}

/// A run without an idempotency key.
struct NoClaim;

impl<T: Send> Replay<T> for NoClaim {
    fn take(&self, _: &DatabaseTransaction, _: &Viewer) -> impl Future<Output = Result<Option<T>>> + Send {
        std::future::ready(Ok(None))
    }
    fn fulfil(&self, _: &DatabaseTransaction, _: &Viewer, _: &T) -> impl Future<Output = Result<()>> + Send {
        std::future::ready(Ok(()))
    }
}

impl<T: Created + Sync> Replay<T> for Claim {
    fn take(&self, tx: &DatabaseTransaction, viewer: &Viewer) -> impl Future<Output = Result<Option<T>>> + Send {
        Claim::take::<T>(self, tx, viewer)
    }
    fn fulfil(&self, tx: &DatabaseTransaction, viewer: &Viewer, value: &T) -> impl Future<Output = Result<()>> + Send {
        Claim::fulfil(self, tx, viewer, value)
    }
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
    run_global_claimed(db, viewer, command, &NoClaim).await
}

/// Runs a global create that may carry an idempotency `key`: as [`run_global`],
/// and a retry of the same input returns the first result.
pub async fn run_global_once<C>(
    db: &DatabaseConnection,
    viewer: &Viewer,
    command: C,
    key: Option<&str>,
) -> Result<C::Output>
where
    C: GlobalCommand + std::fmt::Debug,
    C::Output: Created + Sync,
{
    match Claim::new(key, std::any::type_name::<C>(), &command)? {
        Some(claim) => run_global_claimed(db, viewer, command, &claim).await,
        None => run_global(db, viewer, command).await,
    }
}

async fn run_global_claimed<C: GlobalCommand, R: Replay<C::Output>>(
    db: &DatabaseConnection,
    caller: &Viewer,
    command: C,
    claim: &R,
) -> Result<C::Output> {
    caller.check(command.permission())?;
    command.validate()?;
    let viewer = &caller.uncached();
    let outcome = crate::transaction!(db, |tx| {
        if let Some(first) = claim.take(tx, viewer).await? {
            return Ok((first, None));
        }
        let done = command.apply(&GlobalStep { tx, viewer }).await?;
        claim.fulfil(tx, viewer, &done.value).await?;
        let action = done.event.as_ref().map(|e| e.action);
        if let Some(event) = done.event {
            record(tx, Some(viewer), event.engagement, event).await?;
        }
        Ok((done.value, action))
    });
    announce(caller, outcome)
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
    let outcome = crate::transaction!(db, |tx| {
        let done = command.apply(tx).await?;
        if let Some(event) = done.event {
            record(tx, None, event.engagement, event).await?;
        }
        Ok(done.value)
    });
    if outcome.is_ok() {
        events::committed();
    }
    outcome
}

/// After a commit: clears what the change made stale in the caller's
/// [`AccessCache`](super::access_cache::AccessCache) (so the next request
/// in this process sees it), and tells the process's event feed (see
/// [`events::committed`]), which tells the other replicas' caches.
fn announce<T>(caller: &Viewer, outcome: Result<(T, Option<Action>)>) -> Result<T> {
    let (value, action) = outcome?;
    if let Some(action) = action {
        caller.cache.changed(action);
    }
    events::committed();
    Ok(value)
}

async fn record(
    tx: &DatabaseTransaction,
    actor: Option<&Viewer>,
    engagement: Option<EngagementId>,
    event: Event,
) -> Result<()> {
    let change =
        audit::Change { engagement, action: event.action, object_id: event.object_id, summary: &event.summary };
    audit::record(tx, actor, change).await?;
    match engagement {
        Some(id) => progress_history::snapshot(tx, id).await,
        None => Ok(()),
    }
}
