//! Engagement members: consultants (and admins) add members, change their role
//! and remove them; an engagement always keeps at least one consultant. A
//! member added by subject is *invited* until that person next signs in:
//! until then co-members see only the subject and the name the inviter typed,
//! never the profile the identity provider gave elsewhere.

mod add;
mod list;
mod remove;
mod role;

pub use add::{NewMember, add};
pub use list::{MemberFilter, MemberSort, list, role_of};
pub use remove::remove;
pub use role::change_role;

use chrono::Utc;
use opskit_entity::{engagement_member, enums::EngagementRole, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use crate::{
    domain::{
        Viewer,
        access::Access,
        ids::{EngagementId, MemberId, TypedId, UserId},
        write::Scope,
    },
    error::{Code, Error, Result},
};

/// A member with the user behind it.
pub type MemberWithUser = (engagement_member::Model, user::Model);

/// Loads a member the caller may see (`NOT_FOUND` otherwise) with the caller's access.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: MemberId,
) -> Result<(engagement_member::Model, Access)> {
    engagement_member::Model::load(db, viewer, id).await
}

/// How a person comes to be a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Joining {
    /// They are the caller: a member from now on.
    Now,
    /// Someone else added them: invited, under the name the inviter typed (if any).
    Invited(Option<String>),
}

/// Stores a new membership of `user` in `engagement`.
pub(crate) async fn insert<C: ConnectionTrait>(
    tx: &C,
    engagement: EngagementId,
    user: UserId,
    role: EngagementRole,
    joining: Joining,
) -> Result<engagement_member::Model> {
    let now = Utc::now();
    let (invited_name, joined_at) = match joining {
        Joining::Now => (None, Some(now)),
        Joining::Invited(name) => (name, None),
    };
    let member = engagement_member::ActiveModel {
        engagement_id: Set(engagement.0),
        user_id: Set(user.0),
        role: Set(role),
        added_at: Set(now),
        version: Set(1),
        invited_name: Set(invited_name),
        joined_at: Set(joined_at),
        ..Default::default()
    };
    Ok(member.insert(tx).await?)
}

/// The user behind a membership.
async fn person<C: ConnectionTrait>(tx: &C, member: &engagement_member::Model) -> Result<user::Model> {
    let noun = MemberId::KIND.noun();
    user::Entity::find_by_id(member.user_id).one(tx).await?.ok_or(Error::NotFound(noun))
}

/// `LAST_CONSULTANT` on `field` when `member` is the engagement's only
/// consultant, so that taking their role away would leave none. Callers hold
/// the engagement's lock, so two such changes cannot both pass.
async fn keep_a_consultant<C: ConnectionTrait>(tx: &C, member: &engagement_member::Model, field: &str) -> Result<()> {
    if member.role != EngagementRole::Consultant {
        return Ok(());
    }
    let consultants = engagement_member::Entity::find()
        .filter(engagement_member::Column::EngagementId.eq(member.engagement_id))
        .filter(engagement_member::Column::Role.eq(EngagementRole::Consultant))
        .count(tx)
        .await?;
    if consultants <= 1 {
        let message = "an engagement needs at least one consultant: add another consultant first";
        return Err(Error::user(field, Code::LastConsultant, message));
    }
    Ok(())
}

/// The person behind `member` as the engagement may see them: their profile
/// once they joined; while invited, only their subject and the name the inviter typed.
pub fn as_seen(member: &engagement_member::Model, person: user::Model) -> user::Model {
    if member.joined_at.is_some() {
        return person;
    }
    user::Model { name: member.invited_name.clone(), email: None, ..person }
}

/// How a member reads in a summary: their name, else their email, else their
/// subject (as the engagement may see them).
fn display(member: &engagement_member::Model, person: &user::Model) -> String {
    let seen = as_seen(member, person.clone());
    match (seen.name, seen.email) {
        (Some(name), _) => name,
        (None, Some(email)) => email,
        (None, None) => seen.subject,
    }
}

/// How a role reads in a summary.
fn role_name(role: EngagementRole) -> &'static str {
    match role {
        EngagementRole::Consultant => "consultant",
        EngagementRole::WorkstreamMember => "workstream member",
        EngagementRole::Stakeholder => "stakeholder",
    }
}

/// How voided approvals read at the end of a summary (nothing when none were).
fn voided(count: u64) -> String {
    match count {
        0 => String::new(),
        1 => "; their approval in an open review round no longer counts".to_owned(),
        n => format!("; their {n} approvals in open review rounds no longer count"),
    }
}
