//! The kinds of targets. Adding one is a variant of [`TargetKind`] and an arm
//! in each function here, calling the kind's own module.

use opskit_entity::{audit_event, delivery};
use sea_orm::DatabaseConnection;

use super::{DeliveryConfig, Request, TargetKind};
use crate::{
    domain::{ids::EngagementId, webhooks},
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

/// The targets of `kind` that take events now.
pub async fn sources(db: &DatabaseConnection, kind: TargetKind) -> Result<Vec<Source>> {
    match kind {
        TargetKind::Webhook => webhooks::target::sources(db).await,
    }
}

/// The request that delivers `event` for `delivery`; `None` when the target
/// is gone or no longer takes events (the delivery is cancelled).
pub async fn request(
    db: &DatabaseConnection,
    delivery: &delivery::Model,
    event: &audit_event::Model,
) -> Result<Option<Request>> {
    match delivery.target_kind {
        TargetKind::Webhook => webhooks::target::request(db, delivery, event).await,
    }
}

/// The target of `delivery` has failed for longer than retries last.
pub async fn gave_up(db: &DatabaseConnection, config: &DeliveryConfig, delivery: &delivery::Model) -> Result<()> {
    match delivery.target_kind {
        TargetKind::Webhook => webhooks::target::gave_up(db, config, delivery).await,
    }
}
