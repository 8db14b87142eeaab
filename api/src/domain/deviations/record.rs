//! `recordDeviation`: consultants and workstream members document how a Design
//! activity departs from the recommended design. It starts `OPEN`.

use chrono::Utc;
use opskit_entity::{
    activity, artifact_template, deviation,
    enums::{ArtifactKind, DeviationStatus, Severity},
};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};

use super::{describe, validation};
use crate::{
    domain::{
        Viewer,
        action::Action,
        ids::ActivityId,
        permissions::Permission,
        validate::Checks,
        write::{self, Command, Done, On, Step},
    },
    error::{Code, Error, Result},
};

/// What a caller records.
#[derive(Debug, Clone)]
pub struct NewDeviation {
    pub activity_id: ActivityId,
    pub title: String,
    /// What differs from the recommended design.
    pub description: String,
    /// Risks and concerns.
    pub risks: String,
    pub severity: Severity,
    /// Blank is the same as none.
    pub mitigation_plan: Option<String>,
    /// Who carries the mitigation (free text: a person or a team). Blank is none.
    pub owner: Option<String>,
}

/// A new deviation's texts, trimmed: title, description, risks, plan, owner.
type Texts = (String, String, String, Option<String>, Option<String>);

impl NewDeviation {
    /// The texts checked, or `None` with the errors in `checks`.
    fn texts(&self, checks: &mut Checks) -> Option<Texts> {
        let title = validation::title(checks, &self.title);
        let description = validation::description(checks, &self.description);
        let risks = validation::risks(checks, &self.risks);
        let plan = validation::mitigation_plan(checks, self.mitigation_plan.as_deref());
        let owner = validation::owner(checks, self.owner.as_deref());
        title.zip(description).zip(risks).zip(plan).zip(owner).map(|((((t, d), r), p), o)| (t, d, r, p, o))
    }
}

impl Command for NewDeviation {
    type Target = activity::Model;
    type Output = deviation::Model;

    fn permission(&self) -> Permission {
        Permission::RecordDeviations
    }

    /// The limits of its texts and lists, before anything is read; the other
    /// rules are checked with the stored data, and reported together.
    fn validate(&self) -> Result<()> {
        let mut checks = Checks::new();
        let _ = self.texts(&mut checks);
        checks.finish_limits()
    }

    async fn apply(&self, step: &Step<'_, activity::Model>) -> Result<Done<deviation::Model>> {
        let activity = &step.target;
        let template = artifact_template::Entity::find_by_id(activity.artifact_template_id)
            .one(step.tx)
            .await?
            .ok_or(Error::NotFound("activity"))?;
        let mut checks = Checks::new();
        if template.kind != ArtifactKind::Design {
            checks.push("activityId", Code::NotADesignActivity, "deviations are recorded on Design activities only");
        }
        let texts = self.texts(&mut checks);
        let (title, description, risks, plan, owner) = checks.done(texts)?;

        let now = Utc::now();
        let recorded = deviation::ActiveModel {
            engagement_id: Set(activity.engagement_id),
            activity_id: Set(activity.id),
            title: Set(title),
            description: Set(description),
            risks: Set(risks),
            severity: Set(self.severity),
            mitigation_plan: Set(plan),
            owner: Set(owner),
            status: Set(DeviationStatus::Open),
            created_by: Set(step.viewer.user_id.0),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(step.tx)
        .await?;
        let summary = format!("recorded deviation {} on {}", describe(&recorded), template.title);
        Ok(Done::saved(recorded, Action::DeviationRecorded, summary))
    }
}

/// Records a deviation on a Design activity, with its audit event.
pub async fn record(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewDeviation,
    idempotency_key: Option<&str>,
) -> Result<deviation::Model> {
    write::run_once(db, viewer, On::id(input.activity_id), input, idempotency_key).await
}
