//! `updateWebhookEndpoint`: consultants (and admins) change an endpoint's URL,
//! description, event types or whether it is enabled. Enabling an endpoint
//! (again) starts it at the newest event: what happened while it was off is
//! not sent, but any event can be sent with `redeliverWebhookEvent`.

use opskit_entity::webhook_endpoint;
use sea_orm::{ActiveModelTrait, DatabaseConnection, IntoActiveModel};

use super::{describe, event_types, store_types, validation};
use crate::{
    delivery::{Guard, TargetKind, start_cursor},
    domain::{
        Viewer,
        action::Action,
        events,
        ids::WebhookEndpointId,
        permissions::Permission,
        validate::Checks,
        write::{self, Command, Done, On, Step},
    },
    error::Result,
};

/// The fields to change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct WebhookEndpointChanges {
    pub url: Option<String>,
    /// `Some(None)` or a blank text removes it.
    pub description: Option<Option<String>>,
    /// `Some(None)` or an empty list: every type.
    pub event_types: Option<Option<Vec<String>>>,
    pub enabled: Option<bool>,
    pub guard: Guard,
}

impl Command for WebhookEndpointChanges {
    type Target = webhook_endpoint::Model;
    type Output = webhook_endpoint::Model;

    fn permission(&self) -> Permission {
        Permission::ManageIntegrations
    }

    fn validate(&self) -> Result<()> {
        let mut checks = Checks::new();
        if let Some(url) = &self.url {
            let _ = validation::url(&mut checks, url);
        }
        if let Some(description) = &self.description {
            let _ = validation::description(&mut checks, description.as_deref());
        }
        if let Some(types) = &self.event_types {
            let _ = validation::event_types(&mut checks, types.as_deref());
        }
        checks.finish_limits()
    }

    async fn apply(&self, step: &Step<'_, webhook_endpoint::Model>) -> Result<Done<webhook_endpoint::Model>> {
        let before = &step.target;
        let mut checks = Checks::new();
        let mut after = before.clone();
        if let Some(url) = &self.url
            && let Some(url) = validation::url(&mut checks, url)
        {
            if url != before.url {
                validation::target(&mut checks, &self.guard, &url).await;
            }
            after.url = url;
        }
        if let Some(description) = &self.description
            && let Some(description) = validation::description(&mut checks, description.as_deref())
        {
            after.description = description;
        }
        if let Some(types) = &self.event_types
            && let Some(types) = validation::event_types(&mut checks, types.as_deref())
        {
            after.event_types = store_types(types.as_deref());
        }
        if let Some(enabled) = self.enabled {
            after.enabled = enabled;
            if enabled {
                after.disabled_reason = None;
            }
        }
        checks.finish()?;
        let mut changed: Vec<&str> = Vec::new();
        if after.url != before.url {
            changed.push("url");
        }
        if after.description != before.description {
            changed.push("description");
        }
        if event_types(&after) != event_types(before) {
            changed.push("eventTypes");
        }
        if after.enabled != before.enabled {
            changed.push(if after.enabled { "enabled" } else { "disabled" });
        }
        if changed.is_empty() {
            return Ok(Done::unchanged(before.clone()));
        }
        if after.enabled && !before.enabled {
            let head = events::head(step.tx).await?;
            start_cursor(step.tx, TargetKind::Webhook, before.id, head).await?;
        }
        let saved = step.save(after.into_active_model().reset_all()).await?;
        let summary = format!("updated {}: {}", describe(&saved), changed.join(", "));
        Ok(Done::saved(saved, Action::WebhookEndpointUpdated, summary))
    }
}

/// Applies `changes`; a request that changes nothing writes nothing.
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: WebhookEndpointId,
    changes: WebhookEndpointChanges,
    expected_version: Option<i32>,
) -> Result<webhook_endpoint::Model> {
    write::run(db, viewer, On::versioned(id, expected_version), changes).await
}
