//! Workshop sessions: every workshop template of the kit version becomes a
//! session of the engagement when it is created, and consultants add custom
//! ones. Consultants (and admins) schedule and cancel sessions; consultants
//! and workstream members record what happened (design.md §4).

mod add;
mod cancel;
mod generate;
mod list;
mod record;
mod rules;
mod save;
mod schedule;
mod status;

use chrono::{DateTime, NaiveDate, Utc};
use opskit_entity::workshop_session;
use sea_orm::{ConnectionTrait, EntityTrait};

pub use add::{NewSession, add};
pub use cancel::{Cancellation, cancel};
pub use generate::generate;
pub use list::{SessionFilter, in_sprint, page};
pub use record::{Outcome, record_outcome};
pub use rules::{MAX_DURATION_MINUTES, MAX_NOTES, MAX_OUTCOMES, MAX_SESSIONS};
pub use schedule::{Schedule, schedule};
pub use status::{SessionEvent, next_status};

use crate::{
    domain::{
        Viewer,
        access::{Access, access_via},
        ids::WorkshopSessionId,
    },
    error::{Error, Result},
};

/// A session the caller may see (`NOT_FOUND` otherwise) with the caller's access.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: WorkshopSessionId,
) -> Result<(workshop_session::Model, Access)> {
    let session =
        workshop_session::Entity::find_by_id(id.0).one(db).await?.ok_or(Error::NotFound("workshop session"))?;
    let access = access_via(db, viewer, session.engagement_id, "workshop session").await?;
    Ok((session, access))
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
