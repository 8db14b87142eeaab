//! A review of one runbook revision.

use crate::enums::{ReviewVerdict, ReviewerSide};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "runbook_reviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub runbook_id: i64,
    pub revision_id: i64,
    pub reviewer_id: i64,
    pub reviewer_side: ReviewerSide,
    pub verdict: ReviewVerdict,
    #[sea_orm(column_type = "Text", nullable)]
    pub comment: Option<String>,
    pub created_at: DateTimeUtc,
    /// The review round of the runbook it was given in.
    pub round: i32,
    /// When the approval stopped counting: its reviewer's role changed, or they left.
    pub voided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
