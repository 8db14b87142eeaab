//! One recorded change: who did what to which object, when.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub engagement_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub action: String,
    pub object_type: String,
    pub object_id: i64,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    pub occurred_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
