//! A workshop session of an engagement, from a template or custom.

use crate::enums::{Audience, SessionStatus, WorkshopPhase};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workshop_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub engagement_id: i64,
    pub workshop_template_id: Option<i64>,
    pub position: i32,
    pub phase: WorkshopPhase,
    pub title: String,
    pub audience: Audience,
    pub duration_minutes: i32,
    pub capability_id: Option<i64>,
    pub sprint_id: Option<i64>,
    pub starts_at: Option<DateTimeUtc>,
    pub status: SessionStatus,
    #[sea_orm(column_type = "Text", nullable)]
    pub notes: Option<String>,
    /// JSON array of strings.
    pub outcomes: Json,
    /// JSON array of member IDs.
    pub attendee_member_ids: Json,
    /// JSON array of activity IDs.
    pub activity_ids: Json,
    #[sea_orm(column_type = "Text", nullable)]
    pub cancel_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
