//! Standard Webhooks 1.0 signing: secrets are `whsec_` and base64 of random
//! bytes; a signature is `v1,` and base64 of HMAC-SHA256, keyed with the
//! secret's bytes, over `<webhook-id>.<webhook-timestamp>.<body>`. Several
//! signatures (a rotated secret's overlap) go space-separated in one header.

use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The prefix of every signing secret.
pub const PREFIX: &str = "whsec_";

/// A new secret: 24 random bytes.
pub fn new_secret() -> String {
    let bytes: [u8; 24] = rand::random();
    format!("{PREFIX}{}", STANDARD.encode(bytes))
}

/// The `v1,<base64>` signature of one message under `secret`; `None` for a
/// secret that is not `whsec_` and base64.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    let key = STANDARD.decode(secret.strip_prefix(PREFIX)?).ok()?;
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key).ok()?;
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    Some(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// The `webhook-signature` header: one signature per secret, space-separated.
pub fn header<'a>(secrets: impl IntoIterator<Item = &'a str>, id: &str, timestamp: i64, body: &[u8]) -> String {
    secrets.into_iter().filter_map(|s| sign(s, id, timestamp, body)).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification.
    #[test]
    fn signs_like_the_specification() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
        assert_eq!(sign("nope", "x", 1, b""), None);
        let two = header([secret, secret], "id", 1, b"{}");
        assert_eq!(two.split(' ').count(), 2);
        assert!(new_secret().starts_with(PREFIX));
    }
}
