//! `createTrackerConnection`, `updateTrackerConnection`,
//! `rotateTrackerInboundSecret`, `deleteTrackerConnection`, `redeliverTrackerUpdate`.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use opskit_entity::tracker_connection;

use crate::{
    domain::{
        ids::{AuditEventId, EngagementId, TrackerConnectionId},
        redeliver::redeliver,
        trackers::connections::{self, ConnectionChanges, Credentials, NewConnection, Settings},
    },
    graphql::{
        context::ContextExt,
        errors::{UserError, payload},
        ids,
        types::{enums::TrackerSystem, tracker_connection::TrackerConnection, webhook::DeliveryStatus},
    },
};

#[derive(Default)]
pub struct TrackerConnectionMutations;

/// How opskit signs in to the tracker, stored sealed and never returned.
/// Jira: `email` and `apiToken`; ServiceNow: `username` and `password`, or `token` (OAuth).
#[derive(InputObject)]
pub struct TrackerCredentialsInput {
    /// Jira: the email of the account opskit acts as. At most 2000 characters.
    pub email: Option<String>,
    /// Jira: an API token of that account. At most 2000 characters.
    pub api_token: Option<String>,
    /// ServiceNow: the user opskit signs in as. At most 2000 characters.
    pub username: Option<String>,
    /// ServiceNow: that user's password. At most 2000 characters.
    pub password: Option<String>,
    /// ServiceNow: an OAuth bearer token instead of a user and password. At most 2000 characters.
    pub token: Option<String>,
}

impl From<TrackerCredentialsInput> for Credentials {
    fn from(c: TrackerCredentialsInput) -> Self {
        Credentials {
            email: c.email,
            api_token: c.api_token,
            username: c.username,
            password: c.password,
            token: c.token,
        }
    }
}

#[derive(InputObject)]
pub struct CreateTrackerConnectionInput {
    pub engagement_id: ID,
    /// `JIRA` or `SERVICENOW` (`NOT_CONNECTABLE` otherwise); one connection per system.
    pub system: TrackerSystem,
    /// What people call it, e.g. `Acme Jira`. At most 200 characters.
    pub name: String,
    /// The site or instance, e.g. `https://acme.atlassian.net`. At most 2000 characters.
    pub base_url: String,
    pub credentials: TrackerCredentialsInput,
    /// Jira: the transition (name or ID) that closes a ticket (default `Done`); ServiceNow: the
    /// `state` a closed record gets (default `7`, Closed). At most 200 characters.
    pub done_transition: Option<String>,
    /// Jira: the transition that reopens a ticket (default `In Progress`); ServiceNow: the `state`
    /// a reopened record gets (default `2`, In Progress). At most 200 characters.
    pub reopen_transition: Option<String>,
    /// ServiceNow: the table of the records (default `incident`). At most 200 characters.
    pub table: Option<String>,
    /// Makes a retry safe: the same key with the same input within 24 hours
    /// returns the connection created first (without its inbound secret) and
    /// changes nothing. At most 100 characters.
    pub idempotency_key: Option<String>,
}

#[derive(SimpleObject)]
pub struct CreateTrackerConnectionPayload {
    pub tracker_connection: Option<TrackerConnection>,
    /// Jira: the secret to enter in the Jira webhook's "Secret" field; shown
    /// this once (`rotateTrackerInboundSecret` makes a new one). Null for
    /// ServiceNow, and on a retry answered from its idempotency key.
    pub inbound_secret: Option<String>,
    pub user_errors: Vec<UserError>,
}

/// Changes to a connection: omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateTrackerConnectionInput {
    pub tracker_connection_id: ID,
    /// At most 200 characters.
    pub name: Option<String>,
    /// At most 2000 characters.
    pub base_url: Option<String>,
    /// New credentials, replacing the stored ones.
    pub credentials: Option<TrackerCredentialsInput>,
    /// At most 200 characters.
    pub done_transition: Option<String>,
    /// At most 200 characters.
    pub reopen_transition: Option<String>,
    /// ServiceNow only. At most 200 characters.
    pub table: Option<String>,
    /// The connection's `version` as last read; a stale value is a `CONFLICT`.
    pub expected_version: Option<i32>,
}

#[derive(SimpleObject)]
pub struct UpdateTrackerConnectionPayload {
    pub tracker_connection: Option<TrackerConnection>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct RotateTrackerInboundSecretInput {
    pub tracker_connection_id: ID,
    pub expected_version: Option<i32>,
}

#[derive(SimpleObject)]
pub struct RotateTrackerInboundSecretPayload {
    pub tracker_connection: Option<TrackerConnection>,
    /// The new secret, shown this once; the old one no longer verifies.
    pub inbound_secret: Option<String>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct DeleteTrackerConnectionInput {
    pub tracker_connection_id: ID,
    pub expected_version: Option<i32>,
}

#[derive(SimpleObject)]
pub struct DeleteTrackerConnectionPayload {
    pub deleted_tracker_connection_id: Option<ID>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct RedeliverTrackerUpdateInput {
    pub tracker_connection_id: ID,
    /// An `AuditEvent` of the connection's engagement: an activity completed or reopened.
    pub event_id: ID,
}

#[derive(SimpleObject)]
pub struct RedeliverTrackerUpdatePayload {
    /// The delivery's state now (`PENDING`).
    pub status: Option<DeliveryStatus>,
    pub user_errors: Vec<UserError>,
}

#[Object]
impl TrackerConnectionMutations {
    /// Connects an engagement to the customer's Jira or ServiceNow (consultants
    /// and admins). From then on, completing or reopening an activity linked
    /// to one of its tickets moves the ticket (see `TrackerConnection.deliveries`).
    async fn create_tracker_connection(
        &self,
        ctx: &Context<'_>,
        input: CreateTrackerConnectionInput,
    ) -> Result<CreateTrackerConnectionPayload> {
        let new = NewConnection {
            engagement_id: ids::decode::<EngagementId>(&input.engagement_id)?,
            system: input.system.into(),
            settings: Settings {
                name: Some(input.name),
                base_url: Some(input.base_url),
                credentials: Some(input.credentials.into()),
                done_transition: input.done_transition,
                reopen_transition: input.reopen_transition,
                table: input.table,
            },
        };
        let key = input.idempotency_key.as_deref();
        let (created, user_errors) = payload(connections::create(ctx.db()?, ctx.viewer()?, new, key).await)?;
        let (tracker_connection, inbound_secret) = match created {
            Some(c) => (Some(TrackerConnection(c.row)), c.secret),
            None => (None, None),
        };
        Ok(CreateTrackerConnectionPayload { tracker_connection, inbound_secret, user_errors })
    }

    /// Changes a connection's settings or credentials (consultants and admins).
    async fn update_tracker_connection(
        &self,
        ctx: &Context<'_>,
        input: UpdateTrackerConnectionInput,
    ) -> Result<UpdateTrackerConnectionPayload> {
        let id = ids::decode::<TrackerConnectionId>(&input.tracker_connection_id)?;
        let changes = ConnectionChanges(Settings {
            name: input.name,
            base_url: input.base_url,
            credentials: input.credentials.map(Into::into),
            done_transition: input.done_transition,
            reopen_transition: input.reopen_transition,
            table: input.table,
        });
        let result = connections::update(ctx.db()?, ctx.viewer()?, id, changes, input.expected_version).await;
        let (updated, user_errors) = payload(result)?;
        Ok(UpdateTrackerConnectionPayload { tracker_connection: updated.map(TrackerConnection), user_errors })
    }

    /// Gives a Jira connection a new inbound webhook secret (consultants and admins).
    async fn rotate_tracker_inbound_secret(
        &self,
        ctx: &Context<'_>,
        input: RotateTrackerInboundSecretInput,
    ) -> Result<RotateTrackerInboundSecretPayload> {
        let id = ids::decode::<TrackerConnectionId>(&input.tracker_connection_id)?;
        let result = connections::rotate_secret(ctx.db()?, ctx.viewer()?, id, input.expected_version).await;
        let (rotated, user_errors) = payload(result)?;
        let (tracker_connection, inbound_secret) = match rotated {
            Some(rotated) => (Some(TrackerConnection(rotated.row)), rotated.secret),
            None => (None, None),
        };
        Ok(RotateTrackerInboundSecretPayload { tracker_connection, inbound_secret, user_errors })
    }

    /// Removes a connection and its inbound log (consultants and admins).
    async fn delete_tracker_connection(
        &self,
        ctx: &Context<'_>,
        input: DeleteTrackerConnectionInput,
    ) -> Result<DeleteTrackerConnectionPayload> {
        let id = ids::decode::<TrackerConnectionId>(&input.tracker_connection_id)?;
        let result = connections::delete(ctx.db()?, ctx.viewer()?, id, input.expected_version).await;
        let (deleted, user_errors) = payload(result)?;
        let deleted_tracker_connection_id = deleted.map(|c| ids::encode(TrackerConnectionId(c.id)));
        Ok(DeleteTrackerConnectionPayload { deleted_tracker_connection_id, user_errors })
    }

    /// Sends an activity's completion or reopening to the tracker again
    /// (consultants and admins), e.g. after fixing the connection's
    /// credentials or transitions. It goes out in its turn among the
    /// connection's deliveries.
    async fn redeliver_tracker_update(
        &self,
        ctx: &Context<'_>,
        input: RedeliverTrackerUpdateInput,
    ) -> Result<RedeliverTrackerUpdatePayload> {
        let id = ids::decode::<TrackerConnectionId>(&input.tracker_connection_id)?;
        let event_id = ids::decode::<AuditEventId>(&input.event_id)?;
        let result = redeliver::<tracker_connection::Model>(ctx.db()?, ctx.viewer()?, id, event_id).await;
        let (queued, user_errors) = payload(result)?;
        Ok(RedeliverTrackerUpdatePayload { status: queued.map(|d| d.status.into()), user_errors })
    }
}
