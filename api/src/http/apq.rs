//! Automatic persisted queries, as Apollo Client and urql speak them: a
//! request may carry `extensions.persistedQuery { version: 1, sha256Hash }`.
//! With the query text too, the hash must be the text's SHA-256 (hex) and the
//! text is remembered; without it, the remembered text is used, or the client
//! is told `PersistedQueryNotFound` and sends the text again. The cache is
//! per process and bounded (least recently used entries go first).

use std::{num::NonZeroUsize, sync::Mutex};

use lru::LruCache;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// How many query texts one process remembers.
pub const CAPACITY: usize = 2048;

/// The `persistedQuery` extension of a request.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PersistedQuery {
    version: i64,
    sha256_hash: String,
}

/// Why a persisted query cannot run; the messages are the protocol's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApqError {
    /// The hash is not known: send the query text with it.
    #[error("PersistedQueryNotFound")]
    NotFound,
    #[error("provided sha does not match query")]
    HashMismatch,
    #[error("Unsupported persisted query version")]
    UnsupportedVersion,
    #[error("the persistedQuery extension needs `version` and `sha256Hash`")]
    Malformed,
}

/// Query texts by their SHA-256.
pub struct PersistedQueries(Mutex<LruCache<String, String>>);

impl Default for PersistedQueries {
    fn default() -> Self {
        Self(Mutex::new(LruCache::new(NonZeroUsize::new(CAPACITY).unwrap_or(NonZeroUsize::MIN))))
    }
}

impl PersistedQueries {
    /// Fills in (or checks and remembers) the query text of a request that
    /// carries the extension; other requests pass unchanged.
    pub fn resolve(&self, mut request: async_graphql::Request) -> Result<async_graphql::Request, ApqError> {
        let Some(extension) = request.extensions.0.remove("persistedQuery") else { return Ok(request) };
        let persisted: PersistedQuery = serde_json::from_value(extension.into_json().map_err(|_| ApqError::Malformed)?)
            .map_err(|_| ApqError::Malformed)?;
        if persisted.version != 1 {
            return Err(ApqError::UnsupportedVersion);
        }
        let mut cache = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if request.query.is_empty() {
            request.query = cache.get(&persisted.sha256_hash).cloned().ok_or(ApqError::NotFound)?;
        } else {
            if hash(&request.query) != persisted.sha256_hash.to_ascii_lowercase() {
                return Err(ApqError::HashMismatch);
            }
            cache.put(persisted.sha256_hash.to_ascii_lowercase(), request.query.clone());
        }
        Ok(request)
    }
}

/// The SHA-256 of `query`, in lower-case hex.
fn hash(query: &str) -> String {
    Sha256::digest(query.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(query: &str, hash: &str) -> async_graphql::Request {
        let ext = serde_json::json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
        let mut request = async_graphql::Request::new(query);
        request.extensions = serde_json::from_value(ext).unwrap_or_default();
        request
    }

    #[test]
    fn a_hash_is_registered_with_its_text_then_used_alone() {
        let cache = PersistedQueries::default();
        let text = "{ viewer { name } }";
        let sha = hash(text);
        assert_eq!(sha.len(), 64);
        assert_eq!(cache.resolve(with("", &sha)).err(), Some(ApqError::NotFound));
        assert_eq!(cache.resolve(with("{ other }", &sha)).err(), Some(ApqError::HashMismatch));
        assert!(cache.resolve(with(text, &sha)).is_ok());
        assert_eq!(cache.resolve(with("", &sha)).map(|r| r.query).ok().as_deref(), Some(text));
    }
}
