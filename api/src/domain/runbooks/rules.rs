//! The runbook workflow as one pure function: which (state, action, role)
//! is legal and what state it leads to. Rules that need stored data (a body
//! that is not empty, approvals, authorship) are checked by the callers.

use crate::error::Code;
use opskit_entity::enums::RunbookStatus;

/// What a caller does to a runbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunbookAction {
    Start,
    Edit,
    Submit,
    Approve,
    RequestChanges,
    Baseline,
    Revise,
}

/// Who the caller is in the engagement, for the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Admin,
    Consultant,
    WorkstreamMember,
    Stakeholder,
}

/// Why an action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The caller's role may never do this (a top-level `FORBIDDEN`).
    Role,
    /// Not from the current state (a `userErrors` entry with this code).
    State(Code),
}

/// The state `action` by `actor` leads to from `from`.
pub fn decide(from: RunbookStatus, action: RunbookAction, actor: Actor) -> Result<RunbookStatus, Refusal> {
    use Actor::{Admin, Consultant, Stakeholder, WorkstreamMember};
    use RunbookAction::*;
    use RunbookStatus::{Baseline as Baselined, Draft, InReview, Template};
    let allowed = match action {
        Start | Edit | Submit => matches!(actor, Admin | Consultant | WorkstreamMember),
        Approve | RequestChanges => matches!(actor, Admin | Consultant | Stakeholder),
        Baseline | Revise => matches!(actor, Admin | Consultant),
    };
    if !allowed {
        return Err(Refusal::Role);
    }
    match (action, from) {
        (Start, Template) => Ok(Draft),
        (Start, Draft | InReview | Baselined) => Err(Refusal::State(Code::AlreadyStarted)),
        (Edit, Draft) => Ok(Draft),
        (Edit, Template) => Err(Refusal::State(Code::NotStarted)),
        (Edit, InReview) => Err(Refusal::State(Code::InReview)),
        (Edit, Baselined) => Err(Refusal::State(Code::Baselined)),
        (Submit, Draft) => Ok(InReview),
        (Submit, Template) => Err(Refusal::State(Code::NotStarted)),
        (Submit, InReview) => Err(Refusal::State(Code::InReview)),
        (Submit, Baselined) => Err(Refusal::State(Code::Baselined)),
        (Approve, InReview) => Ok(InReview),
        (RequestChanges, InReview) => Ok(Draft),
        (Approve | RequestChanges, Template | Draft | Baselined) => Err(Refusal::State(Code::NotInReview)),
        (Baseline, InReview) => Ok(Baselined),
        (Baseline, Template | Draft | Baselined) => Err(Refusal::State(Code::NotInReview)),
        (Revise, Baselined) => Ok(Draft),
        (Revise, Template | Draft | InReview) => Err(Refusal::State(Code::NotBaselined)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Actor::*;
    use RunbookAction::*;
    use RunbookStatus::{Baseline as Baselined, Draft, InReview, Template};

    const STATES: [RunbookStatus; 4] = [Template, Draft, InReview, Baselined];
    const ACTIONS: [RunbookAction; 7] = [Start, Edit, Submit, Approve, RequestChanges, Baseline, Revise];
    const ACTORS: [Actor; 4] = [Admin, Consultant, WorkstreamMember, Stakeholder];

    /// The specification, written out: (action, legal from, leads to, roles that may).
    fn spec(action: RunbookAction) -> (RunbookStatus, RunbookStatus, &'static [Actor]) {
        match action {
            Start => (Template, Draft, &[Admin, Consultant, WorkstreamMember]),
            Edit => (Draft, Draft, &[Admin, Consultant, WorkstreamMember]),
            Submit => (Draft, InReview, &[Admin, Consultant, WorkstreamMember]),
            Approve => (InReview, InReview, &[Admin, Consultant, Stakeholder]),
            RequestChanges => (InReview, Draft, &[Admin, Consultant, Stakeholder]),
            Baseline => (InReview, Baselined, &[Admin, Consultant]),
            Revise => (Baselined, Draft, &[Admin, Consultant]),
        }
    }

    #[test]
    fn every_state_action_and_role() {
        let mut checked = 0;
        for from in STATES {
            for action in ACTIONS {
                for actor in ACTORS {
                    let (legal_from, to, roles) = spec(action);
                    let got = decide(from, action, actor);
                    if !roles.contains(&actor) {
                        assert_eq!(got, Err(Refusal::Role), "{from:?} {action:?} {actor:?}");
                    } else if from == legal_from {
                        assert_eq!(got, Ok(to), "{from:?} {action:?} {actor:?}");
                    } else {
                        assert!(matches!(got, Err(Refusal::State(_))), "{from:?} {action:?} {actor:?}: {got:?}");
                    }
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 4 * 7 * 4);
    }

    #[test]
    fn state_refusals_say_why() {
        assert_eq!(decide(Template, Edit, Consultant), Err(Refusal::State(Code::NotStarted)));
        assert_eq!(decide(InReview, Edit, WorkstreamMember), Err(Refusal::State(Code::InReview)));
        assert_eq!(decide(Baselined, Submit, Consultant), Err(Refusal::State(Code::Baselined)));
        assert_eq!(decide(Draft, Baseline, Consultant), Err(Refusal::State(Code::NotInReview)));
        assert_eq!(decide(Draft, Revise, Admin), Err(Refusal::State(Code::NotBaselined)));
        assert_eq!(decide(Draft, Start, Consultant), Err(Refusal::State(Code::AlreadyStarted)));
    }
}
