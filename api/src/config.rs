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
    /// Log filter (`OPSKIT_LOG`), e.g. `info` or `opskit_api=debug`.
    pub log_filter: String,
    pub log_format: LogFormat,
    /// Origins whose browser pages may call the API (`OPSKIT_CORS_ORIGINS`,
    /// comma-separated; `*` for any origin). Empty: no CORS headers at all.
    pub cors_origins: Vec<String>,
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
            log_filter: non_empty("OPSKIT_LOG").unwrap_or_else(|| "info".to_owned()),
            log_format,
            cors_origins: cors_origins(non_empty("OPSKIT_CORS_ORIGINS").as_deref().unwrap_or(""))?,
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
            log_filter: "warn".to_owned(),
            log_format: LogFormat::Text,
            cors_origins: Vec::new(),
        }
    }
}

/// The allow-list: each entry an origin (`scheme://host[:port]`, nothing after) or `*`.
fn cors_origins(list: &str) -> anyhow::Result<Vec<String>> {
    let mut origins = Vec::new();
    for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        if entry != "*" {
            let url = url::Url::parse(entry)
                .map_err(|e| anyhow::anyhow!("OPSKIT_CORS_ORIGINS: `{entry}` is not an origin: {e}"))?;
            if url.origin().ascii_serialization() != entry.trim_end_matches('/') || url.host().is_none() {
                anyhow::bail!("OPSKIT_CORS_ORIGINS: `{entry}` is not an origin (scheme://host[:port], no path)");
            }
        }
        origins.push(entry.trim_end_matches('/').to_owned());
    }
    Ok(origins)
}

#[cfg(test)]
mod tests {
    use super::cors_origins;

    #[test]
    fn cors_origins_are_origins() {
        let list = cors_origins(" https://portal.example.com, http://localhost:5173/ ,").unwrap_or_default();
        assert_eq!(list, ["https://portal.example.com", "http://localhost:5173"]);
        assert_eq!(cors_origins("*").unwrap_or_default(), ["*"]);
        assert!(cors_origins("https://portal.example.com/app").is_err());
        assert!(cors_origins("portal.example.com").is_err());
        assert!(cors_origins("").unwrap_or_default().is_empty());
    }
}
