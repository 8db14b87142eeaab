//! A documented deviation from a capability's recommended design.

use crate::enums::{DeviationStatus, Severity, TrackerSystem};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deviations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub engagement_id: i64,
    pub activity_id: i64,
    pub title: String,
    /// What differs from the recommended design.
    #[sea_orm(column_type = "Text")]
    pub description: String,
    #[sea_orm(column_type = "Text")]
    pub risks: String,
    pub severity: Severity,
    #[sea_orm(column_type = "Text", nullable)]
    pub mitigation_plan: Option<String>,
    pub owner: Option<String>,
    pub status: DeviationStatus,
    pub risk_accepted_by: Option<i64>,
    pub risk_accepted_at: Option<DateTimeUtc>,
    pub resolved_by: Option<i64>,
    pub resolved_at: Option<DateTimeUtc>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// The ticket that tracks it in the customer's tracker.
    pub tracker_system: Option<TrackerSystem>,
    pub tracker_key: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub tracker_url: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
