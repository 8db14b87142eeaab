//! `addEngagementMember`: a person joins an engagement with one role. They are
//! named by their identity provider's subject, so they can be added before
//! they first sign in. Someone other than the caller is *invited* until their
//! next request: the name the inviter types stays on the membership and is
//! never written over what the identity provider says about the person.

use opskit_entity::{engagement, engagement_member, enums::EngagementRole, user};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, sea_query::Expr};

use super::{Joining, MemberWithUser, display, insert, role_name};
use crate::{
    domain::{
        Viewer,
        access::lock_engagement,
        action::Action,
        engagements::validation,
        ids::{EngagementId, UserId},
        permissions::Permission,
        users,
        validate::{Checks, MAX_LABEL},
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
    /// The name co-members see until the person signs in.
    pub name: Option<String>,
    /// An email the inviter typed: checked for length, never stored (the
    /// identity provider gives the email when the person signs in).
    pub email: Option<String>,
    /// Their role in the engagement.
    pub role: EngagementRole,
}

impl NewMember {
    /// The trimmed subject and typed name, or why they are refused.
    fn checked(&self) -> Result<(String, Option<String>)> {
        let mut checks = Checks::new();
        let subject = validation::subject(&mut checks, &self.subject);
        let name = checks.optional("name", self.name.as_deref(), MAX_LABEL);
        let email = checks.optional("email", self.email.as_deref(), MAX_LABEL);
        let both = subject.zip(name).zip(email).map(|(both, _)| both);
        checks.done(both)
    }
}

impl Command for NewMember {
    type Target = engagement::Model;
    type Output = MemberWithUser;

    fn permission(&self) -> Permission {
        Permission::ManageMembers
    }

    fn validate(&self) -> Result<()> {
        self.checked().map(drop)
    }

    async fn apply(&self, step: &Step<'_, engagement::Model>) -> Result<Done<MemberWithUser>> {
        let (subject, name) = self.checked()?;
        lock_engagement(step.tx, step.engagement_id()).await?;
        let person = users::ensure_user(step.tx, &subject, None, None).await?;
        let already = engagement_member::Entity::find()
            .filter(engagement_member::Column::EngagementId.eq(step.engagement_id().0))
            .filter(engagement_member::Column::UserId.eq(person.id))
            .one(step.tx)
            .await?;
        if already.is_some() {
            return Err(Error::user("subject", Code::AlreadyMember, format!("`{subject}` is already a member")));
        }
        let joining = if person.id == step.viewer.user_id.0 {
            Joining::Now
        } else {
            invite(step.tx, UserId(person.id)).await?;
            Joining::Invited(name)
        };
        let member = insert(step.tx, step.engagement_id(), UserId(person.id), self.role, joining).await?;
        let summary = format!("added {} as {}", display(&member, &person), role_name(self.role));
        let id = member.id;
        Ok(Done::new((member, person), Action::MemberAdded, id, summary))
    }
}

/// Marks `user` as having an invitation their next request accepts.
async fn invite<C: ConnectionTrait>(tx: &C, user: UserId) -> Result<()> {
    user::Entity::update_many()
        .col_expr(user::Column::PendingInvitations, Expr::value(true))
        .filter(user::Column::Id.eq(user.0))
        .exec(tx)
        .await?;
    Ok(())
}

/// Adds a member; the user is created from `subject` if they have never signed in.
pub async fn add(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewMember,
    idempotency_key: Option<&str>,
) -> Result<MemberWithUser> {
    write::run_once(db, viewer, On::id(input.engagement_id), input, idempotency_key).await
}
