//! Who may do what (design.md §4). Every read and write path asks here.
//! A caller who is not a member of an engagement (and not an admin) is told the
//! engagement does not exist; a member whose role is not enough is refused.

use opskit_entity::{engagement, engagement_member, enums::EngagementRole};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::ids::{EngagementId, UserId};
use crate::{
    auth::GlobalRole,
    error::{Error, Result},
};

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user_id: UserId,
    pub subject: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub roles: Vec<GlobalRole>,
}

impl Viewer {
    pub fn is_admin(&self) -> bool {
        self.roles.contains(&GlobalRole::Admin)
    }

    /// Admins and holders of the global `consultant` claim.
    pub fn check_can_create_engagement(&self) -> Result<()> {
        if self.is_admin() || self.roles.contains(&GlobalRole::Consultant) {
            Ok(())
        } else {
            Err(Error::Forbidden("creating an engagement needs the `consultant` or `admin` role".into()))
        }
    }

    /// Kit management is for admins only.
    pub fn check_can_manage_kits(&self) -> Result<()> {
        if self.is_admin() { Ok(()) } else { Err(Error::Forbidden("managing kits needs the `admin` role".into())) }
    }
}

/// What the caller is inside one engagement.
#[derive(Debug, Clone)]
pub struct Access {
    pub engagement: engagement::Model,
    /// The caller's membership role; `None` for an admin who is not a member.
    pub role: Option<EngagementRole>,
    pub admin: bool,
}

impl Access {
    pub fn engagement_id(&self) -> EngagementId {
        EngagementId(self.engagement.id)
    }

    fn allow(&self, roles: &[EngagementRole], what: &str) -> Result<()> {
        if self.admin || self.role.is_some_and(|r| roles.contains(&r)) {
            Ok(())
        } else {
            Err(Error::Forbidden(format!("{what} is not allowed for your role in this engagement")))
        }
    }

    /// Managing members, sprints and webhooks: consultants (and admins).
    pub fn check_manage_members(&self) -> Result<()> {
        self.allow(&[EngagementRole::Consultant], "managing members")
    }

    /// Running the engagement: assigning, starting and closing activities,
    /// agreeing targets, scheduling sessions, RACI, readiness assessments,
    /// resolving deviations. Consultants (and admins).
    pub fn check_consultant(&self, what: &str) -> Result<()> {
        self.allow(&[EngagementRole::Consultant], what)
    }

    /// Doing the work: answering questions, adding document links, recording
    /// deviations, recording session notes. Consultants and workstream members.
    pub fn check_contributor(&self, what: &str) -> Result<()> {
        self.allow(&[EngagementRole::Consultant, EngagementRole::WorkstreamMember], what)
    }

    /// Speaking for the customer: accepting a deviation's risk. Stakeholders (and admins).
    pub fn check_stakeholder(&self, what: &str) -> Result<()> {
        self.allow(&[EngagementRole::Stakeholder], what)
    }
}

/// Loads an engagement the caller may read; anyone else gets `NOT_FOUND`.
pub async fn engagement_access<C: ConnectionTrait>(db: &C, viewer: &Viewer, id: EngagementId) -> Result<Access> {
    let engagement = engagement::Entity::find_by_id(id.0).one(db).await?.ok_or(Error::NotFound("engagement"))?;
    access_to(db, viewer, engagement).await
}

/// The caller's access to an engagement already loaded (`NOT_FOUND` for strangers).
pub async fn access_to<C: ConnectionTrait>(db: &C, viewer: &Viewer, engagement: engagement::Model) -> Result<Access> {
    let role = engagement_member::Entity::find()
        .filter(engagement_member::Column::EngagementId.eq(engagement.id))
        .filter(engagement_member::Column::UserId.eq(viewer.user_id.0))
        .one(db)
        .await?
        .map(|m| m.role);
    let admin = viewer.is_admin();
    if role.is_none() && !admin {
        return Err(Error::NotFound("engagement"));
    }
    Ok(Access { engagement, role, admin })
}

/// The caller's access to the engagement that owns a child object (a member,
/// an activity, ...): strangers get `NOT_FOUND` naming the child, as if it did not exist.
pub async fn access_via<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    engagement_id: i64,
    what: &'static str,
) -> Result<Access> {
    let engagement = engagement::Entity::find_by_id(engagement_id).one(db).await?.ok_or(Error::NotFound(what))?;
    access_to(db, viewer, engagement).await.map_err(|e| match e {
        Error::NotFound(_) => Error::NotFound(what),
        other => other,
    })
}

/// Serializes the changes of one engagement that check a rule across rows
/// (one accountable party, one assessment per capability): a PostgreSQL row
/// lock held until the transaction ends. SQLite already runs one writer at a time.
pub async fn lock_engagement<C: ConnectionTrait>(tx: &C, id: EngagementId) -> Result<()> {
    use sea_orm::QuerySelect;
    if crate::db::supports_row_locks(tx) {
        engagement::Entity::find_by_id(id.0).lock_exclusive().one(tx).await?;
    }
    Ok(())
}
