//! A party's R/A/C/I role for one capability of an engagement.

use crate::enums::RaciRole;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "raci_assignments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub engagement_id: i64,
    pub capability_id: i64,
    pub party: String,
    pub role: RaciRole,
    pub updated_by: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
