//! Reading an engagement's runbooks: filtered, sorted and paged. The runbooks come from a DataLoader (all of one engagement
//! at once), so this is a pure function.

use opskit_entity::{
    enums::{RunbookKind, RunbookStatus},
    runbook,
};

use crate::{
    domain::{
        ids::CapabilityId,
        page::{self, Cursor, Page, PageArgs, SortValue},
    },
    error::Result,
};

/// Narrowing an engagement's runbooks; every given criterion must match.
#[derive(Debug, Clone, Default)]
pub struct RunbookFilter {
    /// Only runbooks in this state.
    pub status: Option<RunbookStatus>,
    /// Core runbooks from the kit, or custom ones.
    pub kind: Option<RunbookKind>,
    /// Only runbooks of this capability; `Some(None)` when the key named no
    /// capability of the kit, which matches nothing.
    pub capability: Option<Option<CapabilityId>>,
}

/// What an engagement's runbooks are sorted by; ties are broken by ID.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RunbookSort {
    /// When created (the default: oldest first).
    #[default]
    CreatedAt,
    /// When last changed.
    UpdatedAt,
    Title,
    /// Along the workflow: TEMPLATE, DRAFT, IN_REVIEW, BASELINE.
    Status,
}

impl RunbookSort {
    /// The position of `runbook` in this order.
    fn cursor(self, r: &runbook::Model) -> Cursor {
        let value = match self {
            RunbookSort::CreatedAt => SortValue::T(r.created_at),
            RunbookSort::UpdatedAt => SortValue::T(r.updated_at),
            RunbookSort::Title => SortValue::S(r.title.clone()),
            RunbookSort::Status => SortValue::I(r.status as i64),
        };
        Cursor(value, r.id)
    }
}

/// One page of `runbooks` (all of one engagement) matching `filter`, in `sort` order.
pub fn list(
    runbooks: Vec<runbook::Model>,
    filter: &RunbookFilter,
    sort: RunbookSort,
    descending: bool,
    args: &PageArgs,
) -> Result<Page<runbook::Model>> {
    let rows = runbooks
        .into_iter()
        .filter(|r| filter.status.is_none_or(|s| r.status == s))
        .filter(|r| filter.kind.is_none_or(|k| r.kind == k))
        .filter(|r| filter.capability.is_none_or(|wanted| wanted == Some(CapabilityId(r.capability_id))))
        .collect();
    page(rows, sort, descending, args)
}

/// One page of `runbooks` in `sort` order.
pub fn page(
    runbooks: Vec<runbook::Model>,
    sort: RunbookSort,
    descending: bool,
    args: &PageArgs,
) -> Result<Page<runbook::Model>> {
    page::slice_by(runbooks, |r| sort.cursor(r), descending, args)
}
