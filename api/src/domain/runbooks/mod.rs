//! Runbooks: each evolves Template → Draft → In Review → Baseline; once
//! baselined it is in the engagement's knowledge base and counts as a
//! completed deliverable. Every edit is a new revision; baselining needs one
//! consultant and one stakeholder approval of the revision under review.
//! Each mutation is a command on the write path; each rule is in a file named for its verb.

mod baseline;
mod can;
mod create;
mod edit;
mod export;
mod list;
mod read;
mod retire;
mod review;
mod revise;
mod revisions;
mod sign_off;
mod start;
mod submit;
mod transition;
mod validation;
mod void;
mod workflow;

pub use can::{Facts, awaits_review_from, can};
pub use create::{NewCustomRunbook, create_core_runbooks, create_custom};
pub use edit::edit;
pub use export::{knowledge_base_markdown, markdown};
pub use list::{RunbookFilter, RunbookSort, list, page};
pub use read::{KnowledgeBaseFilter, KnowledgeBaseSort, get, knowledge_base, review_by_id, revision};
pub use retire::{Retirement, retire};
pub use review::review;
pub use sign_off::SignOff;
pub use start::skeleton;
pub use transition::{Transition, transition};
pub use validation::MAX_BODY;
pub use void::void_approvals;
pub use workflow::{RunbookAction, next};

use opskit_entity::{enums::RunbookStatus, runbook};

use crate::{domain::write::Step, error::Result};

/// The status `action` by the caller leads to, or the workflow's refusal as
/// the mutation reports it (`FORBIDDEN`, or a `userErrors` entry on `runbookId`).
fn advance(step: &Step<'_, runbook::Model>, action: RunbookAction) -> Result<RunbookStatus> {
    let from = step.target.status;
    next(from, action, step.access.role()).map_err(|refusal| {
        refusal.into_error("runbookId", format!("cannot {} a runbook that is {from:?}", action.verb()))
    })
}
