//! The runbook workflow as one pure function: `TEMPLATE → DRAFT → IN_REVIEW →
//! BASELINE`, where a request for changes sends a runbook back to `DRAFT` and
//! revising a baselined one starts the next draft. A runbook not baselined
//! may be set aside (`RETIRED`, final) for the customer's own architecture. Who may act comes from the
//! permission table; rules that need stored data (a body that is not empty,
//! the sign-off, authorship) are checked by the commands.

use opskit_entity::enums::RunbookStatus;

use crate::{
    domain::{
        permissions::{Permission, Role},
        refusal::Refusal,
    },
    error::Code,
};

/// What a caller does to a runbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunbookAction {
    /// Starts the first draft from the kit's template.
    Start,
    /// Adds a revision to the draft.
    Edit,
    /// Asks for review.
    Submit,
    /// Approves the revision under review.
    Approve,
    /// Sends the runbook back to draft.
    RequestChanges,
    /// Puts the signed-off revision into the knowledge base.
    Baseline,
    /// Starts the next draft of a baselined runbook.
    Revise,
    /// Sets a runbook that never reached the knowledge base aside.
    Retire,
}

impl RunbookAction {
    /// The permission the action needs.
    pub const fn permission(self) -> Permission {
        match self {
            RunbookAction::Start | RunbookAction::Edit | RunbookAction::Submit => Permission::EditRunbooks,
            RunbookAction::Approve | RunbookAction::RequestChanges => Permission::ReviewRunbooks,
            RunbookAction::Baseline | RunbookAction::Revise => Permission::BaselineRunbooks,
            RunbookAction::Retire => Permission::RetireRunbooks,
        }
    }

    /// The action as people say it: "cannot {verb} a runbook that is …".
    pub const fn verb(self) -> &'static str {
        match self {
            RunbookAction::Start => "start",
            RunbookAction::Edit => "edit",
            RunbookAction::Submit => "submit",
            RunbookAction::Approve => "approve",
            RunbookAction::RequestChanges => "request changes on",
            RunbookAction::Baseline => "baseline",
            RunbookAction::Revise => "revise",
            RunbookAction::Retire => "retire",
        }
    }
}

/// The status `action` by `role` leads to from `from`.
pub fn next(from: RunbookStatus, action: RunbookAction, role: Role) -> Result<RunbookStatus, Refusal> {
    use RunbookAction::*;
    use RunbookStatus::{Baseline as Baselined, Draft, InReview, Retired, Template};
    Refusal::unless_allowed(role, action.permission())?;
    let refuse = |code| Err(Refusal::Rule(code));
    match (action, from) {
        (_, Retired) => refuse(Code::Retired),
        (Retire, Template | Draft | InReview) => Ok(Retired),
        (Retire, Baselined) => refuse(Code::Baselined),
        (Start, Template) => Ok(Draft),
        (Start, Draft | InReview | Baselined) => refuse(Code::AlreadyStarted),
        (Edit, Draft) => Ok(Draft),
        (Submit, Draft) => Ok(InReview),
        (Edit | Submit, Template) => refuse(Code::NotStarted),
        (Edit | Submit, InReview) => refuse(Code::InReview),
        (Edit | Submit, Baselined) => refuse(Code::Baselined),
        (Approve, InReview) => Ok(InReview),
        (RequestChanges, InReview) => Ok(Draft),
        (Baseline, InReview) => Ok(Baselined),
        (Approve | RequestChanges | Baseline, Template | Draft | Baselined) => refuse(Code::NotInReview),
        (Revise, Baselined) => Ok(Draft),
        (Revise, Template | Draft | InReview) => refuse(Code::NotBaselined),
    }
}

#[cfg(test)]
mod tests {
    use super::{RunbookAction::*, *};
    use Code::{AlreadyStarted, NotBaselined, NotInReview, NotStarted};
    use RunbookStatus::{Baseline as Baselined, Draft, InReview, Retired, Template};

    /// The states, in the order of the table's columns.
    const STATES: [RunbookStatus; 5] = [Template, Draft, InReview, Baselined, Retired];

    /// The specification, written out: per action, what it leads to from
    /// TEMPLATE, DRAFT, IN_REVIEW, BASELINE and RETIRED (a state, or the code refusing it).
    const TABLE: [(RunbookAction, [Result<RunbookStatus, Code>; 5]); 8] = [
        (Start, [Ok(Draft), Err(AlreadyStarted), Err(AlreadyStarted), Err(AlreadyStarted), Err(Code::Retired)]),
        (Edit, [Err(NotStarted), Ok(Draft), Err(Code::InReview), Err(Code::Baselined), Err(Code::Retired)]),
        (Submit, [Err(NotStarted), Ok(InReview), Err(Code::InReview), Err(Code::Baselined), Err(Code::Retired)]),
        (Approve, [Err(NotInReview), Err(NotInReview), Ok(InReview), Err(NotInReview), Err(Code::Retired)]),
        (RequestChanges, [Err(NotInReview), Err(NotInReview), Ok(Draft), Err(NotInReview), Err(Code::Retired)]),
        (Baseline, [Err(NotInReview), Err(NotInReview), Ok(Baselined), Err(NotInReview), Err(Code::Retired)]),
        (Revise, [Err(NotBaselined), Err(NotBaselined), Err(NotBaselined), Ok(Draft), Err(Code::Retired)]),
        (Retire, [Ok(Retired), Ok(Retired), Ok(Retired), Err(Code::Baselined), Err(Code::Retired)]),
    ];

    /// Who may, written out (design.md §4): columns admin, consultant,
    /// workstream member, stakeholder, integration key, read-only key.
    const MAY: [(RunbookAction, [bool; 6]); 8] = [
        (Start, [true, true, true, false, false, false]),
        (Edit, [true, true, true, false, false, false]),
        (Submit, [true, true, true, false, false, false]),
        (Approve, [true, true, false, true, false, false]),
        (RequestChanges, [true, true, false, true, false, false]),
        (Baseline, [true, true, false, false, false, false]),
        (Revise, [true, true, false, false, false, false]),
        (Retire, [true, true, false, false, false, false]),
    ];

    #[test]
    fn every_state_action_and_role() {
        let mut checked = 0;
        for ((action, outcomes), (same_action, may)) in TABLE.into_iter().zip(MAY) {
            assert_eq!(action, same_action, "both tables list the actions in one order");
            for (from, outcome) in STATES.into_iter().zip(outcomes) {
                for (role, may) in Role::ALL.into_iter().zip(may) {
                    let expected =
                        if may { outcome.map_err(Refusal::Rule) } else { Err(Refusal::Forbidden(action.permission())) };
                    assert_eq!(next(from, action, role), expected, "{from:?} {action:?} {role:?}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 5 * 8 * 6);
    }
}
