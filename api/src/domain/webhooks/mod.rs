//! Outbound webhooks (Standard Webhooks 1.0): endpoints of an engagement that
//! receive its events, signed with the endpoint's `whsec_` secret, through the
//! delivery machinery ([`crate::delivery`]). Consultants and admins manage
//! them (`ManageIntegrations`); everybody in the engagement may read them but
//! never their secrets, which are shown once, when made.

mod create;
mod delete;
mod read;
mod redeliver;
mod rotate;
pub mod signature;
pub mod target;
mod update;
mod validation;

pub use create::{Created, NewWebhookEndpoint, create};
pub use delete::delete;
pub use read::{DeliveryLog, attempts_of, deliveries, get, list};
pub use redeliver::{Redeliver, redeliver};
pub use rotate::{Rotate, rotate};
pub use update::{WebhookEndpointChanges, update};
pub use validation::{MAX_DESCRIPTION, MAX_ENDPOINTS, MAX_EVENT_TYPES};

use opskit_entity::webhook_endpoint;

use crate::domain::ids::WebhookEndpointId;

crate::scoped!(opskit_entity::webhook_endpoint::Model, webhook_endpoint, WebhookEndpointId, "webhook endpoint",
    updated_at: Some(opskit_entity::webhook_endpoint::Column::UpdatedAt));

/// The event types an endpoint takes; `None` for every type.
pub fn event_types(endpoint: &webhook_endpoint::Model) -> Option<Vec<String>> {
    endpoint.event_types.as_deref().and_then(|json| serde_json::from_str(json).ok())
}

/// The stored form of an event-type filter.
fn store_types(types: Option<&[String]>) -> Option<String> {
    types.map(|t| serde_json::to_string(t).unwrap_or_else(|_| "[]".to_owned()))
}

/// `<url>`, for audit summaries (the secret is never in one).
fn describe(endpoint: &webhook_endpoint::Model) -> String {
    format!("webhook endpoint {}", endpoint.url)
}
