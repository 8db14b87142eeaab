//! `recordDeviation`: consultants and workstream members document how a Design
//! activity departs from the recommended design. It starts `OPEN`.

use chrono::Utc;
use opskit_entity::{
    artifact_template, deviation,
    enums::{ArtifactKind, DeviationStatus, Severity},
};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};

use super::{
    describe,
    fields::{self, MAX_TEXT, MAX_TITLE},
};
use crate::{
    domain::{Viewer, audit, engagements::activities, ids::ActivityId},
    error::{Error, Result, UserError},
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

/// Records a deviation on a Design activity, with its audit event.
pub async fn record(db: &DatabaseConnection, viewer: &Viewer, input: NewDeviation) -> Result<deviation::Model> {
    crate::transaction!(db, |tx| {
        let (activity, access) = activities::get(tx, viewer, input.activity_id).await?;
        access.check_contributor("recording a deviation")?;
        let template = artifact_template::Entity::find_by_id(activity.artifact_template_id)
            .one(tx)
            .await?
            .ok_or(Error::NotFound("activity"))?;

        let mut errors = Vec::new();
        if template.kind != ArtifactKind::Design {
            errors.push(UserError::new(
                "activityId",
                "NOT_A_DESIGN_ACTIVITY",
                "deviations are recorded on Design activities only",
            ));
        }
        let title = fields::required(&mut errors, "title", &input.title, MAX_TITLE);
        let description = fields::required(&mut errors, "description", &input.description, MAX_TEXT);
        let risks = fields::required(&mut errors, "risks", &input.risks, MAX_TEXT);
        let plan = fields::optional(&mut errors, "mitigationPlan", input.mitigation_plan.as_deref(), MAX_TEXT);
        let owner = fields::optional(&mut errors, "owner", input.owner.as_deref(), MAX_TITLE);
        let (Some(title), Some(description), Some(risks), Some(plan), Some(owner), true) =
            (title, description, risks, plan, owner, errors.is_empty())
        else {
            return Err(Error::User(errors));
        };

        let now = Utc::now();
        let recorded = deviation::ActiveModel {
            engagement_id: Set(activity.engagement_id),
            activity_id: Set(activity.id),
            title: Set(title),
            description: Set(description),
            risks: Set(risks),
            severity: Set(input.severity),
            mitigation_plan: Set(plan),
            owner: Set(owner),
            status: Set(DeviationStatus::Open),
            created_by: Set(viewer.user_id.0),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        let summary = format!("recorded deviation {} on {}", describe(&recorded), template.title);
        audit::record_in(tx, viewer, &access, "deviation.recorded", "Deviation", recorded.id, &summary).await?;
        Ok(recorded)
    })
}
