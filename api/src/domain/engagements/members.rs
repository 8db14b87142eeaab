//! Engagement members: consultants (and admins) add members, change their role
//! and remove them; an engagement always keeps at least one consultant.

use crate::domain::action::Action;
use crate::domain::permissions::Permission;
use crate::domain::write;
use crate::error::Code;
use chrono::Utc;
use opskit_entity::{engagement_member, enums::EngagementRole, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set,
    sea_query::Expr,
};

use crate::{
    domain::{
        Viewer,
        access::{Access, access_via, engagement_access, lock_engagement},
        audit,
        ids::{EngagementId, MemberId},
        users,
    },
    error::{Error, Result, UserError},
};

/// `addEngagementMember`: who to add, known by the identity provider's subject.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub engagement_id: EngagementId,
    pub subject: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub role: EngagementRole,
}

/// A member with the user behind it.
pub type MemberWithUser = (engagement_member::Model, user::Model);

/// Loads a member the caller may see (`NOT_FOUND` otherwise) with the caller's access.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: MemberId,
) -> Result<(engagement_member::Model, Access)> {
    let member = engagement_member::Entity::find_by_id(id.0).one(db).await?.ok_or(Error::NotFound("member"))?;
    let access = access_via(db, viewer, member.engagement_id, "member").await?;
    Ok((member, access))
}

/// Adds a member; the user is created from `subject` if they have never signed in.
pub async fn add(db: &DatabaseConnection, viewer: &Viewer, input: NewMember) -> Result<MemberWithUser> {
    let subject = input.subject.trim();
    if subject.is_empty() {
        return Err(Error::user("subject", Code::Required, "`subject` must not be empty"));
    }
    crate::transaction!(db, |tx| {
        let access = engagement_access(tx, viewer, input.engagement_id).await?;
        access.check(Permission::ManageMembers)?;
        lock_engagement(tx, input.engagement_id).await?;
        let person = users::ensure_user(tx, subject, input.name.clone(), input.email.clone()).await?;
        let already = engagement_member::Entity::find()
            .filter(engagement_member::Column::EngagementId.eq(input.engagement_id.0))
            .filter(engagement_member::Column::UserId.eq(person.id))
            .one(tx)
            .await?;
        if already.is_some() {
            return Err(Error::user("subject", Code::AlreadyMember, format!("`{subject}` is already a member")));
        }
        let member = engagement_member::ActiveModel {
            engagement_id: Set(input.engagement_id.0),
            user_id: Set(person.id),
            role: Set(input.role),
            added_at: Set(Utc::now()),
            version: Set(1),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        let summary = format!("added {} as {}", display(&person), role_name(input.role));
        audit::record_in(tx, viewer, &access, Action::MemberAdded, member.id, &summary).await?;
        Ok((member, person))
    })
}

/// `changeEngagementMemberRole`.
pub async fn change_role(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: MemberId,
    role: EngagementRole,
    expected_version: Option<i32>,
) -> Result<MemberWithUser> {
    crate::transaction!(db, |tx| {
        let (member, access) = get(tx, viewer, id).await?;
        access.check(Permission::ManageMembers)?;
        lock_engagement(tx, access.engagement_id()).await?;
        write::check_version("member", member.version, expected_version)?;
        if member.role == EngagementRole::Consultant && role != EngagementRole::Consultant {
            check_not_last_consultant(tx, &member, "role").await?;
        }
        let person = user::Entity::find_by_id(member.user_id).one(tx).await?.ok_or(Error::NotFound("member"))?;
        let previous = member.role;
        let updated = update_versioned(tx, &member, role).await?;
        let summary = format!("changed {} from {} to {}", display(&person), role_name(previous), role_name(role));
        audit::record_in(tx, viewer, &access, Action::MemberRoleChanged, member.id, &summary).await?;
        Ok((updated, person))
    })
}

/// `removeEngagementMember`; returns the removed membership.
pub async fn remove(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: MemberId,
    expected_version: Option<i32>,
) -> Result<(MemberWithUser, EngagementId)> {
    crate::transaction!(db, |tx| {
        let (member, access) = get(tx, viewer, id).await?;
        access.check(Permission::ManageMembers)?;
        lock_engagement(tx, access.engagement_id()).await?;
        write::check_version("member", member.version, expected_version)?;
        if member.role == EngagementRole::Consultant {
            check_not_last_consultant(tx, &member, "memberId").await?;
        }
        let person = user::Entity::find_by_id(member.user_id).one(tx).await?.ok_or(Error::NotFound("member"))?;
        // Their activities go back to the pool of unassigned work.
        opskit_entity::activity::Entity::update_many()
            .col_expr(opskit_entity::activity::Column::AssigneeMemberId, Expr::value(Option::<i64>::None))
            .filter(opskit_entity::activity::Column::AssigneeMemberId.eq(member.id))
            .exec(tx)
            .await?;
        engagement_member::Entity::delete_by_id(member.id).exec(tx).await?;
        let summary = format!("removed {} ({})", display(&person), role_name(member.role));
        audit::record_in(tx, viewer, &access, Action::MemberRemoved, member.id, &summary).await?;
        Ok(((member, person), access.engagement_id()))
    })
}

async fn check_not_last_consultant<C: ConnectionTrait>(
    tx: &C,
    member: &engagement_member::Model,
    field: &str,
) -> Result<()> {
    let consultants = engagement_member::Entity::find()
        .filter(engagement_member::Column::EngagementId.eq(member.engagement_id))
        .filter(engagement_member::Column::Role.eq(EngagementRole::Consultant))
        .count(tx)
        .await?;
    if consultants <= 1 {
        return Err(Error::User(vec![UserError::new(
            field,
            Code::LastConsultant,
            "an engagement needs at least one consultant: add another consultant first",
        )]));
    }
    Ok(())
}

/// Writes the new role only if nobody changed the member since it was read.
async fn update_versioned<C: ConnectionTrait>(
    tx: &C,
    member: &engagement_member::Model,
    role: EngagementRole,
) -> Result<engagement_member::Model> {
    let result = engagement_member::Entity::update_many()
        .col_expr(engagement_member::Column::Role, Expr::value(role))
        .col_expr(engagement_member::Column::Version, Expr::value(member.version + 1))
        .filter(engagement_member::Column::Id.eq(member.id))
        .filter(engagement_member::Column::Version.eq(member.version))
        .exec(tx)
        .await?;
    if result.rows_affected == 0 {
        let current = engagement_member::Entity::find_by_id(member.id).one(tx).await?.map_or(0, |m| m.version);
        return Err(Error::Conflict {
            message: "the member changed while you edited it".into(),
            current_version: current,
        });
    }
    Ok(engagement_member::Model { role, version: member.version + 1, ..member.clone() })
}

fn display(person: &user::Model) -> String {
    match (&person.name, &person.email) {
        (Some(name), _) => name.clone(),
        (None, Some(email)) => email.clone(),
        (None, None) => person.subject.clone(),
    }
}

fn role_name(role: EngagementRole) -> &'static str {
    match role {
        EngagementRole::Consultant => "consultant",
        EngagementRole::WorkstreamMember => "workstream member",
        EngagementRole::Stakeholder => "stakeholder",
    }
}
