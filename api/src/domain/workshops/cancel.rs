//! `cancelWorkshopSession`: consultants (and admins) call off a planned
//! session. It keeps its sprint and time, as a record of what was planned.

use crate::domain::action::Action;
use crate::domain::permissions::Permission;
use opskit_entity::workshop_session;
use sea_orm::DatabaseConnection;

use super::{
    get,
    rules::{self, MAX_REASON},
    save::save,
    status::{SessionEvent, transition},
};
use crate::{
    domain::{Viewer, audit, ids::WorkshopSessionId, write},
    error::{Error, Result},
};

/// Which session to cancel, and why.
#[derive(Debug, Clone)]
pub struct Cancellation {
    pub session_id: WorkshopSessionId,
    pub reason: Option<String>,
    pub expected_version: Option<i32>,
}

/// Cancels a planned session; a held or cancelled one is `SESSION_CLOSED`.
pub async fn cancel(db: &DatabaseConnection, viewer: &Viewer, input: Cancellation) -> Result<workshop_session::Model> {
    crate::transaction!(db, |tx| {
        let (session, access) = get(tx, viewer, input.session_id).await?;
        access.check(Permission::ScheduleSessions)?;
        write::check_version("workshop session", session.version, input.expected_version)?;
        let mut errors = Vec::new();
        let status = transition(&mut errors, session.status, SessionEvent::Cancel);
        let reason = rules::text(&mut errors, "reason", input.reason.as_deref(), MAX_REASON);
        let Some(status) = status.filter(|_| errors.is_empty()) else {
            return Err(Error::User(errors));
        };
        let updated = workshop_session::Model { status, cancel_reason: reason.clone(), ..session.clone() };
        let updated = save(tx, &session, updated).await?;
        let because = reason.map_or_else(String::new, |r| format!(": {r}"));
        let summary = format!("cancelled \"{}\"{because}", session.title);
        audit::record_in(tx, viewer, &access, Action::SessionCancelled, session.id, &summary).await?;
        Ok(updated)
    })
}
