//! Submitting a draft for review opens a new review round of its current
//! revision, which must have some text: only approvals given in this round count.

use opskit_entity::{enums::RunbookStatus, runbook, runbook_revision};
use sea_orm::Set;

use super::revisions;
use crate::{
    domain::{
        action::Action,
        write::{Done, Step},
    },
    error::{Code, Error, Result},
};

/// DRAFT → IN_REVIEW (`status`), when the body is not empty.
pub(super) async fn submit(step: &Step<'_, runbook::Model>, status: RunbookStatus) -> Result<Done<runbook::Model>> {
    let current = revisions::current(step.tx, &step.target).await?;
    if !has_text(current.as_ref()) {
        return Err(Error::user("runbookId", Code::EmptyBody, "write the runbook before submitting it"));
    }
    let round = step.target.review_round + 1;
    let changes = runbook::ActiveModel { status: Set(status), review_round: Set(round), ..Default::default() };
    let saved = step.save(changes).await?;
    let summary = format!("submitted runbook \"{}\" for review", saved.title);
    Ok(Done::saved(saved, Action::RunbookSubmitted, summary))
}

/// Whether the current revision has some text to review.
pub(super) fn has_text(current: Option<&runbook_revision::Model>) -> bool {
    current.is_some_and(|r| !r.body.trim().is_empty())
}
