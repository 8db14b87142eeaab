//! The deviation workflow in one pure function: `OPEN → RISK_ACCEPTED →
//! RESOLVED`, with edits to an accepted risk sending it back to `OPEN`.

use opskit_entity::enums::DeviationStatus;

use crate::error::UserError;

/// Something done to a deviation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// Its content is edited. `changes_accepted_risk` when what the customer
    /// accepted changes: the description, the risks, the severity, or the
    /// mitigation plan is removed.
    Edit { changes_accepted_risk: bool },
    /// The customer's stakeholder accepts its risk; needs a mitigation plan.
    AcceptRisk { has_mitigation_plan: bool },
    /// The team closes it (aligned with the recommended design, or mitigated in full).
    Resolve,
}

/// The status after `transition`, or the rule it breaks (reported on `deviationId`).
pub fn next(current: DeviationStatus, transition: Transition) -> Result<DeviationStatus, UserError> {
    use DeviationStatus::{Open, Resolved, RiskAccepted};
    match (current, transition) {
        (Resolved, _) => Err(UserError::new(
            "deviationId",
            "DEVIATION_RESOLVED",
            "the deviation is resolved and can no longer change",
        )),
        (Open, Transition::Edit { .. }) | (RiskAccepted, Transition::Edit { changes_accepted_risk: true }) => Ok(Open),
        (RiskAccepted, Transition::Edit { changes_accepted_risk: false }) => Ok(RiskAccepted),
        (RiskAccepted, Transition::AcceptRisk { .. }) => {
            Err(UserError::new("deviationId", "ALREADY_ACCEPTED", "the deviation's risk is already accepted"))
        }
        (Open, Transition::AcceptRisk { has_mitigation_plan: false }) => Err(UserError::new(
            "deviationId",
            "NO_MITIGATION_PLAN",
            "a risk can only be accepted once the deviation has a mitigation plan",
        )),
        (Open, Transition::AcceptRisk { has_mitigation_plan: true }) => Ok(RiskAccepted),
        (Open | RiskAccepted, Transition::Resolve) => Ok(Resolved),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DeviationStatus::{Open, Resolved, RiskAccepted};

    fn code(result: Result<DeviationStatus, UserError>) -> &'static str {
        result.err().map_or("OK", |e| e.code)
    }

    #[test]
    fn accepting_needs_an_open_deviation_with_a_plan() {
        assert_eq!(next(Open, Transition::AcceptRisk { has_mitigation_plan: true }), Ok(RiskAccepted));
        assert_eq!(code(next(Open, Transition::AcceptRisk { has_mitigation_plan: false })), "NO_MITIGATION_PLAN");
        assert_eq!(code(next(RiskAccepted, Transition::AcceptRisk { has_mitigation_plan: true })), "ALREADY_ACCEPTED");
        assert_eq!(code(next(Resolved, Transition::AcceptRisk { has_mitigation_plan: true })), "DEVIATION_RESOLVED");
    }

    #[test]
    fn editing_what_was_accepted_reopens() {
        assert_eq!(next(RiskAccepted, Transition::Edit { changes_accepted_risk: true }), Ok(Open));
        assert_eq!(next(RiskAccepted, Transition::Edit { changes_accepted_risk: false }), Ok(RiskAccepted));
        assert_eq!(next(Open, Transition::Edit { changes_accepted_risk: true }), Ok(Open));
        assert_eq!(code(next(Resolved, Transition::Edit { changes_accepted_risk: false })), "DEVIATION_RESOLVED");
    }

    #[test]
    fn resolving_is_final() {
        assert_eq!(next(Open, Transition::Resolve), Ok(Resolved));
        assert_eq!(next(RiskAccepted, Transition::Resolve), Ok(Resolved));
        assert_eq!(code(next(Resolved, Transition::Resolve)), "DEVIATION_RESOLVED");
    }
}
