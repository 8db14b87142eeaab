//! The server's secret for opaque values: global IDs and page cursors are
//! encrypted with one key, so neither shows a row number, a counter or
//! anything else about other tenants' data. The key is configured once per
//! process (`OPSKIT_ID_KEY`, or derived from the JWT secret) and installed
//! when the server starts.
//!
//! - [`IdKey::seal`] is a keyed permutation of 128 bits (a four-round Feistel
//!   network whose round function is HMAC-SHA-256): the (kind, row) of a global ID.
//! - [`IdKey::seal_bytes`] encrypts any bytes deterministically with a
//!   synthetic IV (HMAC-SHA-256 of the plain text, which is also the
//!   authentication tag) and an HMAC-SHA-256 key stream: page cursors.

use std::sync::OnceLock;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::domain::ids::Kind;

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

    /// The ID of row `raw` of `kind`, as 16 bytes.
    pub fn seal(&self, kind: Kind, raw: i64) -> [u8; 16] {
        let mut block = [0u8; 16];
        block[..2].copy_from_slice(&kind.index().to_be_bytes());
        block[2..10].copy_from_slice(&raw.to_be_bytes());
        self.encrypt(block)
    }

    /// The kind and row inside the 16 bytes of an ID: `None` when this key did not make it.
    pub fn open(&self, block: [u8; 16]) -> Option<(Kind, i64)> {
        let plain = self.decrypt(block);
        if plain[CHECK].iter().any(|b| *b != 0) {
            return None;
        }
        let kind = Kind::from_index(u16::from_be_bytes([plain[0], plain[1]]));
        let mut raw = [0u8; 8];
        raw.copy_from_slice(&plain[2..10]);
        kind.map(|kind| (kind, i64::from_be_bytes(raw)))
    }
}

/// Bytes of a sealed value's tag (its synthetic IV).
const TAG_BYTES: usize = 12;
/// Domain separation of the tag and the key stream from the Feistel rounds (0–3).
const TAG_DOMAIN: u8 = 0x10;
const STREAM_DOMAIN: u8 = 0x11;

impl IdKey {
    fn prf(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut mac = self.mac.clone();
        for part in parts {
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }

    /// `data` XOR the key stream of `tag`.
    fn stream(&self, tag: &[u8], data: &[u8]) -> Vec<u8> {
        data.chunks(32)
            .zip(0u32..)
            .flat_map(|(chunk, block)| {
                let pad = self.prf(&[&[STREAM_DOMAIN], tag, &block.to_be_bytes()]);
                chunk.iter().zip(pad).map(|(b, p)| b ^ p).collect::<Vec<_>>()
            })
            .collect()
    }

    /// `plain` encrypted and authenticated; the same plain text always seals the same.
    pub fn seal_bytes(&self, plain: &[u8]) -> Vec<u8> {
        let tag = self.prf(&[&[TAG_DOMAIN], plain]);
        let mut out = tag[..TAG_BYTES].to_vec();
        out.extend(self.stream(&tag[..TAG_BYTES], plain));
        out
    }

    /// The plain text of `sealed`, or `None` when this key did not seal it.
    pub fn open_bytes(&self, sealed: &[u8]) -> Option<Vec<u8>> {
        let (tag, data) = sealed.split_at_checked(TAG_BYTES)?;
        let plain = self.stream(tag, data);
        let expected = self.prf(&[&[TAG_DOMAIN], &plain]);
        (expected[..TAG_BYTES] == *tag).then_some(plain)
    }
}

/// The key of this process, installed when the server starts.
static KEY: OnceLock<IdKey> = OnceLock::new();

/// Makes `key` the one every opaque value of this process is made with. A
/// process serves one key: installing another is refused (the server does
/// not start), so IDs and cursors never change under a running client.
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
pub fn key() -> &'static IdKey {
    KEY.get_or_init(|| IdKey::derive(&rand::random::<[u8; KEY_BYTES]>()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_bytes_open_only_with_their_key_and_unaltered() {
        let (key, other) = (IdKey::derive(b"one secret"), IdKey::derive(b"another secret"));
        let plain = br#"[{"I":41},41]"#.repeat(5);
        let sealed = key.seal_bytes(&plain);
        assert_eq!(sealed, key.seal_bytes(&plain), "deterministic: a cursor is stable");
        assert!(!String::from_utf8_lossy(&sealed).contains("41"));
        assert_eq!(key.open_bytes(&sealed), Some(plain.clone()));
        assert_eq!(other.open_bytes(&sealed), None);
        let mut altered = sealed.clone();
        altered[TAG_BYTES + 3] ^= 1;
        assert_eq!(key.open_bytes(&altered), None);
        assert_eq!(key.open_bytes(b"short"), None);
        assert_eq!(key.open_bytes(&key.seal_bytes(b"")), Some(vec![]));
    }
}
