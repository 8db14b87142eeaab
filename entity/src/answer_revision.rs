//! One recorded value of an answer: its history.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "answer_revisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub answer_id: i64,
    pub value: Json,
    pub previous_value: Option<Json>,
    #[sea_orm(column_type = "Text", nullable)]
    pub notes: Option<String>,
    pub answered_by: i64,
    pub answered_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
