//! Secrets opskit must read back (a tracker's credentials, an inbound
//! signing secret) are stored sealed: ChaCha20-Poly1305 with a random nonce
//! and the purpose as associated data, under a server key
//! (`OPSKIT_SECRETS_KEY`, or derived from the ID key's secret). A database
//! dump alone reveals none of them, and a sealed value moved to another
//! column or row of another purpose does not open.

use std::sync::OnceLock;

use base64::{Engine, engine::general_purpose::STANDARD};
use chacha20poly1305::{
    ChaCha20Poly1305, Key, Nonce,
    aead::{Aead, KeyInit as _, Payload},
};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The prefix of a sealed value: the scheme, so it can change later.
const SCHEME: &str = "v1:";
/// Bytes of a nonce.
const NONCE_BYTES: usize = 12;

/// The server's key for secrets at rest.
#[derive(Clone)]
pub struct SecretsKey {
    bytes: [u8; 32],
}

impl std::fmt::Debug for SecretsKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretsKey(..)")
    }
}

impl SecretsKey {
    /// The key derived from `secret` (`OPSKIT_SECRETS_KEY`, or the ID key's
    /// secret), for the purpose of secrets at rest only.
    pub fn derive(secret: &[u8]) -> Self {
        let mut bytes = [0u8; 32];
        if let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(secret) {
            mac.update(b"opskit secrets at rest v1");
            bytes.copy_from_slice(&mac.finalize().into_bytes());
        }
        Self { bytes }
    }

    fn cipher(&self) -> ChaCha20Poly1305 {
        ChaCha20Poly1305::new(&Key::from(self.bytes))
    }

    /// `plain` sealed for `purpose` (e.g. `tracker_connection.credentials`).
    pub fn seal(&self, purpose: &str, plain: &[u8]) -> anyhow::Result<String> {
        let nonce: [u8; NONCE_BYTES] = rand::random();
        let sealed = self
            .cipher()
            .encrypt(&Nonce::from(nonce), Payload { msg: plain, aad: purpose.as_bytes() })
            .map_err(|_| anyhow::anyhow!("a secret could not be sealed"))?;
        let mut out = nonce.to_vec();
        out.extend(sealed);
        Ok(format!("{SCHEME}{}", STANDARD.encode(out)))
    }

    /// A keyed digest of `plain` for `purpose`: equal for equal texts under
    /// one key, and telling nothing of the text without the key (so it may
    /// stand for a credential in a request's fingerprint).
    pub fn tag(&self, purpose: &str, plain: &[u8]) -> String {
        let mut tag = String::new();
        if let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.bytes) {
            mac.update(purpose.as_bytes());
            mac.update(&[0]);
            mac.update(plain);
            for byte in &mac.finalize().into_bytes()[..16] {
                tag.push_str(&format!("{byte:02x}"));
            }
        }
        tag
    }

    /// The plain text of `sealed` for `purpose`; an error when another key or
    /// purpose sealed it, or it was altered.
    pub fn open(&self, purpose: &str, sealed: &str) -> anyhow::Result<Vec<u8>> {
        let bytes = sealed
            .strip_prefix(SCHEME)
            .and_then(|b| STANDARD.decode(b).ok())
            .ok_or_else(|| anyhow::anyhow!("not a sealed secret"))?;
        let (nonce, data) =
            bytes.split_at_checked(NONCE_BYTES).ok_or_else(|| anyhow::anyhow!("a sealed secret is too short"))?;
        let nonce: [u8; NONCE_BYTES] = nonce.try_into()?;
        self.cipher()
            .decrypt(&Nonce::from(nonce), Payload { msg: data, aad: purpose.as_bytes() })
            .map_err(|_| anyhow::anyhow!("a sealed secret does not open with this server's key (OPSKIT_SECRETS_KEY)"))
    }
}

static KEY: OnceLock<SecretsKey> = OnceLock::new();

/// Makes `key` the one this process seals and opens secrets with; a process
/// serves one key (installing another is refused, the server does not start).
pub fn install(key: SecretsKey) -> anyhow::Result<()> {
    let installed = KEY.get_or_init(|| key.clone());
    anyhow::ensure!(installed.bytes == key.bytes, "this process already serves secrets sealed with another key");
    Ok(())
}

/// The installed key; before any server starts, a random one.
pub fn key() -> &'static SecretsKey {
    KEY.get_or_init(|| SecretsKey::derive(&rand::random::<[u8; 32]>()))
}

/// `plain` sealed for `purpose` with the installed key.
pub fn seal_text(purpose: &str, plain: &str) -> crate::error::Result<String> {
    key().seal(purpose, plain.as_bytes()).map_err(crate::error::Error::internal)
}

/// The text sealed for `purpose` with the installed key.
pub fn open_text(purpose: &str, sealed: &str) -> crate::error::Result<String> {
    let plain = key().open(purpose, sealed).map_err(crate::error::Error::internal)?;
    String::from_utf8(plain)
        .map_err(|e| crate::error::Error::internal(anyhow::anyhow!("a sealed secret is not text: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_with_their_key_and_purpose() {
        let (key, other) = (SecretsKey::derive(b"one secret"), SecretsKey::derive(b"another"));
        let sealed = key.seal("credentials", b"api-token-123").unwrap_or_default();
        assert!(!sealed.contains("api-token-123"));
        assert_ne!(sealed, key.seal("credentials", b"api-token-123").unwrap_or_default(), "a fresh nonce each time");
        assert_eq!(key.open("credentials", &sealed).ok(), Some(b"api-token-123".to_vec()));
        assert!(key.open("inbound secret", &sealed).is_err(), "another purpose");
        assert!(other.open("credentials", &sealed).is_err(), "another key");
        let mut altered = sealed.into_bytes();
        let last = altered.len() - 3;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        assert!(key.open("credentials", &String::from_utf8_lossy(&altered)).is_err());
    }
}
