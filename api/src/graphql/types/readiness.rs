//! Readiness assessments: the Game Day's verdict per capability, beside the
//! target agreed in the capability's Discovery & Analysis activity.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use opskit_entity::readiness_assessment;

use super::{catalog::Capability, engagement::Engagement, enums::ReadinessLevel, user::User};
use crate::{
    domain::{
        ids::{CapabilityId, EngagementId, ReadinessAssessmentId, UserId},
        readiness,
    },
    graphql::{context::ContextExt, ids, loaders::many},
};

/// The assessed readiness of one capability in an engagement.
pub struct ReadinessAssessment(pub readiness_assessment::Model);

/// The operational readiness state agreed for a capability.
#[derive(SimpleObject)]
pub struct ReadinessTarget {
    /// What "ready" means for the capability; null when only criteria were agreed.
    pub statement: Option<String>,
    /// How readiness is checked, in the agreed order.
    pub criteria: Vec<String>,
}

impl From<readiness::Target> for ReadinessTarget {
    fn from(t: readiness::Target) -> Self {
        Self { statement: t.statement, criteria: t.criteria }
    }
}

#[Object]
impl ReadinessAssessment {
    pub async fn id(&self) -> ID {
        ids::encode(ReadinessAssessmentId(self.0.id))
    }
    async fn capability(&self, ctx: &Context<'_>) -> Result<Capability> {
        Ok(Capability::load(ctx, CapabilityId(self.0.capability_id))?)
    }
    async fn level(&self) -> ReadinessLevel {
        self.0.level.into()
    }
    /// What the Game Day showed: gaps, evidence, follow-ups.
    async fn findings(&self) -> &str {
        &self.0.findings
    }
    /// Who recorded the current level and findings.
    async fn assessed_by(&self, ctx: &Context<'_>) -> Result<User> {
        Ok(User::load(ctx, UserId(self.0.assessed_by)).await?)
    }
    async fn assessed_at(&self) -> DateTime<Utc> {
        self.0.assessed_at
    }
    /// Increases with every change; pass it as `expectedVersion` to detect concurrent edits.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The readiness target agreed in the capability's Discovery & Analysis
    /// activity; null until one is agreed.
    async fn target(&self, ctx: &Context<'_>) -> Result<Option<ReadinessTarget>> {
        let catalog = ctx.catalog()?;
        let activities = many(&ctx.loaders()?.activities_by_engagement, self.0.engagement_id).await?;
        let templates = catalog.artifacts_of_capability(self.0.capability_id);
        Ok(readiness::target_for(templates, &activities).map(ReadinessTarget::from))
    }
    async fn engagement(&self, ctx: &Context<'_>) -> Result<Engagement> {
        Ok(Engagement::load(ctx, EngagementId(self.0.engagement_id)).await?)
    }
}
