//! Idempotent creates: a create that carries an `idempotencyKey` claims the
//! key for its caller inside its own transaction, before its rule runs. A
//! retry with the same key and the same input within [`RETENTION`] finds the
//! claim and returns the object the first request created — writing nothing,
//! so no second audit event. The same key with another input is the user
//! error `IDEMPOTENCY_KEY_REUSED`. The claim is a row unique per (caller,
//! key): of two concurrent retries, the second waits on the first's insert
//! (PostgreSQL) or on the write lock (SQLite) and then replays its result.
//!
//! A create opts in with one line: `write::run_once(db, viewer, on, command,
//! key)` (or [`run_global_once`](super::run_global_once)), its output being [`Created`].

use std::{
    future::Future,
    sync::atomic::{AtomicI64, Ordering},
};

use chrono::{Duration, Utc};
use opskit_entity::idempotency_key;
use sea_orm::{ActiveValue::NotSet, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set, TryInsertResult};
use sha2::{Digest, Sha256};

use crate::{
    domain::Viewer,
    error::{Code, Error, Result},
};

/// How long a claimed key answers retries.
pub const RETENTION: Duration = Duration::hours(24);
/// Longest accepted idempotency key.
pub const MAX_KEY: usize = 100;
/// How often, at most, a process sweeps everyone's expired claims.
const SWEEP_EVERY_SECONDS: i64 = 60;

/// When this process last swept expired claims (seconds since the epoch).
static LAST_SWEEP: AtomicI64 = AtomicI64::new(0);

/// What a create returns, found again by the ID of the object it created.
pub trait Created: Sized + Send {
    /// The ID of the created row.
    fn created_id(&self) -> i64;
    /// The created object, as a retry returns it.
    fn reload(tx: &DatabaseTransaction, id: i64) -> impl Future<Output = Result<Self>> + Send;
}

/// Implements [`Created`] for a model reloaded by its primary key.
#[macro_export]
macro_rules! created {
    ($($module:ident => $noun:literal,)*) => {$(
        impl $crate::domain::write::Created for opskit_entity::$module::Model {
            fn created_id(&self) -> i64 {
                self.id
            }
            async fn reload(tx: &sea_orm::DatabaseTransaction, id: i64) -> $crate::error::Result<Self> {
                use sea_orm::EntityTrait;
                opskit_entity::$module::Entity::find_by_id(id)
                    .one(tx)
                    .await?
                    .ok_or($crate::error::Error::NotFound($noun))
            }
        }
    )*};
}

/// A row just made (or re-keyed) with its secret in plain text, known this
/// once: a retried create (same idempotency key) reloads the row without it.
#[derive(Debug, Clone)]
pub struct WithSecret<M> {
    pub row: M,
    pub secret: Option<String>,
}

impl<M: Created> Created for WithSecret<M> {
    fn created_id(&self) -> i64 {
        self.row.created_id()
    }
    async fn reload(tx: &DatabaseTransaction, id: i64) -> Result<Self> {
        Ok(Self { row: M::reload(tx, id).await?, secret: None })
    }
}

crate::created! {
    api_key => "API key",
    webhook_endpoint => "webhook endpoint",
    tracker_connection => "tracker connection",
    engagement => "engagement",
    deviation => "deviation",
    runbook => "runbook",
    sprint => "sprint",
    workshop_session => "workshop session",
    document_link => "document link",
}

impl Created for (opskit_entity::engagement_member::Model, opskit_entity::user::Model) {
    fn created_id(&self) -> i64 {
        self.0.id
    }
    async fn reload(tx: &DatabaseTransaction, id: i64) -> Result<Self> {
        use opskit_entity::{engagement_member, user};
        let member = engagement_member::Entity::find_by_id(id).one(tx).await?.ok_or(Error::NotFound("member"))?;
        let person = user::Entity::find_by_id(member.user_id).one(tx).await?.ok_or(Error::NotFound("member"))?;
        Ok((member, person))
    }
}

/// A caller's idempotency key with the fingerprint of the request it came with.
#[derive(Debug, Clone)]
pub struct Claim {
    key: String,
    fingerprint: String,
}

impl Claim {
    /// The claim of `key` (absent or blank: none) for `input`, whose `Debug`
    /// form stands for the request: the operation's type and every value it
    /// acts on. `TOO_LONG` past [`MAX_KEY`] characters.
    pub fn new(key: Option<&str>, operation: &str, input: &impl std::fmt::Debug) -> Result<Option<Self>> {
        check_key(key)?;
        let Some(key) = key.map(str::trim).filter(|k| !k.is_empty()) else { return Ok(None) };
        let fingerprint = hex(&Sha256::digest(format!("{operation}\n{input:?}").as_bytes()));
        Ok(Some(Self { key: key.to_owned(), fingerprint }))
    }

    /// Claims the key for `viewer`: `None` when this request is the first
    /// (it then goes on and [`Claim::fulfil`]s the claim), the first result when
    /// it is a retry, `IDEMPOTENCY_KEY_REUSED` when the key came with another input.
    pub async fn take<T: Created>(&self, tx: &DatabaseTransaction, viewer: &Viewer) -> Result<Option<T>> {
        let now = Utc::now();
        sweep(tx, viewer, now).await?;
        let row = idempotency_key::ActiveModel {
            id: NotSet,
            user_id: Set(viewer.user_id.0),
            key: Set(self.key.clone()),
            fingerprint: Set(self.fingerprint.clone()),
            result_id: Set(None),
            created_at: Set(now),
        };
        let inserted = idempotency_key::Entity::insert(row)
            .on_conflict_do_nothing_on([idempotency_key::Column::UserId, idempotency_key::Column::Key])
            .exec(tx)
            .await?;
        if matches!(inserted, TryInsertResult::Inserted(_)) {
            return Ok(None);
        }
        let first = self.stored(tx, viewer).await?;
        if first.fingerprint != self.fingerprint {
            return Err(Error::user(
                "idempotencyKey",
                Code::IdempotencyKeyReused,
                "this idempotency key was used in the last 24 hours with another input: use a new key",
            ));
        }
        let id = first.result_id.ok_or_else(|| Error::internal(anyhow::anyhow!("a claimed key without its result")))?;
        T::reload(tx, id).await.map(Some)
    }

    /// Records what the first request created, in its transaction.
    pub async fn fulfil<T: Created>(&self, tx: &DatabaseTransaction, viewer: &Viewer, created: &T) -> Result<()> {
        idempotency_key::Entity::update_many()
            .col_expr(idempotency_key::Column::ResultId, sea_orm::sea_query::Expr::value(created.created_id()))
            .filter(idempotency_key::Column::UserId.eq(viewer.user_id.0))
            .filter(idempotency_key::Column::Key.eq(&self.key))
            .exec(tx)
            .await?;
        Ok(())
    }

    async fn stored(&self, tx: &DatabaseTransaction, viewer: &Viewer) -> Result<idempotency_key::Model> {
        idempotency_key::Entity::find()
            .filter(idempotency_key::Column::UserId.eq(viewer.user_id.0))
            .filter(idempotency_key::Column::Key.eq(&self.key))
            .one(tx)
            .await?
            .ok_or_else(|| Error::internal(anyhow::anyhow!("an idempotency key conflicted but is not stored")))
    }
}

/// `TOO_LONG` for a key past [`MAX_KEY`] characters: a limit, checked with the
/// input's other limits before anything else (see [`Claim::new`]).
pub fn check_key(key: Option<&str>) -> Result<()> {
    match key.map(str::trim) {
        Some(key) if key.chars().count() > MAX_KEY => Err(Error::user(
            "idempotencyKey",
            Code::TooLong,
            format!("`idempotencyKey` may be at most {MAX_KEY} characters"),
        )),
        _ => Ok(()),
    }
}

/// Forgets the caller's claims older than [`RETENTION`] (so an old key starts
/// afresh) and, at most once a minute per process, everyone's.
async fn sweep(tx: &DatabaseTransaction, viewer: &Viewer, now: chrono::DateTime<Utc>) -> Result<()> {
    let cutoff = now - RETENTION;
    let mut expired = idempotency_key::Entity::delete_many().filter(idempotency_key::Column::CreatedAt.lt(cutoff));
    let last = LAST_SWEEP.load(Ordering::Relaxed);
    let everyone = now.timestamp() - last >= SWEEP_EVERY_SECONDS
        && LAST_SWEEP.compare_exchange(last, now.timestamp(), Ordering::Relaxed, Ordering::Relaxed).is_ok();
    if !everyone {
        expired = expired.filter(idempotency_key::Column::UserId.eq(viewer.user_id.0));
    }
    expired.exec(tx).await?;
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claim_fingerprints_the_operation_and_its_input() {
        let claim = |key: Option<&str>, op: &str, input: &str| Claim::new(key, op, &input).ok().flatten();
        assert!(claim(None, "a", "x").is_none());
        assert!(claim(Some("  "), "a", "x").is_none(), "a blank key is no key");
        let first = claim(Some(" k1 "), "a", "x").map(|c| (c.key, c.fingerprint));
        let same = claim(Some("k1"), "a", "x").map(|c| (c.key, c.fingerprint));
        assert_eq!(first, same, "trimmed key, same fingerprint");
        let other_input = claim(Some("k1"), "a", "y").map(|c| c.fingerprint);
        let other_operation = claim(Some("k1"), "b", "x").map(|c| c.fingerprint);
        assert_ne!(first.as_ref().map(|f| &f.1), other_input.as_ref());
        assert_ne!(first.map(|f| f.1), other_operation);
        assert!(Claim::new(Some(&"k".repeat(MAX_KEY + 1)), "a", &"x").is_err());
    }
}
