//! Webhook endpoints and their delivery log.

use async_graphql::{Context, Enum, ID, MergedObject, Object, Result};
use chrono::{DateTime, Utc};
use opskit_entity::{delivery_attempt, enums, webhook_endpoint};

use super::{audit_event::AuditEvent, engagement::Engagement, user::User};
use crate::{
    delivery::DeliveryLog,
    domain::{
        ids::WebhookEndpointId,
        page::PageArgs,
        webhooks::{self, target::message_id},
    },
    graphql::{
        connection::{Conn, connection, cost},
        context::ContextExt,
        ids,
        loaders::one,
    },
};

/// A page of webhook endpoints.
pub type WebhookEndpointConnection = Conn<WebhookEndpoint>;
/// A page of the delivery log.
pub type WebhookDeliveryConnection = Conn<WebhookDelivery>;

/// Where an engagement's events are POSTed, signed per Standard Webhooks 1.0.
/// Its secret is shown only by `createWebhookEndpoint` and `rotateWebhookSecret`.
pub struct WebhookEndpoint(pub webhook_endpoint::Model);

#[Object]
impl WebhookEndpoint {
    pub async fn id(&self) -> ID {
        ids::encode(WebhookEndpointId(self.0.id))
    }
    /// Where events are POSTed.
    async fn url(&self) -> &str {
        &self.0.url
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// The dotted event types it receives (`runbook.baselined`); null for every type.
    async fn event_types(&self) -> Option<Vec<String>> {
        webhooks::event_types(&self.0)
    }
    /// Whether events are sent to it. opskit switches off an endpoint that
    /// failed for a day (see `disabledReason`).
    async fn enabled(&self) -> bool {
        self.0.enabled
    }
    /// Why opskit disabled it; null when enabled or switched off by a person.
    async fn disabled_reason(&self) -> Option<&str> {
        self.0.disabled_reason.as_deref()
    }
    /// Until when the secret before the last rotation still signs too.
    async fn previous_secret_expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.previous_secret_expires_at.filter(|at| *at > Utc::now())
    }
    async fn created_by(&self, ctx: &Context<'_>) -> Result<User> {
        Ok(User(one(&ctx.loaders()?.user, self.0.created_by, "user").await?))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Increases with every change; pass it as `expectedVersion` to detect concurrent edits.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn engagement(&self, ctx: &Context<'_>) -> Result<Engagement> {
        Ok(Engagement(one(&ctx.loaders()?.engagement, self.0.engagement_id, "engagement").await?))
    }
    /// The delivery log: one entry per event sent (or to send), newest event
    /// first, each with its attempts.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(desc = "Only deliveries in one of these states.")] status: Option<Vec<DeliveryStatus>>,
        order_by: Option<super::order::ChronologicalOrder>,
    ) -> Result<WebhookDeliveryConnection> {
        let status = status.map(|s| s.into_iter().map(Into::into).collect());
        let descending = super::order::newest_first(order_by, true);
        let args = PageArgs { first, after, last, before };
        let page = webhooks::deliveries(ctx.db()?, &self.0, status, descending, &args).await?;
        let endpoint = self.0.id;
        Ok(connection(page, |log| WebhookDelivery::new(endpoint, log)))
    }
}

/// Where one delivery stands (to a webhook endpoint or a tracker connection).
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum DeliveryStatus {
    /// Waiting for its first attempt or a retry (`nextAttemptAt`).
    Pending,
    /// The endpoint answered 2xx.
    Succeeded,
    /// Given up: refused for good (a 4xx but 408 and 429, a target not
    /// allowed) or failing for longer than retries last.
    Failed,
    /// Not sent: the endpoint was disabled before its turn (or the tracker
    /// connection had nothing to move: the change came from the tracker, or
    /// the activity is not linked to one of its tickets).
    Cancelled,
}

impl From<DeliveryStatus> for enums::DeliveryStatus {
    fn from(s: DeliveryStatus) -> Self {
        match s {
            DeliveryStatus::Pending => Self::Pending,
            DeliveryStatus::Succeeded => Self::Succeeded,
            DeliveryStatus::Failed => Self::Failed,
            DeliveryStatus::Cancelled => Self::Cancelled,
        }
    }
}

impl From<enums::DeliveryStatus> for DeliveryStatus {
    fn from(s: enums::DeliveryStatus) -> Self {
        match s {
            enums::DeliveryStatus::Pending => Self::Pending,
            enums::DeliveryStatus::Succeeded => Self::Succeeded,
            enums::DeliveryStatus::Failed => Self::Failed,
            enums::DeliveryStatus::Cancelled => Self::Cancelled,
        }
    }
}

/// What one attempt came to.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum AttemptOutcome {
    /// A 2xx answer.
    Succeeded,
    /// A timeout, a connection error, a 5xx, a 408 or a 429: tried again later.
    Retry,
    /// Refused for good, or the last retry.
    Failed,
}

impl From<enums::AttemptOutcome> for AttemptOutcome {
    fn from(o: enums::AttemptOutcome) -> Self {
        match o {
            enums::AttemptOutcome::Succeeded => Self::Succeeded,
            enums::AttemptOutcome::Retry => Self::Retry,
            enums::AttemptOutcome::Failed => Self::Failed,
        }
    }
}

/// One event for one endpoint, with its attempts.
#[derive(MergedObject)]
pub struct WebhookDelivery(WebhookMessage, DeliveryFields);

impl WebhookDelivery {
    fn new(endpoint: i64, log: DeliveryLog) -> Self {
        Self(WebhookMessage { endpoint, event: log.delivery.event_id }, DeliveryFields(log))
    }
}

/// The Standard Webhooks message a webhook delivery sends.
pub struct WebhookMessage {
    endpoint: i64,
    event: i64,
}

#[Object]
impl WebhookMessage {
    /// The `webhook-id` header: the same at every attempt and redelivery.
    async fn webhook_id(&self) -> String {
        message_id(self.endpoint, self.event)
    }
}

/// What every delivery shows, whatever its target: the event, where it
/// stands, and every attempt (webhook endpoints and tracker connections).
pub struct DeliveryFields(pub DeliveryLog);

#[Object]
impl DeliveryFields {
    /// The event delivered.
    async fn event(&self) -> Option<AuditEvent> {
        self.0.event.clone().map(AuditEvent)
    }
    /// Its dotted type (`runbook.baselined`).
    async fn event_type(&self) -> Option<&str> {
        self.0.event.as_ref().map(|e| e.action.as_str())
    }
    /// The event's position in the event log.
    async fn position(&self) -> String {
        self.0.delivery.event_id.to_string()
    }
    async fn status(&self) -> DeliveryStatus {
        self.0.delivery.status.into()
    }
    /// When the next attempt is due; null unless pending.
    async fn next_attempt_at(&self) -> Option<DateTime<Utc>> {
        self.0.delivery.next_attempt_at.filter(|_| self.0.delivery.status == enums::DeliveryStatus::Pending)
    }
    /// The HTTP status of the last answer.
    async fn last_http_status(&self) -> Option<i32> {
        self.0.delivery.last_http_status
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.delivery.created_at
    }
    async fn succeeded_at(&self) -> Option<DateTime<Utc>> {
        self.0.delivery.succeeded_at
    }
    /// Every attempt, oldest first.
    async fn attempts(&self) -> Vec<WebhookAttempt> {
        self.0.attempts.iter().cloned().map(WebhookAttempt).collect()
    }
}

/// One attempt at a delivery (to a webhook endpoint or a tracker connection).
pub struct WebhookAttempt(delivery_attempt::Model);

#[Object]
impl WebhookAttempt {
    /// 1 for the first attempt.
    async fn number(&self) -> i32 {
        self.0.number
    }
    async fn attempted_at(&self) -> DateTime<Utc> {
        self.0.attempted_at
    }
    async fn outcome(&self) -> AttemptOutcome {
        self.0.outcome.into()
    }
    /// The answer's HTTP status; null without an answer (see `error`).
    async fn http_status(&self) -> Option<i32> {
        self.0.http_status
    }
    /// From sending the request to the end of the answer, in milliseconds.
    async fn latency_ms(&self) -> i32 {
        i32::try_from(self.0.duration_ms).unwrap_or(i32::MAX)
    }
    /// Why there was no answer: a timeout, a connection error, a target not allowed.
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }
    /// The start of the answer's body (at most 4 KiB).
    async fn response_excerpt(&self) -> Option<&str> {
        self.0.response_excerpt.as_deref()
    }
}
