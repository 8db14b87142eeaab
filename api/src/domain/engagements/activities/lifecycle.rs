//! `startActivity`, `completeActivity`, `reopenActivity`: the workflow's
//! step, plus the kit's rules across activities (Design after Discovery,
//! readiness target before completing Discovery, no reopening under a Design).

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
        transition(step, *self).await
    }
}

/// The rule of `action` on the loaded activity, whoever asks (a person, or a
/// tracker connection following a ticket): the workflow, the rules across
/// activities, then the save. Completing or reopening clears the status a
/// linked ticket reported while the activity could not follow it.
pub(crate) async fn transition(
    step: &Step<'_, activity::Model>,
    action: ActivityAction,
) -> Result<Done<activity::Model>> {
    let current = &step.target;
    key_rules(action, current, step.access.role())?;
    let status = next(current.status, action, step.access.role()).map_err(|refusal| {
        let message = format!("cannot {} an activity that is {}", verb(action), status_name(current.status));
        refusal.into_error("activityId", message)
    })?;
    let template = template_of(step.tx, current).await?;
    let facts = match DesignFacts::needed(action, &template) {
        true => DesignFacts::load(step.tx, current, &template).await?,
        false => DesignFacts::default(),
    };
    design_rules(action, current, &template, &facts)?;
    let now = Some(Utc::now());
    let mut changes = match action {
        ActivityAction::Start => activity::ActiveModel { started_at: Set(now), ..Default::default() },
        ActivityAction::Complete => activity::ActiveModel { completed_at: Set(now), ..Default::default() },
        ActivityAction::Reopen => {
            activity::ActiveModel { completed_at: Set(None::<DateTime<Utc>>), ..Default::default() }
        }
    };
    changes.status = Set(status);
    if action != ActivityAction::Start && current.tracker_status.is_some() {
        changes.tracker_status = Set(None);
        changes.tracker_status_reason = Set(None);
        changes.tracker_status_at = Set(None);
    }
    let saved = step.save(changes).await?;
    let (event, past) = match action {
        ActivityAction::Start => (Action::ActivityStarted, "started"),
        ActivityAction::Complete => (Action::ActivityCompleted, "completed"),
        ActivityAction::Reopen => (Action::ActivityReopened, "reopened"),
    };
    Ok(Done::saved(saved, event, format!("{past} \"{}\"", template.title)))
}

/// What the rules across activities look at: the artifact templates of the
/// activity's capability, the engagement's activities, the activity's
/// deviations. Empty when [`DesignFacts::needed`] says none is needed.
#[derive(Default)]
pub struct DesignFacts {
    pub capability_templates: Vec<std::sync::Arc<artifact_template::Model>>,
    pub activities: Vec<activity::Model>,
    pub deviations: Vec<deviation::Model>,
}

impl DesignFacts {
    /// Whether `action` on an activity of `template` obeys rules that look at
    /// other activities: a Design's start and completion, a Discovery & Analysis's reopening.
    pub fn needed(action: ActivityAction, template: &artifact_template::Model) -> bool {
        matches!(
            (template.kind, action),
            (ArtifactKind::Design, ActivityAction::Start | ActivityAction::Complete)
                | (ArtifactKind::DiscoveryAndAnalysis, ActivityAction::Reopen)
        )
    }

    async fn load<C: ConnectionTrait>(
        tx: &C,
        activity: &activity::Model,
        template: &artifact_template::Model,
    ) -> Result<Self> {
        let capability_templates = artifact_template::Entity::find()
            .filter(artifact_template::Column::CapabilityId.eq(template.capability_id))
            .all(tx)
            .await?
            .into_iter()
            .map(std::sync::Arc::new)
            .collect();
        let activities =
            activity::Entity::find().filter(activity::Column::EngagementId.eq(activity.engagement_id)).all(tx).await?;
        let deviations =
            deviation::Entity::find().filter(deviation::Column::ActivityId.eq(activity.id)).all(tx).await?;
        Ok(Self { capability_templates, activities, deviations })
    }

    /// The engagement's activities of `kind` for the capability of `template`.
    fn siblings<'a>(
        &'a self,
        of: &'a activity::Model,
        template: &'a artifact_template::Model,
        kind: ArtifactKind,
    ) -> impl Iterator<Item = &'a activity::Model> + 'a {
        let is_kind = move |id: i64| {
            self.capability_templates.iter().any(|t| {
                t.id == id && t.kit_id == template.kit_id && t.capability_id == template.capability_id && t.kind == kind
            })
        };
        self.activities.iter().filter(move |a| a.engagement_id == of.engagement_id && is_kind(a.artifact_template_id))
    }
}

/// The kit's rules beyond the workflow for `action` on `activity` (of
/// `template`), with `facts` loaded when [`DesignFacts::needed`]:
/// - a Design starts once its capability's Discovery & Analysis is done, and
///   completes only when none of its deviations is unmitigated;
/// - a Discovery & Analysis completes only once its target readiness state is
///   agreed, and reopens only while its capability's Design has not started.
pub fn design_rules(
    action: ActivityAction,
    activity: &activity::Model,
    template: &artifact_template::Model,
    facts: &DesignFacts,
) -> Result<()> {
    let refuse = |code: Code, message: String| Err(Error::user("activityId", code, message));
    match (template.kind, action) {
        (ArtifactKind::Design, ActivityAction::Start) => {
            let discovery = facts.siblings(activity, template, ArtifactKind::DiscoveryAndAnalysis);
            if discovery.into_iter().any(|a| a.status != ActivityStatus::Done) {
                return refuse(
                    Code::DiscoveryNotDone,
                    "the capability's Discovery & Analysis activity must be done before its Design starts".into(),
                );
            }
        }
        (ArtifactKind::Design, ActivityAction::Complete) => {
            let open = facts
                .deviations
                .iter()
                .filter(|d| d.activity_id == activity.id && deviations::is_unmitigated(d))
                .count();
            if open > 0 {
                return refuse(
                    Code::DeviationWithoutMitigation,
                    format!("{open} deviation(s) of this design have no mitigation plan yet"),
                );
            }
        }
        (ArtifactKind::DiscoveryAndAnalysis, ActivityAction::Complete) if readiness::target_of(activity).is_none() => {
            return refuse(
                Code::ReadinessTargetMissing,
                "agree the target readiness state (`setReadinessTarget`) before completing the Discovery & Analysis"
                    .into(),
            );
        }
        (ArtifactKind::DiscoveryAndAnalysis, ActivityAction::Reopen) => {
            let mut design = facts.siblings(activity, template, ArtifactKind::Design);
            if design.any(|a| a.status != ActivityStatus::NotStarted) {
                return refuse(
                    Code::DesignInProgress,
                    "the capability's Design has started: its Discovery & Analysis can no longer be reopened".into(),
                );
            }
        }
        _ => {}
    }
    Ok(())
}

/// What an integration key needs on top of the table: it completes and
/// reopens only activities linked to a ticket (`FORBIDDEN` otherwise), since
/// what it relays is the ticket's status.
pub fn key_rules(action: ActivityAction, activity: &activity::Model, role: Role) -> Result<()> {
    let linked = activity.tracker_key.is_some();
    match (role, action) {
        (Role::Integration, ActivityAction::Complete | ActivityAction::Reopen) if !linked => Err(Error::Forbidden(
            "an integration key completes and reopens only activities linked to a ticket".to_owned(),
        )),
        _ => Ok(()),
    }
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
    key_rules(action, activity, role).is_ok()
        && next(activity.status, action, role).is_ok()
        && design_rules(action, activity, template, facts).is_ok()
}
