//! Baselining: once the revision under review is signed off, it goes into the
//! engagement's knowledge base and the runbook counts as a completed deliverable.

use chrono::Utc;
use opskit_entity::{enums::RunbookStatus, runbook, runbook_review};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};

use super::{SignOff, revisions::under_review};
use crate::{
    domain::{
        action::Action,
        write::{Done, Step},
    },
    error::{Code, Error, Result},
};

/// IN_REVIEW → BASELINE (`status`), with one consultant's and one
/// stakeholder's approval of the revision under review, in the open round, by two people.
pub(super) async fn baseline(step: &Step<'_, runbook::Model>, status: RunbookStatus) -> Result<Done<runbook::Model>> {
    let revision = under_review(step.tx, &step.target).await?;
    let reviews = runbook_review::Entity::find()
        .filter(runbook_review::Column::RunbookId.eq(step.target.id))
        .filter(runbook_review::Column::Round.eq(step.target.review_round))
        .all(step.tx)
        .await?;
    let sign_off = SignOff::of(&step.target, &reviews);
    if !sign_off.is_complete() {
        let missing = sign_off.missing().join(" and ");
        let message = format!("revision {} still needs the approval of {missing}", revision.number);
        return Err(Error::user("runbookId", Code::ApprovalsMissing, message));
    }
    let saved = step
        .save(runbook::ActiveModel {
            status: Set(status),
            baseline_revision_id: Set(Some(revision.id)),
            baselined_at: Set(Some(Utc::now())),
            ..Default::default()
        })
        .await?;
    let summary = format!("baselined revision {} of \"{}\" into the knowledge base", revision.number, saved.title);
    Ok(Done::saved(saved, Action::RunbookBaselined, summary))
}
