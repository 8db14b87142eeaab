//! A Discovery & Analysis, Design or overview artifact of a kit version.

use crate::enums::ArtifactKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "artifact_templates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kit_id: i64,
    pub capability_id: Option<i64>,
    pub key: String,
    pub kind: ArtifactKind,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub overview: String,
    #[sea_orm(column_type = "Text")]
    pub scope_people: String,
    #[sea_orm(column_type = "Text")]
    pub scope_processes: String,
    #[sea_orm(column_type = "Text")]
    pub scope_tools: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub recommended_design: Option<String>,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
