//! Token verification. The algorithm is chosen by the key, never by the token:
//! HS256 only with the configured secret, RS256/ES256/EdDSA only with the JWKS
//! key named by `kid` whose own algorithm matches. `alg: none` never parses.

use std::{collections::HashMap, path::Path};

use jsonwebtoken::{
    Algorithm, DecodingKey, Validation, decode, decode_header,
    jwk::{AlgorithmParameters, EllipticCurve, Jwk, JwkSet, KeyAlgorithm},
};

use super::claims::{Claims, Identity};
use crate::{config::Config, error::Error};

/// Verifies bearer tokens against the configured keys.
#[derive(Clone)]
pub struct Verifier {
    secret: Option<DecodingKey>,
    public: HashMap<String, (Algorithm, DecodingKey)>,
    issuer: String,
    audience: String,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("hs256", &self.secret.is_some())
            .field("public_keys", &self.public.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Verifier {
    /// Builds the verifier; fails when no key is configured at all.
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let secret = config.jwt_secret.as_deref().map(|s| DecodingKey::from_secret(s.as_bytes())).transpose()?;
        let public = match &config.jwt_public_keys {
            Some(path) => load_jwks(path)?,
            None => HashMap::new(),
        };
        if secret.is_none() && public.is_empty() {
            anyhow::bail!(
                "no token verification key is configured: set OPSKIT_JWT_SECRET to a long random string \
                 (HS256), or OPSKIT_JWT_PUBLIC_KEYS to a JWKS file of your identity provider's public keys; \
                 for local work run `opskit serve --dev`"
            );
        }
        Ok(Self { secret, public, issuer: config.jwt_issuer.clone(), audience: config.jwt_audience.clone() })
    }

    /// Checks signature, algorithm, `exp`, `iss` and `aud`, and returns the caller.
    pub fn verify(&self, token: &str) -> Result<Identity, Error> {
        let bad = |why: &str| Error::Unauthenticated(format!("invalid token: {why}"));
        let header = decode_header(token).map_err(|_| bad("malformed header or unsupported algorithm"))?;
        let (algorithm, key) = match header.alg {
            Algorithm::HS256 => (Algorithm::HS256, self.secret.as_ref().ok_or_else(|| bad("HS256 is not accepted"))?),
            Algorithm::RS256 | Algorithm::ES256 | Algorithm::EdDSA => {
                let kid = header.kid.as_deref().ok_or_else(|| bad("missing `kid`"))?;
                let (pinned, key) = self.public.get(kid).ok_or_else(|| bad("unknown `kid`"))?;
                if *pinned != header.alg {
                    return Err(bad("algorithm does not match the key"));
                }
                (*pinned, key)
            }
            _ => return Err(bad("algorithm not accepted")),
        };
        let mut validation = Validation::new(algorithm);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.leeway = 30;
        let data = decode::<Claims>(token, key, &validation).map_err(|err| {
            use jsonwebtoken::errors::ErrorKind;
            match err.kind() {
                ErrorKind::ExpiredSignature => bad("expired"),
                ErrorKind::InvalidAudience => bad("wrong audience"),
                ErrorKind::InvalidIssuer => bad("wrong issuer"),
                ErrorKind::InvalidSignature => bad("bad signature"),
                ErrorKind::MissingRequiredClaim(claim) => bad(&format!("missing `{claim}` claim")),
                _ => bad("could not be verified"),
            }
        })?;
        if data.claims.sub.trim().is_empty() {
            return Err(bad("empty `sub`"));
        }
        Ok(data.claims.into())
    }
}

fn load_jwks(path: &Path) -> anyhow::Result<HashMap<String, (Algorithm, DecodingKey)>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read OPSKIT_JWT_PUBLIC_KEYS file {}: {e}", path.display()))?;
    let set: JwkSet =
        serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("{} is not a JWKS document: {e}", path.display()))?;
    let mut keys = HashMap::new();
    for jwk in &set.keys {
        let kid = jwk.common.key_id.clone().ok_or_else(|| anyhow::anyhow!("every JWKS key needs a `kid`"))?;
        let algorithm = pinned_algorithm(jwk).ok_or_else(|| {
            anyhow::anyhow!("JWKS key `{kid}`: only RSA (RS256), P-256 (ES256) and Ed25519 (EdDSA) keys are accepted")
        })?;
        let key = DecodingKey::from_jwk(jwk).map_err(|e| anyhow::anyhow!("JWKS key `{kid}`: {e}"))?;
        keys.insert(kid, (algorithm, key));
    }
    Ok(keys)
}

/// The one algorithm a key may verify, from its type (and `alg`, when present, must agree).
fn pinned_algorithm(jwk: &Jwk) -> Option<Algorithm> {
    let from_type = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => Algorithm::RS256,
        AlgorithmParameters::EllipticCurve(ec) if ec.curve == EllipticCurve::P256 => Algorithm::ES256,
        AlgorithmParameters::OctetKeyPair(okp) if okp.curve == EllipticCurve::Ed25519 => Algorithm::EdDSA,
        _ => return None,
    };
    let declared = match jwk.common.key_algorithm {
        None => return Some(from_type),
        Some(KeyAlgorithm::RS256) => Algorithm::RS256,
        Some(KeyAlgorithm::ES256) => Algorithm::ES256,
        Some(KeyAlgorithm::EdDSA) => Algorithm::EdDSA,
        Some(_) => return None,
    };
    (declared == from_type).then_some(from_type)
}
