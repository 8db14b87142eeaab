//! RACI: who is Responsible, Accountable, Consulted and Informed for each
//! capability of an engagement.

use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use opskit_entity::raci_assignment;

use super::{catalog::Capability, engagement::Engagement, enums::RaciRole, user::User};
use crate::{
    domain::{
        ids::{CapabilityId, EngagementId, RaciAssignmentId, UserId},
        raci,
    },
    graphql::ids,
};

/// One party's role for one capability of an engagement.
pub struct RaciAssignment(pub raci_assignment::Model);

#[Object]
impl RaciAssignment {
    pub async fn id(&self) -> ID {
        ids::encode(RaciAssignmentId(self.0.id))
    }
    async fn capability(&self, ctx: &Context<'_>) -> Result<Capability> {
        Ok(Capability::load(ctx, CapabilityId(self.0.capability_id))?)
    }
    /// The team, e.g. "Customer Cloud Ops" or "AWS ProServe".
    async fn party(&self) -> &str {
        &self.0.party
    }
    async fn role(&self) -> RaciRole {
        self.0.role.into()
    }
    /// Who last set the role.
    async fn updated_by(&self, ctx: &Context<'_>) -> Result<User> {
        Ok(User::load(ctx, UserId(self.0.updated_by)).await?)
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    async fn engagement(&self, ctx: &Context<'_>) -> Result<Engagement> {
        Ok(Engagement::load(ctx, EngagementId(self.0.engagement_id)).await?)
    }
}

/// One row of the RACI matrix: a capability and the parties' roles in it.
pub struct RaciCapability(pub raci::CapabilityRaci);

#[Object]
impl RaciCapability {
    async fn capability(&self) -> Capability {
        Capability(self.0.capability.clone())
    }
    /// The parties' roles, sorted by party.
    async fn assignments(&self) -> Vec<RaciAssignment> {
        self.0.assignments.iter().cloned().map(RaciAssignment).collect()
    }
    /// The party holding A; null while nobody is accountable.
    async fn accountable(&self) -> Option<&str> {
        self.0.accountable.as_deref()
    }
}
