//! Reading an engagement's sessions: filtered and paged in position order,
//! or those of one sprint in time order. The rows come from a DataLoader
//! (all sessions of the engagement at once), so these are pure functions.

use std::cmp::Ordering;

use opskit_entity::{
    capability,
    enums::{SessionStatus, WorkshopPhase},
    workshop_session,
};

use crate::{
    domain::{
        ids::SprintId,
        page::{self, Cursor, Page, PageArgs, SortValue},
    },
    error::Result,
};

/// Narrowing an engagement's sessions; every given criterion must match.
#[derive(Debug, Clone, Default)]
pub struct SessionFilter {
    pub phase: Option<WorkshopPhase>,
    pub sprint_id: Option<SprintId>,
    pub status: Option<SessionStatus>,
    /// A capability key of the engagement's kit, e.g. `patch-management`.
    pub capability_key: Option<String>,
}

/// One page of `sessions` (all of one engagement) matching `filter`, ordered
/// by position then ID. `capabilities` are the kit's, to resolve the key.
pub fn page(
    mut sessions: Vec<workshop_session::Model>,
    capabilities: &[capability::Model],
    filter: &SessionFilter,
    args: &PageArgs,
) -> Result<Page<workshop_session::Model>> {
    let capability_id =
        filter.capability_key.as_ref().map(|key| capabilities.iter().find(|c| &c.key == key).map(|c| c.id));
    sessions.retain(|s| {
        filter.phase.is_none_or(|p| s.phase == p)
            && filter.status.is_none_or(|st| s.status == st)
            && filter.sprint_id.is_none_or(|id| s.sprint_id == Some(id.0))
            && capability_id.is_none_or(|c| c.is_some() && s.capability_id == c)
    });
    sessions.sort_by_key(|s| (s.position, s.id));
    page::slice(sessions, |s| Cursor(SortValue::I(i64::from(s.position)), s.id), args)
}

/// The sessions of one sprint, by start time (those without one last), then position.
pub fn in_sprint(sessions: Vec<workshop_session::Model>, sprint_id: SprintId) -> Vec<workshop_session::Model> {
    let mut rows: Vec<_> = sessions.into_iter().filter(|s| s.sprint_id == Some(sprint_id.0)).collect();
    rows.sort_by(|a, b| {
        let time = match (a.starts_at, b.starts_at) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        time.then(a.position.cmp(&b.position)).then(a.id.cmp(&b.id))
    });
    rows
}
