//! A caller's claim on an idempotency key: the input it came with (as a
//! fingerprint) and the object the first request created.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    #[sea_orm(column_type = "Text")]
    pub key: String,
    /// SHA-256 of the operation and its input, hex.
    #[sea_orm(column_type = "Text")]
    pub fingerprint: String,
    /// The ID of what the first request created; set before its transaction commits.
    pub result_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
