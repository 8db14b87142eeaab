//! `addWorkshopSession`: consultants (and admins) add a custom session,
//! after the kit's sessions, optionally already scheduled.

use chrono::{DateTime, Utc};
use opskit_entity::{
    activity, engagement,
    enums::{Audience, WorkshopPhase},
    workshop_session,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, sea_query::LockType,
};

use super::{Plan, SessionAction, found_in, next, validation, when};
use crate::{
    domain::{
        Viewer,
        action::Action,
        ids::{ActivityId, CapabilityId, EngagementId, SprintId},
        kits,
        permissions::Permission,
        sprints,
        validate::Checks,
        write::{self, Command, Done, On, Step},
    },
    error::{Error, Result},
};

/// What a caller asks for.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub engagement_id: EngagementId,
    pub title: String,
    pub phase: WorkshopPhase,
    pub audience: Audience,
    pub duration_minutes: i32,
    /// A capability of the engagement's kit version.
    pub capability_id: Option<CapabilityId>,
    /// Activities of the engagement the session works on.
    pub activity_ids: Vec<ActivityId>,
    pub sprint_id: Option<SprintId>,
    /// Needs `sprint_id`, and must fall on one of its days.
    pub starts_at: Option<DateTime<Utc>>,
}

impl Command for NewSession {
    type Target = engagement::Model;
    type Output = workshop_session::Model;

    fn permission(&self) -> Permission {
        SessionAction::Add.permission()
    }

    /// The limits of its texts and lists, before anything is read; the other
    /// rules are checked with the stored data, and reported together.
    fn validate(&self) -> Result<()> {
        let mut checks = Checks::new();
        let _ = validation::title(&mut checks, &self.title);
        validation::duration(&mut checks, self.duration_minutes);
        validation::linked(&mut checks, "activityIds", &self.activity_ids);
        checks.finish_limits()
    }

    async fn apply(&self, step: &Step<'_, engagement::Model>) -> Result<Done<workshop_session::Model>> {
        let (tx, access) = (step.tx, &step.access);
        let capability = match self.capability_id {
            Some(id) => Some(kits::capability_in(tx, access, id).await?),
            None => None,
        };
        let activity_ids = validation::distinct(self.activity_ids.iter().map(|a| a.0));
        let (engagement, id) = (activity::Column::EngagementId, activity::Column::Id);
        let found = found_in::<activity::Entity, _>(tx, step.target.id, engagement, id, &activity_ids).await?;
        if found != activity_ids.len() {
            return Err(Error::NotFound("activity"));
        }
        // Locked (shared) so that the sprint's dates cannot move before this commits.
        let sprint = match self.sprint_id {
            Some(id) => Some(sprints::sprint_in(tx, access, id, Some(LockType::Share)).await?),
            None => None,
        };
        let positions: Vec<i32> = workshop_session::Entity::find()
            .select_only()
            .column(workshop_session::Column::Position)
            .filter(workshop_session::Column::EngagementId.eq(step.target.id))
            .into_tuple()
            .all(tx)
            .await?;

        let status = next(None, SessionAction::Add, access.role()).map_err(|r| r.into_plain_error("engagementId"))?;
        let mut checks = Checks::new();
        validation::room(&mut checks, positions.len());
        let title = validation::title(&mut checks, &self.title);
        validation::duration(&mut checks, self.duration_minutes);
        if let Some(starts_at) = self.starts_at {
            validation::starts_in(&mut checks, starts_at, sprint.as_ref());
        }
        let title = checks.done(title)?;

        let plan = Plan {
            template_id: None,
            position: positions.iter().copied().max().unwrap_or(-1) + 1,
            phase: self.phase,
            title,
            audience: self.audience,
            duration_minutes: self.duration_minutes,
            capability_id: capability.map(|c| c.id),
            activity_ids,
            sprint_id: sprint.as_ref().map(|s| s.id),
            starts_at: self.starts_at,
        };
        let added = plan.row(step.target.id, status, Utc::now()).insert(tx).await?;
        let mut summary = format!("added session \"{}\"", added.title);
        if let Some(sprint) = &sprint {
            summary.push_str(&format!(" in {}", sprints::name(sprint.number)));
        }
        if let Some(at) = added.starts_at {
            summary.push_str(&format!(" at {}", when(at)));
        }
        Ok(Done::saved(added, Action::SessionAdded, summary))
    }
}

/// Adds a custom session. A capability of another kit, or an activity or
/// sprint of another engagement, is `NOT_FOUND`.
pub async fn add(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewSession,
    idempotency_key: Option<&str>,
) -> Result<workshop_session::Model> {
    write::run_once(db, viewer, On::id(input.engagement_id), input, idempotency_key).await
}
