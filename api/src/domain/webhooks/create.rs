//! `createWebhookEndpoint`: consultants (and admins) add an endpoint to an
//! engagement. It receives the events committed after it, and its signing
//! secret is returned this once.

use chrono::Utc;
use opskit_entity::{engagement, webhook_endpoint};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set};

use super::{describe, seal_secret, signature, store_types, validation};
use crate::{
    delivery::{Guard, TargetKind, start_cursor},
    domain::{
        Viewer,
        access::lock_engagement,
        action::Action,
        events,
        ids::EngagementId,
        permissions::Permission,
        validate::Checks,
        write::{self, Command, Done, On, Step, WithSecret},
    },
    error::{Code, Result},
};

/// What a caller asks for.
#[derive(Debug, Clone)]
pub struct NewWebhookEndpoint {
    pub engagement_id: EngagementId,
    pub url: String,
    pub description: Option<String>,
    /// Only these event types; `None` or empty for all.
    pub event_types: Option<Vec<String>>,
    /// `false` to add it switched off.
    pub enabled: bool,
    /// Which targets are allowed.
    pub guard: Guard,
}

/// An endpoint with its new secret, shown once: made or rotated just now.
pub type EndpointSecret = WithSecret<webhook_endpoint::Model>;

impl Command for NewWebhookEndpoint {
    type Target = engagement::Model;
    type Output = EndpointSecret;

    fn permission(&self) -> Permission {
        Permission::ManageIntegrations
    }

    fn validate(&self) -> Result<()> {
        let mut checks = Checks::new();
        let _ = validation::url(&mut checks, &self.url);
        let _ = validation::description(&mut checks, self.description.as_deref());
        let _ = validation::event_types(&mut checks, self.event_types.as_deref());
        checks.finish_limits()
    }

    async fn apply(&self, step: &Step<'_, engagement::Model>) -> Result<Done<EndpointSecret>> {
        lock_engagement(step.tx, step.engagement_id()).await?;
        let mut checks = Checks::new();
        let url = validation::url(&mut checks, &self.url);
        if let Some(url) = &url {
            validation::target(&mut checks, &self.guard, url).await;
        }
        let description = validation::description(&mut checks, self.description.as_deref());
        let types = validation::event_types(&mut checks, self.event_types.as_deref());
        let existing = webhook_endpoint::Entity::find()
            .filter(webhook_endpoint::Column::EngagementId.eq(step.target.id))
            .count(step.tx)
            .await?;
        if existing >= validation::MAX_ENDPOINTS as u64 {
            let most = validation::MAX_ENDPOINTS;
            checks.push(
                "engagementId",
                Code::LimitReached,
                format!("an engagement has at most {most} webhook endpoints"),
            );
        }
        let (url, (description, types)) = checks.done(url.zip(description.zip(types)))?;

        let now = Utc::now();
        let secret = signature::new_secret();
        let endpoint = webhook_endpoint::ActiveModel {
            engagement_id: Set(step.target.id),
            url: Set(url),
            description: Set(description),
            event_types: Set(store_types(types.as_deref())),
            enabled: Set(self.enabled),
            disabled_reason: Set(None),
            secret: Set(seal_secret(&secret)?),
            previous_secret: Set(None),
            previous_secret_expires_at: Set(None),
            created_by: Set(step.viewer.user_id.0),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(step.tx)
        .await?;
        // It takes the events after this one's own, which it receives too.
        let head = events::head(step.tx).await?;
        start_cursor(step.tx, TargetKind::Webhook, endpoint.id, head).await?;
        let summary = format!("added {}", describe(&endpoint));
        let id = endpoint.id;
        let created = EndpointSecret { row: endpoint, secret: Some(secret) };
        Ok(Done::new(created, Action::WebhookEndpointCreated, id, summary))
    }
}

/// Adds a webhook endpoint, with its audit event; with an idempotency `key`,
/// a retry returns it again (without the secret).
pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewWebhookEndpoint,
    idempotency_key: Option<&str>,
) -> Result<EndpointSecret> {
    write::run_once(db, viewer, On::id(input.engagement_id), input, idempotency_key).await
}
