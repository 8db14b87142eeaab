//! `startActivity`, `completeActivity`, `reopenActivity`: the workflow's
//! step, plus the rules across activities a Design obeys.

use chrono::{DateTime, Utc};
use opskit_entity::{
    activity, artifact_template,
    enums::{ActivityStatus, ArtifactKind},
};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::{ActivityAction, next, template_of};
use crate::{
    domain::{
        Viewer,
        action::Action,
        deviations,
        ids::ActivityId,
        permissions::Permission,
        readiness,
        write::{self, Command, Done, On, Step},
    },
    error::{Code, Error, Result},
};

/// NOT_STARTED → IN_PROGRESS. A Design activity waits for its capability's
/// Discovery & Analysis activity to be done.
pub async fn start(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: ActivityId,
    expected_version: Option<i32>,
) -> Result<activity::Model> {
    write::run(db, viewer, On::versioned(id, expected_version), ActivityAction::Start).await
}

/// IN_PROGRESS → DONE, recording when. A Design activity cannot complete
/// while one of its deviations is unmitigated.
pub async fn complete(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: ActivityId,
    expected_version: Option<i32>,
) -> Result<activity::Model> {
    write::run(db, viewer, On::versioned(id, expected_version), ActivityAction::Complete).await
}

/// DONE → IN_PROGRESS.
pub async fn reopen(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: ActivityId,
    expected_version: Option<i32>,
) -> Result<activity::Model> {
    write::run(db, viewer, On::versioned(id, expected_version), ActivityAction::Reopen).await
}

impl Command for ActivityAction {
    type Target = activity::Model;
    type Output = activity::Model;

    fn permission(&self) -> Permission {
        ActivityAction::permission(*self)
    }

    async fn apply(&self, step: &Step<'_, activity::Model>) -> Result<Done<activity::Model>> {
        let current = &step.target;
        let status = next(current.status, *self, step.access.role()).map_err(|refusal| {
            let message = format!("cannot {} an activity that is {}", verb(*self), status_name(current.status));
            refusal.into_error("activityId", message)
        })?;
        let template = template_of(step.tx, current).await?;
        match (template.kind, self) {
            (ArtifactKind::Design, ActivityAction::Start) => check_discovery_done(step.tx, current, &template).await?,
            (ArtifactKind::Design, ActivityAction::Complete) => check_mitigated(step.tx, current).await?,
            (ArtifactKind::DiscoveryAndAnalysis, ActivityAction::Complete) => check_readiness_target(current)?,
            (ArtifactKind::DiscoveryAndAnalysis, ActivityAction::Reopen) => {
                check_design_not_started(step.tx, current, &template).await?
            }
            _ => {}
        }
        let now = Some(Utc::now());
        let changes = match self {
            ActivityAction::Start => activity::ActiveModel { started_at: Set(now), ..Default::default() },
            ActivityAction::Complete => activity::ActiveModel { completed_at: Set(now), ..Default::default() },
            ActivityAction::Reopen => {
                activity::ActiveModel { completed_at: Set(None::<DateTime<Utc>>), ..Default::default() }
            }
        };
        let saved = step.save(activity::ActiveModel { status: Set(status), ..changes }).await?;
        let (event, past) = match self {
            ActivityAction::Start => (Action::ActivityStarted, "started"),
            ActivityAction::Complete => (Action::ActivityCompleted, "completed"),
            ActivityAction::Reopen => (Action::ActivityReopened, "reopened"),
        };
        Ok(Done::saved(saved, event, format!("{past} \"{}\"", template.title)))
    }
}

/// The activities of `kind` for the same capability as `activity` (of `template`).
async fn siblings<C: ConnectionTrait>(
    tx: &C,
    activity: &activity::Model,
    template: &artifact_template::Model,
    kind: ArtifactKind,
) -> Result<Vec<activity::Model>> {
    let templates = artifact_template::Entity::find()
        .filter(artifact_template::Column::KitId.eq(template.kit_id))
        .filter(artifact_template::Column::CapabilityId.eq(template.capability_id))
        .filter(artifact_template::Column::Kind.eq(kind))
        .all(tx)
        .await?;
    Ok(activity::Entity::find()
        .filter(activity::Column::EngagementId.eq(activity.engagement_id))
        .filter(activity::Column::ArtifactTemplateId.is_in(templates.iter().map(|t| t.id)))
        .all(tx)
        .await?)
}

/// The Design of a capability starts once its Discovery & Analysis is done.
async fn check_discovery_done<C: ConnectionTrait>(
    tx: &C,
    design: &activity::Model,
    template: &artifact_template::Model,
) -> Result<()> {
    let discovery = siblings(tx, design, template, ArtifactKind::DiscoveryAndAnalysis).await?;
    if discovery.iter().any(|a| a.status != ActivityStatus::Done) {
        return Err(Error::user(
            "activityId",
            Code::DiscoveryNotDone,
            "the capability's Discovery & Analysis activity must be done before its Design starts",
        ));
    }
    Ok(())
}

/// A Discovery & Analysis reopens only while its capability's Design has not started.
async fn check_design_not_started<C: ConnectionTrait>(
    tx: &C,
    discovery: &activity::Model,
    template: &artifact_template::Model,
) -> Result<()> {
    let design = siblings(tx, discovery, template, ArtifactKind::Design).await?;
    if design.iter().any(|a| a.status != ActivityStatus::NotStarted) {
        return Err(Error::user(
            "activityId",
            Code::DesignInProgress,
            "the capability's Design has started: its Discovery & Analysis can no longer be reopened",
        ));
    }
    Ok(())
}

/// A Discovery & Analysis completes only once its target readiness state is agreed.
fn check_readiness_target(discovery: &activity::Model) -> Result<()> {
    if readiness::target_of(discovery).is_some() {
        return Ok(());
    }
    Err(Error::user(
        "activityId",
        Code::ReadinessTargetMissing,
        "agree the target readiness state (`setReadinessTarget`) before completing the Discovery & Analysis",
    ))
}

/// A Design completes only when none of its deviations is unmitigated.
async fn check_mitigated<C: ConnectionTrait>(tx: &C, design: &activity::Model) -> Result<()> {
    let open = deviations::unmitigated_count(tx, design.id).await?;
    if open > 0 {
        return Err(Error::user(
            "activityId",
            Code::DeviationWithoutMitigation,
            format!("{open} deviation(s) of this design have no mitigation plan yet"),
        ));
    }
    Ok(())
}

fn verb(action: ActivityAction) -> &'static str {
    match action {
        ActivityAction::Start => "start",
        ActivityAction::Complete => "complete",
        ActivityAction::Reopen => "reopen",
    }
}

fn status_name(status: ActivityStatus) -> &'static str {
    match status {
        ActivityStatus::NotStarted => "not started",
        ActivityStatus::InProgress => "in progress",
        ActivityStatus::Done => "done",
    }
}
