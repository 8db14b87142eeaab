//! Reading deviations: one by ID (`NOT_FOUND` for strangers) and narrowing an
//! engagement's list, which is loaded in batches by the caller.

use opskit_entity::{
    deviation,
    enums::{DeviationStatus, Severity},
};
use sea_orm::ConnectionTrait;

use super::has_mitigation_plan;
use crate::domain::page::{Cursor, SortValue};
use crate::{
    domain::{Viewer, access::Access, ids::DeviationId, write::Scope},
    error::Result,
};

/// A deviation the caller may see (`NOT_FOUND` otherwise) with the caller's access.
pub async fn get<C: ConnectionTrait>(db: &C, viewer: &Viewer, id: DeviationId) -> Result<(deviation::Model, Access)> {
    deviation::Model::load(db, viewer, id).await
}

/// Narrowing a list of deviations; every given criterion must hold.
#[derive(Debug, Clone, Default)]
pub struct DeviationFilter {
    /// Only deviations in one of these states.
    pub statuses: Option<Vec<DeviationStatus>>,
    /// Only deviations of one of these severities.
    pub severities: Option<Vec<Severity>>,
    /// Only deviations on activities of this capability; `Some(None)` when the
    /// key named no capability of the kit, which matches nothing.
    pub capability_id: Option<Option<i64>>,
    /// `true`: only those without a mitigation plan; `false`: only those with one.
    pub without_mitigation: Option<bool>,
}

/// The deviations of `rows` that match `filter`, in the same order.
/// `capability_of` gives the capability of an activity (by activity ID).
pub fn filter(
    rows: Vec<deviation::Model>,
    filter: &DeviationFilter,
    capability_of: impl Fn(i64) -> Option<i64>,
) -> Vec<deviation::Model> {
    rows.into_iter()
        .filter(|d| filter.statuses.as_ref().is_none_or(|s| s.contains(&d.status)))
        .filter(|d| filter.severities.as_ref().is_none_or(|s| s.contains(&d.severity)))
        .filter(|d| filter.without_mitigation.is_none_or(|without| has_mitigation_plan(d) != without))
        .filter(|d| match filter.capability_id {
            None => true,
            Some(None) => false,
            Some(Some(wanted)) => capability_of(d.activity_id) == Some(wanted),
        })
        .collect()
}

/// What deviations are sorted by; ties are broken by ID.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DeviationSort {
    /// When recorded (the default: oldest first).
    #[default]
    CreatedAt,
    /// When last changed.
    UpdatedAt,
    Title,
    /// LOW, MEDIUM, HIGH, CRITICAL.
    Severity,
    /// OPEN, RISK_ACCEPTED, RESOLVED.
    Status,
}

impl DeviationSort {
    /// The position of `d` in this order.
    pub fn cursor(self, d: &deviation::Model) -> Cursor {
        let value = match self {
            DeviationSort::CreatedAt => SortValue::T(d.created_at),
            DeviationSort::UpdatedAt => SortValue::T(d.updated_at),
            DeviationSort::Title => SortValue::S(d.title.clone()),
            DeviationSort::Severity => SortValue::I(d.severity as i64),
            DeviationSort::Status => SortValue::I(d.status as i64),
        };
        Cursor(value, d.id)
    }
}
