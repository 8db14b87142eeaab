//! The one place a change is recorded: every mutation calls [`record`] inside
//! its transaction, so the audit trail — which is also the event log that
//! subscriptions read ([`super::events`]) — never misses or invents a change.

use chrono::Utc;
use opskit_entity::audit_event;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbBackend, Set, Statement};

use super::{Viewer, access::Access, action::Action, ids::EngagementId};
use crate::error::Result;

/// One change to record.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub engagement: Option<EngagementId>,
    /// What was done; its kind of object is the changed object's type.
    pub action: Action,
    pub object_id: i64,
    pub summary: &'a str,
}

/// The key of the PostgreSQL advisory lock that orders appends to the log.
const APPEND_LOCK: i64 = 0x6f70_736b_6974; // "opskit"

/// Writes the audit event for `change`, made by `actor`, in the caller's
/// transaction. The event's ID is its position in the event log.
///
/// Positions must become visible in increasing order, or a reader that has
/// seen position 8 would skip a 7 that commits after it. SQLite runs one
/// writer at a time, so its IDs commit in order. PostgreSQL hands out sequence
/// values without waiting for commits, so two transactions could commit their
/// events out of order; this is why every append first takes one transaction-
/// scoped advisory lock (`pg_advisory_xact_lock`): the ID is drawn after the
/// lock is granted and the lock is released only after the commit is visible,
/// so appends — the last statement of every write — commit one at a time in ID
/// order. The cost is that concurrent writes serialize over their final
/// statement and commit. The `NOTIFY` carrying the position is transactional:
/// PostgreSQL delivers it only if the transaction commits.
pub async fn record<C: ConnectionTrait>(tx: &C, actor: Option<&Viewer>, change: Change<'_>) -> Result<()> {
    let postgres = tx.get_database_backend() == DbBackend::Postgres;
    if postgres {
        tx.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [APPEND_LOCK.into()],
        ))
        .await?;
    }
    let saved = audit_event::ActiveModel {
        engagement_id: Set(change.engagement.map(|e| e.0)),
        actor_id: Set(actor.map(|v| v.user_id.0)),
        action: Set(change.action.name().to_owned()),
        object_type: Set(change.action.object().name().to_owned()),
        object_id: Set(change.object_id),
        summary: Set(change.summary.to_owned()),
        occurred_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    if postgres {
        tx.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [super::events::CHANNEL.into(), saved.id.to_string().into()],
        ))
        .await?;
    }
    // The summary carries customer text: debug only.
    tracing::debug!(
        action = change.action.name(),
        object = change.action.object().name(),
        id = change.object_id,
        position = saved.id,
        "{}",
        change.summary
    );
    Ok(())
}

/// Records a change to an object inside the engagement of `access`.
pub async fn record_in<C: ConnectionTrait>(
    tx: &C,
    viewer: &Viewer,
    access: &Access,
    action: Action,
    object_id: i64,
    summary: &str,
) -> Result<()> {
    let change = Change { engagement: Some(access.engagement_id()), action, object_id, summary };
    record(tx, Some(viewer), change).await
}
