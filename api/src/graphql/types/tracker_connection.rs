//! Tracker connections and their inbound logs. Credentials are never a field:
//! only the user name they sign in with.

use async_graphql::{Context, ID, MergedObject, Object, Result};
use chrono::{DateTime, Utc};
use opskit_entity::{tracker_connection, tracker_inbound_delivery};

use super::{
    engagement::{Activity, Engagement},
    enums::{InboundOutcome, TrackerSystem},
    user::User,
    webhook::{DeliveryFields, DeliveryStatus},
};
use crate::{
    domain::{
        ids::TrackerConnectionId,
        page::PageArgs,
        trackers::connections::{self, InboundFilter},
    },
    graphql::{
        connection::{Conn, connection, cost},
        context::ContextExt,
        ids,
        loaders::{maybe, one},
    },
};

/// An engagement's connection to the customer's Jira site or ServiceNow
/// instance: tickets moved there complete or reopen the activities they are
/// linked to, and activities completed or reopened here move their tickets.
pub struct TrackerConnection(pub tracker_connection::Model);

#[Object]
impl TrackerConnection {
    pub async fn id(&self) -> ID {
        ids::encode(TrackerConnectionId(self.0.id))
    }
    async fn engagement(&self, ctx: &Context<'_>) -> Result<Engagement> {
        Ok(Engagement(one(&ctx.loaders()?.engagement, self.0.engagement_id, "engagement").await?))
    }
    async fn system(&self) -> TrackerSystem {
        self.0.system.into()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The site or instance, e.g. `https://acme.atlassian.net`.
    async fn base_url(&self) -> &str {
        &self.0.base_url
    }
    /// Who opskit signs in as: the Jira account's email or the ServiceNow user;
    /// null with a bearer token. The secret itself is never returned.
    async fn username(&self) -> Option<&str> {
        Some(self.0.username.as_str()).filter(|u| !u.is_empty())
    }
    /// Jira: the transition (name or ID) that closes a ticket; ServiceNow: the `state` a closed record gets.
    async fn done_transition(&self) -> &str {
        &self.0.done_transition
    }
    /// Jira: the transition that reopens a ticket; ServiceNow: the `state` a reopened record gets.
    async fn reopen_transition(&self) -> &str {
        &self.0.reopen_transition
    }
    /// ServiceNow: the table of the records, e.g. `incident`.
    async fn table(&self) -> Option<&str> {
        self.0.table_name.as_deref()
    }
    /// Where the tracker sends its webhooks, below opskit's own address:
    /// `/hooks/jira/{id}` (signed with the inbound secret) or `/hooks/servicenow/{id}` (with an API key).
    async fn inbound_path(&self) -> String {
        let system = match self.0.system {
            opskit_entity::enums::TrackerSystem::Servicenow => "servicenow",
            _ => "jira",
        };
        format!("/hooks/{system}/{}", ids::encode(TrackerConnectionId(self.0.id)).0)
    }
    /// The user the connection acts as in the audit trail.
    async fn actor(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        Ok(maybe(&ctx.loaders()?.user, self.0.actor_id).await?.map(User))
    }
    async fn created_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        Ok(maybe(&ctx.loaders()?.user, self.0.created_by).await?.map(User))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// What the tracker's webhooks brought and what opskit did with each, newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn inbound_deliveries(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(desc = "Only deliveries with this outcome.")] outcome: Option<InboundOutcome>,
        order_by: Option<super::order::ChronologicalOrder>,
    ) -> Result<Conn<TrackerInboundDelivery>> {
        let filter = InboundFilter { outcome: outcome.map(Into::into) };
        let args = PageArgs { first, after, last, before };
        let descending = super::order::newest_first(order_by, true);
        let page = connections::inbound_log(ctx.db()?, &self.0, &filter, descending, &args).await?;
        Ok(connection(page, TrackerInboundDelivery))
    }
    /// The delivery log: one entry per activity completed or reopened
    /// (newest event first), each with the attempts at moving its ticket.
    /// A change the tracker made itself is not sent back (`CANCELLED`).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(desc = "Only deliveries in one of these states.")] status: Option<Vec<DeliveryStatus>>,
        order_by: Option<super::order::ChronologicalOrder>,
    ) -> Result<Conn<TrackerDelivery>> {
        let status = status.map(|s| s.into_iter().map(Into::into).collect());
        let descending = super::order::newest_first(order_by, true);
        let args = PageArgs { first, after, last, before };
        let page = connections::deliveries(ctx.db()?, &self.0, status, descending, &args).await?;
        Ok(connection(page, |log| TrackerDelivery(DeliveryFields(log))))
    }
}

/// One activity event sent to a tracker connection (a ticket moved), with its attempts.
#[derive(MergedObject)]
pub struct TrackerDelivery(DeliveryFields);

/// One webhook a tracker connection received.
pub struct TrackerInboundDelivery(pub tracker_inbound_delivery::Model);

#[Object]
impl TrackerInboundDelivery {
    /// The tracker's ID of the delivery; a replay of it changes nothing.
    async fn delivery_id(&self) -> &str {
        &self.0.delivery_id
    }
    async fn ticket_key(&self) -> Option<&str> {
        self.0.ticket_key.as_deref()
    }
    /// The ticket's status as the tracker named it.
    async fn ticket_status(&self) -> Option<&str> {
        self.0.ticket_status.as_deref()
    }
    async fn outcome(&self) -> InboundOutcome {
        self.0.outcome.into()
    }
    /// What was done, or why nothing was.
    async fn detail(&self) -> &str {
        &self.0.detail
    }
    /// The activity linked to the ticket, if any.
    async fn activity(&self, ctx: &Context<'_>) -> Result<Option<Activity>> {
        let Some(id) = self.0.activity_id else { return Ok(None) };
        Ok(maybe(&ctx.loaders()?.activity, id).await?.map(Activity))
    }
    async fn received_at(&self) -> DateTime<Utc> {
        self.0.received_at
    }
}
