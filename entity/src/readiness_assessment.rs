//! The assessed readiness of one capability in an engagement.

use crate::enums::ReadinessLevel;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "readiness_assessments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub engagement_id: i64,
    pub capability_id: i64,
    pub level: ReadinessLevel,
    #[sea_orm(column_type = "Text")]
    pub findings: String,
    pub assessed_by: i64,
    pub assessed_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
