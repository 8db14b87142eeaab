//! `assignActivity`, `setReadinessTarget`, `setDesignAdoption`: what an
//! activity holds besides its status (its tracker: [`crate::domain::trackers`]).

use opskit_entity::{
    activity, engagement_member,
    enums::{ArtifactKind, DesignAdoption, EngagementRole},
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
