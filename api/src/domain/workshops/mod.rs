//! Workshop sessions: every workshop template of the kit version becomes a
//! session of the engagement when it is created, and consultants add custom
//! ones. Consultants (and admins) schedule and cancel sessions; consultants
//! and workstream members record what happened (design.md §4).

mod add;
mod cancel;
mod generate;
mod list;
mod record;
mod schedule;
mod validation;
mod workflow;

use chrono::{DateTime, NaiveDate, Utc};
use opskit_entity::{
    enums::{Audience, SessionStatus, WorkshopPhase},
    workshop_session,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};

pub use add::{NewSession, add};
pub use cancel::{Cancellation, cancel};
pub use generate::generate;
pub use list::{SessionFilter, SessionSort, in_sprint, page};
pub use record::{Outcome, record_outcome};
pub use schedule::{Schedule, schedule};
pub use validation::{MAX_DURATION_MINUTES, MAX_NOTES, MAX_OUTCOMES, MAX_SESSIONS};
pub use workflow::{SessionAction, next};

use crate::{
    domain::{Viewer, access::Access, ids::WorkshopSessionId, permissions::Role, validate::Checks, write::Scope},
    error::Result,
};

/// A session the caller may see (`NOT_FOUND` otherwise) with the caller's access.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: WorkshopSessionId,
) -> Result<(workshop_session::Model, Access)> {
    workshop_session::Model::load(db, viewer, id).await
}

/// Whether a session starting at `starts_at` starts inside a sprint's days
/// (calendar days in UTC). Only the start counts: the Game Day outlasts a sprint.
pub fn starts_within(starts_at: DateTime<Utc>, starts_on: NaiveDate, ends_on: NaiveDate) -> bool {
    let day = starts_at.date_naive();
    starts_on <= day && day <= ends_on
}

/// The IDs in one of a session's JSON ID columns (`activity_ids`, `attendee_member_ids`).
pub fn ids_in(value: &serde_json::Value) -> Vec<i64> {
    value.as_array().map(|items| items.iter().filter_map(serde_json::Value::as_i64).collect()).unwrap_or_default()
}

/// The rows of `all` named in one of a session's JSON ID columns, in its
/// order; IDs of rows no longer among them are left out.
pub fn named_in<M: Clone>(column: &serde_json::Value, all: &[M], id_of: impl Fn(&M) -> i64) -> Vec<M> {
    let by_id: std::collections::HashMap<i64, &M> = all.iter().map(|row| (id_of(row), row)).collect();
    ids_in(column).into_iter().filter_map(|id| by_id.get(&id).copied().cloned()).collect()
}

/// The strings in a session's `outcomes` column.
pub fn strings_in(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// How a time reads in an audit summary.
fn when(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The status after `action` on `session` by `role`. A refused transition is
/// the first of `checks` (`SESSION_CLOSED`) and gives `None`, so that the
/// caller reports it with the other input errors; a refused role is `FORBIDDEN`.
fn advance(
    checks: &mut Checks,
    session: &workshop_session::Model,
    action: SessionAction,
    role: Role,
) -> Result<Option<SessionStatus>> {
    match next(Some(session.status), action, role) {
        Ok(status) => Ok(Some(status)),
        Err(refusal) => {
            checks.add_first(refusal.into_error("sessionId", workflow::refused_message(session.status, action)))?;
            Ok(None)
        }
    }
}

/// How many of `ids` name rows of `engagement_id` (activities, members).
async fn found_in<E: EntityTrait, C: ConnectionTrait>(
    tx: &C,
    engagement_id: i64,
    engagement_column: E::Column,
    id_column: E::Column,
    ids: &[i64],
) -> Result<usize> {
    let found: Vec<i64> = E::find()
        .select_only()
        .column(id_column)
        .filter(engagement_column.eq(engagement_id))
        .filter(id_column.is_in(ids.iter().copied()))
        .into_tuple()
        .all(tx)
        .await?;
    Ok(found.len())
}

/// What a new session is: a workshop template of the kit, or a custom one.
struct Plan {
    template_id: Option<i64>,
    position: i32,
    phase: WorkshopPhase,
    title: String,
    audience: Audience,
    duration_minutes: i32,
    capability_id: Option<i64>,
    /// Activities of the engagement it works on.
    activity_ids: Vec<i64>,
    sprint_id: Option<i64>,
    starts_at: Option<DateTime<Utc>>,
}

impl Plan {
    /// The new session of `engagement_id`, with `status`, nothing recorded yet.
    fn row(self, engagement_id: i64, status: SessionStatus, now: DateTime<Utc>) -> workshop_session::ActiveModel {
        workshop_session::ActiveModel {
            engagement_id: Set(engagement_id),
            workshop_template_id: Set(self.template_id),
            position: Set(self.position),
            phase: Set(self.phase),
            title: Set(self.title),
            audience: Set(self.audience),
            duration_minutes: Set(self.duration_minutes),
            capability_id: Set(self.capability_id),
            sprint_id: Set(self.sprint_id),
            starts_at: Set(self.starts_at),
            status: Set(status),
            notes: Set(None),
            outcomes: Set(serde_json::json!([])),
            attendee_member_ids: Set(serde_json::json!([])),
            activity_ids: Set(serde_json::json!(self.activity_ids)),
            cancel_reason: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
    }
}
