//! A customer engagement run from one kit version.

use crate::enums::EngagementStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "engagements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kit_id: i64,
    pub name: String,
    pub customer_name: String,
    pub status: EngagementStatus,
    pub starts_on: Date,
    pub sprint_length_days: i32,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// The planned last day, when agreed.
    pub ends_on: Option<Date>,
    /// When it was closed (null unless CLOSED).
    pub closed_at: Option<DateTimeUtc>,
    /// The user who closed it.
    pub closed_by: Option<i64>,
    /// Why an admin closed it although its close-out checks failed.
    #[sea_orm(column_type = "Text", nullable)]
    pub close_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
