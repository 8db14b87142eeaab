//! A short-lived, bounded, in-process cache of who the caller is and what
//! they may reach: the stored user behind a token's subject, an API key
//! behind its secret, and a person's role in an engagement. Without it every
//! request would look the caller up (and every engagement read their
//! membership) in SQL.
//!
//! It is never stale for longer than this:
//! - a change made in this process (a member added, removed or given another
//!   role, an API key created or revoked) clears the entries it touches once
//!   its transaction commits, before the mutation answers, so the next request
//!   sees it;
//! - a change made by another replica arrives as its event through the event
//!   feed (PostgreSQL `NOTIFY`, with catch-up by position), which clears them
//!   the same way ([`AccessCache::apply_event`]) before any subscriber sees
//!   the event;
//! - whatever happens to notifications, an entry lives at most the TTL
//!   (`OPSKIT_ACCESS_CACHE_TTL`, 5 seconds by default; `0s` turns the cache off).
//!
//! A value read from the database while an invalidation runs is not stored:
//! every invalidation moves a generation counter, and a value read under an
//! older generation is dropped. Writes never read the cache: the write path
//! loads the caller's access in its own transaction.
//!
//! Global roles are not cached: they come from the token of each request.

use std::{
    borrow::Borrow,
    fmt,
    hash::Hash,
    num::NonZeroUsize,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use lru::LruCache;
use opskit_entity::{api_key, enums::EngagementRole, user};

use super::{
    action::Action,
    ids::{EngagementId, UserId},
};

/// How long an entry lives by default.
pub const DEFAULT_TTL: Duration = Duration::from_secs(5);

/// Entries per kind (users, keys, memberships) one process keeps.
pub const CAPACITY: usize = 10_000;

/// What may be cached about an API key: its row and the user it acts as.
#[derive(Debug, Clone)]
pub struct CachedKey {
    pub key: api_key::Model,
    pub acting_as: user::Model,
}

/// One kind of entry: bounded, least recently used out first, each entry
/// good until its deadline.
struct Slot<K: Hash + Eq, V>(Mutex<LruCache<K, (V, Instant)>>);

impl<K: Hash + Eq, V: Clone> Slot<K, V> {
    fn new() -> Self {
        Self(Mutex::new(LruCache::new(NonZeroUsize::new(CAPACITY).unwrap_or(NonZeroUsize::MIN))))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<K, (V, Instant)>> {
        // Entries are whole values: a panic elsewhere leaves none half-written.
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn get<Q: Hash + Eq + ?Sized>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let mut map = self.lock();
        match map.get(key) {
            Some((value, until)) if *until > Instant::now() => Some(value.clone()),
            Some(_) => {
                map.pop(key);
                None
            }
            None => None,
        }
    }

    /// Stores `value` unless an invalidation ran since `seen` was read.
    fn put(&self, generation: &AtomicU64, seen: Generation, key: K, value: V, ttl: Duration) {
        let mut map = self.lock();
        if generation.load(Ordering::Acquire) == seen.0 {
            map.put(key, (value, Instant::now() + ttl));
        }
    }

    fn clear(&self) {
        self.lock().clear();
    }
}

/// The cache's generation when a caller started reading the database.
#[derive(Debug, Clone, Copy)]
pub struct Generation(u64);

struct Inner {
    ttl: Duration,
    generation: AtomicU64,
    users: Slot<String, user::Model>,
    keys: Slot<String, CachedKey>,
    key_rows: Slot<i64, api_key::Model>,
    memberships: Slot<(i64, i64), Option<EngagementRole>>,
}

/// The process's cache; clones share it. The default is no cache at all
/// (every lookup goes to the database), for tools and viewers made outside
/// a server.
#[derive(Clone, Default)]
pub struct AccessCache(Option<Arc<Inner>>);

impl fmt::Debug for AccessCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() { "AccessCache(on)" } else { "AccessCache(off)" })
    }
}

/// What a change does to the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Touches {
    /// Memberships and users (an invitation waits on the user's row).
    Members,
    /// API keys.
    Keys,
}

fn touches(action: Action) -> Option<Touches> {
    match action {
        Action::MemberAdded | Action::MemberRoleChanged | Action::MemberRemoved => Some(Touches::Members),
        Action::ApiKeyCreated | Action::ApiKeyRevoked => Some(Touches::Keys),
        _ => None,
    }
}

impl AccessCache {
    /// A cache whose entries live `ttl`; a zero `ttl` caches nothing.
    pub fn new(ttl: Duration) -> Self {
        if ttl.is_zero() {
            return Self(None);
        }
        Self(Some(Arc::new(Inner {
            ttl,
            generation: AtomicU64::new(0),
            users: Slot::new(),
            keys: Slot::new(),
            key_rows: Slot::new(),
            memberships: Slot::new(),
        })))
    }

    /// Read before a database lookup whose result is then [`put`](Self::put_user) here.
    pub fn generation(&self) -> Generation {
        Generation(self.0.as_ref().map_or(0, |inner| inner.generation.load(Ordering::Acquire)))
    }

    /// The stored user behind a token's `subject`.
    pub fn user(&self, subject: &str) -> Option<user::Model> {
        self.0.as_ref()?.users.get(subject)
    }

    pub fn put_user(&self, seen: Generation, user: &user::Model) {
        if let Some(inner) = &self.0 {
            inner.users.put(&inner.generation, seen, user.subject.clone(), user.clone(), inner.ttl);
        }
    }

    /// The API key whose secret hashes to `hash`, with the user it acts as.
    pub fn key(&self, hash: &str) -> Option<CachedKey> {
        self.0.as_ref()?.keys.get(hash)
    }

    pub fn put_key(&self, seen: Generation, hash: &str, key: &CachedKey) {
        if let Some(inner) = &self.0 {
            inner.keys.put(&inner.generation, seen, hash.to_owned(), key.clone(), inner.ttl);
            inner.key_rows.put(&inner.generation, seen, key.key.id, key.key.clone(), inner.ttl);
        }
    }

    /// An API key's row by ID (whether it is still in force).
    pub fn key_row(&self, id: i64) -> Option<api_key::Model> {
        self.0.as_ref()?.key_rows.get(&id)
    }

    pub fn put_key_row(&self, seen: Generation, key: &api_key::Model) {
        if let Some(inner) = &self.0 {
            inner.key_rows.put(&inner.generation, seen, key.id, key.clone(), inner.ttl);
        }
    }

    /// `user`'s role in `engagement`: `Some(None)` when known not to be a member.
    pub fn membership(&self, user: UserId, engagement: EngagementId) -> Option<Option<EngagementRole>> {
        self.0.as_ref()?.memberships.get(&(user.0, engagement.0))
    }

    pub fn put_membership(
        &self,
        seen: Generation,
        user: UserId,
        engagement: EngagementId,
        role: Option<EngagementRole>,
    ) {
        if let Some(inner) = &self.0 {
            inner.memberships.put(&inner.generation, seen, (user.0, engagement.0), role, inner.ttl);
        }
    }

    /// A change of `action` committed (here or on another replica): forget
    /// what it may have made stale.
    pub fn changed(&self, action: Action) {
        let (Some(inner), Some(touched)) = (&self.0, touches(action)) else { return };
        inner.generation.fetch_add(1, Ordering::AcqRel);
        match touched {
            Touches::Members => {
                inner.memberships.clear();
                inner.users.clear();
            }
            Touches::Keys => {
                inner.keys.clear();
                inner.key_rows.clear();
            }
        }
    }

    /// An event read from the log (the event feed): its action's [`changed`](Self::changed).
    pub fn apply_event(&self, action: &str) {
        if let Some(action) = Action::parse(action) {
            self.changed(action);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_read_before_an_invalidation_is_not_stored() {
        let cache = AccessCache::new(Duration::from_secs(60));
        let (user, engagement) = (UserId(1), EngagementId(2));
        let seen = cache.generation();
        cache.changed(Action::MemberRemoved);
        cache.put_membership(seen, user, engagement, Some(EngagementRole::Consultant));
        assert_eq!(cache.membership(user, engagement), None);
        let seen = cache.generation();
        cache.put_membership(seen, user, engagement, Some(EngagementRole::Consultant));
        assert_eq!(cache.membership(user, engagement), Some(Some(EngagementRole::Consultant)));
        cache.apply_event("member.role_changed");
        assert_eq!(cache.membership(user, engagement), None, "another replica's change clears it");
    }

    #[test]
    fn unrelated_changes_keep_entries_and_a_zero_ttl_caches_nothing() {
        let cache = AccessCache::new(Duration::from_secs(60));
        let seen = cache.generation();
        cache.put_membership(seen, UserId(1), EngagementId(2), None);
        cache.changed(Action::ActivityStarted);
        cache.changed(Action::ApiKeyRevoked);
        assert_eq!(cache.membership(UserId(1), EngagementId(2)), Some(None));
        let off = AccessCache::new(Duration::ZERO);
        off.put_membership(off.generation(), UserId(1), EngagementId(2), None);
        assert_eq!(off.membership(UserId(1), EngagementId(2)), None);
    }
}
