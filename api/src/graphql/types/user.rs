//! People: users known from tokens, and the viewer (the caller).

use async_graphql::{Context, ID, Object, Result};

use super::{engagement::EngagementList, enums::GlobalRole, my_work::MyWork};
use crate::{
    domain::{engagements::Scope, ids::UserId},
    error::Error,
    graphql::{context::ContextExt, ids, loaders::one},
};

/// A person known to opskit.
pub struct User(pub opskit_entity::user::Model);

impl User {
    /// The user `id`, reached through an object the caller was allowed to read.
    pub async fn load(ctx: &Context<'_>, id: UserId) -> Result<User, Error> {
        Ok(User(one(&ctx.loaders()?.user, id.0, "user").await?))
    }

    /// The user stored in an optional column (who accepted, closed, retired ...).
    pub async fn load_optional(ctx: &Context<'_>, id: Option<i64>) -> Result<Option<User>, Error> {
        match id {
            Some(id) => Ok(Some(User::load(ctx, UserId(id)).await?)),
            None => Ok(None),
        }
    }
}

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
        Ok(ids::encode(ctx.viewer()?.user_id))
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
    /// `engagements`: only those the caller is a member of.
    #[graphql(flatten)]
    async fn memberships(&self) -> EngagementList {
        EngagementList(Scope::Memberships)
    }
    /// `assignedActivities`, `pendingReviews`, `openDeviations`: the caller's work.
    #[graphql(flatten)]
    async fn my_work(&self) -> MyWork {
        MyWork
    }
}
