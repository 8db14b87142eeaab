//! Configuration from the environment; the CLI's flags override it.

use std::path::PathBuf;

/// Default database: an embedded SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://opskit.db?mode=rwc";

/// Everything the server and the CLI need to know.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    /// HS256 shared secret (`OPSKIT_JWT_SECRET`).
    pub jwt_secret: Option<String>,
    /// JWKS file with RS256/ES256/EdDSA public keys (`OPSKIT_JWT_PUBLIC_KEYS`).
    pub jwt_public_keys: Option<PathBuf>,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    /// The secret global IDs are encrypted with (`OPSKIT_ID_KEY`); derived from
    /// the JWT secret when unset.
    pub id_key: Option<String>,
    /// Log filter (`OPSKIT_LOG`), e.g. `info` or `opskit_api=debug`.
    pub log_filter: String,
    pub log_format: LogFormat,
}

/// Shortest accepted `OPSKIT_ID_KEY`, in bytes.
pub const MIN_ID_KEY_BYTES: usize = 32;

impl Config {
    /// The key global IDs are made with: `OPSKIT_ID_KEY`, else one derived
    /// from the JWT secret; with neither (public keys only) there is none.
    pub fn id_key(&self) -> anyhow::Result<crate::graphql::ids::IdKey> {
        use crate::graphql::ids::IdKey;
        match (&self.id_key, &self.jwt_secret) {
            (Some(key), _) => {
                anyhow::ensure!(
                    key.len() >= MIN_ID_KEY_BYTES,
                    "OPSKIT_ID_KEY must be at least {MIN_ID_KEY_BYTES} bytes (e.g. `openssl rand -base64 32`)"
                );
                Ok(IdKey::derive(key.as_bytes()))
            }
            (None, Some(secret)) => Ok(IdKey::derive(secret.as_bytes())),
            (None, None) => anyhow::bail!(
                "set OPSKIT_ID_KEY (at least {MIN_ID_KEY_BYTES} bytes): global IDs are encrypted with it, \
                 and without OPSKIT_JWT_SECRET there is nothing to derive it from"
            ),
        }
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads the configuration through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let non_empty = |key: &str| lookup(key).filter(|v| !v.trim().is_empty());
        let log_format = match non_empty("OPSKIT_LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => anyhow::bail!("OPSKIT_LOG_FORMAT must be `text` or `json`, not `{other}`"),
        };
        Ok(Self {
            database_url: non_empty("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            jwt_secret: non_empty("OPSKIT_JWT_SECRET"),
            jwt_public_keys: non_empty("OPSKIT_JWT_PUBLIC_KEYS").map(PathBuf::from),
            jwt_issuer: non_empty("OPSKIT_JWT_ISSUER").unwrap_or_else(|| "opskit".to_owned()),
            jwt_audience: non_empty("OPSKIT_JWT_AUDIENCE").unwrap_or_else(|| "opskit".to_owned()),
            id_key: non_empty("OPSKIT_ID_KEY"),
            log_filter: non_empty("OPSKIT_LOG").unwrap_or_else(|| "info".to_owned()),
            log_format,
        })
    }

    /// A configuration for tests and tools: the given database and HS256 secret.
    pub fn for_database(database_url: impl Into<String>, jwt_secret: impl Into<String>) -> Self {
        Self {
            database_url: database_url.into(),
            jwt_secret: Some(jwt_secret.into()),
            jwt_public_keys: None,
            jwt_issuer: "opskit".to_owned(),
            jwt_audience: "opskit".to_owned(),
            id_key: None,
            log_filter: "warn".to_owned(),
            log_format: LogFormat::Text,
        }
    }
}
