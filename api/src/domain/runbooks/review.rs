//! `reviewRunbook` and `baselineRunbook`: the two-sided sign-off.

use crate::domain::action::Action;
use crate::error::Code;
use chrono::Utc;
use opskit_entity::{
    enums::{EngagementRole, ReviewVerdict, ReviewerSide},
    runbook, runbook_review, runbook_revision,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, sea_query::Expr,
};

use super::{load_for, rules::RunbookAction, save};
use crate::{
    domain::{Viewer, access::Access, audit},
    error::{Error, Result},
};

/// Reviews the revision under review. REQUEST_CHANGES sends the runbook back to
/// DRAFT with the comment. Nobody reviews a revision they wrote.
pub async fn review(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i64,
    verdict: ReviewVerdict,
    comment: Option<String>,
    expected_version: Option<i32>,
) -> Result<(runbook::Model, runbook_review::Model)> {
    let comment = comment.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
    if verdict == ReviewVerdict::RequestChanges && comment.is_none() {
        return Err(Error::user("comment", Code::Required, "say what should change"));
    }
    let action = match verdict {
        ReviewVerdict::Approve => RunbookAction::Approve,
        ReviewVerdict::RequestChanges => RunbookAction::RequestChanges,
    };
    crate::transaction!(db, |tx| {
        let (current, access, next) = load_for(tx, viewer, id, expected_version, action).await?;
        let revision = under_review(tx, &current).await?;
        if revision.author_id == viewer.user_id.0 {
            return Err(Error::user(
                "runbookId",
                Code::OwnRevision,
                "you wrote this revision: someone else reviews it",
            ));
        }
        let row = runbook_review::ActiveModel {
            runbook_id: Set(current.id),
            revision_id: Set(revision.id),
            reviewer_id: Set(viewer.user_id.0),
            reviewer_side: Set(side(&access)),
            verdict: Set(verdict),
            comment: Set(comment.clone()),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        let saved = save(tx, &current, vec![(runbook::Column::Status, Expr::value(next))]).await?;
        let (event, summary) = match verdict {
            ReviewVerdict::Approve => {
                (Action::RunbookApproved, format!("approved revision {} of \"{}\"", revision.number, saved.title))
            }
            ReviewVerdict::RequestChanges => (
                Action::RunbookChangesRequested,
                format!("requested changes to revision {} of \"{}\"", revision.number, saved.title),
            ),
        };
        audit::record_in(tx, viewer, &access, event, saved.id, &summary).await?;
        Ok((saved, row))
    })
}

/// IN_REVIEW → BASELINE, with one consultant and one stakeholder approval of
/// the revision under review; the runbook then is in the knowledge base.
pub async fn baseline(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i64,
    expected_version: Option<i32>,
) -> Result<runbook::Model> {
    crate::transaction!(db, |tx| {
        let (current, access, next) = load_for(tx, viewer, id, expected_version, RunbookAction::Baseline).await?;
        let revision = under_review(tx, &current).await?;
        let sign_off = sign_off(tx, revision.id).await?;
        let mut missing = Vec::new();
        if !sign_off.consultant {
            missing.push("a consultant");
        }
        if !sign_off.stakeholder {
            missing.push("a stakeholder");
        }
        if !missing.is_empty() {
            return Err(Error::user(
                "runbookId",
                Code::ApprovalsMissing,
                format!("revision {} still needs the approval of {}", revision.number, missing.join(" and ")),
            ));
        }
        let saved = save(
            tx,
            &current,
            vec![
                (runbook::Column::Status, Expr::value(next)),
                (runbook::Column::BaselineRevisionId, Expr::value(revision.id)),
                (runbook::Column::BaselinedAt, Expr::value(Utc::now())),
            ],
        )
        .await?;
        let summary = format!("baselined revision {} of \"{}\" into the knowledge base", revision.number, saved.title);
        audit::record_in(tx, viewer, &access, Action::RunbookBaselined, saved.id, &summary).await?;
        Ok(saved)
    })
}

/// Which approvals a revision has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SignOff {
    pub consultant: bool,
    pub stakeholder: bool,
}

impl SignOff {
    /// The approvals among `reviews` of revision `revision_id` (approvals of
    /// earlier revisions do not count).
    pub fn of(reviews: &[runbook_review::Model], revision_id: i64) -> Self {
        let approved = |side: ReviewerSide| {
            reviews
                .iter()
                .any(|r| r.revision_id == revision_id && r.verdict == ReviewVerdict::Approve && r.reviewer_side == side)
        };
        Self { consultant: approved(ReviewerSide::Consultant), stakeholder: approved(ReviewerSide::Stakeholder) }
    }
}

async fn sign_off<C: ConnectionTrait>(db: &C, revision_id: i64) -> Result<SignOff> {
    let reviews =
        runbook_review::Entity::find().filter(runbook_review::Column::RevisionId.eq(revision_id)).all(db).await?;
    Ok(SignOff::of(&reviews, revision_id))
}

async fn under_review<C: ConnectionTrait>(tx: &C, runbook: &runbook::Model) -> Result<runbook_revision::Model> {
    let id = runbook
        .current_revision_id
        .ok_or_else(|| Error::user("runbookId", Code::EmptyBody, "the runbook has no revision"))?;
    runbook_revision::Entity::find_by_id(id).one(tx).await?.ok_or(Error::NotFound("runbook"))
}

/// The side a review speaks for: stakeholders for the customer; consultants
/// and admins (members or not) for the delivery side.
fn side(access: &Access) -> ReviewerSide {
    if access.role == Some(EngagementRole::Stakeholder) && !access.admin {
        ReviewerSide::Stakeholder
    } else {
        ReviewerSide::Consultant
    }
}
