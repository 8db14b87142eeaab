//! A runbook of an engagement: from a kit template, or custom for a customer-chosen architecture.

use crate::enums::{RunbookKind, RunbookStatus, TrackerSystem};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "runbooks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub engagement_id: i64,
    pub runbook_template_id: Option<i64>,
    pub capability_id: i64,
    pub kind: RunbookKind,
    pub title: String,
    /// Why a custom runbook exists (the customer's architecture choice).
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
    pub deviation_id: Option<i64>,
    pub status: RunbookStatus,
    /// The newest revision (the one under edit or review).
    pub current_revision_id: Option<i64>,
    /// The revision in the knowledge base.
    pub baseline_revision_id: Option<i64>,
    pub baselined_at: Option<DateTimeUtc>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// The number of review rounds opened so far; the open round while IN_REVIEW.
    pub review_round: i32,
    /// When it was set aside (status RETIRED).
    pub retired_at: Option<DateTimeUtc>,
    /// The user who retired it.
    pub retired_by: Option<i64>,
    /// Why it was set aside.
    #[sea_orm(column_type = "Text", nullable)]
    pub retired_reason: Option<String>,
    /// The custom runbook that replaces it.
    pub replaced_by_id: Option<i64>,
    /// The ticket that tracks it in the customer's tracker.
    pub tracker_system: Option<TrackerSystem>,
    pub tracker_key: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub tracker_url: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
