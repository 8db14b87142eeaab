//! Webhook endpoints as delivery targets: which events each takes, the
//! signed Standard Webhooks request for one, and disabling an endpoint that
//! failed for longer than retries last.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{SecondsFormat, Utc};
use opskit_entity::{audit_event, delivery, delivery_cursor, webhook_endpoint};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::{describe, event_types, open_secret, signature};
use crate::{
    delivery::{DeliveryConfig, Request, Source, TargetKind},
    domain::{
        action::Action,
        ids::{EngagementId, Kind},
        write::{self, Done, SystemCommand},
    },
    error::{Error, Result},
    opaque,
};

/// The enabled endpoints, with their cursors and filters.
pub async fn sources(db: &DatabaseConnection) -> Result<Vec<Source>> {
    let endpoints = webhook_endpoint::Entity::find().filter(webhook_endpoint::Column::Enabled.eq(true)).all(db).await?;
    if endpoints.is_empty() {
        return Ok(Vec::new());
    }
    let cursors = delivery_cursor::Entity::find()
        .filter(delivery_cursor::Column::TargetKind.eq(TargetKind::Webhook))
        .filter(delivery_cursor::Column::TargetId.is_in(endpoints.iter().map(|e| e.id)))
        .all(db)
        .await?;
    Ok(endpoints
        .iter()
        .filter_map(|e| {
            let cursor = cursors.iter().find(|c| c.target_id == e.id)?;
            Some(Source {
                target_id: e.id,
                position: cursor.position,
                engagement: Some(EngagementId(e.engagement_id)),
                types: event_types(e),
            })
        })
        .collect())
}

/// The `webhook-id` of `event` for `endpoint`: the same at every attempt and
/// redelivery, different for every other pair.
pub fn message_id(endpoint_id: i64, event_id: i64) -> String {
    let digest = Sha256::digest(format!("opskit-webhook:{endpoint_id}:{event_id}").as_bytes());
    format!("msg_{}", URL_SAFE_NO_PAD.encode(&digest[..16]))
}

/// A global ID as the API shows it.
fn global_id(kind: Kind, raw: i64) -> String {
    URL_SAFE_NO_PAD.encode(opaque::key().seal(kind, raw))
}

/// The JSON body of `event`: `type`, `timestamp`, and `data`.
pub fn payload(event: &audit_event::Model) -> serde_json::Value {
    let object = Kind::parse(&event.object_type).map(|kind| global_id(kind, event.object_id));
    json!({
        "type": event.action,
        "timestamp": event.occurred_at.to_rfc3339_opts(SecondsFormat::Millis, true),
        "data": {
            "position": event.id,
            "event": global_id(Kind::AuditEvent, event.id),
            "engagement": event.engagement_id.map(|id| global_id(Kind::Engagement, id)),
            "objectType": event.object_type,
            "object": object,
            "actor": event.actor_id.map(|id| global_id(Kind::User, id)),
            "summary": event.summary,
        }
    })
}

/// The signed request delivering `event`; `None` when the endpoint is gone or disabled.
pub async fn request(
    db: &DatabaseConnection,
    delivery: &delivery::Model,
    event: &audit_event::Model,
) -> Result<Option<Request>> {
    let Some(endpoint) = webhook_endpoint::Entity::find_by_id(delivery.target_id).one(db).await? else {
        return Ok(None);
    };
    if !endpoint.enabled {
        return Ok(None);
    }
    let body = serde_json::to_vec(&payload(event)).map_err(Error::internal)?;
    let id = message_id(endpoint.id, event.id);
    let now = Utc::now();
    let timestamp = now.timestamp();
    let previous = endpoint
        .previous_secret
        .as_deref()
        .filter(|_| endpoint.previous_secret_expires_at.is_some_and(|until| until > now))
        .map(open_secret)
        .transpose()?;
    let current = open_secret(&endpoint.secret)?;
    let secrets = std::iter::once(current.as_str()).chain(previous.as_deref());
    let signature = signature::header(secrets, &id, timestamp, &body);
    Ok(Some(Request {
        method: reqwest::Method::POST,
        url: endpoint.url,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("webhook-id".into(), id),
            ("webhook-timestamp".into(), timestamp.to_string()),
            ("webhook-signature".into(), signature),
        ],
        body,
    }))
}

/// Disables the endpoint of `delivery`, which failed for longer than
/// retries last, with a `webhook_endpoint.disabled` event.
pub async fn gave_up(db: &DatabaseConnection, config: &DeliveryConfig, delivery: &delivery::Model) -> Result<()> {
    let hours = config.schedule.give_up_after.as_secs_f64() / 3600.0;
    let reason = format!("deliveries failed for {hours:.1} h; enable it again once the receiver is fixed");
    write::run_system(db, Disable { endpoint_id: delivery.target_id, reason }).await
}

struct Disable {
    endpoint_id: i64,
    reason: String,
}

impl SystemCommand for Disable {
    type Output = ();

    async fn apply(&self, tx: &DatabaseTransaction) -> Result<Done<()>> {
        let Some(before) = webhook_endpoint::Entity::find_by_id(self.endpoint_id).one(tx).await? else {
            return Ok(Done::unchanged(()));
        };
        if !before.enabled {
            return Ok(Done::unchanged(()));
        }
        let after =
            webhook_endpoint::Model { enabled: false, disabled_reason: Some(self.reason.clone()), ..before.clone() };
        let saved = write::update(tx, &before, after.into_active_model().reset_all()).await?;
        let summary = format!("disabled {}: {}", describe(&saved), self.reason);
        Ok(Done::new((), Action::WebhookEndpointDisabled, saved.id, summary)
            .in_engagement(EngagementId(saved.engagement_id)))
    }
}
