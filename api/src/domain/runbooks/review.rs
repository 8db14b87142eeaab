//! `reviewRunbook`: a consultant who did not write the revision under review,
//! a stakeholder or an admin approves it or requests changes, which sends the
//! runbook back to DRAFT and ends the review round.

use chrono::Utc;
use opskit_entity::{enums::ReviewVerdict, runbook, runbook_review, runbook_revision};
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};

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
        let review = runbook_review::ActiveModel {
            runbook_id: Set(step.target.id),
            revision_id: Set(revision.id),
            reviewer_id: Set(step.viewer.user_id.0),
            reviewer_side: Set(sign_off::side(step.access.role())),
            verdict: Set(self.verdict),
            comment: Set(self.comment()?),
            created_at: Set(Utc::now()),
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
