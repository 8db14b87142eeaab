//! The deviation workflow as one pure function: `OPEN → RISK_ACCEPTED →
//! RESOLVED`, where editing what the customer accepted sends it back to
//! `OPEN`, and resolved is final.

use opskit_entity::enums::DeviationStatus;

use crate::{
    domain::{
        permissions::{Permission, Role},
        refusal::Refusal,
    },
    error::Code,
};

/// Something done to a deviation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviationAction {
    /// Its content is edited. `changes_accepted_risk` when what the customer
    /// accepted changes: the description, the risks, the severity, or the
    /// mitigation plan is removed.
    Edit { changes_accepted_risk: bool },
    /// The customer's stakeholder accepts its risk; needs a mitigation plan.
    AcceptRisk { has_mitigation_plan: bool },
    /// The team closes it (aligned with the recommended design, or mitigated in full).
    Resolve,
}

impl DeviationAction {
    /// The permission the action needs.
    pub const fn permission(self) -> Permission {
        match self {
            DeviationAction::Edit { .. } => Permission::RecordDeviations,
            DeviationAction::AcceptRisk { .. } => Permission::AcceptDeviationRisk,
            DeviationAction::Resolve => Permission::ResolveDeviations,
        }
    }
}

/// The status `action` by `role` leads to from `from`.
pub fn next(from: DeviationStatus, action: DeviationAction, role: Role) -> Result<DeviationStatus, Refusal> {
    use DeviationAction::{AcceptRisk, Edit, Resolve};
    use DeviationStatus::{Open, Resolved, RiskAccepted};
    Refusal::unless_allowed(role, action.permission())?;
    match (from, action) {
        (Resolved, _) => Err(Refusal::Rule(Code::DeviationResolved)),
        (Open, Edit { .. }) | (RiskAccepted, Edit { changes_accepted_risk: true }) => Ok(Open),
        (RiskAccepted, Edit { changes_accepted_risk: false }) => Ok(RiskAccepted),
        (RiskAccepted, AcceptRisk { .. }) => Err(Refusal::Rule(Code::AlreadyAccepted)),
        (Open, AcceptRisk { has_mitigation_plan: false }) => Err(Refusal::Rule(Code::NoMitigationPlan)),
        (Open, AcceptRisk { has_mitigation_plan: true }) => Ok(RiskAccepted),
        (Open | RiskAccepted, Resolve) => Ok(Resolved),
    }
}

#[cfg(test)]
mod tests {
    use super::{DeviationAction::*, *};
    use crate::domain::refusal::assert_every_transition;
    use DeviationStatus::{Open, Resolved, RiskAccepted};
    use Role::{Admin, Consultant, Stakeholder, WorkstreamMember};

    const ACTIONS: [DeviationAction; 6] = [
        Edit { changes_accepted_risk: false },
        Edit { changes_accepted_risk: true },
        AcceptRisk { has_mitigation_plan: false },
        AcceptRisk { has_mitigation_plan: true },
        Resolve,
        Resolve,
    ];

    /// The specification, written out: (from, action) → the state or the code.
    fn spec(from: DeviationStatus, action: DeviationAction) -> Result<DeviationStatus, Code> {
        match (from, action) {
            (Resolved, _) => Err(Code::DeviationResolved),
            (Open, Edit { .. }) => Ok(Open),
            (RiskAccepted, Edit { changes_accepted_risk: true }) => Ok(Open),
            (RiskAccepted, Edit { changes_accepted_risk: false }) => Ok(RiskAccepted),
            (Open, AcceptRisk { has_mitigation_plan: true }) => Ok(RiskAccepted),
            (Open, AcceptRisk { has_mitigation_plan: false }) => Err(Code::NoMitigationPlan),
            (RiskAccepted, AcceptRisk { .. }) => Err(Code::AlreadyAccepted),
            (Open | RiskAccepted, Resolve) => Ok(Resolved),
        }
    }

    /// Who may, written out: edit = consultants and workstream members,
    /// accept = stakeholders, resolve = consultants; admins everything.
    fn may(role: Role, action: DeviationAction) -> bool {
        match action {
            Edit { .. } => matches!(role, Admin | Consultant | WorkstreamMember),
            AcceptRisk { .. } => matches!(role, Admin | Stakeholder),
            Resolve => matches!(role, Admin | Consultant),
        }
    }

    #[test]
    fn every_state_action_and_role() {
        let states = [Open, RiskAccepted, Resolved];
        assert_every_transition(&states, &ACTIONS, next, spec, may, DeviationAction::permission);
    }
}
