//! Minting HS256 tokens for scripts, local work and `serve --dev`.

use std::time::Duration;

use jsonwebtoken::{EncodingKey, Header, encode};

use super::claims::{Claims, GlobalRole};

/// What to put in a minted token.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    pub subject: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub roles: Vec<GlobalRole>,
    pub ttl: Duration,
    pub issuer: String,
    pub audience: String,
}

/// Signs `request` with the HS256 `secret`.
pub fn mint(secret: &str, request: &TokenRequest) -> anyhow::Result<String> {
    let now = chrono::Utc::now().timestamp();
    let ttl = i64::try_from(request.ttl.as_secs())?;
    let claims = Claims {
        sub: request.subject.clone(),
        iss: request.issuer.clone(),
        aud: serde_json::Value::String(request.audience.clone()),
        iat: now,
        exp: now + ttl,
        name: request.name.clone(),
        email: request.email.clone(),
        roles: request
            .roles
            .iter()
            .map(|r| match r {
                GlobalRole::Admin => "admin".to_owned(),
                GlobalRole::Consultant => "consultant".to_owned(),
            })
            .collect(),
    };
    Ok(encode(&Header::default(), &claims, &EncodingKey::from_secret(secret.as_bytes())?)?)
}

/// A fresh 256-bit secret, base64url-encoded (for `serve --dev`).
pub fn random_secret() -> String {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let bytes: [u8; 32] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}
