//! `addEngagementMember`: a person joins an engagement with one role. They are
//! named by their identity provider's subject, so they can be added before
//! they first sign in.

use opskit_entity::{engagement, engagement_member, enums::EngagementRole};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::{MemberWithUser, display, insert, role_name};
use crate::{
    domain::{
        Viewer,
        access::lock_engagement,
        action::Action,
        engagements::validation,
        ids::{EngagementId, UserId},
        permissions::Permission,
        users,
        validate::Checks,
        write::{self, Command, Done, On, Step},
    },
    error::{Code, Error, Result},
};

/// Who to add, and as what.
#[derive(Debug, Clone)]
pub struct NewMember {
    /// The engagement to join.
    pub engagement_id: EngagementId,
    /// The identity provider's `sub` of the person.
    pub subject: String,
    /// Their name, for a user who has never signed in.
    pub name: Option<String>,
    /// Their email, for a user who has never signed in.
    pub email: Option<String>,
    /// Their role in the engagement.
    pub role: EngagementRole,
}

impl Command for NewMember {
    type Target = engagement::Model;
    type Output = MemberWithUser;

    fn permission(&self) -> Permission {
        Permission::ManageMembers
    }

    fn validate(&self) -> Result<()> {
        let mut checks = Checks::new();
        let _ = validation::subject(&mut checks, &self.subject);
        checks.finish()
    }

    async fn apply(&self, step: &Step<'_, engagement::Model>) -> Result<Done<MemberWithUser>> {
        let subject = self.subject.trim();
        lock_engagement(step.tx, step.engagement_id()).await?;
        let person = users::ensure_user(step.tx, subject, self.name.clone(), self.email.clone()).await?;
        let already = engagement_member::Entity::find()
            .filter(engagement_member::Column::EngagementId.eq(step.engagement_id().0))
            .filter(engagement_member::Column::UserId.eq(person.id))
            .one(step.tx)
            .await?;
        if already.is_some() {
            return Err(Error::user("subject", Code::AlreadyMember, format!("`{subject}` is already a member")));
        }
        let member = insert(step.tx, step.engagement_id(), UserId(person.id), self.role).await?;
        let summary = format!("added {} as {}", display(&person), role_name(self.role));
        let id = member.id;
        Ok(Done::new((member, person), Action::MemberAdded, id, summary))
    }
}

/// Adds a member; the user is created from `subject` if they have never signed in.
pub async fn add(db: &DatabaseConnection, viewer: &Viewer, input: NewMember) -> Result<MemberWithUser> {
    write::run(db, viewer, On::id(input.engagement_id), input).await
}
