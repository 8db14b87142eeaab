//! `startActivity`, `completeActivity`, `reopenActivity`: the workflow's
//! step, plus the rules across activities a Design obeys.

use chrono::{DateTime, Utc};
use opskit_entity::{
    activity, artifact_template, deviation,
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
        permissions::{Permission, Role},
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
        if DesignFacts::needed(*self, &template) {
            let facts = DesignFacts::load(step.tx, current, &template).await?;
            design_rules(*self, current, &template, &facts)?;
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

/// What the rules across activities look at for a Design: the artifact
/// templates of its capability, the engagement's activities, its deviations.
pub struct DesignFacts {
    pub capability_templates: Vec<artifact_template::Model>,
    pub activities: Vec<activity::Model>,
    pub deviations: Vec<deviation::Model>,
}

impl DesignFacts {
    /// Whether `action` on an activity of `template` obeys rules across activities.
    pub fn needed(action: ActivityAction, template: &artifact_template::Model) -> bool {
        template.kind == ArtifactKind::Design && action != ActivityAction::Reopen
    }

    async fn load<C: ConnectionTrait>(
        tx: &C,
        design: &activity::Model,
        template: &artifact_template::Model,
    ) -> Result<Self> {
        let capability_templates = artifact_template::Entity::find()
            .filter(artifact_template::Column::CapabilityId.eq(template.capability_id))
            .all(tx)
            .await?;
        let activities =
            activity::Entity::find().filter(activity::Column::EngagementId.eq(design.engagement_id)).all(tx).await?;
        let deviations = deviation::Entity::find().filter(deviation::Column::ActivityId.eq(design.id)).all(tx).await?;
        Ok(Self { capability_templates, activities, deviations })
    }
}

/// The rules across activities a Design activity (`design`, of `template`)
/// obeys (when [`DesignFacts::needed`]): it starts once its capability's Discovery & Analysis activity is
/// done, and completes only when none of its deviations is unmitigated.
pub fn design_rules(
    action: ActivityAction,
    design: &activity::Model,
    template: &artifact_template::Model,
    facts: &DesignFacts,
) -> Result<()> {
    match action {
        ActivityAction::Start => {
            let is_discovery = |id: i64| {
                facts.capability_templates.iter().any(|t| {
                    t.id == id
                        && t.kit_id == template.kit_id
                        && t.capability_id == template.capability_id
                        && t.kind == ArtifactKind::DiscoveryAndAnalysis
                })
            };
            let waiting = facts.activities.iter().any(|a| {
                a.engagement_id == design.engagement_id
                    && is_discovery(a.artifact_template_id)
                    && a.status != ActivityStatus::Done
            });
            if waiting {
                return Err(Error::user(
                    "activityId",
                    Code::DiscoveryNotDone,
                    "the capability's Discovery & Analysis activity must be done before its Design starts",
                ));
            }
        }
        ActivityAction::Complete => {
            let open =
                facts.deviations.iter().filter(|d| d.activity_id == design.id && deviations::is_unmitigated(d)).count();
            if open > 0 {
                return Err(Error::user(
                    "activityId",
                    Code::DeviationWithoutMitigation,
                    format!("{open} deviation(s) of this design have no mitigation plan yet"),
                ));
            }
        }
        ActivityAction::Reopen => {}
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

/// Whether the caller, with `role`, would have `action` accepted on `activity`
/// (of `template`): the workflow, then the rules across activities.
pub fn can(
    activity: &activity::Model,
    action: ActivityAction,
    role: Role,
    template: &artifact_template::Model,
    facts: &DesignFacts,
) -> bool {
    next(activity.status, action, role).is_ok()
        && (!DesignFacts::needed(action, template) || design_rules(action, activity, template, facts).is_ok())
}
