//! Webhooks from the customer's tracker: a ticket moved to done completes the
//! activity it is linked to, through the write path as the connection; moved
//! out of done, it reopens the activity. When the activity's own rules refuse
//! (an unmitigated deviation, a missing readiness target), the ticket's status
//! and the reason are recorded on the activity instead. Every delivery is
//! logged once per connection by its delivery ID, so a replay changes nothing;
//! a ticket no activity is linked to is logged as ignored.

mod follow;
pub mod jira;
pub mod servicenow;

use chrono::Utc;
use opskit_entity::{
    activity,
    enums::{ApiKeyRole, InboundOutcome, TrackerSystem},
    tracker_connection, tracker_inbound_delivery as inbound,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, TryInsertResult,
};

use crate::{
    domain::{
        Viewer,
        access::{KeyGrant, engagement_access},
        ids::{ActivityId, EngagementId, TrackerConnectionId, UserId},
        permissions::Permission,
        write::{self, On},
    },
    error::{Error, Result},
};

/// Most characters of a delivery ID, ticket key or status kept.
const MAX_FIELD: usize = 200;

/// What a webhook says about one ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketMoved {
    /// The tracker's ID of this delivery: the same for a retry of it.
    pub delivery_id: String,
    /// The ticket's key (Jira `OPS-142`, ServiceNow `INC0010023`).
    pub key: String,
    /// Its status as the tracker names it.
    pub status: String,
    /// Whether that status counts as done.
    pub done: bool,
}

/// What opskit did with a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// Logged with this outcome and detail.
    Logged(InboundOutcome, String),
    /// A delivery ID seen before: nothing changed, nothing logged again.
    Replayed,
}

/// The connection `id` of `system` that a webhook names; `NOT_FOUND` otherwise.
pub async fn connection(
    db: &DatabaseConnection,
    id: TrackerConnectionId,
    system: TrackerSystem,
) -> Result<tracker_connection::Model> {
    tracker_connection::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .filter(|c| c.system == system)
        .ok_or(Error::NotFound("tracker connection"))
}

/// `caller` (an API key of the engagement, or a person) may move the
/// connection's activities: `NOT_FOUND` for strangers, `FORBIDDEN` for roles
/// that may not complete activities. Checked before anything is logged.
pub async fn authorize(db: &DatabaseConnection, caller: &Viewer, connection: &tracker_connection::Model) -> Result<()> {
    engagement_access(db, caller, EngagementId(connection.engagement_id))
        .await
        .map_err(|e| e.naming("tracker connection"))?
        .check(Permission::CompleteActivities)
}

/// Handles one delivery for `connection`, already authenticated, acting as
/// `actor`: the connection itself ([`actor`]), so that the change is not sent
/// back out to the tracker it came from.
pub async fn receive(
    db: &DatabaseConnection,
    connection: &tracker_connection::Model,
    actor: &Viewer,
    moved: TicketMoved,
) -> Result<Received> {
    let moved = TicketMoved {
        delivery_id: clip(&moved.delivery_id),
        key: clip(moved.key.trim()),
        status: clip(moved.status.trim()),
        done: moved.done,
    };
    if logged(db, connection.id, &moved.delivery_id).await? {
        return Ok(Received::Replayed);
    }
    let linked = activity::Entity::find()
        .filter(activity::Column::EngagementId.eq(connection.engagement_id))
        .filter(activity::Column::TrackerSystem.eq(connection.system))
        .filter(activity::Column::TrackerKey.eq(moved.key.as_str()))
        .one(db)
        .await?;
    let Some(activity) = linked else {
        let detail = format!("no activity of the engagement is linked to {}", moved.key);
        return log(db, connection, &moved, None, InboundOutcome::Ignored, detail).await;
    };
    let follow = follow::Follow { connection: connection.id, moved: moved.clone() };
    match write::run(db, actor, On::id(ActivityId(activity.id)), follow).await {
        Ok(Some((outcome, detail))) => Ok(Received::Logged(outcome, detail)),
        Ok(None) => Ok(Received::Replayed),
        // The engagement is closed, say: nothing changes, and the log says why.
        Err(Error::User(errors)) => {
            let detail = errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; ");
            log(db, connection, &moved, Some(activity.id), InboundOutcome::Ignored, detail).await
        }
        Err(other) => Err(other),
    }
}

/// The caller the connection acts as: its own user, with the grant of an
/// `INTEGRATION` key of the connection's engagement (the same permission
/// table as API keys): it may complete and reopen activities linked to a
/// ticket there, and nothing anywhere else.
pub async fn actor<C: ConnectionTrait>(db: &C, connection: &tracker_connection::Model) -> Result<Viewer> {
    let user = opskit_entity::user::Entity::find_by_id(connection.actor_id)
        .one(db)
        .await?
        .ok_or_else(|| Error::internal(anyhow::anyhow!("tracker connection {} has no user", connection.id)))?;
    Ok(Viewer {
        user_id: UserId(user.id),
        subject: user.subject,
        name: user.name,
        email: None,
        roles: Vec::new(),
        key: Some(KeyGrant {
            key: None,
            engagement: EngagementId(connection.engagement_id),
            role: ApiKeyRole::Integration,
        }),
        cache: Default::default(),
    })
}

/// Whether delivery `delivery_id` of the connection is logged already.
async fn logged<C: ConnectionTrait>(db: &C, connection: i64, delivery_id: &str) -> Result<bool> {
    let found = inbound::Entity::find()
        .filter(inbound::Column::ConnectionId.eq(connection))
        .filter(inbound::Column::DeliveryId.eq(delivery_id))
        .one(db)
        .await?;
    Ok(found.is_some())
}

/// Logs a delivery that changed nothing; a replay racing it is [`Received::Replayed`].
async fn log<C: ConnectionTrait>(
    db: &C,
    connection: &tracker_connection::Model,
    moved: &TicketMoved,
    activity: Option<i64>,
    outcome: InboundOutcome,
    detail: String,
) -> Result<Received> {
    match insert(db, connection, moved, activity, outcome, &detail).await? {
        true => Ok(Received::Logged(outcome, detail)),
        false => Ok(Received::Replayed),
    }
}

/// Writes the log entry; `false` when the delivery is logged already.
async fn insert<C: ConnectionTrait>(
    db: &C,
    connection: &tracker_connection::Model,
    moved: &TicketMoved,
    activity: Option<i64>,
    outcome: InboundOutcome,
    detail: &str,
) -> Result<bool> {
    let row = inbound::ActiveModel {
        connection_id: Set(connection.id),
        engagement_id: Set(connection.engagement_id),
        delivery_id: Set(moved.delivery_id.clone()),
        ticket_key: Set(Some(moved.key.clone())),
        ticket_status: Set(Some(moved.status.clone())),
        outcome: Set(outcome),
        detail: Set(detail.to_owned()),
        activity_id: Set(activity),
        received_at: Set(Utc::now()),
        ..Default::default()
    };
    let result = inbound::Entity::insert(row)
        .on_conflict_do_nothing_on([inbound::Column::ConnectionId, inbound::Column::DeliveryId])
        .exec_without_returning(db)
        .await?;
    Ok(matches!(result, TryInsertResult::Inserted(rows) if rows > 0))
}

/// Sets the outcome of a logged delivery.
async fn settle<C: ConnectionTrait>(
    db: &C,
    connection: i64,
    delivery_id: &str,
    outcome: InboundOutcome,
    detail: &str,
) -> Result<()> {
    let found = inbound::Entity::find()
        .filter(inbound::Column::ConnectionId.eq(connection))
        .filter(inbound::Column::DeliveryId.eq(delivery_id))
        .one(db)
        .await?
        .ok_or(Error::NotFound("delivery"))?;
    let mut row: inbound::ActiveModel = found.into();
    row.outcome = Set(outcome);
    row.detail = Set(detail.to_owned());
    row.update(db).await?;
    Ok(())
}

/// `text` cut to [`MAX_FIELD`] characters.
fn clip(text: &str) -> String {
    text.chars().take(MAX_FIELD).collect()
}
