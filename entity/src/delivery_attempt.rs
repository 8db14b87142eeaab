//! One attempt at a delivery: what the target answered and how fast.

use crate::enums::AttemptOutcome;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "delivery_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub delivery_id: i64,
    pub number: i32,
    pub attempted_at: DateTimeUtc,
    pub duration_ms: i64,
    pub outcome: AttemptOutcome,
    pub http_status: Option<i32>,
    /// Why it failed without an answer (timeout, connection, target refused).
    #[sea_orm(column_type = "Text", nullable)]
    pub error: Option<String>,
    /// The start of the answer's body.
    #[sea_orm(column_type = "Text", nullable)]
    pub response_excerpt: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
