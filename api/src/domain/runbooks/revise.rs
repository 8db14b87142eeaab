//! Revising a baselined runbook: the next draft starts from the baselined
//! body, and the baselined revision stays in the knowledge base until a newer
//! one is baselined.

use opskit_entity::{enums::RunbookStatus, runbook};

use super::revisions;
use crate::{
    domain::{
        action::Action,
        write::{Done, Step},
    },
    error::Result,
};

/// BASELINE → DRAFT (`status`): a new revision with the baselined body.
pub(super) async fn revise(step: &Step<'_, runbook::Model>, status: RunbookStatus) -> Result<Done<runbook::Model>> {
    let body = revisions::current(step.tx, &step.target).await?.map(|r| r.body).unwrap_or_default();
    let change_summary = "Started the next version from the baseline".to_owned();
    let (saved, _) = revisions::save_draft(step, status, body, change_summary).await?;
    let summary = format!("started revising baselined runbook \"{}\"", saved.title);
    Ok(Done::saved(saved, Action::RunbookRevised, summary))
}
