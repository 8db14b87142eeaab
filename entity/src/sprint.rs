//! A numbered sprint of an engagement.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sprints")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub engagement_id: i64,
    pub number: i32,
    pub starts_on: Date,
    pub ends_on: Date,
    #[sea_orm(column_type = "Text", nullable)]
    pub goal: Option<String>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
