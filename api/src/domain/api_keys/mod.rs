//! API keys for machines: engagement-scoped bearer secrets (`opk_…`) with the
//! role `INTEGRATION` or `READ_ONLY`. The secret is shown once, when the key
//! is created, and stored only as its SHA-256; each key acts as a user row of
//! its own (subject `api-key:…`, named after the key), so what it changes is
//! attributed to the key in the audit trail. A key reads its engagement only:
//! every other engagement, and everything in it, is `NOT_FOUND` to it.

mod authenticate;
mod create;
mod revoke;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use opskit_entity::api_key;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

pub use authenticate::{Authenticated, authenticate};
pub use create::{CreatedKey, NewApiKey, create};
pub use revoke::revoke;

use crate::{
    domain::{
        Viewer,
        access::{Access, engagement_access},
        ids::{ApiKeyId, EngagementId},
        page::{self, Cursor, Page, PageArgs, SortValue},
        permissions::Permission,
        write::Scope,
    },
    error::Result,
};

/// What every secret starts with, so scanners and people recognise it.
pub const SECRET_PREFIX: &str = "opk_";
/// How many characters of the secret are kept to tell keys apart (`opk_` and 8 more).
const SHOWN: usize = SECRET_PREFIX.len() + 8;
/// Most keys an engagement holds, revoked ones included.
pub const MAX_KEYS: usize = 100;

crate::scoped!(opskit_entity::api_key::Model, api_key, ApiKeyId, "API key", updated_at: None);

/// A new secret: `opk_` and 32 random bytes, base64url (43 characters).
fn new_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    format!("{SECRET_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The stored form of a secret: its SHA-256, hex. A secret is 256 random
/// bits, so a fast hash is enough (nothing to guess, unlike a password).
pub fn hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The part of a secret shown in lists: `opk_` and its next 8 characters.
fn visible_prefix(secret: &str) -> String {
    secret.chars().take(SHOWN).collect()
}

/// Whether `token` looks like an API key rather than a JWT.
pub fn is_key(token: &str) -> bool {
    token.starts_with(SECRET_PREFIX)
}

/// An API key, for those who manage its engagement's integrations
/// (`NOT_FOUND` for strangers, `FORBIDDEN` for other members).
pub async fn get<C: ConnectionTrait>(db: &C, viewer: &Viewer, id: ApiKeyId) -> Result<(api_key::Model, Access)> {
    let (key, access) = api_key::Model::load(db, viewer, id).await?;
    access.check(Permission::ManageIntegrations)?;
    Ok((key, access))
}

/// The keys of an engagement, newest last; only for those who manage its integrations.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    engagement: EngagementId,
    descending: bool,
    args: &PageArgs,
) -> Result<Page<api_key::Model>> {
    let access = engagement_access(db, viewer, engagement).await?;
    access.check(Permission::ManageIntegrations)?;
    let keys = api_key::Entity::find().filter(api_key::Column::EngagementId.eq(engagement.0)).all(db).await?;
    page::slice_by(keys, |k| Cursor(SortValue::T(k.created_at), k.id), descending, args)
}

/// Whether `key` is in force at `now`: neither revoked nor expired.
pub fn in_force(key: &api_key::Model, now: chrono::DateTime<chrono::Utc>) -> bool {
    key.revoked_at.is_none() && key.expires_at.is_none_or(|at| at > now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_prefixed_random_and_hashed() {
        let (a, b) = (new_secret(), new_secret());
        assert!(is_key(&a) && a.len() == 4 + 43, "{a}");
        assert_ne!(a, b);
        assert_eq!(hash(&a).len(), 64);
        assert_ne!(hash(&a), hash(&b));
        assert_eq!(visible_prefix(&a).len(), 12);
        assert!(a.starts_with(&visible_prefix(&a)));
        assert!(!is_key("eyJhbGciOiJIUzI1NiJ9.e30.x"));
    }
}
