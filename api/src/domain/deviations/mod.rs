//! Deviations from a capability's recommended design, documented on Design
//! activities: what differs, its risks, a severity and a mitigation plan.
//! Consultants and workstream members record and edit them, the customer's
//! stakeholder accepts their risk, consultants resolve them (design.md §3, §4).

mod decide;
mod read;
mod record;
mod update;
mod validation;
mod workflow;

pub use decide::{accept_risk, resolve};
pub use read::{DeviationFilter, DeviationSort, filter, get};
pub use record::{NewDeviation, record};
pub use update::{DeviationChanges, update};
pub use validation::MAX_TITLE;
pub use workflow::{DeviationAction, next};

use opskit_entity::{
    deviation,
    enums::{DeviationStatus, Severity},
};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::{domain::validate, error::Result};

/// Whether the deviation has a (non-blank) mitigation plan.
pub fn has_mitigation_plan(d: &deviation::Model) -> bool {
    validate::is_present(d.mitigation_plan.as_deref())
}

/// The one definition of an unmitigated deviation: not resolved, and without
/// a mitigation plan. A Design activity cannot be done while it has one.
pub fn is_unmitigated(d: &deviation::Model) -> bool {
    d.status != DeviationStatus::Resolved && !has_mitigation_plan(d)
}

/// How many of the activity's deviations are unmitigated.
pub async fn unmitigated_count<C: ConnectionTrait>(db: &C, activity_id: i64) -> Result<usize> {
    let rows = deviation::Entity::find().filter(deviation::Column::ActivityId.eq(activity_id)).all(db).await?;
    Ok(rows.iter().filter(|d| is_unmitigated(d)).count())
}

/// `"title" (SEVERITY)`, for audit summaries.
fn describe(d: &deviation::Model) -> String {
    let severity = match d.severity {
        Severity::Low => "LOW",
        Severity::Medium => "MEDIUM",
        Severity::High => "HIGH",
        Severity::Critical => "CRITICAL",
    };
    format!("\"{}\" ({severity})", d.title)
}
