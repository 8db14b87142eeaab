//! `changeEngagementMemberRole`: a member gets another role; the last
//! consultant cannot give theirs up, nobody changes their own, and the
//! member's approvals in open review rounds are voided (they no longer speak
//! for the side they approved for).

use opskit_entity::{engagement_member, enums::EngagementRole};
use sea_orm::{DatabaseConnection, Set};

use super::{MemberWithUser, display, keep_a_consultant, person, role_name};
use crate::{
    domain::{
        Viewer,
        access::lock_engagement,
        action::Action,
        ids::{MemberId, UserId},
        permissions::Permission,
        runbooks,
        write::{self, Command, Done, On, Step},
    },
    error::{Code, Error, Result},
};

/// The role a member gets.
struct RoleChange(EngagementRole);

impl Command for RoleChange {
    type Target = engagement_member::Model;
    type Output = MemberWithUser;

    fn permission(&self) -> Permission {
        Permission::ManageMembers
    }

    async fn apply(&self, step: &Step<'_, engagement_member::Model>) -> Result<Done<MemberWithUser>> {
        let (member, role) = (&step.target, self.0);
        if member.user_id == step.viewer.user_id.0 {
            return Err(Error::user("memberId", Code::OwnRole, "someone else changes your role in this engagement"));
        }
        lock_engagement(step.tx, step.engagement_id()).await?;
        if role != EngagementRole::Consultant {
            keep_a_consultant(step.tx, member, "role").await?;
        }
        let person = person(step.tx, member).await?;
        let saved = step.save(engagement_member::ActiveModel { role: Set(role), ..Default::default() }).await?;
        let voided = runbooks::void_approvals(step.tx, step.engagement_id(), UserId(member.user_id)).await?;
        let summary = format!(
            "changed {} from {} to {}{}",
            display(member, &person),
            role_name(member.role),
            role_name(role),
            super::voided(voided)
        );
        let id = saved.id;
        Ok(Done::new((saved, person), Action::MemberRoleChanged, id, summary))
    }
}

/// Gives the member `id` another role.
pub async fn change_role(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: MemberId,
    role: EngagementRole,
    expected_version: Option<i32>,
) -> Result<MemberWithUser> {
    write::run(db, viewer, On::versioned(id, expected_version), RoleChange(role)).await
}
