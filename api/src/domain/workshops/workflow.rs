//! The lifecycle of a workshop session as one pure function: a session is
//! added `PLANNED`, then becomes `HELD` (its outcome recorded) or `CANCELLED`.
//! A planned session may be rescheduled; a held one may have its outcome
//! recorded again; a cancelled one is closed for good.

use opskit_entity::enums::SessionStatus;

use crate::{
    domain::{
        permissions::{Permission, Role},
        refusal::Refusal,
    },
    error::Code,
};

/// Something done to a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionAction {
    /// A custom session is added to the engagement's plan.
    Add,
    /// Placed in a sprint, maybe at a time (or moved).
    Schedule,
    /// Its attendees, notes and outcomes are recorded.
    RecordOutcome,
    /// Called off.
    Cancel,
}

impl SessionAction {
    /// The permission the action needs.
    pub const fn permission(self) -> Permission {
        match self {
            SessionAction::Add | SessionAction::Schedule | SessionAction::Cancel => Permission::ScheduleSessions,
            SessionAction::RecordOutcome => Permission::RecordSessionNotes,
        }
    }

    /// What a session closed to the action cannot be, for messages.
    const fn verb(self) -> &'static str {
        match self {
            SessionAction::Add => "added",
            SessionAction::Schedule => "rescheduled",
            SessionAction::RecordOutcome => "held",
            SessionAction::Cancel => "cancelled",
        }
    }
}

/// The status `action` by `role` leads to from `from`, the session's status
/// (`None` for a session not added yet). Only a new session is added and only
/// a stored one is acted on: any other pairing names no session (`NOT_FOUND`).
pub fn next(from: Option<SessionStatus>, action: SessionAction, role: Role) -> Result<SessionStatus, Refusal> {
    use SessionAction::{Add, Cancel, RecordOutcome, Schedule};
    use SessionStatus::{Cancelled, Held, Planned};
    Refusal::unless_allowed(role, action.permission())?;
    match (from, action) {
        (None, Add) | (Some(Planned), Schedule) => Ok(Planned),
        (Some(Planned | Held), RecordOutcome) => Ok(Held),
        (Some(Planned), Cancel) => Ok(Cancelled),
        (Some(Held), Schedule | Cancel) | (Some(Cancelled), Schedule | RecordOutcome | Cancel) => {
            Err(Refusal::Rule(Code::SessionClosed))
        }
        (Some(_), Add) | (None, Schedule | RecordOutcome | Cancel) => Err(Refusal::Rule(Code::NotFound)),
    }
}

/// Why `action` is refused on a session that is `status`: "a held session cannot be cancelled".
pub fn refused_message(status: SessionStatus, action: SessionAction) -> String {
    let state = match status {
        SessionStatus::Planned => "planned",
        SessionStatus::Held => "held",
        SessionStatus::Cancelled => "cancelled",
    };
    format!("a {state} session cannot be {}", action.verb())
}

#[cfg(test)]
mod tests {
    use super::{SessionAction::*, *};
    use crate::domain::refusal::assert_every_transition;
    use Role::{Admin, Consultant, WorkstreamMember};
    use SessionStatus::{Cancelled, Held, Planned};

    const STATES: [Option<SessionStatus>; 4] = [None, Some(Planned), Some(Held), Some(Cancelled)];
    const ACTIONS: [SessionAction; 4] = [Add, Schedule, RecordOutcome, Cancel];

    /// The specification, written out: (from, action) → the state or the code.
    fn spec(from: Option<SessionStatus>, action: SessionAction) -> Result<SessionStatus, Code> {
        match (from, action) {
            (None, Add) => Ok(Planned),
            (None, Schedule | RecordOutcome | Cancel) => Err(Code::NotFound),
            (Some(_), Add) => Err(Code::NotFound),
            (Some(Planned), Schedule) => Ok(Planned),
            (Some(Planned), RecordOutcome) => Ok(Held),
            (Some(Planned), Cancel) => Ok(Cancelled),
            (Some(Held), Schedule) => Err(Code::SessionClosed),
            (Some(Held), RecordOutcome) => Ok(Held),
            (Some(Held), Cancel) => Err(Code::SessionClosed),
            (Some(Cancelled), Schedule | RecordOutcome | Cancel) => Err(Code::SessionClosed),
        }
    }

    /// Who may, written out (design.md §4, "schedule sessions, record notes"):
    /// consultants schedule, add and cancel; consultants and workstream members
    /// record outcomes; stakeholders do neither; admins everything.
    fn may(role: Role, action: SessionAction) -> bool {
        match action {
            Add | Schedule | Cancel => matches!(role, Admin | Consultant),
            RecordOutcome => matches!(role, Admin | Consultant | WorkstreamMember),
        }
    }

    #[test]
    fn every_state_action_and_role() {
        assert_every_transition(&STATES, &ACTIONS, next, spec, may, SessionAction::permission);
    }

    #[test]
    fn a_refusal_says_what_the_session_is() {
        assert_eq!(refused_message(Held, Cancel), "a held session cannot be cancelled");
        assert_eq!(refused_message(Cancelled, RecordOutcome), "a cancelled session cannot be held");
    }
}
