//! People: users known from tokens, and the viewer (the caller).

use crate::domain::ids::UserId;
use async_graphql::{Context, ID, Object, Result};

use super::{
    engagement::{Engagement, EngagementConnection, EngagementFilter, EngagementOrder},
    enums::GlobalRole,
};
use crate::{
    domain::{self, engagements::Scope},
    graphql::{connection::connection, context::ContextExt, ids},
};

/// A person known to opskit.
pub struct User(pub opskit_entity::user::Model);

#[Object]
impl User {
    pub async fn id(&self) -> ID {
        ids::encode(UserId(self.0.id))
    }
    /// The identity provider's subject (`sub` claim).
    async fn subject(&self) -> &str {
        &self.0.subject
    }
    async fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
}

/// The caller of the request.
pub struct Viewer;

#[Object]
impl Viewer {
    async fn id(&self, ctx: &Context<'_>) -> Result<ID> {
        Ok(ids::encode(UserId(ctx.viewer()?.user_id.0)))
    }
    async fn subject(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(ctx.viewer()?.subject.clone())
    }
    async fn name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(ctx.viewer()?.name.clone())
    }
    async fn email(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(ctx.viewer()?.email.clone())
    }
    /// Global roles from the token.
    async fn roles(&self, ctx: &Context<'_>) -> Result<Vec<GlobalRole>> {
        Ok(ctx.viewer()?.roles.iter().map(|r| (*r).into()).collect())
    }
    /// Engagements the caller is a member of (for admins too: only their own).
    #[graphql(complexity = "crate::graphql::connection::cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn engagements(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<EngagementFilter>,
        order_by: Option<EngagementOrder>,
    ) -> Result<EngagementConnection> {
        let args = domain::page::PageArgs { first, after, last, before };
        let page = domain::engagements::list(
            ctx.db()?,
            ctx.viewer()?,
            Scope::Memberships,
            &filter.map(Into::into).unwrap_or_default(),
            order_by.map(Into::into).unwrap_or_default(),
            &args,
        )
        .await?;
        Ok(connection(page, Engagement))
    }
}
