//! Outbound webhooks (Standard Webhooks 1.0): endpoints of an engagement that
//! receive its events, signed with the endpoint's `whsec_` secret, through the
//! delivery machinery ([`crate::delivery`]). Consultants and admins manage
//! them (`ManageIntegrations`); everybody in the engagement may read them but
//! never their secrets, which are shown once, when made, and stored sealed.

mod create;
mod delete;
mod read;
mod rotate;
pub mod signature;
pub mod target;
mod update;
mod validation;

pub use create::{EndpointSecret, NewWebhookEndpoint, create};
pub use delete::delete;
pub use read::{deliveries, get, list};
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

impl crate::domain::redeliver::Target for webhook_endpoint::Model {
    const KIND: crate::delivery::TargetKind = crate::delivery::TargetKind::Webhook;
    const ACTION: crate::domain::action::Action = crate::domain::action::Action::WebhookRedeliveryRequested;
    fn target_id(&self) -> i64 {
        self.id
    }
    fn engagement(&self) -> i64 {
        self.engagement_id
    }
    fn describe(&self) -> String {
        describe(self)
    }
}

/// The sealing purpose of a signing secret (current and previous).
const SECRET: &str = "webhook_endpoint.secret";

/// A signing secret as stored: sealed ([`crate::secrets`]).
fn seal_secret(plain: &str) -> crate::error::Result<String> {
    crate::secrets::seal_text(SECRET, plain)
}

/// The signing secret of a stored value. Rows written before secrets were
/// sealed hold it plain (`whsec_…`): both are read, so no migration has to
/// know the server's key; each such row is sealed when its secret rotates.
pub fn open_secret(stored: &str) -> crate::error::Result<String> {
    if stored.starts_with(signature::PREFIX) {
        return Ok(stored.to_owned());
    }
    crate::secrets::open_text(SECRET, stored)
}

/// `<url>`, for audit summaries (the secret is never in one).
fn describe(endpoint: &webhook_endpoint::Model) -> String {
    format!("webhook endpoint {}", endpoint.url)
}
