//! How far the event log was read for one delivery target.

use crate::enums::DeliveryTargetKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "delivery_cursors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub target_kind: DeliveryTargetKind,
    #[sea_orm(primary_key, auto_increment = false)]
    pub target_id: i64,
    /// The last position considered (delivered or skipped by the target's filter).
    pub position: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
