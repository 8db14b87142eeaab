//! A question of a Discovery & Analysis artifact's question bank.

use crate::enums::{AnswerKind, QuestionCategory};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "questions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub artifact_template_id: i64,
    pub key: String,
    pub position: i32,
    pub category: QuestionCategory,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    #[sea_orm(column_type = "Text")]
    pub guidance: String,
    pub answer_kind: AnswerKind,
    /// The allowed choices (a JSON array of strings) for choice questions.
    pub choices: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
