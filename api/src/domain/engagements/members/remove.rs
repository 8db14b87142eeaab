//! `removeEngagementMember`: a member leaves; the last consultant cannot.
//! Their activities go back to the pool of unassigned work, and their
//! approvals in open review rounds are voided.

use opskit_entity::{activity, engagement_member};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, sea_query::Expr};

use super::{MemberWithUser, display, keep_a_consultant, person, role_name};
use crate::{
    domain::{
        Viewer,
        access::lock_engagement,
        action::Action,
        ids::{EngagementId, MemberId, UserId},
        permissions::Permission,
        runbooks,
        write::{self, Command, Done, On, Step},
    },
    error::Result,
};

/// Ending a membership.
struct Removal;

impl Command for Removal {
    type Target = engagement_member::Model;
    type Output = (MemberWithUser, EngagementId);

    fn permission(&self) -> Permission {
        Permission::ManageMembers
    }

    async fn apply(&self, step: &Step<'_, engagement_member::Model>) -> Result<Done<Self::Output>> {
        let member = &step.target;
        lock_engagement(step.tx, step.engagement_id()).await?;
        keep_a_consultant(step.tx, member, "memberId").await?;
        let person = person(step.tx, member).await?;
        activity::Entity::update_many()
            .col_expr(activity::Column::AssigneeMemberId, Expr::value(Option::<i64>::None))
            .filter(activity::Column::AssigneeMemberId.eq(member.id))
            .exec(step.tx)
            .await?;
        let voided = runbooks::void_approvals(step.tx, step.engagement_id(), UserId(member.user_id)).await?;
        engagement_member::Entity::delete_by_id(member.id).exec(step.tx).await?;
        let summary =
            format!("removed {} ({}){}", display(member, &person), role_name(member.role), super::voided(voided));
        let removed = ((member.clone(), person), step.engagement_id());
        Ok(Done::new(removed, Action::MemberRemoved, member.id, summary))
    }
}

/// Removes the member `id`; returns the removed membership and its engagement.
pub async fn remove(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: MemberId,
    expected_version: Option<i32>,
) -> Result<(MemberWithUser, EngagementId)> {
    write::run(db, viewer, On::versioned(id, expected_version), Removal).await
}
