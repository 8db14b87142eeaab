//! `revokeApiKey`: the key stops working at once (its next request is
//! `UNAUTHENTICATED`, its live subscriptions end); it stays listed, revoked.

use chrono::Utc;
use opskit_entity::api_key;
use sea_orm::{DatabaseConnection, Set};

use crate::{
    domain::{
        Viewer,
        action::Action,
        ids::ApiKeyId,
        permissions::Permission,
        write::{self, Command, Done, On, Step},
    },
    error::Result,
};

/// Revoking one key.
#[derive(Debug, Clone, Copy)]
struct Revoke;

impl Command for Revoke {
    type Target = api_key::Model;
    type Output = api_key::Model;

    fn permission(&self) -> Permission {
        Permission::ManageIntegrations
    }

    /// A closed engagement's keys may still be revoked: taking access away is always allowed.
    fn runs_on_closed(&self) -> bool {
        true
    }

    async fn apply(&self, step: &Step<'_, api_key::Model>) -> Result<Done<api_key::Model>> {
        if step.target.revoked_at.is_some() {
            return Ok(Done::unchanged(step.target.clone()));
        }
        let changes = api_key::ActiveModel {
            revoked_at: Set(Some(Utc::now())),
            revoked_by: Set(Some(step.viewer.user_id.0)),
            ..Default::default()
        };
        let saved = step.save(changes).await?;
        let summary = format!("revoked the API key \"{}\" ({}…)", saved.name, saved.prefix);
        Ok(Done::saved(saved, Action::ApiKeyRevoked, summary))
    }
}

/// Revokes a key; revoking a revoked key changes nothing.
pub async fn revoke(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: ApiKeyId,
    expected_version: Option<i32>,
) -> Result<api_key::Model> {
    write::run(db, viewer, On::versioned(id, expected_version), Revoke).await
}
