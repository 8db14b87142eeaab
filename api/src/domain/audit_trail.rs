//! Reading the audit trail written by [`super::audit`]: an engagement's
//! changes, newest first, paged in SQL; and single events, visible to whoever
//! may read their engagement (events outside any engagement, such as kit
//! imports, to admins only).

use crate::domain::permissions::Permission;
use chrono::{DateTime, Utc};
use opskit_entity::audit_event as event;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{
    Viewer,
    access::access_via,
    ids::{AuditEventId, EngagementId, UserId},
    page::{self, Cursor, Page, PageArgs, SortOrder, SortValue},
};
use crate::error::{Error, Result};

/// Most action names one filter may list.
pub const MAX_ACTIONS: usize = 50;

/// Narrowing the trail. Every given condition must hold.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only these actions, e.g. `raci.set`; an empty list matches nothing.
    pub actions: Option<Vec<String>>,
    /// Only changes to objects of this GraphQL type, e.g. `EngagementMember`.
    pub object_type: Option<String>,
    /// Only changes made by this user.
    pub actor: Option<UserId>,
    /// Only changes at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Only changes strictly before this instant.
    pub until: Option<DateTime<Utc>>,
}

/// What the trail is sorted by; ties are broken by ID (the log's order).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AuditSort {
    /// The log's order: by position, which grows with commit time.
    #[default]
    Position,
    /// When the change was made.
    OccurredAt,
    /// By action name (code point order), e.g. `activity.completed`.
    Action,
}

/// A page of an engagement's trail in `sort` order: two statements (count
/// and page). The caller has already been allowed to read the engagement.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    engagement: EngagementId,
    filter: &AuditFilter,
    sort: AuditSort,
    descending: bool,
    args: &PageArgs,
) -> Result<Page<event::Model>> {
    let mut query = event::Entity::find().filter(event::Column::EngagementId.eq(engagement.0));
    if let Some(actions) = &filter.actions {
        if actions.len() > MAX_ACTIONS {
            return Err(Error::BadUserInput(format!("`filter.actions` may list at most {MAX_ACTIONS} actions")));
        }
        query = query.filter(event::Column::Action.is_in(actions.iter().map(|a| a.trim().to_owned())));
    }
    if let Some(object_type) = &filter.object_type {
        query = query.filter(event::Column::ObjectType.eq(object_type.trim()));
    }
    if let Some(actor) = filter.actor {
        query = query.filter(event::Column::ActorId.eq(actor.0));
    }
    if let Some(since) = filter.since {
        query = query.filter(event::Column::OccurredAt.gte(since));
    }
    if let Some(until) = filter.until {
        query = query.filter(event::Column::OccurredAt.lt(until));
    }
    // The position order uses `ix_audit_events_engagement`.
    let (column, cursor): (_, fn(&event::Model) -> Cursor) = match sort {
        AuditSort::Position => (event::Column::Id, |e| Cursor(SortValue::I(e.id), e.id)),
        AuditSort::OccurredAt => (event::Column::OccurredAt, |e| Cursor(SortValue::T(e.occurred_at), e.id)),
        AuditSort::Action => (event::Column::Action, |e| Cursor(SortValue::S(e.action.clone()), e.id)),
    };
    let order = SortOrder::<event::Entity> { column, id_column: event::Column::Id, descending, cursor };
    page::keyset(db, query, &order, args).await
}

/// One event the caller may see; anyone else gets `NOT_FOUND`.
pub async fn get<C: ConnectionTrait>(db: &C, viewer: &Viewer, id: AuditEventId) -> Result<event::Model> {
    let found = event::Entity::find_by_id(id.0).one(db).await?.ok_or(Error::NotFound("audit event"))?;
    match found.engagement_id {
        Some(engagement) => {
            access_via(db, viewer, engagement, "audit event").await?;
        }
        None if viewer.may_everywhere(Permission::ReadEngagement) => {}
        None => return Err(Error::NotFound("audit event")),
    }
    Ok(found)
}
