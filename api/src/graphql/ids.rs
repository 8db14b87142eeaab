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

use std::sync::OnceLock;

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::{
    domain::ids::{Kind, TypedId},
    error::{Error, Result},
};

/// The bytes of the key a secret is stretched to.
const KEY_BYTES: usize = 32;
/// Rounds of the Feistel network (four make a strong pseudo-random permutation).
const ROUNDS: u8 = 4;
/// Plain block: kind (2 bytes), row number (8 bytes), then zeros.
const CHECK: std::ops::Range<usize> = 10..16;

/// The server's ID key: encrypts and decrypts global IDs.
#[derive(Clone)]
pub struct IdKey {
    /// The key's own bytes, to tell two keys apart.
    bytes: [u8; KEY_BYTES],
    /// The round function, keyed once.
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for IdKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdKey(..)")
    }
}

impl IdKey {
    /// The key derived from `secret` (`OPSKIT_ID_KEY`, or the JWT secret),
    /// for the purpose of global IDs only.
    pub fn derive(secret: &[u8]) -> Self {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret).unwrap_or_else(|_| Self::keyless());
        mac.update(b"opskit global ids v1");
        let mut bytes = [0u8; KEY_BYTES];
        bytes.copy_from_slice(&mac.finalize().into_bytes());
        let mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&bytes).unwrap_or_else(|_| Self::keyless());
        Self { bytes, mac }
    }

    /// HMAC takes keys of any length; this is never reached.
    fn keyless() -> Hmac<Sha256> {
        <Hmac<Sha256> as KeyInit>::new(&Default::default())
    }

    /// The round function: 8 bytes from the key, the round and half a block.
    fn round(&self, round: u8, half: &[u8; 8]) -> [u8; 8] {
        let mut mac = self.mac.clone();
        mac.update(&[round]);
        mac.update(half);
        let digest = mac.finalize().into_bytes();
        let mut out = [0u8; 8];
        out.copy_from_slice(&digest[..8]);
        out
    }

    fn halves(block: [u8; 16]) -> ([u8; 8], [u8; 8]) {
        let (mut left, mut right) = ([0u8; 8], [0u8; 8]);
        left.copy_from_slice(&block[..8]);
        right.copy_from_slice(&block[8..]);
        (left, right)
    }

    fn join(left: [u8; 8], right: [u8; 8]) -> [u8; 16] {
        let mut block = [0u8; 16];
        block[..8].copy_from_slice(&left);
        block[8..].copy_from_slice(&right);
        block
    }

    fn xor(a: [u8; 8], b: [u8; 8]) -> [u8; 8] {
        std::array::from_fn(|i| a[i] ^ b[i])
    }

    fn encrypt(&self, block: [u8; 16]) -> [u8; 16] {
        let (mut left, mut right) = Self::halves(block);
        for round in 0..ROUNDS {
            (left, right) = (right, Self::xor(left, self.round(round, &right)));
        }
        Self::join(left, right)
    }

    fn decrypt(&self, block: [u8; 16]) -> [u8; 16] {
        let (mut left, mut right) = Self::halves(block);
        for round in (0..ROUNDS).rev() {
            (left, right) = (Self::xor(right, self.round(round, &left)), left);
        }
        Self::join(left, right)
    }

    /// The ID of row `raw` of `kind`.
    fn seal(&self, kind: Kind, raw: i64) -> String {
        let mut block = [0u8; 16];
        block[..2].copy_from_slice(&kind.index().to_be_bytes());
        block[2..10].copy_from_slice(&raw.to_be_bytes());
        URL_SAFE_NO_PAD.encode(self.encrypt(block))
    }

    /// The kind and row inside `id`: `None` when it is not an ID at all,
    /// `Some(None)` when it is no ID this key made.
    fn open(&self, id: &str) -> Option<Option<(Kind, i64)>> {
        let bytes = URL_SAFE_NO_PAD.decode(id).ok()?;
        let block: [u8; 16] = bytes.try_into().ok()?;
        let plain = self.decrypt(block);
        if plain[CHECK].iter().any(|b| *b != 0) {
            return Some(None);
        }
        let kind = Kind::from_index(u16::from_be_bytes([plain[0], plain[1]]));
        let mut raw = [0u8; 8];
        raw.copy_from_slice(&plain[2..10]);
        Some(kind.map(|kind| (kind, i64::from_be_bytes(raw))))
    }
}

/// The key of this process, installed when the server starts.
static KEY: OnceLock<IdKey> = OnceLock::new();

/// Makes `key` the one every global ID of this process is made with. A
/// process serves one key: installing another is refused (the server does
/// not start), so IDs never change under a running client.
pub fn install(key: IdKey) -> anyhow::Result<()> {
    let installed = KEY.get_or_init(|| key.clone());
    anyhow::ensure!(
        installed.bytes == key.bytes,
        "this process already serves global IDs made with another OPSKIT_ID_KEY"
    );
    Ok(())
}

/// The installed key; before any server starts, a random one (so that a later
/// install of a configured key fails loudly rather than IDs silently changing).
fn key() -> &'static IdKey {
    KEY.get_or_init(|| IdKey::derive(&rand::random::<[u8; KEY_BYTES]>()))
}

/// The global ID of `id`.
pub fn encode<T: TypedId>(id: T) -> ID {
    ID(key().seal(T::KIND, id.raw()))
}

/// The global ID of an object whose kind is stored as its GraphQL type name
/// (the audit trail's `object_type`); an unknown name gets an ID that names nothing.
pub fn encode_named(kind: &str, raw: i64) -> ID {
    match Kind::parse(kind) {
        Some(kind) => ID(key().seal(kind, raw)),
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
    match key().open(id) {
        Some(Some(found)) => Ok(found),
        Some(None) => Err(Error::NotFound("node")),
        None => Err(Error::BadUserInput(format!("`{id}` is not a valid ID"))),
    }
}

/// The typed ID inside a global ID; an ID of another kind is `NOT_FOUND`.
pub fn decode<T: TypedId>(id: &ID) -> Result<T> {
    let (kind, number) = decode_any(id)?;
    if kind == T::KIND { Ok(T::from_raw(number)) } else { Err(Error::NotFound(T::KIND.noun())) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_reveal_nothing() {
        let key = IdKey::derive(b"a test secret");
        let ids: Vec<String> = (1..=50).map(|n| key.seal(Kind::Engagement, n)).collect();
        for (n, id) in (1..=50).zip(&ids) {
            assert_eq!(id.len(), 22);
            assert_eq!(key.open(id), Some(Some((Kind::Engagement, n))));
            let text = String::from_utf8_lossy(&URL_SAFE_NO_PAD.decode(id).unwrap_or_default()).into_owned();
            assert!(!text.contains("Engagement") && !text.contains(&n.to_string()), "{id} shows {text}");
        }
        // Neighbouring rows share no prefix a reader could count on.
        let shared = ids.windows(2).filter(|w| w[0][..4] == w[1][..4]).count();
        assert!(shared < 3, "{ids:?}");
        assert_eq!(key.open(&key.seal(Kind::AuditEvent, i64::MAX)), Some(Some((Kind::AuditEvent, i64::MAX))));
        assert_eq!(key.open(&key.seal(Kind::User, -7)), Some(Some((Kind::User, -7))));
    }

    #[test]
    fn other_keys_and_altered_ids_name_nothing() {
        let (key, other) = (IdKey::derive(b"one secret"), IdKey::derive(b"another secret"));
        let id = key.seal(Kind::Runbook, 42);
        assert_ne!(id, other.seal(Kind::Runbook, 42));
        assert_eq!(other.open(&id), Some(None), "another server's ID");
        let mut altered = id.clone().into_bytes();
        altered[5] = if altered[5] == b'A' { b'B' } else { b'A' };
        assert_eq!(key.open(&String::from_utf8(altered).unwrap_or_default()), Some(None));
        assert_eq!(key.open("%%%"), None, "not base64");
        assert_eq!(key.open("RW5nYWdlbWVudDox"), None, "the old readable form is no ID");
        assert_eq!(key.open(""), None);
    }
}
