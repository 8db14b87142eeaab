//! Reading an engagement's runbooks: filtered and paged in the order they
//! were created. The runbooks come from a DataLoader (all of one engagement
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

/// One page of `runbooks` (all of one engagement, oldest first) matching `filter`.
pub fn list(runbooks: Vec<runbook::Model>, filter: &RunbookFilter, args: &PageArgs) -> Result<Page<runbook::Model>> {
    let rows = runbooks
        .into_iter()
        .filter(|r| filter.status.is_none_or(|s| r.status == s))
        .filter(|r| filter.kind.is_none_or(|k| r.kind == k))
        .filter(|r| filter.capability.is_none_or(|wanted| wanted == Some(CapabilityId(r.capability_id))))
        .collect();
    page::slice(rows, |r| Cursor(SortValue::I(r.id), r.id), args)
}
