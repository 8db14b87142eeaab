//! `scheduleWorkshopSession`: consultants (and admins) place a planned session
//! in a sprint of its engagement, at a time on one of the sprint's days.

use crate::domain::action::Action;
use crate::domain::permissions::Permission;
use crate::domain::write;
use chrono::{DateTime, Utc};
use opskit_entity::workshop_session;
use sea_orm::DatabaseConnection;

use super::{
    get, rules,
    save::save,
    status::{SessionEvent, transition},
    when,
};
use crate::{
    domain::{
        Viewer, audit,
        ids::{SprintId, WorkshopSessionId},
        sprints,
    },
    error::{Error, Result},
};

/// Where and when a session takes place. Every call sets the whole schedule.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub session_id: WorkshopSessionId,
    pub sprint_id: SprintId,
    /// `None` plans the session into the sprint without a time yet.
    pub starts_at: Option<DateTime<Utc>>,
    /// `None` keeps the session's duration.
    pub duration_minutes: Option<i32>,
    pub expected_version: Option<i32>,
}

/// Schedules a session. A sprint of another engagement is `NOT_FOUND`.
pub async fn schedule(db: &DatabaseConnection, viewer: &Viewer, input: Schedule) -> Result<workshop_session::Model> {
    crate::transaction!(db, |tx| {
        let (session, access) = get(tx, viewer, input.session_id).await?;
        access.check(Permission::ScheduleSessions)?;
        write::check_version("workshop session", session.version, input.expected_version)?;
        // Locked (shared) so that the sprint's dates cannot move before this commits.
        let sprint = sprints::sprint_in(tx, &access, input.sprint_id, true).await?;
        let mut errors = Vec::new();
        let status = transition(&mut errors, session.status, SessionEvent::Schedule);
        let duration = input.duration_minutes.unwrap_or(session.duration_minutes);
        if input.duration_minutes.is_some() {
            rules::check_duration(&mut errors, duration);
        }
        if let Some(starts_at) = input.starts_at {
            rules::check_starts_in(&mut errors, starts_at, &sprint);
        }
        let Some(status) = status.filter(|_| errors.is_empty()) else {
            return Err(Error::User(errors));
        };
        let updated = workshop_session::Model {
            sprint_id: Some(sprint.id),
            starts_at: input.starts_at,
            duration_minutes: duration,
            status,
            ..session.clone()
        };
        let updated = save(tx, &session, updated).await?;
        let at = input.starts_at.map_or_else(|| "with no time yet".to_owned(), |t| format!("at {}", when(t)));
        let summary = format!("scheduled \"{}\" in {} {at}", session.title, sprints::name(sprint.number));
        audit::record_in(tx, viewer, &access, Action::SessionScheduled, session.id, &summary).await?;
        Ok(updated)
    })
}
