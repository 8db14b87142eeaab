//! `cancelWorkshopSession`: consultants (and admins) call off a planned
//! session. It keeps its sprint and time, as a record of what was planned.

use opskit_entity::workshop_session;
use sea_orm::{DatabaseConnection, Set};

use super::{SessionAction, advance, validation};
use crate::{
    domain::{
        Viewer,
        action::Action,
        ids::WorkshopSessionId,
        permissions::Permission,
        validate::Checks,
        write::{self, Command, Done, On, Step},
    },
    error::Result,
};

/// Why a session is cancelled.
#[derive(Debug, Clone, Default)]
pub struct Cancellation {
    /// Blank is the same as none.
    pub reason: Option<String>,
}

impl Command for Cancellation {
    type Target = workshop_session::Model;
    type Output = workshop_session::Model;

    fn permission(&self) -> Permission {
        SessionAction::Cancel.permission()
    }

    /// The limits of its texts and lists, before anything is read; the other
    /// rules are checked with the stored data, and reported together.
    fn validate(&self) -> Result<()> {
        let mut checks = Checks::new();
        let _ = validation::reason(&mut checks, self.reason.as_deref());
        checks.finish_limits()
    }

    async fn apply(&self, step: &Step<'_, workshop_session::Model>) -> Result<Done<workshop_session::Model>> {
        let mut checks = Checks::new();
        let status = advance(&mut checks, &step.target, SessionAction::Cancel, step.access.role())?;
        let reason = validation::reason(&mut checks, self.reason.as_deref());
        let (status, reason) = checks.done(status.zip(reason))?;

        let because = reason.as_ref().map_or_else(String::new, |r| format!(": {r}"));
        let changes =
            workshop_session::ActiveModel { status: Set(status), cancel_reason: Set(reason), ..Default::default() };
        let saved = step.save(changes).await?;
        let summary = format!("cancelled \"{}\"{because}", saved.title);
        Ok(Done::saved(saved, Action::SessionCancelled, summary))
    }
}

/// Cancels a planned session; a held or cancelled one is `SESSION_CLOSED`.
pub async fn cancel(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: WorkshopSessionId,
    cancellation: Cancellation,
    expected_version: Option<i32>,
) -> Result<workshop_session::Model> {
    write::run(db, viewer, On::versioned(id, expected_version), cancellation).await
}
