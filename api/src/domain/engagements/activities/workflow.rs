//! The activity workflow as one pure function: `NOT_STARTED → IN_PROGRESS →
//! DONE`, and a done activity can be reopened. Rules across activities (a
//! Design waits for its Discovery & Analysis; no unmitigated deviation when a
//! Design completes) need stored data and live in the lifecycle commands.

use opskit_entity::enums::ActivityStatus;

use crate::{
    domain::{
        permissions::{Permission, Role},
        refusal::Refusal,
    },
    error::Code,
};

/// Something done to an activity's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityAction {
    /// Work begins.
    Start,
    /// The work is finished.
    Complete,
    /// A finished activity needs more work.
    Reopen,
}

impl ActivityAction {
    /// The permission the action needs.
    pub const fn permission(self) -> Permission {
        match self {
            ActivityAction::Start => Permission::AssignActivities,
            ActivityAction::Complete | ActivityAction::Reopen => Permission::CompleteActivities,
        }
    }
}

/// The status `action` by `role` leads to from `from`.
pub fn next(from: ActivityStatus, action: ActivityAction, role: Role) -> Result<ActivityStatus, Refusal> {
    use ActivityAction::{Complete, Reopen, Start};
    use ActivityStatus::{Done, InProgress, NotStarted};
    Refusal::unless_allowed(role, action.permission())?;
    match (from, action) {
        (NotStarted, Start) | (Done, Reopen) => Ok(InProgress),
        (InProgress, Complete) => Ok(Done),
        (InProgress | Done, Start) => Err(Refusal::Rule(Code::AlreadyStarted)),
        (NotStarted, Complete) => Err(Refusal::Rule(Code::NotStarted)),
        (Done, Complete) => Err(Refusal::Rule(Code::AlreadyDone)),
        (NotStarted | InProgress, Reopen) => Err(Refusal::Rule(Code::NotDone)),
    }
}

#[cfg(test)]
mod tests {
    use super::{ActivityAction::*, *};
    use ActivityStatus::{Done, InProgress, NotStarted};

    /// The specification, written out: (from, action) → the state or the code.
    const TRANSITIONS: [(ActivityStatus, ActivityAction, Result<ActivityStatus, Code>); 9] = [
        (NotStarted, Start, Ok(InProgress)),
        (NotStarted, Complete, Err(Code::NotStarted)),
        (NotStarted, Reopen, Err(Code::NotDone)),
        (InProgress, Start, Err(Code::AlreadyStarted)),
        (InProgress, Complete, Ok(Done)),
        (InProgress, Reopen, Err(Code::NotDone)),
        (Done, Start, Err(Code::AlreadyStarted)),
        (Done, Complete, Err(Code::AlreadyDone)),
        (Done, Reopen, Ok(InProgress)),
    ];

    /// Who may, written out. Columns: admin, consultant, workstream member,
    /// stakeholder, integration key (activities linked to a ticket), read-only key.
    const WHO: [(ActivityAction, [bool; 6]); 3] = [
        (Start, [true, true, false, false, false, false]),
        (Complete, [true, true, false, false, true, false]),
        (Reopen, [true, true, false, false, true, false]),
    ];

    #[test]
    fn every_state_action_and_role() {
        for (from, action, outcome) in TRANSITIONS {
            let (_, may) = WHO.iter().find(|(a, _)| *a == action).copied().unwrap_or((action, [false; 6]));
            for (column, role) in Role::ALL.into_iter().enumerate() {
                let expected = if may[column] {
                    outcome.map_err(Refusal::Rule)
                } else {
                    Err(Refusal::Forbidden(action.permission()))
                };
                assert_eq!(next(from, action, role), expected, "{from:?} {action:?} {role:?}");
            }
        }
    }

    #[test]
    fn the_table_covers_every_state_and_action() {
        for from in [NotStarted, InProgress, Done] {
            for action in [Start, Complete, Reopen] {
                assert!(TRANSITIONS.iter().any(|(f, a, _)| *f == from && *a == action), "{from:?} {action:?}");
            }
        }
    }
}
