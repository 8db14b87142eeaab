//! `redeliverWebhookEvent`: consultants (and admins) ask for one event of the
//! engagement to be sent to an endpoint again (or for the first time, for an
//! event from before the endpoint or outside its filter). It goes out with
//! the same `webhook-id`, in its turn among the endpoint's deliveries.

use chrono::Utc;
use opskit_entity::{audit_event, delivery, enums::DeliveryStatus, webhook_endpoint};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::describe;
use crate::{
    delivery::{TargetKind, new_delivery},
    domain::{
        Viewer,
        action::Action,
        ids::{AuditEventId, WebhookEndpointId},
        permissions::Permission,
        write::{self, Command, Done, On, Step},
    },
    error::{Code, Error, Result},
};

/// Which event to send again.
#[derive(Debug, Clone, Copy)]
pub struct Redeliver {
    pub event_id: AuditEventId,
}

impl Command for Redeliver {
    type Target = webhook_endpoint::Model;
    type Output = delivery::Model;

    fn permission(&self) -> Permission {
        Permission::ManageIntegrations
    }

    async fn apply(&self, step: &Step<'_, webhook_endpoint::Model>) -> Result<Done<delivery::Model>> {
        let endpoint = &step.target;
        let event = audit_event::Entity::find_by_id(self.event_id.0)
            .one(step.tx)
            .await?
            .filter(|e| e.engagement_id == Some(endpoint.engagement_id))
            .ok_or_else(|| Error::user("eventId", Code::NotFound, "no such event in this engagement"))?;
        let now = Utc::now();
        let existing = delivery::Entity::find()
            .filter(delivery::Column::TargetKind.eq(TargetKind::Webhook))
            .filter(delivery::Column::TargetId.eq(endpoint.id))
            .filter(delivery::Column::EventId.eq(event.id))
            .one(step.tx)
            .await?;
        let queued = match existing {
            Some(found) => {
                delivery::ActiveModel {
                    id: Set(found.id),
                    status: Set(DeliveryStatus::Pending),
                    next_attempt_at: Set(Some(now)),
                    failing_since: Set(None),
                    ..Default::default()
                }
                .update(step.tx)
                .await?
            }
            None => new_delivery(TargetKind::Webhook, endpoint.id, &event, now).insert(step.tx).await?,
        };
        let summary = format!("asked to deliver event {} ({}) again to {}", event.id, event.action, describe(endpoint));
        Ok(Done::new(queued, Action::WebhookRedeliveryRequested, endpoint.id, summary))
    }
}

/// Queues the event again for the endpoint; returns its delivery.
pub async fn redeliver(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: WebhookEndpointId,
    what: Redeliver,
) -> Result<delivery::Model> {
    write::run(db, viewer, On::id(id), what).await
}
