//! `changeEngagementMemberRole`: a member gets another role; the last
//! consultant cannot give theirs up.

use opskit_entity::{engagement_member, enums::EngagementRole};
use sea_orm::{DatabaseConnection, Set};

use super::{MemberWithUser, display, keep_a_consultant, person, role_name};
use crate::{
    domain::{
        Viewer,
        access::lock_engagement,
        action::Action,
        ids::MemberId,
        permissions::Permission,
        write::{self, Command, Done, On, Step},
    },
    error::Result,
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
        lock_engagement(step.tx, step.engagement_id()).await?;
        if role != EngagementRole::Consultant {
            keep_a_consultant(step.tx, member, "role").await?;
        }
        let person = person(step.tx, member).await?;
        let saved = step.save(engagement_member::ActiveModel { role: Set(role), ..Default::default() }).await?;
        let summary = format!("changed {} from {} to {}", display(&person), role_name(member.role), role_name(role));
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
