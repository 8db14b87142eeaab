//! What the caller could do to a runbook now (`Runbook.viewerCan`): the
//! workflow's answer for their role, then the same rules on stored data the
//! commands check (text to submit, not one's own revision, both approvals).

use opskit_entity::{
    enums::{ReviewVerdict, RunbookKind},
    runbook, runbook_review, runbook_revision,
};

use super::{RunbookAction, SignOff, next, review::wrote, sign_off::side, submit::has_text};
use crate::domain::{ids::UserId, permissions::Role};

/// What the rules need besides the runbook: its current revision and its reviews.
pub struct Facts<'a> {
    pub current: Option<&'a runbook_revision::Model>,
    pub reviews: &'a [runbook_review::Model],
}

/// Whether `user`, with `role` in the runbook's engagement, would have `action` accepted.
pub fn can(runbook: &runbook::Model, action: RunbookAction, role: Role, user: UserId, facts: &Facts<'_>) -> bool {
    next(runbook.status, action, role).is_ok()
        && match action {
            RunbookAction::Submit => has_text(facts.current),
            RunbookAction::Approve => {
                facts.current.is_some_and(|revision| !wrote(revision, user))
                    && !approved_in_round(runbook, user, facts.reviews)
            }
            RunbookAction::RequestChanges => facts.current.is_some_and(|revision| !wrote(revision, user)),
            RunbookAction::Baseline => SignOff::of(runbook, facts.reviews).is_complete(),
            // A reason or a replacement is input, not state: only the kind counts.
            RunbookAction::Retire => runbook.kind == RunbookKind::Core,
            RunbookAction::Start | RunbookAction::Edit | RunbookAction::Revise => true,
        }
}

/// Whether `user` has an approval that counts in the runbook's open round
/// (a second one is `ALREADY_APPROVED`).
fn approved_in_round(runbook: &runbook::Model, user: UserId, reviews: &[runbook_review::Model]) -> bool {
    reviews.iter().any(|r| {
        r.runbook_id == runbook.id
            && r.round == runbook.review_round
            && r.reviewer_id == user.0
            && r.verdict == ReviewVerdict::Approve
            && r.voided_at.is_none()
    })
}

/// Whether `runbook` waits for `user`'s review: they may approve it, and
/// nobody of their side (consultants, or the customer's stakeholders) has yet.
pub fn awaits_review_from(runbook: &runbook::Model, role: Role, user: UserId, facts: &Facts<'_>) -> bool {
    can(runbook, RunbookAction::Approve, role, user, facts) && !SignOff::of(runbook, facts.reviews).by(side(role))
}
