//! `recordWorkshopOutcome`: consultants and workstream members record who
//! attended, the notes and the outcomes. The session is then HELD; recording
//! again replaces what was recorded. A cancelled session cannot be held.

use opskit_entity::{engagement_member, enums::SessionStatus, workshop_session};
use sea_orm::{DatabaseConnection, Set};

use super::{SessionAction, advance, found_in, ids_in, validation};
use crate::{
    domain::{
        Viewer,
        action::Action,
        ids::{MemberId, WorkshopSessionId},
        permissions::Permission,
        validate::Checks,
        write::{self, Command, Done, On, Step},
    },
    error::Result,
};

/// What happened in a session; `None` keeps what was recorded before.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Members of the engagement who attended.
    pub attendee_member_ids: Option<Vec<MemberId>>,
    /// An empty string clears the notes.
    pub notes: Option<String>,
    pub outcomes: Option<Vec<String>>,
}

impl Command for Outcome {
    type Target = workshop_session::Model;
    type Output = workshop_session::Model;

    fn permission(&self) -> Permission {
        SessionAction::RecordOutcome.permission()
    }

    /// The limits of its texts and lists, before anything is read; the other
    /// rules are checked with the stored data, and reported together.
    fn validate(&self) -> Result<()> {
        let mut checks = Checks::new();
        if let Some(ids) = &self.attendee_member_ids {
            validation::linked(&mut checks, "attendeeMemberIds", ids);
        }
        if let Some(notes) = &self.notes {
            let _ = validation::notes(&mut checks, notes);
        }
        if let Some(outcomes) = &self.outcomes {
            let _ = validation::outcomes(&mut checks, outcomes);
        }
        checks.finish_limits()
    }

    async fn apply(&self, step: &Step<'_, workshop_session::Model>) -> Result<Done<workshop_session::Model>> {
        let before = &step.target;
        let mut checks = Checks::new();
        let status = advance(&mut checks, before, SessionAction::RecordOutcome, step.access.role())?;
        let mut changes = workshop_session::ActiveModel::default();
        if let Some(ids) = &self.attendee_member_ids {
            let wanted = validation::distinct(ids.iter().map(|m| m.0));
            let (engagement, id) = (engagement_member::Column::EngagementId, engagement_member::Column::Id);
            let members =
                found_in::<engagement_member::Entity, _>(step.tx, before.engagement_id, engagement, id, &wanted)
                    .await?;
            validation::attendees(&mut checks, wanted.len(), members);
            changes.attendee_member_ids = Set(serde_json::json!(wanted));
        }
        if let Some(notes) = &self.notes {
            changes.notes = Set(validation::notes(&mut checks, notes).flatten());
        }
        if let Some(outcomes) = &self.outcomes {
            changes.outcomes = Set(serde_json::json!(validation::outcomes(&mut checks, outcomes)));
        }
        changes.status = Set(checks.done(status)?);

        let saved = step.save(changes).await?;
        let (action, verb) = if before.status == SessionStatus::Held {
            (Action::SessionOutcomeUpdated, "updated the outcome of")
        } else {
            (Action::SessionHeld, "recorded the outcome of")
        };
        let attended = ids_in(&saved.attendee_member_ids).len();
        let summary = format!("{verb} \"{}\" ({attended} attendees)", saved.title);
        Ok(Done::saved(saved, action, summary))
    }
}

/// Records a session's outcome and marks it HELD.
pub async fn record_outcome(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: WorkshopSessionId,
    outcome: Outcome,
    expected_version: Option<i32>,
) -> Result<workshop_session::Model> {
    write::run(db, viewer, On::versioned(id, expected_version), outcome).await
}
