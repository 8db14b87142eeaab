//! `rotateWebhookSecret`: a new signing secret, returned once. The old one
//! keeps signing beside it for the overlap (24 h unless configured or asked
//! otherwise), so receivers can switch without missing a delivery.

use std::time::Duration;

use chrono::Utc;
use opskit_entity::webhook_endpoint;
use sea_orm::{ActiveModelTrait, DatabaseConnection, IntoActiveModel};

use super::{EndpointSecret, describe, open_secret, seal_secret, signature};
use crate::{
    domain::{
        Viewer,
        action::Action,
        ids::WebhookEndpointId,
        permissions::Permission,
        write::{self, Command, Done, On, Step},
    },
    error::{Error, Result},
};

/// A rotation, with how long the old secret keeps signing.
#[derive(Debug, Clone, Copy)]
pub struct Rotate {
    pub overlap: Duration,
}

impl Command for Rotate {
    type Target = webhook_endpoint::Model;
    type Output = EndpointSecret;

    fn permission(&self) -> Permission {
        Permission::ManageIntegrations
    }

    async fn apply(&self, step: &Step<'_, webhook_endpoint::Model>) -> Result<Done<EndpointSecret>> {
        let before = &step.target;
        let secret = signature::new_secret();
        let overlap = chrono::Duration::from_std(self.overlap).map_err(Error::internal)?;
        // Sealed afresh: a secret stored before secrets were sealed is sealed now.
        let previous = match self.overlap.is_zero() {
            true => None,
            false => Some(seal_secret(&open_secret(&before.secret)?)?),
        };
        let after = webhook_endpoint::Model {
            secret: seal_secret(&secret)?,
            previous_secret: previous,
            previous_secret_expires_at: (!self.overlap.is_zero()).then(|| Utc::now() + overlap),
            ..before.clone()
        };
        let saved = step.save(after.into_active_model().reset_all()).await?;
        let summary = format!("rotated the secret of {}", describe(&saved));
        let id = saved.id;
        let rotated = EndpointSecret { row: saved, secret: Some(secret) };
        Ok(Done::new(rotated, Action::WebhookSecretRotated, id, summary))
    }
}

/// Rotates an endpoint's secret.
pub async fn rotate(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: WebhookEndpointId,
    rotate: Rotate,
    expected_version: Option<i32>,
) -> Result<EndpointSecret> {
    write::run(db, viewer, On::versioned(id, expected_version), rotate).await
}
