//! A user's membership and role in one engagement.

use crate::enums::EngagementRole;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "engagement_members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub engagement_id: i64,
    pub user_id: i64,
    pub role: EngagementRole,
    pub added_at: DateTimeUtc,
    pub version: i32,
    /// The name the inviter typed, shown while the person is invited.
    #[sea_orm(column_type = "Text", nullable)]
    pub invited_name: Option<String>,
    /// When the person first signed in as a member; none while invited.
    pub joined_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
