//! The two decisions on a deviation, each recorded with who and when:
//! `acceptDeviationRisk` — the customer's stakeholder (or an admin) accepts
//! the risk of a deviation that has a mitigation plan — and
//! `resolveDeviation` — a consultant (or an admin) closes it, because the
//! design was aligned or the risk is mitigated in full. Resolved is final.

use chrono::Utc;
use opskit_entity::deviation;
use sea_orm::{DatabaseConnection, Set};

use super::{DeviationAction, describe, has_mitigation_plan, next};
use crate::{
    domain::{
        Viewer,
        action::Action,
        ids::DeviationId,
        permissions::Permission,
        write::{self, Command, Done, On, Step},
    },
    error::Result,
};

#[derive(Clone, Copy)]
enum Decision {
    AcceptRisk,
    Resolve,
}

impl Command for Decision {
    type Target = deviation::Model;
    type Output = deviation::Model;

    fn permission(&self) -> Permission {
        match self {
            Decision::AcceptRisk => Permission::AcceptDeviationRisk,
            Decision::Resolve => Permission::ResolveDeviations,
        }
    }

    async fn apply(&self, step: &Step<'_, deviation::Model>) -> Result<Done<deviation::Model>> {
        let before = &step.target;
        let action = match self {
            Decision::AcceptRisk => DeviationAction::AcceptRisk { has_mitigation_plan: has_mitigation_plan(before) },
            Decision::Resolve => DeviationAction::Resolve,
        };
        let status = next(before.status, action, step.access.role()).map_err(|r| r.into_plain_error("deviationId"))?;
        let (who, when) = (Set(Some(step.viewer.user_id.0)), Set(Some(Utc::now())));
        let changes = match self {
            Decision::AcceptRisk => {
                deviation::ActiveModel { risk_accepted_by: who, risk_accepted_at: when, ..Default::default() }
            }
            Decision::Resolve => deviation::ActiveModel { resolved_by: who, resolved_at: when, ..Default::default() },
        };
        let saved = step.save(deviation::ActiveModel { status: Set(status), ..changes }).await?;
        let (event, verb) = match self {
            Decision::AcceptRisk => (Action::DeviationRiskAccepted, "accepted the risk of"),
            Decision::Resolve => (Action::DeviationResolved, "resolved"),
        };
        let summary = format!("{verb} deviation {}", describe(&saved));
        Ok(Done::saved(saved, event, summary))
    }
}

/// Accepts the deviation's risk on the customer's behalf.
pub async fn accept_risk(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: DeviationId,
    expected_version: Option<i32>,
) -> Result<deviation::Model> {
    write::run(db, viewer, On::versioned(id, expected_version), Decision::AcceptRisk).await
}

/// Resolves the deviation; a risk acceptance stays on record.
pub async fn resolve(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: DeviationId,
    expected_version: Option<i32>,
) -> Result<deviation::Model> {
    write::run(db, viewer, On::versioned(id, expected_version), Decision::Resolve).await
}
