//! Opaque global IDs. An ID is the object's kind and row number encrypted
//! with the server's ID key, in base64url: 22 characters that say nothing
//! about the kind, the row number, or how many rows exist (no counter to read
//! off, nothing to learn about other tenants). The cipher is a keyed
//! permutation of 128 bits: a four-round Feistel network whose round function
//! is HMAC-SHA-256 under the key. Six of the sixteen bytes must decrypt to
//! zero, so an altered or made-up ID is `NOT_FOUND` (one in 2^48 decodes to
//! something, and then to an object the caller must still be allowed to see);
//! a string that is not an ID at all is `BAD_USER_INPUT`. Every ID is encoded
//! and decoded here; the kind comes from the typed ID ([`TypedId::KIND`]), so
//! an ID of one kind cannot be decoded as another.

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

pub use crate::opaque::{IdKey, install};
use crate::{
    domain::ids::{Kind, TypedId},
    error::{Error, Result},
    opaque::key,
};

/// The global ID of `id`.
pub fn encode<T: TypedId>(id: T) -> ID {
    ID(URL_SAFE_NO_PAD.encode(key().seal(T::KIND, id.raw())))
}

/// The global ID of an object whose kind is stored as its GraphQL type name
/// (the audit trail's `object_type`); an unknown name gets an ID that names nothing.
pub fn encode_named(kind: &str, raw: i64) -> ID {
    match Kind::parse(kind) {
        Some(kind) => ID(URL_SAFE_NO_PAD.encode(key().seal(kind, raw))),
        None => ID(URL_SAFE_NO_PAD.encode([0u8; 16])),
    }
}

/// The kind and number inside a global ID: `BAD_USER_INPUT` for a string
/// that is not an ID, `NOT_FOUND` for one this server did not make.
pub fn decode_any(id: &ID) -> Result<(Kind, i64)> {
    decode_str(id.as_str())
}

/// [`decode_any`] of an ID as a plain string.
pub fn decode_str(id: &str) -> Result<(Kind, i64)> {
    let block: Option<[u8; 16]> = URL_SAFE_NO_PAD.decode(id).ok().and_then(|bytes| bytes.try_into().ok());
    let Some(block) = block else { return Err(Error::BadUserInput(format!("`{id}` is not a valid ID"))) };
    key().open(block).ok_or(Error::NotFound("node"))
}

/// The typed ID inside a global ID; an ID of another kind is `NOT_FOUND`.
pub fn decode<T: TypedId>(id: &ID) -> Result<T> {
    let (kind, number) = decode_any(id)?;
    if kind == T::KIND { Ok(T::from_raw(number)) } else { Err(Error::NotFound(T::KIND.noun())) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seal(key: &IdKey, kind: Kind, n: i64) -> String {
        URL_SAFE_NO_PAD.encode(key.seal(kind, n))
    }

    fn open(key: &IdKey, id: &str) -> Option<Option<(Kind, i64)>> {
        let block: [u8; 16] = URL_SAFE_NO_PAD.decode(id).ok()?.try_into().ok()?;
        Some(key.open(block))
    }

    #[test]
    fn ids_round_trip_and_reveal_nothing() {
        let key = IdKey::derive(b"a test secret");
        let ids: Vec<String> = (1..=50).map(|n| seal(&key, Kind::Engagement, n)).collect();
        for (n, id) in (1..=50).zip(&ids) {
            assert_eq!(id.len(), 22);
            assert_eq!(open(&key, id), Some(Some((Kind::Engagement, n))));
            let text = String::from_utf8_lossy(&URL_SAFE_NO_PAD.decode(id).unwrap_or_default()).into_owned();
            assert!(!text.contains("Engagement") && !text.contains(&n.to_string()), "{id} shows {text}");
        }
        // Neighbouring rows share no prefix a reader could count on.
        let shared = ids.windows(2).filter(|w| w[0][..4] == w[1][..4]).count();
        assert!(shared < 3, "{ids:?}");
        let max = seal(&key, Kind::AuditEvent, i64::MAX);
        assert_eq!(open(&key, &max), Some(Some((Kind::AuditEvent, i64::MAX))));
        assert_eq!(open(&key, &seal(&key, Kind::User, -7)), Some(Some((Kind::User, -7))));
    }

    #[test]
    fn other_keys_and_altered_ids_name_nothing() {
        let (key, other) = (IdKey::derive(b"one secret"), IdKey::derive(b"another secret"));
        let id = seal(&key, Kind::Runbook, 42);
        assert_ne!(id, seal(&other, Kind::Runbook, 42));
        assert_eq!(open(&other, &id), Some(None), "another server's ID");
        let mut altered = id.clone().into_bytes();
        altered[5] = if altered[5] == b'A' { b'B' } else { b'A' };
        assert_eq!(open(&key, &String::from_utf8(altered).unwrap_or_default()), Some(None));
        assert_eq!(open(&key, "%%%"), None, "not base64");
        assert_eq!(open(&key, "RW5nYWdlbWVudDox"), None, "the old readable form is no ID");
        assert_eq!(open(&key, ""), None);
    }
}
