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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
