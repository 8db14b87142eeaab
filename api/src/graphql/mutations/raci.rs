//! `setRaciAssignment`, `removeRaciAssignment`.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use crate::{
    domain::{
        ids::{CapabilityId, EngagementId, RaciAssignmentId},
        raci::{self, Party, SetRole},
    },
    graphql::{
        context::ContextExt,
        errors::{UserError, payload},
        ids,
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
    /// The team, e.g. "Customer Cloud Ops" (trimmed; matched without regard to
    /// case against the parties already named). At most 100 characters.
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
    /// A capability of the engagement's kit version.
    pub capability_id: ID,
    /// The team whose role goes (matched without regard to case). At most 100 characters.
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

/// The party a RACI mutation names, with its engagement and capability decoded.
fn party(engagement_id: &ID, capability_id: &ID, party: String) -> crate::Result<Party> {
    Ok(Party {
        engagement_id: ids::decode::<EngagementId>(engagement_id)?,
        capability_id: ids::decode::<CapabilityId>(capability_id)?,
        party,
    })
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
        let set =
            SetRole { party: party(&input.engagement_id, &input.capability_id, input.party)?, role: input.role.into() };
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
        let named = party(&input.engagement_id, &input.capability_id, input.party)?;
        let (removed, user_errors) = payload(raci::remove(ctx.db()?, ctx.viewer()?, named).await)?;
        let (removed_raci_assignment_id, engagement) = match removed {
            Some(row) => (
                Some(ids::encode(RaciAssignmentId(row.id))),
                Some(Engagement::load(ctx, EngagementId(row.engagement_id)).await?),
            ),
            None => (None, None),
        };
        Ok(RemoveRaciAssignmentPayload { removed_raci_assignment_id, engagement, user_errors })
    }
}
