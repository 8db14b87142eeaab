//! `assignActivity`, `setActivityTracker`, `setReadinessTarget`, `setDesignAdoption`.

use crate::domain::action::Action;
use crate::domain::permissions::Permission;
use crate::error::Code;
use opskit_entity::{
    activity, engagement_member,
    enums::{ArtifactKind, DesignAdoption, EngagementRole, TrackerSystem},
};
use sea_orm::{DatabaseConnection, EntityTrait, sea_query::Expr};

use super::{load_for_change, save};
use crate::{
    domain::{
        Viewer, audit,
        ids::{ActivityId, MemberId},
        validate::{check_label, check_url},
    },
    error::{Error, Result, UserError},
};

/// Assigns the activity to a consultant member, or unassigns it (`None`).
pub async fn assign(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: ActivityId,
    member: Option<MemberId>,
    expected_version: Option<i32>,
) -> Result<activity::Model> {
    crate::transaction!(db, |tx| {
        let (current, template, access) = load_for_change(tx, viewer, id, expected_version).await?;
        access.check(Permission::AssignActivities)?;
        let assignee = match member {
            Some(member_id) => {
                let member = engagement_member::Entity::find_by_id(member_id.0)
                    .one(tx)
                    .await?
                    .filter(|m| m.engagement_id == current.engagement_id)
                    .ok_or_else(|| {
                        Error::user("memberId", Code::NotAMember, "the assignee is not a member of this engagement")
                    })?;
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
        let saved = save(tx, &current, vec![(activity::Column::AssigneeMemberId, Expr::value(assignee))]).await?;
        let summary = match assignee {
            Some(m) => format!("assigned \"{}\" to member {m}", template.title),
            None => format!("unassigned \"{}\"", template.title),
        };
        audit::record_in(tx, viewer, &access, Action::ActivityAssigned, saved.id, &summary).await?;
        Ok(saved)
    })
}

/// The task that tracks the activity in the customer's (or our) tracker.
#[derive(Debug, Clone)]
pub struct Tracker {
    pub system: TrackerSystem,
    pub key: String,
    pub url: Option<String>,
}

/// Sets (or with `None`, clears) the activity's tracker reference.
pub async fn set_tracker(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: ActivityId,
    tracker: Option<Tracker>,
    expected_version: Option<i32>,
) -> Result<activity::Model> {
    if let Some(t) = &tracker {
        let mut errors = Vec::new();
        check_label(&mut errors, "key", &t.key);
        if let Some(url) = &t.url {
            check_url(&mut errors, "url", url);
        }
        if !errors.is_empty() {
            return Err(Error::User(errors));
        }
    }
    crate::transaction!(db, |tx| {
        let (current, template, access) = load_for_change(tx, viewer, id, expected_version).await?;
        access.check(Permission::SetTracker)?;
        let saved = save(
            tx,
            &current,
            vec![
                (activity::Column::TrackerSystem, Expr::value(tracker.as_ref().map(|t| t.system))),
                (activity::Column::TrackerKey, Expr::value(tracker.as_ref().map(|t| t.key.trim().to_owned()))),
                (activity::Column::TrackerUrl, Expr::value(tracker.as_ref().and_then(|t| t.url.clone()))),
            ],
        )
        .await?;
        let summary = match &tracker {
            Some(t) => format!("tracked \"{}\" as {}", template.title, t.key.trim()),
            None => format!("cleared the tracker of \"{}\"", template.title),
        };
        audit::record_in(tx, viewer, &access, Action::ActivityTrackerSet, saved.id, &summary).await?;
        Ok(saved)
    })
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
    let mut errors = Vec::new();
    if target.statement.trim().is_empty() {
        errors.push(UserError::new("statement", Code::Required, "`statement` must not be empty"));
    }
    let criteria: Vec<String> = target.criteria.iter().map(|c| c.trim().to_owned()).collect();
    if criteria.iter().any(String::is_empty) {
        errors.push(UserError::new("criteria", Code::Required, "criteria must not be empty"));
    }
    if !errors.is_empty() {
        return Err(Error::User(errors));
    }
    crate::transaction!(db, |tx| {
        let (current, template, access) = load_for_change(tx, viewer, id, expected_version).await?;
        access.check(Permission::AgreeTargets)?;
        let saved = save(
            tx,
            &current,
            vec![
                (activity::Column::ReadinessStatement, Expr::value(target.statement.trim().to_owned())),
                (activity::Column::ReadinessCriteria, Expr::value(serde_json::json!(criteria))),
            ],
        )
        .await?;
        let summary = format!("agreed the readiness target of \"{}\" ({} criteria)", template.title, criteria.len());
        audit::record_in(tx, viewer, &access, Action::ActivityReadinessTargetSet, saved.id, &summary).await?;
        Ok(saved)
    })
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
    let solution = change.solution_name.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    if change.adoption == DesignAdoption::CustomerSolution && solution.is_none() {
        return Err(Error::user("solutionName", Code::Required, "name the customer's solution"));
    }
    crate::transaction!(db, |tx| {
        let (current, template, access) = load_for_change(tx, viewer, id, expected_version).await?;
        access.check(Permission::AgreeTargets)?;
        if template.kind != ArtifactKind::Design {
            return Err(Error::user("activityId", Code::NotADesignActivity, "only Design activities adopt a design"));
        }
        let saved = save(
            tx,
            &current,
            vec![
                (activity::Column::DesignAdoption, Expr::value(change.adoption)),
                (activity::Column::AdoptedSolution, Expr::value(solution.clone())),
            ],
        )
        .await?;
        let summary = format!("set the adoption of \"{}\" to {:?}", template.title, change.adoption);
        audit::record_in(tx, viewer, &access, Action::ActivityDesignAdoptionSet, saved.id, &summary).await?;
        Ok(saved)
    })
}
