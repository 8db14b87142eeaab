//! Users are known from verified tokens: created on first sight, their name and
//! email refreshed when the token says something new. A request is how a
//! person signs in, so it also accepts the invitations waiting for them.

use crate::domain::permissions::Permission;
use chrono::{Duration, Utc};
use opskit_entity::user;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::{access::Viewer, access_cache::AccessCache, ids::UserId};
use crate::{auth::Identity, error::Result};

/// How stale `last_seen_at` may get before a request refreshes it.
const SEEN_RESOLUTION: Duration = Duration::minutes(5);

/// Finds or creates the stored user behind a verified identity. A user
/// `cache` saw moments ago, with the same profile, no invitation waiting and
/// `last_seen_at` recent enough, is taken from it with no SQL.
pub async fn resolve_viewer(db: &DatabaseConnection, identity: Identity, cache: &AccessCache) -> Result<Viewer> {
    let now = Utc::now();
    let model = match cache.user(&identity.subject).filter(|cached| current(cached, &identity, now)) {
        Some(cached) => cached,
        None => {
            let seen = cache.generation();
            let model = refresh(db, &identity, now).await?;
            cache.put_user(seen, &model);
            model
        }
    };
    Ok(Viewer {
        user_id: UserId(model.id),
        subject: model.subject,
        name: model.name,
        email: model.email,
        roles: identity.roles,
        key: None,
        cache: cache.clone(),
    })
}

/// Whether the stored `user` needs no write for this request's `identity`.
fn current(user: &user::Model, identity: &Identity, now: chrono::DateTime<Utc>) -> bool {
    !user.pending_invitations && !needs_update(user, identity, now)
}

/// Whether the token says something new about `user`, or `last_seen_at` is stale.
fn needs_update(user: &user::Model, identity: &Identity, now: chrono::DateTime<Utc>) -> bool {
    let changed_profile = (identity.name.is_some() && identity.name != user.name)
        || (identity.email.is_some() && identity.email != user.email);
    changed_profile || now - user.last_seen_at > SEEN_RESOLUTION
}

/// The stored user behind `identity`, created, refreshed and with its
/// invitations accepted as needed.
async fn refresh(db: &DatabaseConnection, identity: &Identity, now: chrono::DateTime<Utc>) -> Result<user::Model> {
    let found = user::Entity::find().filter(user::Column::Subject.eq(&identity.subject)).one(db).await?;
    let Some(existing) = found else {
        return ensure_user(db, &identity.subject, identity.name.clone(), identity.email.clone()).await;
    };
    if existing.pending_invitations {
        accept_invitations(db, UserId(existing.id)).await?;
    }
    let mut model = if !needs_update(&existing, identity, now) {
        existing
    } else {
        let mut active: user::ActiveModel = existing.clone().into();
        if identity.name.is_some() {
            active.name = Set(identity.name.clone());
        }
        if identity.email.is_some() {
            active.email = Set(identity.email.clone());
        }
        active.last_seen_at = Set(now);
        active.update(db).await?
    };
    // Accepted above (the row may have been read back before that).
    model.pending_invitations = false;
    Ok(model)
}

/// Turns the invitations waiting for `user` into memberships: they signed in.
/// The flag is cleared first, so an invitation made meanwhile is accepted now
/// or on the next request, never left behind.
async fn accept_invitations(db: &DatabaseConnection, user: UserId) -> Result<()> {
    use opskit_entity::engagement_member as m;
    user::Entity::update_many()
        .col_expr(user::Column::PendingInvitations, sea_orm::sea_query::Expr::value(false))
        .filter(user::Column::Id.eq(user.0))
        .exec(db)
        .await?;
    m::Entity::update_many()
        .col_expr(m::Column::JoinedAt, sea_orm::sea_query::Expr::value(Some(Utc::now())))
        .filter(m::Column::UserId.eq(user.0))
        .filter(m::Column::JoinedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Returns the user with `subject`, creating it when absent (also when another
/// request creates it at the same moment).
pub async fn ensure_user<C: sea_orm::ConnectionTrait>(
    db: &C,
    subject: &str,
    name: Option<String>,
    email: Option<String>,
) -> Result<user::Model> {
    let now = Utc::now();
    let row = user::ActiveModel {
        subject: Set(subject.to_owned()),
        name: Set(name),
        email: Set(email),
        created_at: Set(now),
        last_seen_at: Set(now),
        ..Default::default()
    };
    user::Entity::insert(row).on_conflict_do_nothing_on([user::Column::Subject]).exec(db).await?;
    user::Entity::find()
        .filter(user::Column::Subject.eq(subject))
        .one(db)
        .await?
        .ok_or(crate::error::Error::NotFound("user"))
}

/// A user the caller may see: themselves, anyone sharing an engagement with
/// them, or anyone for an admin. Everyone else is `NOT_FOUND`. Someone only
/// invited into the engagements shared is seen as those engagements see them
/// (their subject and the name their inviter typed).
pub async fn visible(db: &DatabaseConnection, viewer: &Viewer, id: UserId) -> Result<user::Model> {
    use opskit_entity::engagement_member as m;
    use sea_orm::sea_query::Query;
    let found = user::Entity::find_by_id(id.0).one(db).await?.ok_or(crate::error::Error::NotFound("user"))?;
    if viewer.may_everywhere(Permission::ReadEngagement) || viewer.user_id == id {
        return Ok(found);
    }
    let shared = m::Entity::find()
        .filter(m::Column::UserId.eq(id.0))
        .filter(
            m::Column::EngagementId.in_subquery(
                Query::select()
                    .column(m::Column::EngagementId)
                    .from(m::Entity)
                    .and_where(m::Column::UserId.eq(viewer.user_id.0))
                    .to_owned(),
            ),
        )
        .all(db)
        .await?;
    let seen = shared.iter().find(|m| m.joined_at.is_some()).or(shared.first());
    match seen {
        Some(member) => Ok(super::engagements::members::as_seen(member, found)),
        None => Err(crate::error::Error::NotFound("user")),
    }
}
