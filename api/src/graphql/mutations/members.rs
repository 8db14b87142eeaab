//! `addEngagementMember`, `changeEngagementMemberRole`, `removeEngagementMember`.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use crate::{
    domain::{
        engagements::members::{self, MemberWithUser, NewMember},
        ids::{EngagementId, MemberId},
    },
    graphql::{
        context::ContextExt,
        errors::{UserError, payload},
        ids,
        types::{
            engagement::{Engagement, EngagementMember},
            enums::EngagementRole,
        },
    },
};

#[derive(Default)]
pub struct MemberMutations;

/// Adds a person to an engagement. They are named by their identity
/// provider's subject (`sub`), so they can be added before they first sign
/// in; someone other than the caller is *invited* until their next request.
#[derive(InputObject)]
pub struct AddEngagementMemberInput {
    pub engagement_id: ID,
    /// The person's subject at the identity provider (required). At most 255 characters.
    pub subject: String,
    /// The name co-members see while the person is invited. It never replaces
    /// the name the identity provider gives when they sign in. At most 200 characters.
    pub name: Option<String>,
    /// Ignored: the email comes from the identity provider when the person signs in.
    /// At most 200 characters.
    #[graphql(deprecation = "ignored: the identity provider gives the email when the person signs in")]
    pub email: Option<String>,
    pub role: EngagementRole,
    /// Makes a retry safe: the same key with the same input within 24 hours
    /// returns what the first request created and changes nothing; with
    /// another input it is `IDEMPOTENCY_KEY_REUSED`. At most 100 characters.
    pub idempotency_key: Option<String>,
}

#[derive(SimpleObject)]
pub struct AddEngagementMemberPayload {
    /// The new membership; null when `userErrors` is not empty.
    pub member: Option<EngagementMember>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct ChangeEngagementMemberRoleInput {
    pub member_id: ID,
    /// The member's new role.
    pub role: EngagementRole,
    /// The member's `version` as last read; a stale value is a `CONFLICT`.
    pub expected_version: Option<i32>,
}

#[derive(SimpleObject)]
pub struct ChangeEngagementMemberRolePayload {
    /// The membership with its new role; null when `userErrors` is not empty.
    pub member: Option<EngagementMember>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct RemoveEngagementMemberInput {
    /// The membership to end.
    pub member_id: ID,
    /// The member's `version` as last read; a stale value is a `CONFLICT`.
    pub expected_version: Option<i32>,
}

#[derive(SimpleObject)]
pub struct RemoveEngagementMemberPayload {
    /// ID of the membership that was removed.
    pub removed_member_id: Option<ID>,
    /// The engagement after the removal.
    pub engagement: Option<Engagement>,
    pub user_errors: Vec<UserError>,
}

/// The membership a mutation added or changed, and its `userErrors`.
fn member_payload(result: crate::Result<MemberWithUser>) -> Result<(Option<EngagementMember>, Vec<UserError>)> {
    let (member, user_errors) = payload(result)?;
    Ok((member.map(|(member, _)| EngagementMember(member)), user_errors))
}

#[Object]
impl MemberMutations {
    /// Adds a member (consultants and admins).
    async fn add_engagement_member(
        &self,
        ctx: &Context<'_>,
        input: AddEngagementMemberInput,
    ) -> Result<AddEngagementMemberPayload> {
        let new = NewMember {
            engagement_id: ids::decode::<EngagementId>(&input.engagement_id)?,
            subject: input.subject,
            name: input.name,
            email: input.email,
            role: input.role.into(),
        };
        let (member, user_errors) =
            member_payload(members::add(ctx.db()?, ctx.viewer()?, new, input.idempotency_key.as_deref()).await)?;
        Ok(AddEngagementMemberPayload { member, user_errors })
    }

    /// Changes a member's role (consultants and admins); the last consultant
    /// cannot be demoted, and nobody changes their own role (`OWN_ROLE`). The
    /// member's approvals in open review rounds stop counting.
    async fn change_engagement_member_role(
        &self,
        ctx: &Context<'_>,
        input: ChangeEngagementMemberRoleInput,
    ) -> Result<ChangeEngagementMemberRolePayload> {
        let id = ids::decode::<MemberId>(&input.member_id)?;
        let result =
            members::change_role(ctx.db()?, ctx.viewer()?, id, input.role.into(), input.expected_version).await;
        let (member, user_errors) = member_payload(result)?;
        Ok(ChangeEngagementMemberRolePayload { member, user_errors })
    }

    /// Removes a member (consultants and admins); the last consultant cannot be
    /// removed. The member's approvals in open review rounds stop counting.
    async fn remove_engagement_member(
        &self,
        ctx: &Context<'_>,
        input: RemoveEngagementMemberInput,
    ) -> Result<RemoveEngagementMemberPayload> {
        let id = ids::decode::<MemberId>(&input.member_id)?;
        let (removed, user_errors) =
            payload(members::remove(ctx.db()?, ctx.viewer()?, id, input.expected_version).await)?;
        let (removed_member_id, engagement) = match removed {
            Some(((member, _), engagement_id)) => {
                (Some(ids::encode(MemberId(member.id))), Some(Engagement::load(ctx, engagement_id).await?))
            }
            None => (None, None),
        };
        Ok(RemoveEngagementMemberPayload { removed_member_id, engagement, user_errors })
    }
}
