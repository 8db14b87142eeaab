//! A connection from an engagement to the customer's tracker (a Jira site or
//! a ServiceNow instance): where it is, how opskit signs in (sealed), and how
//! tickets are moved.

use crate::enums::TrackerSystem;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tracker_connections")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub engagement_id: i64,
    /// `JIRA` or `SERVICENOW`; one connection per system and engagement.
    pub system: TrackerSystem,
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub base_url: String,
    /// Jira: the account's email; ServiceNow: the user name (empty with a token).
    pub username: String,
    /// The API token, password or bearer token, sealed (see `opskit_api::secrets`).
    #[sea_orm(column_type = "Text")]
    pub credentials: String,
    /// The secret inbound Jira webhooks are signed with, sealed.
    #[sea_orm(column_type = "Text", nullable)]
    pub inbound_secret: Option<String>,
    /// Jira: the transition (name or ID) that closes a ticket; ServiceNow: the `state` value.
    pub done_transition: String,
    /// Jira: the transition that reopens a ticket; ServiceNow: the `state` value.
    pub reopen_transition: String,
    /// ServiceNow: the table of the records (e.g. `incident`, `sc_task`).
    pub table_name: Option<String>,
    /// The user the connection acts as in the audit trail.
    pub actor_id: i64,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
