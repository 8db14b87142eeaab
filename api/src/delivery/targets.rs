//! The kinds of targets. Adding one is a variant of [`TargetKind`] and an arm
//! in each function here, calling the kind's own module.

use opskit_entity::{audit_event, delivery};
use sea_orm::DatabaseConnection;

use super::{Answer, DeliveryConfig, Request, Sender, TargetKind};
use crate::{
    domain::{ids::EngagementId, trackers::outbound, webhooks},
    error::Result,
};

/// A target that takes events, and which ones.
#[derive(Debug, Clone)]
pub struct Source {
    pub target_id: i64,
    /// Its cursor: events after this position are still to consider.
    pub position: i64,
    /// Only this engagement's events; `None` for all.
    pub engagement: Option<EngagementId>,
    /// Only these dotted types; `None` for all.
    pub types: Option<Vec<String>>,
}

/// What a target makes of one delivery.
#[derive(Debug, Clone)]
pub enum Prepared {
    /// This request delivers it.
    Send(Request),
    /// Nothing to send: the target is gone, disabled, or does not take this event after all.
    Cancel,
    /// A request the target made to prepare it (a lookup) got this answer:
    /// recorded as the attempt, and retried or given up like one.
    Failed(Answer),
}

/// The targets of `kind` that take events now.
pub async fn sources(db: &DatabaseConnection, kind: TargetKind) -> Result<Vec<Source>> {
    match kind {
        TargetKind::Webhook => webhooks::target::sources(db).await,
        TargetKind::TrackerConnection => outbound::sources(db).await,
    }
}

/// What delivers `event` for `delivery`; a target may look things up through `sender` first.
pub async fn request(
    db: &DatabaseConnection,
    sender: &Sender,
    delivery: &delivery::Model,
    event: &audit_event::Model,
) -> Result<Prepared> {
    match delivery.target_kind {
        TargetKind::Webhook => {
            Ok(webhooks::target::request(db, delivery, event).await?.map_or(Prepared::Cancel, Prepared::Send))
        }
        TargetKind::TrackerConnection => outbound::request(db, sender, delivery, event).await,
    }
}

/// The target of `delivery` has failed for longer than retries last.
pub async fn gave_up(db: &DatabaseConnection, config: &DeliveryConfig, delivery: &delivery::Model) -> Result<()> {
    match delivery.target_kind {
        TargetKind::Webhook => webhooks::target::gave_up(db, config, delivery).await,
        TargetKind::TrackerConnection => outbound::gave_up(db, delivery).await,
    }
}
