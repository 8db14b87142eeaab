//! The engagement workflow as one pure function: `PLANNED → ACTIVE → CLOSED`,
//! a closed engagement can be reopened, and only an open one is edited. The
//! close-out checks (every activity done, every runbook baselined or retired,
//! every deviation settled) need stored data and live in the close command.

use opskit_entity::enums::EngagementStatus;

use crate::{
    domain::{
        permissions::{Permission, Role},
        refusal::Refusal,
    },
    error::Code,
};

/// Something done to an engagement as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngagementAction {
    /// The work begins.
    Start,
    /// Its name, customer, dates or sprint length change.
    Update,
    /// Handed over, its close-out checks passed.
    Close,
    /// Handed over whatever the close-out checks say, for a recorded reason.
    ForceClose,
    /// A closed engagement needs more work.
    Reopen,
}

impl EngagementAction {
    /// The permission the action needs.
    pub const fn permission(self) -> Permission {
        match self {
            EngagementAction::ForceClose => Permission::ForceCloseEngagement,
            EngagementAction::Start | EngagementAction::Update | EngagementAction::Close | EngagementAction::Reopen => {
                Permission::ManageEngagement
            }
        }
    }
}

/// The status `action` by `role` leads to from `from`.
pub fn next(from: EngagementStatus, action: EngagementAction, role: Role) -> Result<EngagementStatus, Refusal> {
    use EngagementAction::{Close, ForceClose, Reopen, Start, Update};
    use EngagementStatus::{Active, Closed, Planned};
    Refusal::unless_allowed(role, action.permission())?;
    let refuse = |code| Err(Refusal::Rule(code));
    match (from, action) {
        (Planned, Start) | (Closed, Reopen) => Ok(Active),
        (Active, Close | ForceClose) => Ok(Closed),
        (Planned | Active, Update) => Ok(from),
        (Active, Start) => refuse(Code::AlreadyStarted),
        (Planned, Close | ForceClose) => refuse(Code::NotStarted),
        (Planned | Active, Reopen) => refuse(Code::NotClosed),
        (Closed, Start | Update | Close | ForceClose) => refuse(Code::EngagementClosed),
    }
}

#[cfg(test)]
mod tests {
    use super::{EngagementAction::*, *};
    use crate::domain::refusal::assert_every_transition;
    use EngagementStatus::{Active, Closed, Planned};
    use Role::{Admin, Consultant};

    /// The specification, written out: (from, action) → the state or the code.
    fn spec(from: EngagementStatus, action: EngagementAction) -> Result<EngagementStatus, Code> {
        match (from, action) {
            (Planned, Start) => Ok(Active),
            (Planned, Update) => Ok(Planned),
            (Planned, Close) => Err(Code::NotStarted),
            (Planned, ForceClose) => Err(Code::NotStarted),
            (Planned, Reopen) => Err(Code::NotClosed),
            (Active, Start) => Err(Code::AlreadyStarted),
            (Active, Update) => Ok(Active),
            (Active, Close) => Ok(Closed),
            (Active, ForceClose) => Ok(Closed),
            (Active, Reopen) => Err(Code::NotClosed),
            (Closed, Start) => Err(Code::EngagementClosed),
            (Closed, Update) => Err(Code::EngagementClosed),
            (Closed, Close) => Err(Code::EngagementClosed),
            (Closed, ForceClose) => Err(Code::EngagementClosed),
            (Closed, Reopen) => Ok(Active),
        }
    }

    /// Who may, written out: consultants run the lifecycle, only admins force a close.
    fn may(role: Role, action: EngagementAction) -> bool {
        match action {
            ForceClose => role == Admin,
            Start | Update | Close | Reopen => matches!(role, Admin | Consultant),
        }
    }

    #[test]
    fn every_state_action_and_role() {
        let states = [Planned, Active, Closed];
        let actions = [Start, Update, Close, ForceClose, Reopen];
        assert_every_transition(&states, &actions, next, spec, may, EngagementAction::permission);
    }
}
