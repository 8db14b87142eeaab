//! Signing in with an API key: `Authorization: Bearer opk_…` (or the
//! `connection_init` token of a live connection). An unknown, revoked or
//! expired key is `UNAUTHENTICATED`, like a bad token. `lastUsedAt` is
//! written at most once a minute per key, so a busy integration does not
//! turn every read into a write.

use chrono::{DateTime, Duration, Utc};
use opskit_entity::{api_key, user};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, sea_query::Expr};

use super::{hash, in_force};
use crate::{
    domain::{
        Viewer,
        access::KeyGrant,
        access_cache::{AccessCache, CachedKey},
        ids::{ApiKeyId, EngagementId, UserId},
    },
    error::{Error, Result},
};

/// How stale `lastUsedAt` may get before a request refreshes it.
const USED_RESOLUTION: Duration = Duration::minutes(1);

/// A caller signed in with an API key.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub viewer: Viewer,
    /// What its budget and live connections are counted under: the key.
    pub subject: String,
    /// When the key expires, if it does.
    pub expires_at: Option<DateTime<Utc>>,
}

/// The caller behind `secret`, or `UNAUTHENTICATED`. A key `cache` saw
/// moments ago is taken from it with no SQL: revoking or creating a key
/// clears the cache (see [`AccessCache`]), and expiry is checked here anyway.
pub async fn authenticate(db: &DatabaseConnection, secret: &str, cache: &AccessCache) -> Result<Authenticated> {
    let refused = |why: &str| Error::Unauthenticated(format!("invalid API key: {why}"));
    let hash = hash(secret);
    let now = Utc::now();
    let fresh = |found: &CachedKey| found.key.last_used_at.is_some_and(|at| now - at <= USED_RESOLUTION);
    let found = match cache.key(&hash).filter(fresh) {
        Some(found) => found,
        None => {
            let seen = cache.generation();
            let found = look_up(db, &hash, now).await?.ok_or_else(|| refused("unknown"))?;
            cache.put_key(seen, &hash, &found);
            found
        }
    };
    let CachedKey { key, acting_as } = found;
    if key.revoked_at.is_some() {
        return Err(refused("revoked"));
    }
    if !in_force(&key, now) {
        return Err(refused("expired"));
    }
    let grant = KeyGrant { key: Some(ApiKeyId(key.id)), engagement: EngagementId(key.engagement_id), role: key.role };
    let viewer = Viewer {
        user_id: UserId(acting_as.id),
        subject: acting_as.subject.clone(),
        name: acting_as.name,
        email: None,
        roles: Vec::new(),
        key: Some(grant),
        cache: cache.clone(),
    };
    Ok(Authenticated { viewer, subject: acting_as.subject, expires_at: key.expires_at })
}

/// The key with secret hash `hash` and the user it acts as; `lastUsedAt`
/// refreshed when stale (the row returned says `now` then).
async fn look_up(db: &DatabaseConnection, hash: &str, now: DateTime<Utc>) -> Result<Option<CachedKey>> {
    let Some(mut key) = api_key::Entity::find().filter(api_key::Column::SecretHash.eq(hash)).one(db).await? else {
        return Ok(None);
    };
    if in_force(&key, now) && key.last_used_at.is_none_or(|at| now - at > USED_RESOLUTION) {
        // A plain column write, outside the versioned path: usage is not an edit.
        api_key::Entity::update_many()
            .col_expr(api_key::Column::LastUsedAt, Expr::value(Some(now)))
            .filter(api_key::Column::Id.eq(key.id))
            .filter(
                Condition::any()
                    .add(api_key::Column::LastUsedAt.is_null())
                    .add(api_key::Column::LastUsedAt.lt(now - USED_RESOLUTION)),
            )
            .exec(db)
            .await?;
        key.last_used_at = Some(now);
    }
    let Some(acting_as) = user::Entity::find_by_id(key.user_id).one(db).await? else { return Ok(None) };
    Ok(Some(CachedKey { key, acting_as }))
}
