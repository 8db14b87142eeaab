//! One event of the log (by position) to deliver to one target.

use crate::enums::{DeliveryStatus, DeliveryTargetKind};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub target_kind: DeliveryTargetKind,
    pub target_id: i64,
    pub engagement_id: Option<i64>,
    /// The event's position in the log (`audit_events.id`).
    pub event_id: i64,
    pub status: DeliveryStatus,
    pub attempts: i32,
    /// When it is due (again); while an attempt runs, when its claim lapses.
    pub next_attempt_at: Option<DateTimeUtc>,
    /// The first failed attempt of the current run of failures.
    pub failing_since: Option<DateTimeUtc>,
    pub last_http_status: Option<i32>,
    pub created_at: DateTimeUtc,
    pub succeeded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
