//! `createApiKey`, `revokeApiKey`.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use crate::{
    domain::{
        api_keys::{self, NewApiKey},
        ids::{ApiKeyId, EngagementId},
    },
    graphql::{
        context::ContextExt,
        errors::{UserError, payload},
        ids,
        types::{api_key::ApiKey, enums::ApiKeyRole},
    },
};

#[derive(Default)]
pub struct ApiKeyMutations;

/// A machine's access to one engagement.
#[derive(InputObject)]
pub struct CreateApiKeyInput {
    pub engagement_id: ID,
    /// What the key is for, e.g. "Jira automation". At most 200 characters.
    pub name: String,
    pub role: ApiKeyRole,
    /// When the key stops working (in the future); omitted: never.
    pub expires_at: Option<DateTime<Utc>>,
    /// Makes a retry safe: the same key with the same input within 24 hours
    /// returns the key created first (without its secret) and changes nothing.
    /// At most 100 characters.
    pub idempotency_key: Option<String>,
}

#[derive(SimpleObject)]
pub struct CreateApiKeyPayload {
    /// The new key; null when `userErrors` is not empty.
    pub api_key: Option<ApiKey>,
    /// The secret (`opk_…`), shown this once and never again: store it now.
    /// Null on a retry answered from its idempotency key.
    pub secret: Option<String>,
    pub user_errors: Vec<UserError>,
}

/// The key to revoke.
#[derive(InputObject)]
pub struct RevokeApiKeyInput {
    pub api_key_id: ID,
    /// The key's `version` as last read; a stale value is a `CONFLICT`.
    pub expected_version: Option<i32>,
}

#[derive(SimpleObject)]
pub struct RevokeApiKeyPayload {
    /// The key, revoked.
    pub api_key: Option<ApiKey>,
    pub user_errors: Vec<UserError>,
}

#[Object]
impl ApiKeyMutations {
    /// Creates an API key for the engagement (consultants and admins): the
    /// secret is in the payload once. `REQUIRED`/`TOO_LONG` on `name`,
    /// `OUT_OF_RANGE` for an `expiresAt` in the past, `LIMIT_REACHED` past 100
    /// keys, `IDEMPOTENCY_KEY_REUSED` for a key used with another input.
    async fn create_api_key(&self, ctx: &Context<'_>, input: CreateApiKeyInput) -> Result<CreateApiKeyPayload> {
        let new = NewApiKey {
            engagement_id: ids::decode::<EngagementId>(&input.engagement_id)?,
            name: input.name,
            role: input.role.into(),
            expires_at: input.expires_at,
        };
        let result = api_keys::create(ctx.db()?, ctx.viewer()?, new, input.idempotency_key.as_deref()).await;
        let (created, user_errors) = payload(result)?;
        let (api_key, secret) = match created {
            Some(created) => (Some(ApiKey(created.row)), created.secret),
            None => (None, None),
        };
        Ok(CreateApiKeyPayload { api_key, secret, user_errors })
    }

    /// Revokes an API key (consultants and admins): its next request is
    /// `UNAUTHENTICATED` and its live subscriptions end. Revoking twice changes nothing.
    async fn revoke_api_key(&self, ctx: &Context<'_>, input: RevokeApiKeyInput) -> Result<RevokeApiKeyPayload> {
        let id = ids::decode::<ApiKeyId>(&input.api_key_id)?;
        let result = api_keys::revoke(ctx.db()?, ctx.viewer()?, id, input.expected_version).await;
        let (key, user_errors) = payload(result)?;
        Ok(RevokeApiKeyPayload { api_key: key.map(ApiKey), user_errors })
    }
}
