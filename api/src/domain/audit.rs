//! The one place a change is recorded: every mutation calls [`record`] inside
//! its transaction, so the audit trail (and, later, subscriptions and webhooks
//! fed from it) never misses or invents a change.

use chrono::Utc;
use opskit_entity::audit_event;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use super::{Viewer, access::Access, action::Action, ids::EngagementId};
use crate::error::Result;

/// One change to record.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub engagement: Option<EngagementId>,
    /// What was done; its kind of object is the changed object's type.
    pub action: Action,
    pub object_id: i64,
    pub summary: &'a str,
}

/// Writes the audit event for `change`, made by `actor`, in the caller's transaction.
pub async fn record<C: ConnectionTrait>(tx: &C, actor: Option<&Viewer>, change: Change<'_>) -> Result<()> {
    audit_event::ActiveModel {
        engagement_id: Set(change.engagement.map(|e| e.0)),
        actor_id: Set(actor.map(|v| v.user_id.0)),
        action: Set(change.action.name().to_owned()),
        object_type: Set(change.action.object().name().to_owned()),
        object_id: Set(change.object_id),
        summary: Set(change.summary.to_owned()),
        occurred_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    // The summary carries customer text: debug only.
    tracing::debug!(
        action = change.action.name(),
        object = change.action.object().name(),
        id = change.object_id,
        "{}",
        change.summary
    );
    Ok(())
}

/// Records a change to an object inside the engagement of `access`.
pub async fn record_in<C: ConnectionTrait>(
    tx: &C,
    viewer: &Viewer,
    access: &Access,
    action: Action,
    object_id: i64,
    summary: &str,
) -> Result<()> {
    let change = Change { engagement: Some(access.engagement_id()), action, object_id, summary };
    record(tx, Some(viewer), change).await
}
