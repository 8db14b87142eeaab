//! Key sets (JWKS): from a file, read once, or from the identity provider's
//! URL, fetched at start, again every `refresh`, and when a token names a
//! `kid` the set does not hold (at most once per `cooldown`, so unknown
//! `kid`s cannot make opskit hammer the provider). A set that names one `kid`
//! twice is refused: at start opskit does not start; on a refresh the keys
//! already held stay.

use std::{
    collections::HashMap,
    path::Path,
    sync::{Arc, RwLock, Weak},
    time::{Duration, Instant},
};

use jsonwebtoken::{
    Algorithm, DecodingKey,
    jwk::{AlgorithmParameters, EllipticCurve, Jwk, JwkSet, KeyAlgorithm},
};

/// Keys by `kid`, each with the one algorithm it may verify.
pub type Keys = HashMap<String, (Algorithm, DecodingKey)>;

/// Reads a JWKS file.
pub fn load_file(path: &Path) -> anyhow::Result<Keys> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read OPSKIT_JWT_PUBLIC_KEYS file {}: {e}", path.display()))?;
    parse(&text, &path.display().to_string())
}

/// Parses a JWKS document read from `source`.
pub fn parse(text: &str, source: &str) -> anyhow::Result<Keys> {
    let set: JwkSet =
        serde_json::from_str(text).map_err(|e| anyhow::anyhow!("{source} is not a JWKS document: {e}"))?;
    let mut keys = HashMap::new();
    for jwk in &set.keys {
        let kid = jwk.common.key_id.clone().ok_or_else(|| anyhow::anyhow!("every JWKS key needs a `kid`"))?;
        let algorithm = pinned_algorithm(jwk).ok_or_else(|| {
            anyhow::anyhow!("JWKS key `{kid}`: only RSA (RS256), P-256 (ES256) and Ed25519 (EdDSA) keys are accepted")
        })?;
        let key = DecodingKey::from_jwk(jwk).map_err(|e| anyhow::anyhow!("JWKS key `{kid}`: {e}"))?;
        if keys.insert(kid.clone(), (algorithm, key)).is_some() {
            anyhow::bail!("{source} names key `{kid}` twice: a `kid` must name one key");
        }
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

/// A key set published at a URL.
#[derive(Debug)]
pub struct RemoteKeys {
    url: String,
    client: reqwest::Client,
    cooldown: Duration,
    keys: RwLock<Keys>,
    /// When the set was last fetched; held while a fetch runs, so fetches never overlap.
    fetched: tokio::sync::Mutex<Instant>,
}

impl RemoteKeys {
    /// Fetches the set (failing when it cannot be fetched or is refused) and
    /// keeps it fresh every `refresh` in the background while it lives.
    pub async fn start(url: &str, refresh: Duration, cooldown: Duration) -> anyhow::Result<Arc<Self>> {
        let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build()?;
        let keys = fetch(&client, url).await.map_err(|e| anyhow::anyhow!("OPSKIT_JWT_JWKS_URL: {e}"))?;
        let remote = Arc::new(Self {
            url: url.to_owned(),
            client,
            cooldown,
            keys: RwLock::new(keys),
            fetched: tokio::sync::Mutex::new(Instant::now()),
        });
        tokio::spawn(refresh_every(Arc::downgrade(&remote), refresh));
        Ok(remote)
    }

    /// The key named `kid`, if the set holds it.
    pub fn get(&self, kid: &str) -> Option<(Algorithm, DecodingKey)> {
        self.keys.read().unwrap_or_else(std::sync::PoisonError::into_inner).get(kid).cloned()
    }

    /// The key named `kid`, fetching the set again first when it does not
    /// hold it and the last fetch is older than the cooldown.
    pub async fn get_or_refresh(&self, kid: &str) -> Option<(Algorithm, DecodingKey)> {
        if let Some(found) = self.get(kid) {
            return Some(found);
        }
        let mut fetched = self.fetched.lock().await;
        if let Some(found) = self.get(kid) {
            return Some(found);
        }
        if fetched.elapsed() < self.cooldown {
            return None;
        }
        self.refresh(&mut fetched).await;
        self.get(kid)
    }

    async fn refresh(&self, fetched: &mut Instant) {
        *fetched = Instant::now();
        match fetch(&self.client, &self.url).await {
            Ok(keys) => *self.keys.write().unwrap_or_else(std::sync::PoisonError::into_inner) = keys,
            Err(err) => {
                tracing::warn!(error = %err, "OPSKIT_JWT_JWKS_URL could not be refreshed; keeping the keys held")
            }
        }
    }
}

async fn refresh_every(remote: Weak<RemoteKeys>, period: Duration) {
    loop {
        tokio::time::sleep(period.max(Duration::from_secs(1))).await;
        let Some(remote) = remote.upgrade() else { return };
        let mut fetched = remote.fetched.lock().await;
        remote.refresh(&mut fetched).await;
    }
}

async fn fetch(client: &reqwest::Client, url: &str) -> anyhow::Result<Keys> {
    let resp = client.get(url).send().await?.error_for_status()?;
    let text = resp.text().await?;
    parse(&text, url)
}
