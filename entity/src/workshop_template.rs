//! A recommended workshop session of a kit version.

use crate::enums::{Audience, WorkshopPhase};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workshop_templates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kit_id: i64,
    pub capability_id: Option<i64>,
    pub key: String,
    pub position: i32,
    pub phase: WorkshopPhase,
    pub title: String,
    pub audience: Audience,
    pub duration_minutes: i32,
    /// Linked artifact templates: a JSON array of their ids, in the kit's order.
    pub artifact_template_ids: Json,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
