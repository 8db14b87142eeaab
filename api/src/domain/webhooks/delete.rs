//! `deleteWebhookEndpoint`: consultants (and admins) remove an endpoint with
//! its delivery log; deliveries not yet made are dropped.

use opskit_entity::webhook_endpoint;
use sea_orm::{DatabaseConnection, ModelTrait};

use super::describe;
use crate::{
    delivery::{TargetKind, log},
    domain::{
        Viewer,
        action::Action,
        ids::WebhookEndpointId,
        permissions::Permission,
        write::{self, Command, Done, On, Step},
    },
    error::Result,
};

struct Delete;

impl Command for Delete {
    type Target = webhook_endpoint::Model;
    type Output = webhook_endpoint::Model;

    fn permission(&self) -> Permission {
        Permission::ManageIntegrations
    }

    async fn apply(&self, step: &Step<'_, webhook_endpoint::Model>) -> Result<Done<webhook_endpoint::Model>> {
        let endpoint = step.target.clone();
        log::forget(step.tx, TargetKind::Webhook, endpoint.id).await?;
        endpoint.clone().delete(step.tx).await?;
        let summary = format!("deleted {}", describe(&endpoint));
        let id = endpoint.id;
        Ok(Done::new(endpoint, Action::WebhookEndpointDeleted, id, summary))
    }
}

/// Deletes an endpoint; returns it as it was.
pub async fn delete(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: WebhookEndpointId,
    expected_version: Option<i32>,
) -> Result<webhook_endpoint::Model> {
    write::run(db, viewer, On::versioned(id, expected_version), Delete).await
}
