//! `recordWorkshopOutcome`: consultants and workstream members record who
//! attended, the notes and the outcomes. The session is then HELD; recording
//! again replaces what was recorded. A cancelled session cannot be held.

use crate::domain::action::Action;
use crate::domain::permissions::Permission;
use crate::domain::write;
use crate::error::Code;
use opskit_entity::{engagement_member, enums::SessionStatus, workshop_session};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use super::{
    get,
    rules::{self, MAX_NOTES},
    save::save,
    status::{SessionEvent, transition},
};
use crate::{
    domain::{
        Viewer, audit,
        ids::{MemberId, WorkshopSessionId},
    },
    error::{Error, Result, UserError},
};

/// What happened in a session; `None` keeps what was recorded before.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub session_id: WorkshopSessionId,
    /// Members of the engagement who attended.
    pub attendee_member_ids: Option<Vec<MemberId>>,
    /// An empty string clears the notes.
    pub notes: Option<String>,
    pub outcomes: Option<Vec<String>>,
    pub expected_version: Option<i32>,
}

/// Records a session's outcome and marks it HELD.
pub async fn record_outcome(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: Outcome,
) -> Result<workshop_session::Model> {
    crate::transaction!(db, |tx| {
        let (session, access) = get(tx, viewer, input.session_id).await?;
        access.check(Permission::RecordSessionNotes)?;
        write::check_version("workshop session", session.version, input.expected_version)?;
        let mut errors = Vec::new();
        let status = transition(&mut errors, session.status, SessionEvent::Hold);

        let attendees = match &input.attendee_member_ids {
            Some(ids) => {
                let wanted = rules::distinct(ids.iter().map(|m| m.0));
                let members: Vec<i64> = engagement_member::Entity::find()
                    .select_only()
                    .column(engagement_member::Column::Id)
                    .filter(engagement_member::Column::EngagementId.eq(access.engagement.id))
                    .filter(engagement_member::Column::Id.is_in(wanted.iter().copied()))
                    .into_tuple()
                    .all(tx)
                    .await?;
                if members.len() != wanted.len() {
                    errors.push(UserError::new(
                        "attendeeMemberIds",
                        Code::NotAMember,
                        "every attendee must be a member of the engagement",
                    ));
                }
                serde_json::json!(wanted)
            }
            None => session.attendee_member_ids.clone(),
        };
        let notes = match &input.notes {
            Some(notes) => rules::text(&mut errors, "notes", Some(notes), MAX_NOTES),
            None => session.notes.clone(),
        };
        let outcomes = match &input.outcomes {
            Some(outcomes) => serde_json::json!(rules::outcomes(&mut errors, outcomes)),
            None => session.outcomes.clone(),
        };
        let Some(status) = status.filter(|_| errors.is_empty()) else {
            return Err(Error::User(errors));
        };

        let updated =
            workshop_session::Model { status, attendee_member_ids: attendees, notes, outcomes, ..session.clone() };
        let updated = save(tx, &session, updated).await?;
        let (action, verb) = if session.status == SessionStatus::Held {
            (Action::SessionOutcomeUpdated, "updated the outcome of")
        } else {
            (Action::SessionHeld, "recorded the outcome of")
        };
        let attended = super::ids_in(&updated.attendee_member_ids).len();
        let summary = format!("{verb} \"{}\" ({attended} attendees)", session.title);
        audit::record_in(tx, viewer, &access, action, session.id, &summary).await?;
        Ok(updated)
    })
}
