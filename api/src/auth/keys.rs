//! Token verification. The algorithm is chosen by the key, never by the token:
//! HS256 only with the configured secret, RS256/ES256/EdDSA only with the JWKS
//! key named by `kid` whose own algorithm matches. `alg: none` never parses.
//! `exp` and `nbf` are honoured and `iat` may not lie in the future (30 s of
//! leeway each); a token signed with the shared secret may live at most the
//! configured maximum lifetime.

use std::sync::Arc;

use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};

use super::{
    claims::{Claims, Identity},
    jwks::{self, Keys, RemoteKeys},
};
use crate::{config::Config, error::Error};

/// Shortest shared secret accepted: 256 bits, as HS256 needs.
pub const MIN_SECRET_BYTES: usize = 32;
/// Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds.
const LEEWAY: i64 = 30;

/// Verifies bearer tokens against the configured keys.
#[derive(Clone)]
pub struct Verifier {
    secret: Option<DecodingKey>,
    /// Longest `exp - iat` of a shared-secret token, in seconds.
    max_lifetime: i64,
    file: Arc<Keys>,
    remote: Option<Arc<RemoteKeys>>,
    issuer: String,
    audience: String,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("hs256", &self.secret.is_some())
            .field("public_keys", &self.file.keys().collect::<Vec<_>>())
            .field("jwks_url", &self.remote.is_some())
            .finish()
    }
}

impl Verifier {
    /// Builds the verifier (fetching the JWKS URL); fails when no key is
    /// configured at all, the secret is too short or a key set is refused.
    pub async fn from_config(config: &Config) -> anyhow::Result<Self> {
        let secret = match config.jwt_secret.as_deref() {
            Some(s) if s.len() < MIN_SECRET_BYTES => anyhow::bail!(
                "OPSKIT_JWT_SECRET is {} bytes long; it must be at least {MIN_SECRET_BYTES} bytes \
                 (e.g. `openssl rand -base64 32`)",
                s.len()
            ),
            Some(s) => Some(DecodingKey::from_secret(s.as_bytes())?),
            None => None,
        };
        let file = match &config.jwt_public_keys {
            Some(path) => jwks::load_file(path)?,
            None => Keys::new(),
        };
        let remote = match &config.jwt_jwks_url {
            Some(url) => Some(RemoteKeys::start(url, config.jwt_jwks_refresh, config.jwt_jwks_cooldown).await?),
            None => None,
        };
        if secret.is_none() && file.is_empty() && remote.is_none() {
            anyhow::bail!(
                "no token verification key is configured: set OPSKIT_JWT_SECRET to a long random string \
                 (HS256), or OPSKIT_JWT_JWKS_URL / OPSKIT_JWT_PUBLIC_KEYS to your identity provider's \
                 public keys; for local work run `opskit serve --dev`"
            );
        }
        Ok(Self {
            secret,
            max_lifetime: i64::try_from(config.jwt_max_lifetime.as_secs()).unwrap_or(i64::MAX),
            file: Arc::new(file),
            remote,
            issuer: config.jwt_issuer.clone(),
            audience: config.jwt_audience.clone(),
        })
    }

    /// Checks signature, algorithm, `exp`, `nbf`, `iat`, `iss` and `aud`, and returns the caller.
    pub async fn verify(&self, token: &str) -> Result<Identity, Error> {
        let header = decode_header(token).map_err(|_| bad("malformed header or unsupported algorithm"))?;
        let (algorithm, key) = match header.alg {
            Algorithm::HS256 => (Algorithm::HS256, self.secret.clone().ok_or_else(|| bad("HS256 is not accepted"))?),
            Algorithm::RS256 | Algorithm::ES256 | Algorithm::EdDSA => {
                let kid = header.kid.as_deref().ok_or_else(|| bad("missing `kid`"))?;
                let (pinned, key) = self.public_key(kid).await.ok_or_else(|| bad("unknown `kid`"))?;
                if pinned != header.alg {
                    return Err(bad("algorithm does not match the key"));
                }
                (pinned, key)
            }
            _ => return Err(bad("algorithm not accepted")),
        };
        let mut validation = Validation::new(algorithm);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.validate_nbf = true;
        validation.leeway = LEEWAY.unsigned_abs();
        let data = decode::<Claims>(token, &key, &validation).map_err(|err| {
            use jsonwebtoken::errors::ErrorKind;
            match err.kind() {
                ErrorKind::ExpiredSignature => bad("expired"),
                ErrorKind::ImmatureSignature => bad("not valid yet (`nbf`)"),
                ErrorKind::InvalidAudience => bad("wrong audience"),
                ErrorKind::InvalidIssuer => bad("wrong issuer"),
                ErrorKind::InvalidSignature => bad("bad signature"),
                ErrorKind::MissingRequiredClaim(claim) => bad(&format!("missing `{claim}` claim")),
                _ => bad("could not be verified"),
            }
        })?;
        let claims = data.claims;
        if claims.sub.trim().is_empty() {
            return Err(bad("empty `sub`"));
        }
        if claims.iat > chrono::Utc::now().timestamp() + LEEWAY {
            return Err(bad("issued in the future (`iat`)"));
        }
        if algorithm == Algorithm::HS256 && claims.exp.saturating_sub(claims.iat) > self.max_lifetime {
            return Err(bad("lives longer than shared-secret tokens may (`exp` - `iat`)"));
        }
        Ok(claims.into())
    }

    /// The public key named `kid`: from the file, else from the URL's set.
    async fn public_key(&self, kid: &str) -> Option<(Algorithm, DecodingKey)> {
        if let Some(found) = self.file.get(kid) {
            return Some(found.clone());
        }
        match &self.remote {
            Some(remote) => remote.get_or_refresh(kid).await,
            None => None,
        }
    }
}

fn bad(why: &str) -> Error {
    Error::Unauthenticated(format!("invalid token: {why}"))
}
