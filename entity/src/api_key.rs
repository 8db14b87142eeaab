//! An engagement-scoped API key for a machine: only its hash is stored; it
//! acts as a user row of its own (`user_id`), named after the key.

use sea_orm::entity::prelude::*;

use crate::enums::ApiKeyRole;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_keys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub engagement_id: i64,
    pub user_id: i64,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    pub role: ApiKeyRole,
    /// The first characters of the secret, shown to tell keys apart.
    #[sea_orm(column_type = "Text")]
    pub prefix: String,
    /// SHA-256 of the secret, hex.
    #[sea_orm(column_type = "Text")]
    pub secret_hash: String,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub expires_at: Option<DateTimeUtc>,
    pub last_used_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_by: Option<i64>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
