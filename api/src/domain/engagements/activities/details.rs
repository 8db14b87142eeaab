//! `assignActivity`, `setActivityTracker`, `setReadinessTarget`,
//! `setDesignAdoption`: what an activity holds besides its status.

use opskit_entity::{
    activity, engagement_member,
    enums::{ArtifactKind, DesignAdoption, EngagementRole, TrackerSystem},
};
use sea_orm::{DatabaseConnection, EntityTrait, Set};

use super::{
    template_of,
    validation::{self, Checked},
};
use crate::{
    domain::{
        Viewer,
        action::Action,
        ids::{ActivityId, MemberId},
        permissions::Permission,
        write::{self, Command, Done, On, Step},
    },
    error::{Code, Error, Result},
};

/// Assigns the activity to a consultant member, or unassigns it (`None`).
pub async fn assign(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: ActivityId,
    member: Option<MemberId>,
    expected_version: Option<i32>,
) -> Result<activity::Model> {
    write::run(db, viewer, On::versioned(id, expected_version), Assign(member)).await
}

struct Assign(Option<MemberId>);

impl Command for Assign {
    type Target = activity::Model;
    type Output = activity::Model;

    fn permission(&self) -> Permission {
        Permission::AssignActivities
    }

    async fn apply(&self, step: &Step<'_, activity::Model>) -> Result<Done<activity::Model>> {
        let assignee = match self.0 {
            Some(member_id) => {
                let member = engagement_member::Entity::find_by_id(member_id.0)
                    .one(step.tx)
                    .await?
                    .filter(|m| m.engagement_id == step.target.engagement_id)
                    .ok_or_else(|| {
                        Error::user("memberId", Code::NotAMember, "the assignee is not a member of this engagement")
                    })?;
                // A rule about the assignee, not the caller: the D&A and Design work is the consultants'.
                if member.role != EngagementRole::Consultant {
                    return Err(Error::user(
                        "memberId",
                        Code::NotAConsultant,
                        "activities are assigned to consultants",
                    ));
                }
                Some(member.id)
            }
            None => None,
        };
        let title = template_of(step.tx, &step.target).await?.title;
        let saved =
            step.save(activity::ActiveModel { assignee_member_id: Set(assignee), ..Default::default() }).await?;
        let summary = match assignee {
            Some(m) => format!("assigned \"{title}\" to member {m}"),
            None => format!("unassigned \"{title}\""),
        };
        Ok(Done::saved(saved, Action::ActivityAssigned, summary))
    }
}

/// The task that tracks the activity in the customer's (or our) tracker.
#[derive(Debug, Clone)]
pub struct Tracker {
    pub system: TrackerSystem,
    pub key: String,
    pub url: Option<String>,
}

/// A tracker reference as asked for: without a system it is cleared (the key
/// and URL are then ignored, once checked for length).
#[derive(Debug, Clone)]
pub struct TrackerChange {
    pub system: Option<TrackerSystem>,
    pub key: String,
    pub url: Option<String>,
}

/// Sets (or without a system, clears) the activity's tracker reference.
pub async fn set_tracker(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: ActivityId,
    change: TrackerChange,
    expected_version: Option<i32>,
) -> Result<activity::Model> {
    let tracker = validation::tracker(change)?;
    write::run(db, viewer, On::versioned(id, expected_version), tracker).await
}

impl Command for Checked<Option<Tracker>> {
    type Target = activity::Model;
    type Output = activity::Model;

    fn permission(&self) -> Permission {
        Permission::SetTracker
    }

    async fn apply(&self, step: &Step<'_, activity::Model>) -> Result<Done<activity::Model>> {
        let tracker = self.as_ref();
        let title = template_of(step.tx, &step.target).await?.title;
        let saved = step
            .save(activity::ActiveModel {
                tracker_system: Set(tracker.map(|t| t.system)),
                tracker_key: Set(tracker.map(|t| t.key.clone())),
                tracker_url: Set(tracker.and_then(|t| t.url.clone())),
                ..Default::default()
            })
            .await?;
        let summary = match tracker {
            Some(t) => format!("tracked \"{title}\" as {}", t.key),
            None => format!("cleared the tracker of \"{title}\""),
        };
        Ok(Done::saved(saved, Action::ActivityTrackerSet, summary))
    }
}

/// The agreed operational readiness state: a statement and its criteria.
#[derive(Debug, Clone)]
pub struct ReadinessTarget {
    pub statement: String,
    pub criteria: Vec<String>,
}

/// Agrees the activity's operational readiness target.
pub async fn set_readiness_target(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: ActivityId,
    target: ReadinessTarget,
    expected_version: Option<i32>,
) -> Result<activity::Model> {
    let target = validation::readiness_target(target)?;
    write::run(db, viewer, On::versioned(id, expected_version), target).await
}

impl Command for Checked<ReadinessTarget> {
    type Target = activity::Model;
    type Output = activity::Model;

    fn permission(&self) -> Permission {
        Permission::AgreeTargets
    }

    async fn apply(&self, step: &Step<'_, activity::Model>) -> Result<Done<activity::Model>> {
        let title = template_of(step.tx, &step.target).await?.title;
        let saved = step
            .save(activity::ActiveModel {
                readiness_statement: Set(Some(self.statement.clone())),
                readiness_criteria: Set(Some(serde_json::json!(self.criteria))),
                ..Default::default()
            })
            .await?;
        let summary = format!("agreed the readiness target of \"{title}\" ({} criteria)", self.criteria.len());
        Ok(Done::saved(saved, Action::ActivityReadinessTargetSet, summary))
    }
}

/// How a Design activity adopts the recommended design.
#[derive(Debug, Clone)]
pub struct DesignAdoptionChange {
    pub adoption: DesignAdoption,
    /// The customer's solution, e.g. their COTS patch tool; required for `CUSTOMER_SOLUTION`.
    pub solution_name: Option<String>,
}

/// Records how a Design activity adopts the recommended design.
pub async fn set_design_adoption(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: ActivityId,
    change: DesignAdoptionChange,
    expected_version: Option<i32>,
) -> Result<activity::Model> {
    let change = validation::design_adoption(change)?;
    write::run(db, viewer, On::versioned(id, expected_version), change).await
}

impl Command for Checked<DesignAdoptionChange> {
    type Target = activity::Model;
    type Output = activity::Model;

    fn permission(&self) -> Permission {
        Permission::AgreeTargets
    }

    async fn apply(&self, step: &Step<'_, activity::Model>) -> Result<Done<activity::Model>> {
        let template = template_of(step.tx, &step.target).await?;
        if template.kind != ArtifactKind::Design {
            return Err(Error::user("activityId", Code::NotADesignActivity, "only Design activities adopt a design"));
        }
        let saved = step
            .save(activity::ActiveModel {
                design_adoption: Set(Some(self.adoption)),
                adopted_solution: Set(self.solution_name.clone()),
                ..Default::default()
            })
            .await?;
        let summary = format!("set the adoption of \"{}\" to {:?}", template.title, self.adoption);
        Ok(Done::saved(saved, Action::ActivityDesignAdoptionSet, summary))
    }
}
