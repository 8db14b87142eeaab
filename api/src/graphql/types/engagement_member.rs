//! A user's membership and role in one engagement.

use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};
use opskit_entity::{engagement, engagement_member};

use super::{engagement::Engagement, enums::EngagementRole, order::Order, user::User};
use crate::{
    domain::{
        engagements::members,
        ids::{EngagementId, MemberId, UserId},
        page::PageArgs,
    },
    graphql::{
        connection::{Conn, connection},
        context::ContextExt,
        ids,
        loaders::many,
    },
};

/// A user's membership and role in one engagement.
pub struct EngagementMember(pub engagement_member::Model);

/// Narrowing an engagement's members.
#[derive(InputObject, Default)]
pub struct MemberFilter {
    pub role: Option<EngagementRole>,
}

#[Object]
impl EngagementMember {
    pub async fn id(&self) -> ID {
        ids::encode(MemberId(self.0.id))
    }
    async fn role(&self) -> EngagementRole {
        self.0.role.into()
    }
    async fn added_at(&self) -> DateTime<Utc> {
        self.0.added_at
    }
    /// Increases with every change; pass it as `expectedVersion` to detect concurrent edits.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The person. While they are invited, only their subject and the name
    /// the inviter typed (`email` is null), never their profile from elsewhere.
    async fn user(&self, ctx: &Context<'_>) -> Result<User> {
        let person = User::load(ctx, UserId(self.0.user_id)).await?;
        Ok(User(members::as_seen(&self.0, person.0)))
    }
    /// Added by someone else and not signed in since: until they do,
    /// co-members see only their subject and the name the inviter typed.
    async fn invited(&self) -> bool {
        self.0.joined_at.is_none()
    }
    /// When the person first signed in as a member; null while invited.
    async fn joined_at(&self) -> Option<DateTime<Utc>> {
        self.0.joined_at
    }
    async fn engagement(&self, ctx: &Context<'_>) -> Result<Engagement> {
        Ok(Engagement::load(ctx, EngagementId(self.0.engagement_id)).await?)
    }
}

/// `Engagement.members`: the engagement's members in the order they were
/// added, filtered and paged in memory (one batched load per request).
pub async fn of_engagement(
    ctx: &Context<'_>,
    engagement: &engagement::Model,
    filter: Option<MemberFilter>,
    order: Option<MemberOrder>,
    args: PageArgs,
) -> Result<Conn<EngagementMember>> {
    let rows = many(&ctx.loaders()?.members_by_engagement, engagement.id).await?;
    let filter = members::MemberFilter { role: filter.and_then(|f| f.role).map(Into::into) };
    let order = MemberOrder::into_domain(order);
    Ok(connection(members::list(rows, &filter, order, &args)?, EngagementMember))
}

/// What members are sorted by (ties broken by ID).
#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq)]
pub enum MemberOrderField {
    /// When added.
    AddedAt,
    /// CONSULTANT, WORKSTREAM_MEMBER, STAKEHOLDER.
    Role,
}

/// Sort order of an engagement's members: a field and a direction.
pub type MemberOrder = Order<MemberOrderField>;

impl From<MemberOrderField> for members::MemberSort {
    fn from(field: MemberOrderField) -> Self {
        match field {
            MemberOrderField::AddedAt => members::MemberSort::AddedAt,
            MemberOrderField::Role => members::MemberSort::Role,
        }
    }
}
