//! The one definition of "signed off" (design.md §4): in the current review
//! round, a consultant and a stakeholder — two different people — approved
//! the revision under review. A round opens with `submitRunbookForReview` and
//! ends with `REQUEST_CHANGES` or a baseline; approvals of another round, of
//! an earlier revision, or voided by a role change never count.

use opskit_entity::{
    enums::{ReviewVerdict, ReviewerSide, RunbookStatus},
    runbook, runbook_review,
};

use crate::domain::permissions::Role;

/// Which sides approved a runbook's revision under review in its current round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SignOff {
    /// A consultant (or an admin) approved it.
    pub consultant: bool,
    /// A stakeholder approved it.
    pub stakeholder: bool,
    /// Both sides approved, and not by one and the same person.
    pub distinct: bool,
}

impl SignOff {
    /// The sign-off of `runbook`'s current revision among `reviews` (reviews of
    /// the runbook; those of other rounds or revisions, and voided ones, are passed over).
    pub fn of(runbook: &runbook::Model, reviews: &[runbook_review::Model]) -> Self {
        let Some(revision) = runbook.current_revision_id else { return Self::default() };
        if !matches!(runbook.status, RunbookStatus::InReview | RunbookStatus::Baseline) {
            // A draft's round ended with a request for changes (or none opened yet).
            return Self::default();
        }
        let counting = |r: &&runbook_review::Model| {
            r.round == runbook.review_round
                && r.revision_id == revision
                && r.verdict == ReviewVerdict::Approve
                && r.voided_at.is_none()
        };
        let approvers = |side: ReviewerSide| -> Vec<i64> {
            reviews.iter().filter(counting).filter(|r| r.reviewer_side == side).map(|r| r.reviewer_id).collect()
        };
        let (consultants, stakeholders) = (approvers(ReviewerSide::Consultant), approvers(ReviewerSide::Stakeholder));
        let distinct = consultants.iter().any(|c| stakeholders.iter().any(|s| s != c));
        Self { consultant: !consultants.is_empty(), stakeholder: !stakeholders.is_empty(), distinct }
    }

    /// Whether `side` approved.
    pub fn by(self, side: ReviewerSide) -> bool {
        match side {
            ReviewerSide::Consultant => self.consultant,
            ReviewerSide::Stakeholder => self.stakeholder,
        }
    }

    /// Both sides approved, by two people: the runbook may be baselined.
    pub fn is_complete(self) -> bool {
        self.consultant && self.stakeholder && self.distinct
    }

    /// The approvals still needed, for people ("a consultant", "a stakeholder").
    pub fn missing(self) -> Vec<&'static str> {
        let both = self.consultant && self.stakeholder;
        [
            (!self.consultant, "a consultant"),
            (!self.stakeholder, "a stakeholder"),
            (both && !self.distinct, "a second person"),
        ]
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
        // Keys never review (the table refuses them); were they to, they'd not speak for the customer.
        Role::Admin | Role::Consultant | Role::WorkstreamMember | Role::Integration | Role::ReadOnly => {
            ReviewerSide::Consultant
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use opskit_entity::enums::RunbookKind;

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
            retired_at: None,
            retired_by: None,
            retired_reason: None,
            replaced_by_id: None,
            created_by: 1,
            created_at: now,
            updated_at: now,
            version: 1,
            review_round: 1,
            tracker_system: None,
            tracker_key: None,
            tracker_url: None,
        }
    }

    fn review(revision_id: i64, reviewer_side: ReviewerSide, verdict: ReviewVerdict) -> runbook_review::Model {
        let reviewer_id = match reviewer_side {
            ReviewerSide::Consultant => 2,
            ReviewerSide::Stakeholder => 3,
        };
        let (id, runbook_id, comment, created_at, round, voided_at) = (0, 1, None, Utc::now(), 1, None);
        runbook_review::Model {
            id,
            runbook_id,
            revision_id,
            reviewer_id,
            reviewer_side,
            verdict,
            comment,
            created_at,
            round,
            voided_at,
        }
    }

    #[test]
    fn only_approvals_of_the_current_revision_count() {
        use ReviewVerdict::{Approve, RequestChanges};
        use ReviewerSide::{Consultant, Stakeholder};
        let reviews =
            [review(1, Consultant, Approve), review(2, Stakeholder, Approve), review(2, Consultant, RequestChanges)];
        let of = |current| SignOff::of(&runbook(current), &reviews);
        assert_eq!(of(None), SignOff::default(), "no revision, nothing to sign off");
        assert_eq!(of(Some(1)), SignOff { consultant: true, stakeholder: false, distinct: false });
        assert_eq!(of(Some(2)), SignOff { consultant: false, stakeholder: true, distinct: false });
        assert_eq!(of(Some(2)).missing(), ["a consultant"]);
        assert!(!of(Some(2)).is_complete());
        let both = SignOff::of(&runbook(Some(2)), &[reviews[1].clone(), review(2, Consultant, Approve)]);
        assert!(both.is_complete() && both.missing().is_empty());
        assert_eq!(SignOff::default().missing(), ["a consultant", "a stakeholder"]);
    }

    #[test]
    fn only_counting_approvals_of_the_open_round_by_two_people() {
        use ReviewVerdict::Approve;
        use ReviewerSide::{Consultant, Stakeholder};
        let both = [review(2, Consultant, Approve), review(2, Stakeholder, Approve)];
        assert!(SignOff::of(&runbook(Some(2)), &both).is_complete());
        let mut earlier_round = both.clone();
        earlier_round[1].round = 0;
        assert_eq!(SignOff::of(&runbook(Some(2)), &earlier_round).missing(), ["a stakeholder"]);
        let mut voided = both.clone();
        voided[0].voided_at = Some(Utc::now());
        assert_eq!(SignOff::of(&runbook(Some(2)), &voided).missing(), ["a consultant"]);
        let mut one_person = both.clone();
        one_person[1].reviewer_id = one_person[0].reviewer_id;
        let sign_off = SignOff::of(&runbook(Some(2)), &one_person);
        assert!(!sign_off.is_complete());
        assert_eq!(sign_off.missing(), ["a second person"]);
        let mut draft = runbook(Some(2));
        draft.status = RunbookStatus::Draft;
        assert_eq!(SignOff::of(&draft, &both), SignOff::default(), "a request for changes ended the round");
    }

    #[test]
    fn stakeholders_speak_for_the_customer_everyone_else_for_delivery() {
        use ReviewerSide::{Consultant, Stakeholder};
        assert_eq!(Role::ALL.map(side), [Consultant, Consultant, Consultant, Stakeholder, Consultant, Consultant]);
    }
}
