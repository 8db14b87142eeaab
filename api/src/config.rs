//! Configuration from the environment; the CLI's flags override it.

use std::{path::PathBuf, str::FromStr, time::Duration};

use crate::{
    delivery::{DeliveryConfig, Guard, Schedule},
    limits::Limits,
};

/// Default database: an embedded SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://opskit.db?mode=rwc";

/// Everything the server and the CLI need to know.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    /// HS256 shared secret (`OPSKIT_JWT_SECRET`), at least 32 bytes.
    pub jwt_secret: Option<String>,
    /// JWKS file with RS256/ES256/EdDSA public keys (`OPSKIT_JWT_PUBLIC_KEYS`).
    pub jwt_public_keys: Option<PathBuf>,
    /// JWKS URL of the identity provider (`OPSKIT_JWT_JWKS_URL`).
    pub jwt_jwks_url: Option<String>,
    /// How often the JWKS URL is fetched again (`OPSKIT_JWT_JWKS_REFRESH`).
    pub jwt_jwks_refresh: Duration,
    /// Least time between two fetches caused by an unknown `kid` (`OPSKIT_JWT_JWKS_COOLDOWN`).
    pub jwt_jwks_cooldown: Duration,
    /// Longest `exp - iat` of a token signed with the shared secret (`OPSKIT_JWT_MAX_LIFETIME`).
    pub jwt_max_lifetime: Duration,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    /// The secret global IDs are encrypted with (`OPSKIT_ID_KEY`); derived from
    /// the JWT secret when unset.
    pub id_key: Option<String>,
    /// The secret that secrets at rest (tracker credentials) are sealed with
    /// (`OPSKIT_SECRETS_KEY`); derived from the ID key's secret when unset.
    pub secrets_key: Option<String>,
    /// Log filter (`OPSKIT_LOG`), e.g. `info` or `opskit_api=debug`.
    pub log_filter: String,
    pub log_format: LogFormat,
    /// Query cost, rate limits, batches, deadlines and the connection pool.
    pub limits: Limits,
    /// Live subscriptions one WebSocket connection may run at once
    /// (`OPSKIT_MAX_SUBSCRIPTIONS_PER_CONNECTION`).
    pub max_subscriptions_per_connection: usize,
    /// Live connections (WebSocket or SSE) one identity may hold on one server
    /// process (`OPSKIT_MAX_CONNECTIONS_PER_IDENTITY`).
    pub max_connections_per_identity: usize,
    /// Origins whose browser pages may call the API (`OPSKIT_CORS_ORIGINS`,
    /// comma-separated; `*` for any origin). Empty: no CORS headers at all.
    pub cors_origins: Vec<String>,
    /// Outbound deliveries (webhooks): targets allowed, retries, timeouts
    /// (`OPSKIT_DELIVERY_*`, `OPSKIT_WEBHOOK_SECRET_OVERLAP`).
    pub delivery: DeliveryConfig,
    /// Where spans are exported as OpenTelemetry traces (the standard
    /// `OTEL_EXPORTER_OTLP_*` and `OTEL_SERVICE_NAME` variables); `None`, the
    /// default, exports nothing.
    pub traces: Option<TraceExport>,
    /// How long a caller's user, API key and memberships are cached in
    /// process (`OPSKIT_ACCESS_CACHE_TTL`, `0s` for no cache); changes clear
    /// them sooner (see [`crate::domain::access_cache`]).
    pub access_cache_ttl: Duration,
}

/// OpenTelemetry trace export over OTLP/HTTP (protobuf).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceExport {
    /// The traces URL: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as given, or
    /// `OTEL_EXPORTER_OTLP_ENDPOINT` followed by `/v1/traces`.
    pub endpoint: String,
    /// Headers sent with each export (`OTEL_EXPORTER_OTLP_HEADERS`, `k=v,k2=v2`),
    /// e.g. a collector's API key.
    pub headers: Vec<(String, String)>,
    /// `service.name` of the spans (`OTEL_SERVICE_NAME`, default `opskit`).
    pub service_name: String,
}

/// Default of `OPSKIT_MAX_SUBSCRIPTIONS_PER_CONNECTION`.
pub const DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION: usize = 50;
/// Default of `OPSKIT_MAX_CONNECTIONS_PER_IDENTITY`.
pub const DEFAULT_MAX_CONNECTIONS_PER_IDENTITY: usize = 20;
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

impl Config {
    /// The key secrets at rest are sealed with: `OPSKIT_SECRETS_KEY`, else
    /// one derived from the secret of the ID key.
    pub fn secrets_key(&self) -> anyhow::Result<crate::secrets::SecretsKey> {
        use crate::secrets::SecretsKey;
        match (&self.secrets_key, &self.id_key, &self.jwt_secret) {
            (Some(key), _, _) => {
                anyhow::ensure!(
                    key.len() >= MIN_ID_KEY_BYTES,
                    "OPSKIT_SECRETS_KEY must be at least {MIN_ID_KEY_BYTES} bytes (e.g. `openssl rand -base64 32`)"
                );
                Ok(SecretsKey::derive(key.as_bytes()))
            }
            (None, Some(secret), _) | (None, None, Some(secret)) => Ok(SecretsKey::derive(secret.as_bytes())),
            (None, None, None) => anyhow::bail!(
                "set OPSKIT_SECRETS_KEY or OPSKIT_ID_KEY (at least {MIN_ID_KEY_BYTES} bytes): tracker credentials are sealed with it"
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
        let defaults = Self::for_database(DEFAULT_DATABASE_URL, String::new());
        let duration = |key: &str, default: Duration| match non_empty(key) {
            Some(text) => humantime::parse_duration(text.trim())
                .map_err(|e| anyhow::anyhow!("{key} must be a duration such as 30s, 15m or 24h: {e}")),
            None => Ok(default),
        };
        let limits = Limits::from_lookup(&non_empty, &duration)?;
        Ok(Self {
            max_subscriptions_per_connection: number(
                non_empty("OPSKIT_MAX_SUBSCRIPTIONS_PER_CONNECTION"),
                "OPSKIT_MAX_SUBSCRIPTIONS_PER_CONNECTION",
                DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION,
            )?,
            max_connections_per_identity: number(
                non_empty("OPSKIT_MAX_CONNECTIONS_PER_IDENTITY"),
                "OPSKIT_MAX_CONNECTIONS_PER_IDENTITY",
                DEFAULT_MAX_CONNECTIONS_PER_IDENTITY,
            )?,
            database_url: non_empty("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            jwt_secret: non_empty("OPSKIT_JWT_SECRET"),
            jwt_public_keys: non_empty("OPSKIT_JWT_PUBLIC_KEYS").map(PathBuf::from),
            jwt_jwks_url: non_empty("OPSKIT_JWT_JWKS_URL"),
            jwt_jwks_refresh: duration("OPSKIT_JWT_JWKS_REFRESH", defaults.jwt_jwks_refresh)?,
            jwt_jwks_cooldown: duration("OPSKIT_JWT_JWKS_COOLDOWN", defaults.jwt_jwks_cooldown)?,
            jwt_max_lifetime: duration("OPSKIT_JWT_MAX_LIFETIME", defaults.jwt_max_lifetime)?,
            jwt_issuer: non_empty("OPSKIT_JWT_ISSUER").unwrap_or_else(|| "opskit".to_owned()),
            jwt_audience: non_empty("OPSKIT_JWT_AUDIENCE").unwrap_or_else(|| "opskit".to_owned()),
            id_key: non_empty("OPSKIT_ID_KEY"),
            secrets_key: non_empty("OPSKIT_SECRETS_KEY"),
            log_filter: non_empty("OPSKIT_LOG").unwrap_or_else(|| "info".to_owned()),
            log_format,
            limits,
            cors_origins: cors_origins(non_empty("OPSKIT_CORS_ORIGINS").as_deref().unwrap_or(""))?,
            delivery: delivery(&non_empty, &duration)?,
            traces: traces(&non_empty)?,
            access_cache_ttl: duration("OPSKIT_ACCESS_CACHE_TTL", defaults.access_cache_ttl)?,
        })
    }

    /// A configuration for tests and tools: the given database and HS256 secret.
    pub fn for_database(database_url: impl Into<String>, jwt_secret: impl Into<String>) -> Self {
        Self {
            database_url: database_url.into(),
            jwt_secret: Some(jwt_secret.into()),
            jwt_public_keys: None,
            jwt_jwks_url: None,
            jwt_jwks_refresh: Duration::from_secs(600),
            jwt_jwks_cooldown: Duration::from_secs(30),
            jwt_max_lifetime: Duration::from_secs(24 * 3600),
            jwt_issuer: "opskit".to_owned(),
            jwt_audience: "opskit".to_owned(),
            id_key: None,
            secrets_key: None,
            log_filter: "warn".to_owned(),
            log_format: LogFormat::Text,
            limits: Limits::default(),
            max_subscriptions_per_connection: DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION,
            max_connections_per_identity: DEFAULT_MAX_CONNECTIONS_PER_IDENTITY,
            cors_origins: Vec::new(),
            delivery: DeliveryConfig::default(),
            traces: None,
            access_cache_ttl: crate::domain::access_cache::DEFAULT_TTL,
        }
    }
}

/// Parses the number in variable `key`, or returns `default` when it is unset.
pub fn number<T: FromStr>(value: Option<String>, key: &str, default: T) -> anyhow::Result<T> {
    match value {
        Some(text) => text.trim().parse().map_err(|_| anyhow::anyhow!("{key} must be a whole number, not `{text}`")),
        None => Ok(default),
    }
}

/// The delivery settings from `OPSKIT_DELIVERY_*` and `OPSKIT_WEBHOOK_SECRET_OVERLAP`.
fn delivery(
    non_empty: &dyn Fn(&str) -> Option<String>,
    duration: &dyn Fn(&str, Duration) -> anyhow::Result<Duration>,
) -> anyhow::Result<DeliveryConfig> {
    let defaults = DeliveryConfig::default();
    let flag = |key: &str| match non_empty(key).as_deref().map(str::trim) {
        None | Some("false" | "0" | "no") => Ok(false),
        Some("true" | "1" | "yes") => Ok(true),
        Some(other) => Err(anyhow::anyhow!("{key} must be true or false, not `{other}`")),
    };
    Ok(DeliveryConfig {
        guard: Guard {
            allow_loopback: flag("OPSKIT_DELIVERY_ALLOW_LOOPBACK")?,
            allow_private: flag("OPSKIT_DELIVERY_ALLOW_PRIVATE")?,
        },
        schedule: Schedule {
            base: duration("OPSKIT_DELIVERY_RETRY_BASE", defaults.schedule.base)?,
            max: duration("OPSKIT_DELIVERY_RETRY_MAX", defaults.schedule.max)?,
            give_up_after: duration("OPSKIT_DELIVERY_GIVE_UP_AFTER", defaults.schedule.give_up_after)?,
        },
        timeout: duration("OPSKIT_DELIVERY_TIMEOUT", defaults.timeout)?,
        tick: duration("OPSKIT_DELIVERY_TICK", defaults.tick)?.max(Duration::from_millis(10)),
        secret_overlap: duration("OPSKIT_WEBHOOK_SECRET_OVERLAP", defaults.secret_overlap)?,
        worker: !flag("OPSKIT_DELIVERY_WORKER_OFF")?,
    })
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

/// Trace export from the standard OpenTelemetry variables: on when an OTLP
/// endpoint is set and `OTEL_SDK_DISABLED` is not `true`.
fn traces(non_empty: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<Option<TraceExport>> {
    if non_empty("OTEL_SDK_DISABLED").is_some_and(|v| v.trim().eq_ignore_ascii_case("true")) {
        return Ok(None);
    }
    let endpoint = match (non_empty("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"), non_empty("OTEL_EXPORTER_OTLP_ENDPOINT")) {
        (Some(traces), _) => traces.trim().to_owned(),
        (None, Some(base)) => format!("{}/v1/traces", base.trim().trim_end_matches('/')),
        (None, None) => return Ok(None),
    };
    let url =
        url::Url::parse(&endpoint).map_err(|e| anyhow::anyhow!("OTLP endpoint `{endpoint}` is not a URL: {e}"))?;
    anyhow::ensure!(matches!(url.scheme(), "http" | "https"), "OTLP endpoint `{endpoint}` must be http:// or https://");
    let list = non_empty("OTEL_EXPORTER_OTLP_TRACES_HEADERS").or_else(|| non_empty("OTEL_EXPORTER_OTLP_HEADERS"));
    let mut headers = Vec::new();
    for pair in list.as_deref().unwrap_or("").split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| anyhow::anyhow!("OTEL_EXPORTER_OTLP_HEADERS: `{pair}` is not name=value"))?;
        // Percent-encoded as the OTLP exporter specification says; a `+` stays
        // a `+` (API keys are often base64).
        let value = percent_encoding::percent_decode_str(value.trim())
            .decode_utf8()
            .map_err(|_| anyhow::anyhow!("OTEL_EXPORTER_OTLP_HEADERS: the value of `{}` is not UTF-8", name.trim()))?;
        headers.push((name.trim().to_owned(), value.into_owned()));
    }
    let service_name = non_empty("OTEL_SERVICE_NAME").unwrap_or_else(|| "opskit".to_owned());
    Ok(Some(TraceExport { endpoint, headers, service_name }))
}

#[cfg(test)]
mod tests {
    use super::{TraceExport, cors_origins, traces};

    #[test]
    fn cors_origins_are_origins() {
        let list = cors_origins(" https://portal.example.com, http://localhost:5173/ ,").unwrap_or_default();
        assert_eq!(list, ["https://portal.example.com", "http://localhost:5173"]);
        assert_eq!(cors_origins("*").unwrap_or_default(), ["*"]);
        assert!(cors_origins("https://portal.example.com/app").is_err());
        assert!(cors_origins("portal.example.com").is_err());
        assert!(cors_origins("").unwrap_or_default().is_empty());
    }

    #[test]
    fn traces_are_exported_only_when_an_endpoint_is_set() {
        let from = |pairs: &[(&str, &str)]| {
            let map: std::collections::HashMap<String, String> =
                pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
            traces(&|key: &str| map.get(key).cloned())
        };
        assert_eq!(from(&[]).unwrap_or_default(), None);
        let base = from(&[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"),
            ("OTEL_EXPORTER_OTLP_HEADERS", "x-key=a%20b, team=ops+eu/1=="),
        ]);
        assert_eq!(
            base.unwrap_or_default(),
            Some(TraceExport {
                endpoint: "http://collector:4318/v1/traces".to_owned(),
                headers: vec![("x-key".to_owned(), "a b".to_owned()), ("team".to_owned(), "ops+eu/1==".to_owned())],
                service_name: "opskit".to_owned(),
            })
        );
        let exact = from(&[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
            ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://traces.example.com/otlp"),
            ("OTEL_SERVICE_NAME", "opskit-eu"),
        ]);
        let exact = exact.unwrap_or_default().unwrap_or_else(|| panic!("no export"));
        assert_eq!(
            (exact.endpoint.as_str(), exact.service_name.as_str()),
            ("https://traces.example.com/otlp", "opskit-eu")
        );
        assert_eq!(
            from(&[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"), ("OTEL_SDK_DISABLED", "true")])
                .unwrap_or_default(),
            None
        );
        assert!(from(&[("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318")]).is_err());
        assert!(
            from(&[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"), ("OTEL_EXPORTER_OTLP_HEADERS", "nokey")]).is_err()
        );
    }
}
