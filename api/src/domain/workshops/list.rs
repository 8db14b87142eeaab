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

/// What sessions are sorted by; ties are broken by ID.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SessionSort {
    /// The workshop plan's order (the default).
    #[default]
    Position,
    /// When it takes place; sessions without a time come first.
    StartsAt,
    Title,
    /// PLANNED, HELD, CANCELLED.
    Status,
}

impl SessionSort {
    fn cursor(self, s: &workshop_session::Model) -> Cursor {
        let value = match self {
            SessionSort::Position => SortValue::I(i64::from(s.position)),
            // A string sorts before every time: unscheduled sessions come first.
            SessionSort::StartsAt => s.starts_at.map_or(SortValue::S(String::new()), SortValue::T),
            SessionSort::Title => SortValue::S(s.title.clone()),
            SessionSort::Status => SortValue::I(s.status as i64),
        };
        Cursor(value, s.id)
    }
}

/// One page of `sessions` (all of one engagement) matching `filter`, in
/// `sort` order. `capabilities` are the kit's, to resolve the key.
pub fn page(
    mut sessions: Vec<workshop_session::Model>,
    capabilities: &[std::sync::Arc<capability::Model>],
    filter: &SessionFilter,
    (sort, descending): (SessionSort, bool),
    args: &PageArgs,
) -> Result<Page<workshop_session::Model>> {
    let capability_id = crate::domain::kits::capability_by_key(capabilities, filter.capability_key.as_deref())
        .map(|c| c.map(|id| id.0));
    sessions.retain(|s| {
        filter.phase.is_none_or(|p| s.phase == p)
            && filter.status.is_none_or(|st| s.status == st)
            && filter.sprint_id.is_none_or(|id| s.sprint_id == Some(id.0))
            && capability_id.is_none_or(|c| c.is_some() && s.capability_id == c)
    });
    page::slice_by(sessions, |s| sort.cursor(s), descending, args)
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
