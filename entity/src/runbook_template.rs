//! The core runbook of a capability: reference architecture summary and section skeleton.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "runbook_templates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kit_id: i64,
    pub capability_id: i64,
    pub key: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    /// The section skeleton: a JSON array of `{title, guidance}` objects.
    pub sections: Json,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
