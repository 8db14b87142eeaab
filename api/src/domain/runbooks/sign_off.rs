//! The one definition of "signed off" (design.md §4): the revision under
//! review has a consultant's and a stakeholder's approval. Approvals of an
//! earlier revision do not count, and nobody reviews a revision they wrote.

use opskit_entity::{
    enums::{ReviewVerdict, ReviewerSide},
    runbook, runbook_review,
};

use crate::domain::permissions::Role;

/// Which sides approved a runbook's revision under review.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SignOff {
    /// A consultant (or an admin) approved it.
    pub consultant: bool,
    /// A stakeholder approved it.
    pub stakeholder: bool,
}

impl SignOff {
    /// The sign-off of `runbook`'s current revision among `reviews` (reviews of
    /// the runbook; those of other revisions are passed over).
    pub fn of(runbook: &runbook::Model, reviews: &[runbook_review::Model]) -> Self {
        let Some(revision) = runbook.current_revision_id else { return Self::default() };
        let approved = |side: ReviewerSide| {
            reviews
                .iter()
                .any(|r| r.revision_id == revision && r.verdict == ReviewVerdict::Approve && r.reviewer_side == side)
        };
        Self { consultant: approved(ReviewerSide::Consultant), stakeholder: approved(ReviewerSide::Stakeholder) }
    }

    /// Whether `side` approved.
    pub fn by(self, side: ReviewerSide) -> bool {
        match side {
            ReviewerSide::Consultant => self.consultant,
            ReviewerSide::Stakeholder => self.stakeholder,
        }
    }

    /// Both sides approved: the runbook may be baselined.
    pub fn is_complete(self) -> bool {
        self.consultant && self.stakeholder
    }

    /// The approvals still needed, for people ("a consultant", "a stakeholder").
    pub fn missing(self) -> Vec<&'static str> {
        [(!self.consultant, "a consultant"), (!self.stakeholder, "a stakeholder")]
            .into_iter()
            .filter_map(|(missing, who)| missing.then_some(who))
            .collect()
    }
}

/// The side a reviewer's approval counts for: the customer's stakeholders, or
/// the delivery side (consultants, and admins whether members or not).
pub(super) fn side(role: Role) -> ReviewerSide {
    match role {
        Role::Stakeholder => ReviewerSide::Stakeholder,
        Role::Admin | Role::Consultant | Role::WorkstreamMember => ReviewerSide::Consultant,
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use opskit_entity::enums::{RunbookKind, RunbookStatus};

    use super::*;

    fn runbook(current_revision_id: Option<i64>) -> runbook::Model {
        let now = Utc::now();
        runbook::Model {
            id: 1,
            engagement_id: 1,
            runbook_template_id: None,
            capability_id: 1,
            kind: RunbookKind::Core,
            title: "Patch Management Runbook".into(),
            reason: None,
            deviation_id: None,
            status: RunbookStatus::InReview,
            current_revision_id,
            baseline_revision_id: None,
            baselined_at: None,
            created_by: 1,
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }

    fn review(revision_id: i64, reviewer_side: ReviewerSide, verdict: ReviewVerdict) -> runbook_review::Model {
        let (id, runbook_id, reviewer_id, comment, created_at) = (0, 1, 2, None, Utc::now());
        runbook_review::Model { id, runbook_id, revision_id, reviewer_id, reviewer_side, verdict, comment, created_at }
    }

    #[test]
    fn only_approvals_of_the_current_revision_count() {
        use ReviewVerdict::{Approve, RequestChanges};
        use ReviewerSide::{Consultant, Stakeholder};
        let reviews =
            [review(1, Consultant, Approve), review(2, Stakeholder, Approve), review(2, Consultant, RequestChanges)];
        let of = |current| SignOff::of(&runbook(current), &reviews);
        assert_eq!(of(None), SignOff::default(), "no revision, nothing to sign off");
        assert_eq!(of(Some(1)), SignOff { consultant: true, stakeholder: false });
        assert_eq!(of(Some(2)), SignOff { consultant: false, stakeholder: true });
        assert_eq!(of(Some(2)).missing(), ["a consultant"]);
        assert!(!of(Some(2)).is_complete());
        let both = SignOff::of(&runbook(Some(2)), &[reviews[1].clone(), review(2, Consultant, Approve)]);
        assert!(both.is_complete() && both.missing().is_empty());
        assert_eq!(SignOff::default().missing(), ["a consultant", "a stakeholder"]);
    }

    #[test]
    fn stakeholders_speak_for_the_customer_everyone_else_for_delivery() {
        use ReviewerSide::{Consultant, Stakeholder};
        assert_eq!(Role::ALL.map(side), [Consultant, Consultant, Consultant, Stakeholder]);
    }
}
