//! A webhook endpoint of an engagement: where its events are POSTed, signed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoints")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub engagement_id: i64,
    #[sea_orm(column_type = "Text")]
    pub url: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    /// A JSON array of dotted event types; none for every type.
    #[sea_orm(column_type = "Text", nullable)]
    pub event_types: Option<String>,
    pub enabled: bool,
    /// Why opskit disabled it (failing for too long); none when a person did.
    #[sea_orm(column_type = "Text", nullable)]
    pub disabled_reason: Option<String>,
    /// The signing secret, `whsec_` and base64.
    #[sea_orm(column_type = "Text")]
    pub secret: String,
    /// The secret before the last rotation, still signing until it expires.
    #[sea_orm(column_type = "Text", nullable)]
    pub previous_secret: Option<String>,
    pub previous_secret_expires_at: Option<DateTimeUtc>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
