//! `updateDeviation`: consultants and workstream members edit a deviation that
//! is not resolved. Only the given fields change. Changing what the customer
//! accepted (description, risks, severity, or removing the mitigation plan)
//! withdraws the acceptance: the deviation is `OPEN` again.

use opskit_entity::{deviation, enums::Severity};
use sea_orm::{ActiveModelTrait, DatabaseConnection, IntoActiveModel};

use super::{DeviationAction, describe, has_mitigation_plan, next, validation};
use crate::{
    domain::{
        Viewer,
        action::Action,
        ids::DeviationId,
        permissions::Permission,
        validate::Checks,
        write::{self, Command, Done, On, Step},
    },
    error::Result,
};

/// The fields to change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct DeviationChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub risks: Option<String>,
    pub severity: Option<Severity>,
    /// `Some(None)` or a blank text removes the plan.
    pub mitigation_plan: Option<Option<String>>,
    /// `Some(None)` or a blank text removes the owner.
    pub owner: Option<Option<String>>,
}

impl Command for DeviationChanges {
    type Target = deviation::Model;
    type Output = deviation::Model;

    fn permission(&self) -> Permission {
        Permission::RecordDeviations
    }

    /// The limits of its texts and lists, before anything is read; the other
    /// rules are checked with the stored data, and reported together.
    fn validate(&self) -> Result<()> {
        let mut checks = Checks::new();
        if let Some(title) = &self.title {
            let _ = validation::title(&mut checks, title);
        }
        if let Some(description) = &self.description {
            let _ = validation::description(&mut checks, description);
        }
        if let Some(risks) = &self.risks {
            let _ = validation::risks(&mut checks, risks);
        }
        if let Some(plan) = &self.mitigation_plan {
            let _ = validation::mitigation_plan(&mut checks, plan.as_deref());
        }
        if let Some(owner) = &self.owner {
            let _ = validation::owner(&mut checks, owner.as_deref());
        }
        checks.finish_limits()
    }

    async fn apply(&self, step: &Step<'_, deviation::Model>) -> Result<Done<deviation::Model>> {
        let before = &step.target;
        let mut checks = Checks::new();
        let after = self.applied_to(before, &mut checks);
        let changes_accepted_risk = after.description != before.description
            || after.risks != before.risks
            || after.severity != before.severity
            || (has_mitigation_plan(before) && !has_mitigation_plan(&after));
        let status = match next(before.status, DeviationAction::Edit { changes_accepted_risk }, step.access.role()) {
            Ok(status) => status,
            // A resolved deviation is reported first: fixing the input would not help.
            Err(refusal) => {
                checks.add_first(refusal.into_plain_error("deviationId"))?;
                before.status
            }
        };
        checks.finish()?;
        let changed = changed_fields(before, &after);
        if changed.is_empty() {
            return Ok(Done::unchanged(before.clone()));
        }
        let withdrawn = status != before.status;
        let after = deviation::Model {
            status,
            risk_accepted_by: if withdrawn { None } else { after.risk_accepted_by },
            risk_accepted_at: if withdrawn { None } else { after.risk_accepted_at },
            ..after
        };
        let saved = step.save(after.into_active_model().reset_all()).await?;
        let mut summary = format!("updated deviation {}: {}", describe(&saved), changed.join(", "));
        if withdrawn {
            summary.push_str("; the risk acceptance was withdrawn");
        }
        Ok(Done::saved(saved, Action::DeviationUpdated, summary))
    }
}

impl DeviationChanges {
    /// `before` with the given fields checked and applied; a refused field keeps its value.
    fn applied_to(&self, before: &deviation::Model, checks: &mut Checks) -> deviation::Model {
        let mut after = before.clone();
        if let Some(title) = &self.title {
            after.title = validation::title(checks, title).unwrap_or(after.title);
        }
        if let Some(description) = &self.description {
            after.description = validation::description(checks, description).unwrap_or(after.description);
        }
        if let Some(risks) = &self.risks {
            after.risks = validation::risks(checks, risks).unwrap_or(after.risks);
        }
        if let Some(severity) = self.severity {
            after.severity = severity;
        }
        if let Some(plan) = &self.mitigation_plan {
            after.mitigation_plan =
                validation::mitigation_plan(checks, plan.as_deref()).unwrap_or(after.mitigation_plan);
        }
        if let Some(owner) = &self.owner {
            after.owner = validation::owner(checks, owner.as_deref()).unwrap_or(after.owner);
        }
        after
    }
}

/// Names of the fields that differ, as the API spells them.
fn changed_fields(before: &deviation::Model, after: &deviation::Model) -> Vec<&'static str> {
    [
        ("title", before.title != after.title),
        ("description", before.description != after.description),
        ("risks", before.risks != after.risks),
        ("severity", before.severity != after.severity),
        ("mitigationPlan", before.mitigation_plan != after.mitigation_plan),
        ("owner", before.owner != after.owner),
    ]
    .into_iter()
    .filter_map(|(name, differs)| differs.then_some(name))
    .collect()
}

/// Applies `changes`. A request that changes nothing writes nothing and
/// returns the deviation as it is.
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: DeviationId,
    changes: DeviationChanges,
    expected_version: Option<i32>,
) -> Result<deviation::Model> {
    write::run(db, viewer, On::versioned(id, expected_version), changes).await
}
