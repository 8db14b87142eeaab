//! `reviewRunbook`: a consultant who did not write the revision under review,
//! a stakeholder or an admin approves it or requests changes, which sends the
//! runbook back to DRAFT and ends the review round. A review belongs to the
//! round it is given in and speaks for the side of the reviewer's role at that
//! moment; one person approves at most once per round.

use chrono::Utc;
use opskit_entity::{enums::ReviewVerdict, runbook, runbook_review, runbook_revision};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set};

use super::{RunbookAction, advance, revisions, sign_off, validation};
use crate::domain::write::{self, Command, Done, On, Step};
use crate::domain::{
    Viewer,
    action::Action,
    ids::{RunbookId, UserId},
    permissions::Permission,
};
use crate::error::{Code, Error, Result};

struct Review {
    verdict: ReviewVerdict,
    comment: Option<String>,
}

impl Review {
    fn action(&self) -> RunbookAction {
        match self.verdict {
            ReviewVerdict::Approve => RunbookAction::Approve,
            ReviewVerdict::RequestChanges => RunbookAction::RequestChanges,
        }
    }

    /// The trimmed comment (none when blank), or why it is refused.
    fn comment(&self) -> Result<Option<String>> {
        validation::comment(self.verdict, self.comment.as_deref())
    }
}

impl Command for Review {
    type Target = runbook::Model;
    type Output = (runbook::Model, runbook_review::Model);

    fn permission(&self) -> Permission {
        self.action().permission()
    }

    fn validate(&self) -> Result<()> {
        self.comment().map(drop)
    }

    async fn apply(&self, step: &Step<'_, runbook::Model>) -> Result<Done<Self::Output>> {
        let status = advance(step, self.action())?;
        let revision = revisions::under_review(step.tx, &step.target).await?;
        if wrote(&revision, step.viewer.user_id) {
            return Err(Error::user(
                "runbookId",
                Code::OwnRevision,
                "you wrote this revision: someone else reviews it",
            ));
        }
        if self.verdict == ReviewVerdict::Approve {
            refuse_second_approval(step).await?;
        }
        let review = runbook_review::ActiveModel {
            runbook_id: Set(step.target.id),
            revision_id: Set(revision.id),
            reviewer_id: Set(step.viewer.user_id.0),
            reviewer_side: Set(sign_off::side(step.access.role())),
            verdict: Set(self.verdict),
            comment: Set(self.comment()?),
            created_at: Set(Utc::now()),
            round: Set(step.target.review_round),
            voided_at: Set(None),
            ..Default::default()
        }
        .insert(step.tx)
        .await?;
        let saved = step.save(runbook::ActiveModel { status: Set(status), ..Default::default() }).await?;
        let (action, verb) = match self.verdict {
            ReviewVerdict::Approve => (Action::RunbookApproved, "approved"),
            ReviewVerdict::RequestChanges => (Action::RunbookChangesRequested, "requested changes to"),
        };
        let summary = format!("{verb} revision {} of \"{}\"", revision.number, saved.title);
        let id = saved.id;
        Ok(Done::new((saved, review), action, id, summary))
    }
}

/// `ALREADY_APPROVED` when the caller has an approval that counts in the open
/// round: whatever their role is now, one person speaks for one side.
async fn refuse_second_approval(step: &Step<'_, runbook::Model>) -> Result<()> {
    let given = runbook_review::Entity::find()
        .filter(runbook_review::Column::RunbookId.eq(step.target.id))
        .filter(runbook_review::Column::Round.eq(step.target.review_round))
        .filter(runbook_review::Column::ReviewerId.eq(step.viewer.user_id.0))
        .filter(runbook_review::Column::Verdict.eq(ReviewVerdict::Approve))
        .filter(runbook_review::Column::VoidedAt.is_null())
        .count(step.tx)
        .await?;
    if given > 0 {
        let message = "you approved in this review round already: one person counts for one side";
        return Err(Error::user("runbookId", Code::AlreadyApproved, message));
    }
    Ok(())
}

/// Reviews the revision under review; returns the runbook and the review.
/// REQUEST_CHANGES needs a comment. Nobody reviews a revision they wrote.
pub async fn review(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: RunbookId,
    verdict: ReviewVerdict,
    comment: Option<String>,
    expected_version: Option<i32>,
) -> Result<(runbook::Model, runbook_review::Model)> {
    write::run(db, viewer, On::versioned(id, expected_version), Review { verdict, comment }).await
}

/// Whether `user` wrote `revision`: nobody reviews their own.
pub(super) fn wrote(revision: &runbook_revision::Model, user: UserId) -> bool {
    revision.author_id == user.0
}
