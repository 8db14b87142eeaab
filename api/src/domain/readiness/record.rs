//! `recordReadinessAssessment`: a consultant records the Game Day's verdict
//! for one capability. A capability has one assessment per engagement:
//! recording again revises it, and `expectedVersion: 0` records only when
//! there is none yet.

use chrono::Utc;
use opskit_entity::{capability, engagement, enums::ReadinessLevel, readiness_assessment as assessment};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::validation;
use crate::{
    domain::{
        Viewer,
        access::lock_engagement,
        action::Action,
        ids::{CapabilityId, EngagementId, ReadinessAssessmentId, TypedId},
        kits,
        permissions::Permission,
        validate::Checks,
        write::{self, Command, Done, On, Step},
    },
    error::Result,
};

/// The verdict for one capability of an engagement.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// The engagement assessed.
    pub engagement_id: EngagementId,
    /// A capability of the engagement's kit version.
    pub capability_id: CapabilityId,
    /// How ready the capability's operations are.
    pub level: ReadinessLevel,
    /// What the Game Day showed.
    pub findings: String,
    /// The version of the existing assessment the caller saw; `0` means "there is none yet".
    pub expected_version: Option<i32>,
}

impl Command for Assessment {
    type Target = engagement::Model;
    type Output = assessment::Model;

    fn permission(&self) -> Permission {
        Permission::AssessReadiness
    }

    /// The limits of its texts and lists, before anything is read; the other
    /// rules are checked with the stored data, and reported together.
    fn validate(&self) -> Result<()> {
        let mut checks = Checks::new();
        let _ = validation::findings(&mut checks, &self.findings);
        checks.finish_limits()
    }

    async fn apply(&self, step: &Step<'_, engagement::Model>) -> Result<Done<assessment::Model>> {
        let capability = kits::capability_in(step.tx, &step.access, self.capability_id).await?;
        // Two first assessments of one capability must not race into the unique index.
        lock_engagement(step.tx, step.engagement_id()).await?;
        let existing = assessment::Entity::find()
            .filter(assessment::Column::EngagementId.eq(step.engagement_id().0))
            .filter(assessment::Column::CapabilityId.eq(capability.id))
            .one(step.tx)
            .await?;
        let current = existing.as_ref().map_or(0, |a| a.version);
        write::check_version(ReadinessAssessmentId::KIND.noun(), current, self.expected_version)?;
        let mut checks = Checks::new();
        let findings = validation::findings(&mut checks, &self.findings);
        let findings = checks.done(findings)?;

        let verdict = assessment::ActiveModel {
            level: Set(self.level),
            findings: Set(findings),
            assessed_by: Set(step.viewer.user_id.0),
            assessed_at: Set(Utc::now()),
            ..Default::default()
        };
        let saved = match &existing {
            Some(before) => write::update(step.tx, before, verdict).await?,
            None => {
                let first = assessment::ActiveModel {
                    engagement_id: Set(step.engagement_id().0),
                    capability_id: Set(capability.id),
                    version: Set(1),
                    ..verdict
                };
                first.insert(step.tx).await?
            }
        };
        let summary = summary(&capability, existing.map(|a| a.level), self.level);
        Ok(Done::saved(saved, Action::ReadinessAssessed, summary))
    }
}

/// Records (or revises) the assessment of a capability.
pub async fn record(db: &DatabaseConnection, viewer: &Viewer, input: Assessment) -> Result<assessment::Model> {
    write::run(db, viewer, On::id(input.engagement_id), input).await
}

fn summary(capability: &capability::Model, previous: Option<ReadinessLevel>, level: ReadinessLevel) -> String {
    match previous {
        None => format!("assessed {} as {}", capability.name, level_name(level)),
        Some(old) if old == level => format!("revised the findings for {} ({})", capability.name, level_name(level)),
        Some(old) => format!("reassessed {} from {} to {}", capability.name, level_name(old), level_name(level)),
    }
}

/// How a level reads in a summary.
fn level_name(level: ReadinessLevel) -> &'static str {
    match level {
        ReadinessLevel::NotReady => "not ready",
        ReadinessLevel::PartiallyReady => "partially ready",
        ReadinessLevel::Ready => "ready",
    }
}
