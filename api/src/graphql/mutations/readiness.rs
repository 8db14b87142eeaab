//! `recordReadinessAssessment`.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use crate::{
    domain::{
        ids::{CapabilityId, EngagementId},
        readiness::{self, Assessment},
    },
    graphql::{
        context::ContextExt,
        errors::{UserError, payload},
        ids,
        types::{enums::ReadinessLevel, readiness::ReadinessAssessment},
    },
};

#[derive(Default)]
pub struct ReadinessMutations;

/// The Game Day's verdict for one capability of an engagement.
#[derive(InputObject)]
pub struct RecordReadinessAssessmentInput {
    pub engagement_id: ID,
    /// A capability of the engagement's kit version.
    pub capability_id: ID,
    pub level: ReadinessLevel,
    /// What the Game Day showed (required). At most 20000 characters.
    pub findings: String,
    /// The `version` of the capability's assessment as last read, or `0` to
    /// record only if none exists yet; a stale value is a `CONFLICT`.
    pub expected_version: Option<i32>,
}

#[derive(SimpleObject)]
pub struct RecordReadinessAssessmentPayload {
    /// The assessment as recorded; null when `userErrors` is not empty.
    pub readiness_assessment: Option<ReadinessAssessment>,
    pub user_errors: Vec<UserError>,
}

#[Object]
impl ReadinessMutations {
    /// Records the readiness of a capability (consultants and admins). A
    /// capability has one assessment per engagement: recording again revises
    /// it and increments its version. `userErrors` codes: `REQUIRED`,
    /// `TOO_LONG` (findings).
    async fn record_readiness_assessment(
        &self,
        ctx: &Context<'_>,
        input: RecordReadinessAssessmentInput,
    ) -> Result<RecordReadinessAssessmentPayload> {
        let assessment = Assessment {
            engagement_id: ids::decode::<EngagementId>(&input.engagement_id)?,
            capability_id: ids::decode::<CapabilityId>(&input.capability_id)?,
            level: input.level.into(),
            findings: input.findings,
            expected_version: input.expected_version,
        };
        let (recorded, user_errors) = payload(readiness::record(ctx.db()?, ctx.viewer()?, assessment).await)?;
        Ok(RecordReadinessAssessmentPayload { readiness_assessment: recorded.map(ReadinessAssessment), user_errors })
    }
}
