//! The lifecycle of a workshop session: `PLANNED → HELD` or `PLANNED →
//! CANCELLED`. A planned session may be rescheduled; a held one may have its
//! notes recorded again; a cancelled one is closed for good.

use crate::error::Code;
use opskit_entity::enums::SessionStatus;

use crate::error::UserError;

/// What is done to a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEvent {
    /// Placed in a sprint at a time (or moved).
    Schedule,
    /// Its attendees, notes and outcomes are recorded.
    Hold,
    /// Called off.
    Cancel,
}

/// The status after `event`, or `None` when the session is closed to it.
pub fn next_status(status: SessionStatus, event: SessionEvent) -> Option<SessionStatus> {
    use SessionEvent::{Cancel, Hold, Schedule};
    use SessionStatus::{Cancelled, Held, Planned};
    match (status, event) {
        (Planned, Schedule) => Some(Planned),
        (Planned | Held, Hold) => Some(Held),
        (Planned, Cancel) => Some(Cancelled),
        (Held, Schedule | Cancel) | (Cancelled, Schedule | Hold | Cancel) => None,
    }
}

/// [`next_status`]; pushes `SESSION_CLOSED` when the event is not allowed.
pub(super) fn transition(
    errors: &mut Vec<UserError>,
    status: SessionStatus,
    event: SessionEvent,
) -> Option<SessionStatus> {
    let next = next_status(status, event);
    if next.is_none() {
        let state = match status {
            SessionStatus::Planned => "planned",
            SessionStatus::Held => "held",
            SessionStatus::Cancelled => "cancelled",
        };
        let verb = match event {
            SessionEvent::Schedule => "rescheduled",
            SessionEvent::Hold => "held",
            SessionEvent::Cancel => "cancelled",
        };
        errors.push(UserError::new("sessionId", Code::SessionClosed, format!("a {state} session cannot be {verb}")));
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;
    use SessionEvent::*;
    use SessionStatus::*;

    #[test]
    fn planned_sessions_move_held_ones_only_take_notes_cancelled_ones_are_closed() {
        assert_eq!(next_status(Planned, Schedule), Some(Planned));
        assert_eq!(next_status(Planned, Hold), Some(Held));
        assert_eq!(next_status(Planned, Cancel), Some(Cancelled));
        assert_eq!(next_status(Held, Hold), Some(Held));
        assert_eq!(next_status(Held, Schedule), None);
        assert_eq!(next_status(Held, Cancel), None);
        for event in [Schedule, Hold, Cancel] {
            assert_eq!(next_status(Cancelled, event), None);
        }
    }

    #[test]
    fn a_closed_session_is_a_user_error() {
        let mut errors = Vec::new();
        assert_eq!(transition(&mut errors, Planned, Hold), Some(Held));
        assert!(errors.is_empty());
        assert_eq!(transition(&mut errors, Held, Cancel), None);
        assert_eq!(errors[0].code, Code::SessionClosed);
        assert_eq!(errors[0].message, "a held session cannot be cancelled");
    }
}
