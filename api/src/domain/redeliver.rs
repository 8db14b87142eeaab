//! `redeliverWebhookEvent`, `redeliverTrackerUpdate`: consultants (and
//! admins) ask for one event of the engagement to be delivered to a target
//! again — or for the first time, for an event from before the target or
//! outside its filter. It goes out in its turn among the target's deliveries
//! (a webhook with the same `webhook-id`); a tracker connection cancels an
//! event it does not act on.

use std::marker::PhantomData;

use opskit_entity::delivery;
use sea_orm::DatabaseConnection;

use super::{
    Viewer,
    action::Action,
    ids::AuditEventId,
    permissions::Permission,
    write::{self, Command, Done, On, Scope, Step},
};
use crate::{
    delivery::{TargetKind, log},
    error::Result,
};

/// A delivery target as the write path loads it.
pub trait Target: Scope {
    /// Its kind in the delivery log.
    const KIND: TargetKind;
    /// What asking for a redelivery records.
    const ACTION: Action;
    /// Its row's ID.
    fn target_id(&self) -> i64;
    /// The engagement whose events it takes.
    fn engagement(&self) -> i64;
    /// How audit summaries name it.
    fn describe(&self) -> String;
}

/// Send event `event_id` again to a target of type `T`.
pub struct Redeliver<T> {
    event_id: AuditEventId,
    target: PhantomData<fn() -> T>,
}

impl<T: Target> Command for Redeliver<T> {
    type Target = T;
    type Output = delivery::Model;

    fn permission(&self) -> Permission {
        Permission::ManageIntegrations
    }

    async fn apply(&self, step: &Step<'_, T>) -> Result<Done<delivery::Model>> {
        let target = &step.target;
        let (id, engagement) = (target.target_id(), target.engagement());
        let (event, queued) = log::requeue(step.tx, T::KIND, id, engagement, self.event_id.0).await?;
        let summary = format!("asked to deliver event {} ({}) again to {}", event.id, event.action, target.describe());
        Ok(Done::new(queued, T::ACTION, id, summary))
    }
}

/// Queues event `event_id` again for target `id`; returns its delivery.
pub async fn redeliver<T: Target>(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: T::Id,
    event_id: AuditEventId,
) -> Result<delivery::Model> {
    write::run(db, viewer, On::id(id), Redeliver::<T> { event_id, target: PhantomData }).await
}
