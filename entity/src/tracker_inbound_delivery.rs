//! One webhook a tracker connection received, and what opskit did with it.

use crate::enums::InboundOutcome;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tracker_inbound_deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub connection_id: i64,
    pub engagement_id: i64,
    /// The tracker's ID of the delivery (Jira's `X-Atlassian-Webhook-Identifier`);
    /// unique per connection, so a replay changes nothing.
    pub delivery_id: String,
    pub ticket_key: Option<String>,
    pub ticket_status: Option<String>,
    pub outcome: InboundOutcome,
    #[sea_orm(column_type = "Text")]
    pub detail: String,
    /// The activity it acted on, if any.
    pub activity_id: Option<i64>,
    pub received_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
