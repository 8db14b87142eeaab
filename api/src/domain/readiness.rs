//! Readiness assessments, the Game Day's verdict: consultants record, per
//! capability of an engagement, how ready operations are against the target
//! agreed in the capability's Discovery & Analysis activity. One assessment
//! per capability; recording again revises it.

use crate::domain::action::Action;
use crate::domain::permissions::Permission;
use crate::domain::write;
use crate::error::Code;
use chrono::Utc;
use opskit_entity::{activity, capability, enums::ReadinessLevel, readiness_assessment as assessment};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, sea_query::Expr,
};

use super::{
    Viewer,
    access::{Access, access_via, engagement_access, lock_engagement},
    audit,
    ids::{EngagementId, ReadinessAssessmentId},
    kits,
};
use crate::error::{Error, Result};

/// Longest accepted findings text.
pub const MAX_FINDINGS: usize = 20_000;

/// `recordReadinessAssessment`: the verdict for one capability.
#[derive(Debug, Clone)]
pub struct Assessment {
    pub engagement_id: EngagementId,
    pub capability_id: i64,
    pub level: ReadinessLevel,
    pub findings: String,
    /// The version of the existing assessment the caller saw; `0` means "there is none yet".
    pub expected_version: Option<i32>,
}

/// The agreed readiness target of a capability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub statement: Option<String>,
    pub criteria: Vec<String>,
}

/// An assessment the caller may see (`NOT_FOUND` otherwise), with the caller's access.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: ReadinessAssessmentId,
) -> Result<(assessment::Model, Access)> {
    let found = assessment::Entity::find_by_id(id.0).one(db).await?.ok_or(Error::NotFound("readiness assessment"))?;
    let access = access_via(db, viewer, found.engagement_id, "readiness assessment").await?;
    Ok((found, access))
}

/// Records (or revises) the assessment of a capability; consultants and admins.
pub async fn record(db: &DatabaseConnection, viewer: &Viewer, input: Assessment) -> Result<assessment::Model> {
    crate::transaction!(db, |tx| {
        let access = engagement_access(tx, viewer, input.engagement_id).await?;
        access.check(Permission::AssessReadiness)?;
        let capability = kits::capability_in(tx, &access, input.capability_id).await?;
        // Two first assessments of one capability must not race into the unique index.
        lock_engagement(tx, input.engagement_id).await?;
        let existing = assessment::Entity::find()
            .filter(assessment::Column::EngagementId.eq(input.engagement_id.0))
            .filter(assessment::Column::CapabilityId.eq(capability.id))
            .one(tx)
            .await?;
        write::check_version(
            "readiness assessment",
            existing.as_ref().map_or(0, |a| a.version),
            input.expected_version,
        )?;
        let findings = check_findings(&input.findings)?;
        let saved = match &existing {
            Some(previous) => update(tx, viewer, previous, input.level, findings).await?,
            None => insert(tx, viewer, &input, findings).await?,
        };
        let summary = summary(&capability, existing.as_ref().map(|a| a.level), input.level);
        audit::record_in(tx, viewer, &access, Action::ReadinessAssessed, saved.id, &summary).await?;
        Ok(saved)
    })
}

/// The trimmed findings, or `REQUIRED` / `TOO_LONG`.
fn check_findings(findings: &str) -> Result<String> {
    let trimmed = findings.trim();
    if trimmed.is_empty() {
        return Err(Error::user("findings", Code::Required, "`findings` must say what the Game Day showed"));
    }
    if trimmed.chars().count() > MAX_FINDINGS {
        return Err(Error::user(
            "findings",
            Code::TooLong,
            format!("`findings` must be at most {MAX_FINDINGS} characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

async fn insert<C: ConnectionTrait>(
    tx: &C,
    viewer: &Viewer,
    input: &Assessment,
    findings: String,
) -> Result<assessment::Model> {
    Ok(assessment::ActiveModel {
        engagement_id: Set(input.engagement_id.0),
        capability_id: Set(input.capability_id),
        level: Set(input.level),
        findings: Set(findings),
        assessed_by: Set(viewer.user_id.0),
        assessed_at: Set(Utc::now()),
        version: Set(1),
        ..Default::default()
    }
    .insert(tx)
    .await?)
}

/// Writes the revision only if nobody changed the assessment since it was read.
async fn update<C: ConnectionTrait>(
    tx: &C,
    viewer: &Viewer,
    previous: &assessment::Model,
    level: ReadinessLevel,
    findings: String,
) -> Result<assessment::Model> {
    let now = Utc::now();
    let result = assessment::Entity::update_many()
        .col_expr(assessment::Column::Level, Expr::value(level))
        .col_expr(assessment::Column::Findings, Expr::value(findings.clone()))
        .col_expr(assessment::Column::AssessedBy, Expr::value(viewer.user_id.0))
        .col_expr(assessment::Column::AssessedAt, Expr::value(now))
        .col_expr(assessment::Column::Version, Expr::value(previous.version + 1))
        .filter(assessment::Column::Id.eq(previous.id))
        .filter(assessment::Column::Version.eq(previous.version))
        .exec(tx)
        .await?;
    if result.rows_affected == 0 {
        let current = assessment::Entity::find_by_id(previous.id).one(tx).await?.map_or(0, |a| a.version);
        return Err(Error::Conflict {
            message: "the readiness assessment changed while you edited it".into(),
            current_version: current,
        });
    }
    Ok(assessment::Model {
        level,
        findings,
        assessed_by: viewer.user_id.0,
        assessed_at: now,
        version: previous.version + 1,
        ..previous.clone()
    })
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

/// The readiness target agreed in a capability's Discovery & Analysis
/// activity; `None` while neither a statement nor criteria are agreed.
pub fn target_of(activity: &activity::Model) -> Option<Target> {
    let statement = activity.readiness_statement.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let criteria: Vec<String> = match &activity.readiness_criteria {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(serde_json::Value::as_str)
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    if statement.is_none() && criteria.is_empty() {
        return None;
    }
    Some(Target { statement: statement.map(str::to_owned), criteria })
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use opskit_entity::enums::ActivityStatus;
    use serde_json::json;

    use super::*;

    fn activity(statement: Option<&str>, criteria: Option<serde_json::Value>) -> activity::Model {
        let now = Utc::now();
        activity::Model {
            id: 1,
            engagement_id: 1,
            artifact_template_id: 1,
            status: ActivityStatus::InProgress,
            created_at: now,
            updated_at: now,
            version: 1,
            assignee_member_id: None,
            started_at: None,
            completed_at: None,
            tracker_system: None,
            tracker_key: None,
            tracker_url: None,
            readiness_statement: statement.map(str::to_owned),
            readiness_criteria: criteria,
            design_adoption: None,
            adopted_solution: None,
        }
    }

    #[test]
    fn no_target_until_one_is_agreed() {
        assert_eq!(target_of(&activity(None, None)), None);
        assert_eq!(target_of(&activity(Some("  "), Some(json!([])))), None);
    }

    #[test]
    fn the_target_is_the_statement_and_its_criteria() {
        let target = target_of(&activity(Some(" Patches within 14 days "), Some(json!(["SLA met", " ", 3])))).unwrap();
        assert_eq!(target.statement.as_deref(), Some("Patches within 14 days"));
        assert_eq!(target.criteria, ["SLA met"]);
        let criteria_only = target_of(&activity(None, Some(json!(["Runbook baselined"])))).unwrap();
        assert_eq!(criteria_only.statement, None);
    }

    #[test]
    fn findings_are_required_and_bounded() {
        assert!(matches!(check_findings("  "), Err(Error::User(e)) if e[0].code == Code::Required));
        let long = "x".repeat(MAX_FINDINGS + 1);
        assert!(matches!(check_findings(&long), Err(Error::User(e)) if e[0].code == Code::TooLong));
        assert_eq!(check_findings(" ok ").unwrap(), "ok");
    }
}
