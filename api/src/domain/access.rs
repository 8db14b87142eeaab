//! Who may do what (design.md §4). Every read and write path asks here.
//! A caller who is not a member of an engagement (and not an admin) is told the
//! engagement does not exist; a member whose role is not enough is refused.

use opskit_entity::{
    api_key, engagement, engagement_member,
    enums::{ApiKeyRole, EngagementRole},
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Query, SelectStatement},
};

use super::{
    access_cache::AccessCache,
    ids::{ApiKeyId, EngagementId, UserId},
    permissions::{self, Permission, Role},
};
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
    /// Set when the caller is an API key rather than a person: it sees its
    /// engagement only, with the key's role.
    pub key: Option<KeyGrant>,
    /// Where reads look up the caller's memberships and key before SQL (off
    /// outside a server); see [`AccessCache`].
    pub cache: AccessCache,
}

/// What an API key grants: one engagement, one role. A tracker connection
/// acting on its tickets' activities holds the same grant without a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyGrant {
    /// The API key; `None` for a tracker connection's own grant (see
    /// `trackers::inbound::actor`), which lasts as long as the request it serves.
    pub key: Option<ApiKeyId>,
    pub engagement: EngagementId,
    pub role: ApiKeyRole,
}

impl KeyGrant {
    /// The key's role as the permission table sees it.
    pub fn role(&self) -> Role {
        match self.role {
            ApiKeyRole::Integration => Role::Integration,
            ApiKeyRole::ReadOnly => Role::ReadOnly,
        }
    }
}

impl Viewer {
    /// The same caller, whose every lookup goes to the database: what the
    /// write path acts as, so a change is never allowed on a cached role.
    pub fn uncached(&self) -> Viewer {
        Viewer { cache: AccessCache::default(), ..self.clone() }
    }

    pub fn is_admin(&self) -> bool {
        self.roles.contains(&GlobalRole::Admin)
    }

    /// The caller's role for permissions outside any engagement (creating
    /// engagements, managing kits): from the token's global claims.
    pub fn global_role(&self) -> Option<Role> {
        if self.is_admin() {
            Some(Role::Admin)
        } else if self.roles.contains(&GlobalRole::Consultant) {
            Some(Role::Consultant)
        } else {
            None
        }
    }

    /// The caller's role in engagements they are not a member of: an admin's
    /// everywhere, nobody else's.
    pub fn role_everywhere(&self) -> Option<Role> {
        self.is_admin().then_some(Role::Admin)
    }

    /// Whether the caller may do `permission` in every engagement, member or not.
    pub fn may_everywhere(&self, permission: Permission) -> bool {
        self.role_everywhere().is_some_and(|role| permissions::allows(role, permission))
    }

    /// `FORBIDDEN` unless the caller's global role allows `permission`.
    pub fn check(&self, permission: Permission) -> Result<()> {
        match self.global_role() {
            Some(role) if permissions::allows(role, permission) => Ok(()),
            _ => Err(forbidden(permission)),
        }
    }
}

/// What the caller is inside one engagement.
#[derive(Debug, Clone)]
pub struct Access {
    pub engagement: engagement::Model,
    /// The caller's membership role; `None` for an admin who is not a member, and for a key.
    pub role: Option<EngagementRole>,
    pub admin: bool,
    /// The key's role when the caller is an API key of this engagement.
    pub key: Option<Role>,
}

impl Access {
    pub fn engagement_id(&self) -> EngagementId {
        EngagementId(self.engagement.id)
    }

    /// The caller's role in the engagement, as the permission table sees it.
    pub fn role(&self) -> Role {
        // Strangers never get an `Access`; a stakeholder is the least a member can be.
        self.key.or(role_of(self.admin, self.role)).unwrap_or(Role::Stakeholder)
    }

    /// Whether the caller may do `permission` in this engagement.
    pub fn may(&self, permission: Permission) -> bool {
        permissions::allows(self.role(), permission)
    }

    /// `FORBIDDEN` unless the caller may do `permission` in this engagement.
    pub fn check(&self, permission: Permission) -> Result<()> {
        if self.may(permission) { Ok(()) } else { Err(forbidden(permission)) }
    }
}

/// The role the permission table sees for a caller who is an admin or not
/// and has `membership` in an engagement; `None` for a stranger.
pub fn role_of(admin: bool, membership: Option<EngagementRole>) -> Option<Role> {
    match (admin, membership) {
        (true, _) => Some(Role::Admin),
        (false, Some(EngagementRole::Consultant)) => Some(Role::Consultant),
        (false, Some(EngagementRole::WorkstreamMember)) => Some(Role::WorkstreamMember),
        (false, Some(EngagementRole::Stakeholder)) => Some(Role::Stakeholder),
        (false, None) => None,
    }
}

/// The engagements the caller may read, as a subquery of their IDs; `None`
/// when the caller may read every engagement (an admin).
pub fn readable_engagements(viewer: &Viewer) -> Option<SelectStatement> {
    (!viewer.may_everywhere(Permission::ReadEngagement)).then(|| match viewer.key {
        // A key reads its own engagement only.
        Some(grant) => Query::select()
            .column(engagement::Column::Id)
            .from(engagement::Entity)
            .and_where(engagement::Column::Id.eq(grant.engagement.0))
            .to_owned(),
        None => member_engagements(viewer),
    })
}

/// The engagements the caller is a member of, as a subquery of their IDs.
pub fn member_engagements(viewer: &Viewer) -> SelectStatement {
    Query::select()
        .column(engagement_member::Column::EngagementId)
        .from(engagement_member::Entity)
        .and_where(engagement_member::Column::UserId.eq(viewer.user_id.0))
        .to_owned()
}

/// The top-level error for a permission the caller's role lacks.
pub fn forbidden(permission: Permission) -> Error {
    Error::Forbidden(format!("{} is not allowed for your role", permission.describe()))
}

/// Loads an engagement the caller may read; anyone else gets `NOT_FOUND`.
pub async fn engagement_access<C: ConnectionTrait>(db: &C, viewer: &Viewer, id: EngagementId) -> Result<Access> {
    let engagement = engagement::Entity::find_by_id(id.0).one(db).await?.ok_or(Error::NotFound("engagement"))?;
    access_to(db, viewer, engagement).await
}

/// The caller's access to an engagement already loaded (`NOT_FOUND` for strangers).
/// An API key reaches its own engagement only, and only while it is valid
/// (checked here on every read, so a key revoked mid-subscription stops).
pub async fn access_to<C: ConnectionTrait>(db: &C, viewer: &Viewer, engagement: engagement::Model) -> Result<Access> {
    if let Some(grant) = viewer.key {
        let valid = match grant.key {
            Some(key) => key_is_valid(db, &viewer.cache, key).await?,
            None => true,
        };
        if grant.engagement.0 != engagement.id || !valid {
            return Err(Error::NotFound("engagement"));
        }
        return Ok(Access { engagement, role: None, admin: false, key: Some(grant.role()) });
    }
    let role = membership(db, viewer, EngagementId(engagement.id)).await?;
    let admin = viewer.is_admin();
    if role.is_none() && !admin {
        return Err(Error::NotFound("engagement"));
    }
    Ok(Access { engagement, role, admin, key: None })
}

/// The caller's role in `engagement`, `None` when not a member: from the
/// viewer's cache when it knows, else from the database (then remembered).
async fn membership<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    engagement: EngagementId,
) -> Result<Option<EngagementRole>> {
    if let Some(known) = viewer.cache.membership(viewer.user_id, engagement) {
        return Ok(known);
    }
    let seen = viewer.cache.generation();
    let role = engagement_member::Entity::find()
        .filter(engagement_member::Column::EngagementId.eq(engagement.0))
        .filter(engagement_member::Column::UserId.eq(viewer.user_id.0))
        .one(db)
        .await?
        .map(|m| m.role);
    viewer.cache.put_membership(seen, viewer.user_id, engagement, role);
    Ok(role)
}

/// Whether API key `id` is neither revoked nor expired (its row from `cache` when fresh).
async fn key_is_valid<C: ConnectionTrait>(db: &C, cache: &AccessCache, id: ApiKeyId) -> Result<bool> {
    let now = chrono::Utc::now();
    if let Some(key) = cache.key_row(id.0) {
        return Ok(super::api_keys::in_force(&key, now));
    }
    let seen = cache.generation();
    let found = api_key::Entity::find_by_id(id.0).one(db).await?;
    if let Some(key) = &found {
        cache.put_key_row(seen, key);
    }
    Ok(found.is_some_and(|key| super::api_keys::in_force(&key, now)))
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
    access_to(db, viewer, engagement).await.map_err(|e| e.naming(what))
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
