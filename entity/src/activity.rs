//! The work on one artifact template inside an engagement.

use crate::enums::{ActivityStatus, DesignAdoption, TrackerSystem};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub engagement_id: i64,
    pub artifact_template_id: i64,
    pub status: ActivityStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// The consultant member doing the work.
    pub assignee_member_id: Option<i64>,
    pub started_at: Option<DateTimeUtc>,
    pub completed_at: Option<DateTimeUtc>,
    pub tracker_system: Option<TrackerSystem>,
    pub tracker_key: Option<String>,
    pub tracker_url: Option<String>,
    /// The agreed operational readiness state.
    #[sea_orm(column_type = "Text", nullable)]
    pub readiness_statement: Option<String>,
    /// Its criteria: a JSON array of strings.
    pub readiness_criteria: Option<Json>,
    pub design_adoption: Option<DesignAdoption>,
    /// The customer's own solution, for `CUSTOMER_SOLUTION` (or an adapted design's basis).
    pub adopted_solution: Option<String>,
    /// The status its linked ticket last reported, when the activity did not
    /// follow it (its own rules refused); cleared when it follows.
    pub tracker_status: Option<String>,
    /// Why the activity did not follow the ticket.
    #[sea_orm(column_type = "Text", nullable)]
    pub tracker_status_reason: Option<String>,
    pub tracker_status_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
