//! Deviations from a capability's recommended design, documented on Design
//! activities: what differs, its risks, a severity and a mitigation plan.
//! Consultants and workstream members record and edit them, the customer's
//! stakeholder accepts their risk, consultants resolve them (design.md §3, §4).

mod accept;
mod fields;
mod read;
mod record;
mod resolve;
mod status;
mod store;
mod update;

pub use accept::accept_risk;
pub use fields::{MAX_TEXT, MAX_TITLE};
pub use read::{DeviationFilter, filter, get, has_mitigation_plan};
pub use record::{NewDeviation, record};
pub use resolve::resolve;
pub use status::{Transition, next};
pub use update::{DeviationChanges, update};

use opskit_entity::{
    deviation,
    enums::{DeviationStatus, Severity},
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    sea_query::{Alias, Expr, ExprTrait, Func},
};

use crate::error::Result;

/// How many of the activity's deviations still need a mitigation plan: not
/// resolved, and with no (or a blank) plan. A Design activity cannot be done
/// while this is above zero.
pub async fn unmitigated_count<C: ConnectionTrait>(db: &C, activity_id: i64) -> Result<u64> {
    let trimmed = Func::cust(Alias::new("TRIM")).arg(Expr::col(deviation::Column::MitigationPlan));
    let blank = Condition::any().add(deviation::Column::MitigationPlan.is_null()).add(Expr::expr(trimmed).eq(""));
    Ok(deviation::Entity::find()
        .filter(deviation::Column::ActivityId.eq(activity_id))
        .filter(deviation::Column::Status.ne(DeviationStatus::Resolved))
        .filter(blank)
        .count(db)
        .await?)
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
