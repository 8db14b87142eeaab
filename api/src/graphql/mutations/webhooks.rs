//! `createWebhookEndpoint`, `updateWebhookEndpoint`, `deleteWebhookEndpoint`,
//! `rotateWebhookSecret`, `redeliverWebhookEvent`.

use std::time::Duration;

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use opskit_entity::webhook_endpoint;

use crate::{
    delivery::DeliveryConfig,
    domain::{
        ids::{AuditEventId, EngagementId, WebhookEndpointId},
        redeliver::redeliver,
        webhooks::{self, NewWebhookEndpoint, Rotate, WebhookEndpointChanges},
    },
    error::Error,
    graphql::{
        errors::{UserError, payload},
        ids,
        types::webhook::{DeliveryStatus, WebhookEndpoint},
    },
};

use crate::graphql::context::ContextExt;

#[derive(Default)]
pub struct WebhookMutations;

/// The process's delivery settings (SSRF guard, secret overlap).
fn config<'a>(ctx: &'a Context<'_>) -> Result<&'a DeliveryConfig, Error> {
    ctx.data::<DeliveryConfig>().map_err(|_| Error::internal(anyhow::anyhow!("no delivery settings in the schema")))
}

/// An endpoint to add to an engagement.
#[derive(InputObject)]
pub struct CreateWebhookEndpointInput {
    pub engagement_id: ID,
    /// An http(s) URL on a public address (`URL_NOT_ALLOWED` for loopback,
    /// private and link-local ones unless the server allows them). At most 2000 characters.
    pub url: String,
    /// What it is for. At most 1000 characters.
    pub description: Option<String>,
    /// Dotted event types to send (`activity.completed`); null or empty for
    /// every type. At most 100 items.
    pub event_types: Option<Vec<String>>,
    /// `false` to add it switched off; default `true`.
    #[graphql(default = true)]
    pub enabled: bool,
    /// Makes a retry safe: the same key with the same input within 24 hours
    /// returns the endpoint created first (without its secret) and changes
    /// nothing. At most 100 characters.
    pub idempotency_key: Option<String>,
}

#[derive(SimpleObject)]
pub struct CreateWebhookEndpointPayload {
    pub webhook_endpoint: Option<WebhookEndpoint>,
    /// The signing secret (`whsec_…`), shown this once: store it with the receiver.
    /// Null on a retry answered from its idempotency key.
    pub secret: Option<String>,
    pub user_errors: Vec<UserError>,
}

/// Changes to an endpoint: omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateWebhookEndpointInput {
    pub webhook_endpoint_id: ID,
    /// At most 2000 characters.
    pub url: Option<String>,
    /// Null or blank removes it. At most 1000 characters.
    pub description: MaybeUndefined<String>,
    /// Null or empty: every type. At most 100 items.
    pub event_types: MaybeUndefined<Vec<String>>,
    /// Enabling starts it at the newest event (see `redeliverWebhookEvent` for older ones).
    pub enabled: Option<bool>,
    pub expected_version: Option<i32>,
}

#[derive(SimpleObject)]
pub struct UpdateWebhookEndpointPayload {
    pub webhook_endpoint: Option<WebhookEndpoint>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct DeleteWebhookEndpointInput {
    pub webhook_endpoint_id: ID,
    pub expected_version: Option<i32>,
}

#[derive(SimpleObject)]
pub struct DeleteWebhookEndpointPayload {
    /// The ID of the deleted endpoint.
    pub deleted_webhook_endpoint_id: Option<ID>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct RotateWebhookSecretInput {
    pub webhook_endpoint_id: ID,
    /// How long the old secret keeps signing beside the new one, in seconds
    /// (0 to 604800); the server's default (24 h) when omitted.
    pub overlap_seconds: Option<i32>,
    pub expected_version: Option<i32>,
}

#[derive(SimpleObject)]
pub struct RotateWebhookSecretPayload {
    pub webhook_endpoint: Option<WebhookEndpoint>,
    /// The new signing secret, shown this once.
    pub secret: Option<String>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct RedeliverWebhookEventInput {
    pub webhook_endpoint_id: ID,
    /// An `AuditEvent` of the endpoint's engagement.
    pub event_id: ID,
}

#[derive(SimpleObject)]
pub struct RedeliverWebhookEventPayload {
    /// The delivery's state now (`PENDING`).
    pub status: Option<DeliveryStatus>,
    pub user_errors: Vec<UserError>,
}

fn patch<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

/// Longest overlap a rotation may ask for.
const MAX_OVERLAP_SECONDS: i32 = 7 * 24 * 3600;

#[Object]
impl WebhookMutations {
    /// Adds a webhook endpoint to an engagement (consultants, admins). It
    /// receives the events committed from now on; the payload carries its
    /// secret, which is never shown again.
    async fn create_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        input: CreateWebhookEndpointInput,
    ) -> Result<CreateWebhookEndpointPayload> {
        let new = NewWebhookEndpoint {
            engagement_id: ids::decode::<EngagementId>(&input.engagement_id)?,
            url: input.url,
            description: input.description,
            event_types: input.event_types,
            enabled: input.enabled,
            guard: config(ctx)?.guard,
        };
        let key = input.idempotency_key.as_deref();
        let (created, user_errors) = payload(webhooks::create(ctx.db()?, ctx.viewer()?, new, key).await)?;
        let (webhook_endpoint, secret) = match created {
            Some(c) => (Some(WebhookEndpoint(c.row)), c.secret),
            None => (None, None),
        };
        Ok(CreateWebhookEndpointPayload { webhook_endpoint, secret, user_errors })
    }

    /// Changes an endpoint's URL, description, event types or whether it is
    /// enabled (consultants, admins).
    async fn update_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        input: UpdateWebhookEndpointInput,
    ) -> Result<UpdateWebhookEndpointPayload> {
        let id = ids::decode::<WebhookEndpointId>(&input.webhook_endpoint_id)?;
        let changes = WebhookEndpointChanges {
            url: input.url,
            description: patch(input.description),
            event_types: patch(input.event_types),
            enabled: input.enabled,
            guard: config(ctx)?.guard,
        };
        let result = webhooks::update(ctx.db()?, ctx.viewer()?, id, changes, input.expected_version).await;
        let (endpoint, user_errors) = payload(result)?;
        Ok(UpdateWebhookEndpointPayload { webhook_endpoint: endpoint.map(WebhookEndpoint), user_errors })
    }

    /// Deletes an endpoint and its delivery log (consultants, admins).
    async fn delete_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        input: DeleteWebhookEndpointInput,
    ) -> Result<DeleteWebhookEndpointPayload> {
        let id = ids::decode::<WebhookEndpointId>(&input.webhook_endpoint_id)?;
        let result = webhooks::delete(ctx.db()?, ctx.viewer()?, id, input.expected_version).await;
        let (deleted, user_errors) = payload(result)?;
        let deleted_webhook_endpoint_id = deleted.map(|e| ids::encode(WebhookEndpointId(e.id)));
        Ok(DeleteWebhookEndpointPayload { deleted_webhook_endpoint_id, user_errors })
    }

    /// Gives an endpoint a new signing secret (consultants, admins). During
    /// the overlap every delivery carries two signatures, one per secret.
    async fn rotate_webhook_secret(
        &self,
        ctx: &Context<'_>,
        input: RotateWebhookSecretInput,
    ) -> Result<RotateWebhookSecretPayload> {
        let id = ids::decode::<WebhookEndpointId>(&input.webhook_endpoint_id)?;
        let overlap = match input.overlap_seconds {
            None => config(ctx)?.secret_overlap,
            Some(s) if (0..=MAX_OVERLAP_SECONDS).contains(&s) => Duration::from_secs(u64::try_from(s).unwrap_or(0)),
            Some(_) => {
                return Err(Error::BadUserInput(format!(
                    "`overlapSeconds` must be between 0 and {MAX_OVERLAP_SECONDS}"
                ))
                .into());
            }
        };
        let result = webhooks::rotate(ctx.db()?, ctx.viewer()?, id, Rotate { overlap }, input.expected_version).await;
        let (rotated, user_errors) = payload(result)?;
        let (webhook_endpoint, secret) = match rotated {
            Some(c) => (Some(WebhookEndpoint(c.row)), c.secret),
            None => (None, None),
        };
        Ok(RotateWebhookSecretPayload { webhook_endpoint, secret, user_errors })
    }

    /// Sends one event of the engagement to an endpoint again, with the same
    /// `webhook-id` (consultants, admins); also for an event from before the
    /// endpoint or outside its event types.
    async fn redeliver_webhook_event(
        &self,
        ctx: &Context<'_>,
        input: RedeliverWebhookEventInput,
    ) -> Result<RedeliverWebhookEventPayload> {
        let id = ids::decode::<WebhookEndpointId>(&input.webhook_endpoint_id)?;
        let event_id = ids::decode::<AuditEventId>(&input.event_id)?;
        let result = redeliver::<webhook_endpoint::Model>(ctx.db()?, ctx.viewer()?, id, event_id).await;
        let (queued, user_errors) = payload(result)?;
        Ok(RedeliverWebhookEventPayload { status: queued.map(|d| d.status.into()), user_errors })
    }
}
