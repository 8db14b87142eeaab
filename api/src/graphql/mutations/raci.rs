//! `setRaciAssignment`, `removeRaciAssignment`.

use crate::domain::ids::CapabilityId;
use crate::domain::ids::RaciAssignmentId;
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use crate::{
    domain::{
        ids::EngagementId,
        raci::{self, RemoveRole, SetRole},
    },
    graphql::{
        context::ContextExt,
        errors::{UserError, payload},
        ids,
        loaders::one,
        types::{engagement::Engagement, enums::RaciRole, raci::RaciAssignment},
    },
};

#[derive(Default)]
pub struct RaciMutations;

/// Gives a party a role for one capability.
#[derive(InputObject)]
pub struct SetRaciAssignmentInput {
    pub engagement_id: ID,
    /// A capability of the engagement's kit version.
    pub capability_id: ID,
    /// The team, e.g. "Customer Cloud Ops" (trimmed, at most 100 characters;
    /// matched without regard to case against the parties already named).
    pub party: String,
    pub role: RaciRole,
}

#[derive(SimpleObject)]
pub struct SetRaciAssignmentPayload {
    /// The assignment as it now stands; null when `userErrors` is not empty.
    pub raci_assignment: Option<RaciAssignment>,
    pub user_errors: Vec<UserError>,
}

/// Takes a party's role for one capability away.
#[derive(InputObject)]
pub struct RemoveRaciAssignmentInput {
    pub engagement_id: ID,
    pub capability_id: ID,
    pub party: String,
}

#[derive(SimpleObject)]
pub struct RemoveRaciAssignmentPayload {
    /// ID of the assignment that was removed.
    pub removed_raci_assignment_id: Option<ID>,
    /// The engagement after the removal.
    pub engagement: Option<Engagement>,
    pub user_errors: Vec<UserError>,
}

#[Object]
impl RaciMutations {
    /// Sets a party's R/A/C/I role for a capability (consultants and admins);
    /// setting it again changes the role. A capability has at most one
    /// accountable party: giving A to another party is refused with
    /// `ACCOUNTABLE_EXISTS` (change the holder to R first). Other
    /// `userErrors` codes: `REQUIRED`, `TOO_LONG` (party).
    async fn set_raci_assignment(
        &self,
        ctx: &Context<'_>,
        input: SetRaciAssignmentInput,
    ) -> Result<SetRaciAssignmentPayload> {
        let set = SetRole {
            engagement_id: ids::decode::<EngagementId>(&input.engagement_id)?,
            capability_id: ids::decode::<CapabilityId>(&input.capability_id).map(|id| id.0)?,
            party: input.party,
            role: input.role.into(),
        };
        let (saved, user_errors) = payload(raci::set(ctx.db()?, ctx.viewer()?, set).await)?;
        Ok(SetRaciAssignmentPayload { raci_assignment: saved.map(RaciAssignment), user_errors })
    }

    /// Removes a party's role for a capability (consultants and admins);
    /// `NO_SUCH_ASSIGNMENT` when the party has none.
    async fn remove_raci_assignment(
        &self,
        ctx: &Context<'_>,
        input: RemoveRaciAssignmentInput,
    ) -> Result<RemoveRaciAssignmentPayload> {
        let remove = RemoveRole {
            engagement_id: ids::decode::<EngagementId>(&input.engagement_id)?,
            capability_id: ids::decode::<CapabilityId>(&input.capability_id).map(|id| id.0)?,
            party: input.party,
        };
        let (removed, user_errors) = payload(raci::remove(ctx.db()?, ctx.viewer()?, remove).await)?;
        let (removed_raci_assignment_id, engagement) = match removed {
            Some(row) => {
                let engagement = one(&ctx.loaders()?.engagement, row.engagement_id, "engagement").await?;
                (Some(ids::encode(RaciAssignmentId(row.id))), Some(Engagement(engagement)))
            }
            None => (None, None),
        };
        Ok(RemoveRaciAssignmentPayload { removed_raci_assignment_id, engagement, user_errors })
    }
}
