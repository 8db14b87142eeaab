//! An activity's current answer to one question of its bank.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "answers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub activity_id: i64,
    pub question_id: i64,
    /// The value, tagged by kind: `{"text": ..}`, `{"yesNo": ..}`, `{"choice": ..}`, `{"choices": [..]}`, `{"scale": n}`.
    pub value: Json,
    #[sea_orm(column_type = "Text", nullable)]
    pub notes: Option<String>,
    pub answered_by: i64,
    pub answered_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
