//! `scheduleWorkshopSession`: consultants (and admins) place a planned session
//! in a sprint of its engagement, at a time on one of the sprint's days.

use chrono::{DateTime, Utc};
use opskit_entity::workshop_session;
use sea_orm::{DatabaseConnection, Set, sea_query::LockType};

use super::{SessionAction, advance, validation, when};
use crate::{
    domain::{
        Viewer,
        action::Action,
        ids::{SprintId, WorkshopSessionId},
        permissions::Permission,
        sprints,
        validate::Checks,
        write::{self, Command, Done, On, Step},
    },
    error::Result,
};

/// Where and when a session takes place. Every call sets the whole schedule.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub sprint_id: SprintId,
    /// `None` plans the session into the sprint without a time yet.
    pub starts_at: Option<DateTime<Utc>>,
    /// `None` keeps the session's duration.
    pub duration_minutes: Option<i32>,
}

impl Command for Schedule {
    type Target = workshop_session::Model;
    type Output = workshop_session::Model;

    fn permission(&self) -> Permission {
        SessionAction::Schedule.permission()
    }

    async fn apply(&self, step: &Step<'_, workshop_session::Model>) -> Result<Done<workshop_session::Model>> {
        let session = &step.target;
        // Locked (shared) so that the sprint's dates cannot move before this commits.
        let sprint = sprints::sprint_in(step.tx, &step.access, self.sprint_id, Some(LockType::Share)).await?;
        let mut checks = Checks::new();
        let status = advance(&mut checks, session, SessionAction::Schedule, step.access.role())?;
        let duration = self.duration_minutes.unwrap_or(session.duration_minutes);
        if self.duration_minutes.is_some() {
            validation::duration(&mut checks, duration);
        }
        if let Some(starts_at) = self.starts_at {
            validation::starts_in(&mut checks, starts_at, Some(&sprint));
        }
        let status = checks.done(status)?;

        let saved = step
            .save(workshop_session::ActiveModel {
                sprint_id: Set(Some(sprint.id)),
                starts_at: Set(self.starts_at),
                duration_minutes: Set(duration),
                status: Set(status),
                ..Default::default()
            })
            .await?;
        let at = self.starts_at.map_or_else(|| "with no time yet".to_owned(), |t| format!("at {}", when(t)));
        let summary = format!("scheduled \"{}\" in {} {at}", saved.title, sprints::name(sprint.number));
        Ok(Done::saved(saved, Action::SessionScheduled, summary))
    }
}

/// Schedules a session. A sprint of another engagement is `NOT_FOUND`.
pub async fn schedule(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: WorkshopSessionId,
    schedule: Schedule,
    expected_version: Option<i32>,
) -> Result<workshop_session::Model> {
    write::run(db, viewer, On::versioned(id, expected_version), schedule).await
}
