//! An engagement's progress at the end of one day (UTC): the last state
//! written that day. Days without a change have no row; they carry the last
//! snapshot before them forward.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "progress_snapshots")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub engagement_id: i64,
    pub day: Date,
    pub activities_done: i64,
    pub activities_total: i64,
    pub questions_answered: i64,
    pub questions_total: i64,
    pub runbooks_baselined: i64,
    pub runbooks_planned: i64,
    pub open_deviations: i64,
    pub taken_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
