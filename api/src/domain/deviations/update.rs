//! `updateDeviation`: consultants and workstream members edit a deviation that
//! is not resolved. Only the given fields change. Changing what the customer
//! accepted (description, risks, severity, or removing the mitigation plan)
//! withdraws the acceptance: the deviation is `OPEN` again.

use opskit_entity::{deviation, enums::Severity};
use sea_orm::DatabaseConnection;

use super::{
    describe,
    fields::{self, MAX_TEXT, MAX_TITLE},
    read,
    status::{self, Transition},
    store,
};
use crate::{
    domain::{Viewer, audit, ids::DeviationId, versions},
    error::{Error, Result},
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

/// Applies `changes`. A request that changes nothing writes nothing and
/// returns the deviation as it is.
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: DeviationId,
    changes: DeviationChanges,
    expected_version: Option<i32>,
) -> Result<deviation::Model> {
    crate::transaction!(db, |tx| {
        let (before, access) = read::get(tx, viewer, id).await?;
        access.check_contributor("editing a deviation")?;
        versions::check("deviation", before.version, expected_version)?;

        let mut errors = Vec::new();
        let mut after = before.clone();
        if let Some(title) = &changes.title {
            after.title = fields::required(&mut errors, "title", title, MAX_TITLE).unwrap_or(after.title);
        }
        if let Some(description) = &changes.description {
            after.description =
                fields::required(&mut errors, "description", description, MAX_TEXT).unwrap_or(after.description);
        }
        if let Some(risks) = &changes.risks {
            after.risks = fields::required(&mut errors, "risks", risks, MAX_TEXT).unwrap_or(after.risks);
        }
        if let Some(severity) = changes.severity {
            after.severity = severity;
        }
        if let Some(plan) = &changes.mitigation_plan {
            after.mitigation_plan = fields::optional(&mut errors, "mitigationPlan", plan.as_deref(), MAX_TEXT)
                .unwrap_or(after.mitigation_plan);
        }
        if let Some(owner) = &changes.owner {
            after.owner = fields::optional(&mut errors, "owner", owner.as_deref(), MAX_TITLE).unwrap_or(after.owner);
        }

        let changes_accepted_risk = after.description != before.description
            || after.risks != before.risks
            || after.severity != before.severity
            || (read::has_mitigation_plan(&before) && !read::has_mitigation_plan(&after));
        match status::next(before.status, Transition::Edit { changes_accepted_risk }) {
            // A resolved deviation is reported first: fixing the input would not help.
            Err(rule) => errors.insert(0, rule),
            Ok(next) => after.status = next,
        }
        if !errors.is_empty() {
            return Err(Error::User(errors));
        }
        let changed = changed_fields(&before, &after);
        if changed.is_empty() {
            return Ok(before);
        }
        if after.status != before.status {
            after.risk_accepted_by = None;
            after.risk_accepted_at = None;
        }

        let saved = store::save(tx, &before, after).await?;
        let mut summary = format!("updated deviation {}: {}", describe(&saved), changed.join(", "));
        if saved.status != before.status {
            summary.push_str("; the risk acceptance was withdrawn");
        }
        audit::record_in(tx, viewer, &access, "deviation.updated", "Deviation", saved.id, &summary).await?;
        Ok(saved)
    })
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
