//! The event log: every committed change, in commit order. It is the audit
//! trail ([`super::audit`]) read forwards: each change's write path appends
//! exactly one `audit_events` row in the change's own transaction, and the
//! row's ID is its **position**, which grows in commit order (see
//! [`super::audit::record`] for how PostgreSQL is kept in that order). A
//! reader that remembers the last position it saw reads [`after`] it and
//! misses nothing, sees nothing twice, and never sees a rolled-back change.
//!
//! [`Feed`] tells a process when there may be new events (after a commit in
//! this process on SQLite, a `NOTIFY` from any replica on PostgreSQL) and
//! hands them out once to all of the process's subscribers; [`follow`] is one
//! engagement's events for one subscriber: replay after a cursor, then live.

mod cursor;
mod feed;
mod follow;
mod fresh;

use std::collections::BTreeSet;

use opskit_entity::audit_event;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{action::Action, ids::EngagementId};
use crate::error::{Error, Result};

pub use cursor::{decode_cursor, encode_cursor};
pub use feed::{CHANNEL, Feed, committed};
pub use follow::{Follow, follow};
pub use fresh::keep_fresh;

/// The row of one event: its `id` is its position.
pub type Event = audit_event::Model;

/// Most events one read returns; readers page by position.
pub const PAGE: u64 = 200;

/// Which events a reader wants.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Only this engagement's events; `None` for every event (engagement-less ones too).
    pub engagement: Option<EngagementId>,
    /// Only these dotted types (`runbook.baselined`); `None` for all.
    pub types: Option<Vec<String>>,
}

impl EventFilter {
    /// Whether `event` passes the filter.
    pub fn matches(&self, event: &Event) -> bool {
        let engagement = self.engagement.is_none_or(|e| event.engagement_id == Some(e.0));
        let kind = self.types.as_ref().is_none_or(|types| types.contains(&event.action));
        engagement && kind
    }
}

/// Checks event type names against the actions: an unknown one is `BAD_USER_INPUT`.
pub fn check_types(types: &[String]) -> Result<()> {
    match types.iter().find(|t| Action::parse(t).is_none()) {
        Some(unknown) => Err(Error::BadUserInput(format!(
            "`{unknown}` is not an event type; types are dotted action names such as `runbook.baselined`"
        ))),
        None => Ok(()),
    }
}

/// Up to `limit` committed events after `position`, oldest first. The one
/// way to read the log (subscriptions, and webhooks built on it).
pub async fn after<C: ConnectionTrait>(db: &C, position: i64, filter: &EventFilter, limit: u64) -> Result<Vec<Event>> {
    let mut query = audit_event::Entity::find().filter(audit_event::Column::Id.gt(position));
    if let Some(engagement) = filter.engagement {
        query = query.filter(audit_event::Column::EngagementId.eq(engagement.0));
    }
    if let Some(types) = &filter.types {
        query = query.filter(audit_event::Column::Action.is_in(types.iter().cloned()));
    }
    Ok(query.order_by_asc(audit_event::Column::Id).limit(limit).all(db).await?)
}

/// The events after `position` that pass any of `filters`, oldest first, at
/// most `limit`: one statement for many readers (the delivery worker's
/// targets), each then picking its own with [`EventFilter::matches`].
pub async fn after_any<C: ConnectionTrait>(
    db: &C,
    position: i64,
    filters: &[EventFilter],
    limit: u64,
) -> Result<Vec<Event>> {
    let mut query = audit_event::Entity::find().filter(audit_event::Column::Id.gt(position));
    // Any reader of every engagement (or every type) lifts that part of the filter.
    let engagements: Option<BTreeSet<i64>> = filters.iter().map(|f| f.engagement.map(|e| e.0)).collect();
    if let Some(engagements) = engagements {
        query = query.filter(audit_event::Column::EngagementId.is_in(engagements));
    }
    let types: Option<Vec<&Vec<String>>> = filters.iter().map(|f| f.types.as_ref()).collect();
    if let Some(types) = types {
        let types: BTreeSet<&String> = types.into_iter().flatten().collect();
        query = query.filter(audit_event::Column::Action.is_in(types.into_iter().cloned()));
    }
    Ok(query.order_by_asc(audit_event::Column::Id).limit(limit).all(db).await?)
}

/// The position of the newest committed event (0 when there is none).
pub async fn head<C: ConnectionTrait>(db: &C) -> Result<i64> {
    let newest = audit_event::Entity::find()
        .select_only()
        .column_as(audit_event::Column::Id.max(), "head")
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?;
    Ok(newest.flatten().unwrap_or(0))
}
