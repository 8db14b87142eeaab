//! Readiness assessments: the Game Day's verdict per capability, beside the
//! target agreed in the capability's Discovery & Analysis activity.

use crate::domain::ids::ReadinessAssessmentId;
use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use opskit_entity::{enums::ArtifactKind, readiness_assessment};

use super::{catalog::Capability, engagement::Engagement, enums::ReadinessLevel, user::User};
use crate::{
    domain::readiness,
    graphql::{
        context::ContextExt,
        ids,
        loaders::{many, one},
    },
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
        Ok(Capability(one(&ctx.loaders()?.capability, self.0.capability_id, "capability").await?))
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
        Ok(User(one(&ctx.loaders()?.user, self.0.assessed_by, "user").await?))
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
        let loaders = ctx.loaders()?;
        let templates = many(&loaders.artifacts_by_capability, self.0.capability_id).await?;
        let Some(template) = templates.into_iter().find(|t| t.kind == ArtifactKind::DiscoveryAndAnalysis) else {
            return Ok(None);
        };
        let activities = many(&loaders.activities_by_engagement, self.0.engagement_id).await?;
        Ok(activities
            .iter()
            .find(|a| a.artifact_template_id == template.id)
            .and_then(readiness::target_of)
            .map(ReadinessTarget::from))
    }
    async fn engagement(&self, ctx: &Context<'_>) -> Result<Engagement> {
        // Reached through an engagement the caller was allowed to read.
        Ok(Engagement(one(&ctx.loaders()?.engagement, self.0.engagement_id, "engagement").await?))
    }
}
