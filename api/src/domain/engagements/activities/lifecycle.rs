//! `startActivity`, `completeActivity`, `reopenActivity`.

use crate::domain::permissions::Permission;
use crate::error::Code;
use chrono::Utc;
use opskit_entity::{
    activity, artifact_template,
    enums::{ActivityStatus, ArtifactKind},
};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, sea_query::Expr};

use super::{Action, load_for_change, save, transition};
use crate::{
    domain::{Viewer, audit, deviations, ids::ActivityId},
    error::{Error, Result},
};

/// NOT_STARTED → IN_PROGRESS. A Design activity waits for its capability's
/// Discovery & Analysis activity to be done.
pub async fn start(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: ActivityId,
    expected_version: Option<i32>,
) -> Result<activity::Model> {
    change(db, viewer, id, expected_version, Action::Start).await
}

/// IN_PROGRESS → DONE, recording when. A Design activity cannot complete
/// while one of its deviations has no mitigation plan.
pub async fn complete(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: ActivityId,
    expected_version: Option<i32>,
) -> Result<activity::Model> {
    change(db, viewer, id, expected_version, Action::Complete).await
}

/// DONE → IN_PROGRESS.
pub async fn reopen(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: ActivityId,
    expected_version: Option<i32>,
) -> Result<activity::Model> {
    change(db, viewer, id, expected_version, Action::Reopen).await
}

async fn change(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: ActivityId,
    expected_version: Option<i32>,
    action: Action,
) -> Result<activity::Model> {
    crate::transaction!(db, |tx| {
        let (current, template, access) = load_for_change(tx, viewer, id, expected_version).await?;
        access.check(Permission::CompleteActivities)?;
        let next = transition(current.status, action).map_err(|code| {
            Error::user(
                "activityId",
                code,
                format!("cannot {} an activity that is {}", verb(action), status_name(current.status)),
            )
        })?;
        if template.kind == ArtifactKind::Design {
            match action {
                Action::Start => check_discovery_done(tx, &current, &template).await?,
                Action::Complete => {
                    let open = deviations::unmitigated_count(tx, current.id).await?;
                    if open > 0 {
                        return Err(Error::user(
                            "activityId",
                            Code::DeviationWithoutMitigation,
                            format!("{open} deviation(s) of this design have no mitigation plan yet"),
                        ));
                    }
                }
                Action::Reopen => {}
            }
        }
        let now = Utc::now();
        let mut changes = vec![(activity::Column::Status, Expr::value(next))];
        match action {
            Action::Start => changes.push((activity::Column::StartedAt, Expr::value(now))),
            Action::Complete => changes.push((activity::Column::CompletedAt, Expr::value(now))),
            Action::Reopen => {
                changes.push((activity::Column::CompletedAt, Expr::value(Option::<chrono::DateTime<Utc>>::None)))
            }
        }
        let saved = save(tx, &current, changes).await?;
        let summary = format!("{} \"{}\"", past(action), template.title);
        audit::record_in(tx, viewer, &access, event(action), saved.id, &summary).await?;
        Ok(saved)
    })
}

/// The Design of a capability starts once its Discovery & Analysis is done.
async fn check_discovery_done<C: ConnectionTrait>(
    tx: &C,
    design: &activity::Model,
    template: &artifact_template::Model,
) -> Result<()> {
    let discovery_templates = artifact_template::Entity::find()
        .filter(artifact_template::Column::KitId.eq(template.kit_id))
        .filter(artifact_template::Column::CapabilityId.eq(template.capability_id))
        .filter(artifact_template::Column::Kind.eq(ArtifactKind::DiscoveryAndAnalysis))
        .all(tx)
        .await?;
    let discovery = activity::Entity::find()
        .filter(activity::Column::EngagementId.eq(design.engagement_id))
        .filter(activity::Column::ArtifactTemplateId.is_in(discovery_templates.iter().map(|t| t.id)))
        .all(tx)
        .await?;
    if discovery.iter().any(|a| a.status != ActivityStatus::Done) {
        return Err(Error::user(
            "activityId",
            Code::DiscoveryNotDone,
            "the capability's Discovery & Analysis activity must be done before its Design starts",
        ));
    }
    Ok(())
}

fn verb(action: Action) -> &'static str {
    match action {
        Action::Start => "start",
        Action::Complete => "complete",
        Action::Reopen => "reopen",
    }
}

fn past(action: Action) -> &'static str {
    match action {
        Action::Start => "started",
        Action::Complete => "completed",
        Action::Reopen => "reopened",
    }
}

fn event(action: Action) -> crate::domain::action::Action {
    match action {
        Action::Start => crate::domain::action::Action::ActivityStarted,
        Action::Complete => crate::domain::action::Action::ActivityCompleted,
        Action::Reopen => crate::domain::action::Action::ActivityReopened,
    }
}

fn status_name(status: ActivityStatus) -> &'static str {
    match status {
        ActivityStatus::NotStarted => "not started",
        ActivityStatus::InProgress => "in progress",
        ActivityStatus::Done => "done",
    }
}
