//! API keys of an engagement, as those who manage its integrations see them:
//! never the secret, only its first characters.

use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use opskit_entity::api_key;

use super::{engagement::Engagement, enums::ApiKeyRole, user::User};
use crate::{
    domain::ids::ApiKeyId,
    graphql::{context::ContextExt, ids, loaders::one},
};

/// A machine's access to one engagement, sent as `Authorization: Bearer opk_…`.
pub struct ApiKey(pub api_key::Model);

#[Object]
impl ApiKey {
    pub async fn id(&self) -> ID {
        ids::encode(ApiKeyId(self.0.id))
    }
    /// What the key is for, e.g. "Jira automation".
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn role(&self) -> ApiKeyRole {
        self.0.role.into()
    }
    /// The secret's first characters (`opk_` and 8 more), to tell keys apart.
    async fn prefix(&self) -> &str {
        &self.0.prefix
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn created_by(&self, ctx: &Context<'_>) -> Result<User> {
        Ok(User(one(&ctx.loaders()?.user, self.0.created_by, "user").await?))
    }
    /// When the key last signed a request in (to the minute); null if never.
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }
    /// When it stops working; null: never.
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at
    }
    /// When it was revoked; null while it works.
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
    async fn revoked_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        Ok(User::load_optional(ctx, self.0.revoked_by).await?)
    }
    /// Increases with every change; pass it as `expectedVersion` to detect concurrent edits.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn engagement(&self, ctx: &Context<'_>) -> Result<Engagement> {
        // Reached through an engagement the caller was allowed to read.
        Ok(Engagement(one(&ctx.loaders()?.engagement, self.0.engagement_id, "engagement").await?))
    }
}
