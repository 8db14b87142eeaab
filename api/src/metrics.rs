//! Prometheus metrics, served at `/metrics` in the text format: GraphQL
//! requests by operation name and HTTP status, their latency, their errors by
//! code, the cost (complexity) of the queries run, the SQL statements the
//! process ran, and the database pool's connections. Operation names come from clients, so they are cleaned and
//! their number is capped ([`MAX_OPERATIONS`]); the rest count as `other`.

use std::{
    collections::HashSet,
    sync::{LazyLock, Mutex},
};

use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGaugeVec, Opts, Registry,
    TextEncoder,
};
use sea_orm::{DatabaseConnection, DatabaseConnectionType};

/// Distinct operation names kept as labels; later ones are counted as `other`.
pub const MAX_OPERATIONS: usize = 200;

/// The process's metrics.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    errors: IntCounterVec,
    cost: Histogram,
    statements: IntCounter,
    pool: IntGaugeVec,
    deliveries: IntCounterVec,
    operations: Mutex<HashSet<String>>,
}

static METRICS: LazyLock<Option<Metrics>> = LazyLock::new(|| match Metrics::new() {
    Ok(metrics) => Some(metrics),
    Err(err) => {
        tracing::error!(error = %err, "metrics are off");
        None
    }
});

/// The process's metrics (`None` only if they could not be registered).
pub fn get() -> Option<&'static Metrics> {
    METRICS.as_ref()
}

impl Metrics {
    fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new("opskit_graphql_requests_total", "GraphQL requests by operation name and HTTP status"),
            &["operation", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new("opskit_graphql_request_duration_seconds", "Time to answer a GraphQL request")
                .buckets(vec![0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]),
            &["operation"],
        )?;
        let errors = IntCounterVec::new(
            Opts::new("opskit_graphql_errors_total", "Top-level GraphQL errors by operation name and code"),
            &["operation", "code"],
        )?;
        let cost = Histogram::with_opts(
            HistogramOpts::new("opskit_graphql_query_cost", "Complexity of the GraphQL documents that were run")
                .buckets(vec![10.0, 50.0, 100.0, 500.0, 1000.0, 2500.0, 5000.0, 10000.0, 20000.0]),
        )?;
        let statements = IntCounter::new(
            "opskit_db_statements_total",
            "SQL statements run by this process (requests, event feed, deliveries)",
        )?;
        let pool = IntGaugeVec::new(
            Opts::new("opskit_db_pool_connections", "Database pool connections by state (idle, in_use, max)"),
            &["state"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(errors.clone()))?;
        registry.register(Box::new(cost.clone()))?;
        let deliveries = IntCounterVec::new(
            Opts::new(
                "opskit_deliveries_total",
                "Outbound delivery attempts (webhooks) by target kind and outcome \
                 (succeeded, retry, failed, gave_up, cancelled)",
            ),
            &["target", "outcome"],
        )?;
        registry.register(Box::new(statements.clone()))?;
        registry.register(Box::new(pool.clone()))?;
        registry.register(Box::new(deliveries.clone()))?;
        Ok(Self {
            registry,
            requests,
            latency,
            errors,
            cost,
            statements,
            pool,
            deliveries,
            operations: Mutex::default(),
        })
    }

    /// Counts one answered GraphQL request.
    pub fn request(&self, operation: Option<&str>, status: u16, seconds: f64, error_codes: &[String]) {
        let operation = self.label(operation);
        self.requests.with_label_values(&[operation.as_str(), &status.to_string()]).inc();
        self.latency.with_label_values(&[operation.as_str()]).observe(seconds);
        for code in error_codes {
            self.errors.with_label_values(&[operation.as_str(), code.as_str()]).inc();
        }
    }

    /// Counts one delivery attempt (or cancellation) to a target of `kind`.
    pub fn delivery(&self, kind: opskit_entity::enums::DeliveryTargetKind, outcome: &str) {
        let target = match kind {
            opskit_entity::enums::DeliveryTargetKind::Webhook => "webhook",
            opskit_entity::enums::DeliveryTargetKind::TrackerConnection => "tracker_connection",
        };
        self.deliveries.with_label_values(&[target, outcome]).inc();
    }

    /// Records the complexity of a document about to run.
    pub fn cost(&self, complexity: usize) {
        self.cost.observe(complexity as f64);
    }

    /// Counts one SQL statement (the pool's metric callback, see [`crate::db::connect`]).
    pub fn statement(&self) {
        self.statements.inc();
    }

    /// The metrics in Prometheus' text format, with the pool of `db` as it is now.
    pub fn render(&self, db: &DatabaseConnection) -> String {
        if let Some((size, idle, max)) = pool_use(db) {
            self.pool.with_label_values(&["idle"]).set(idle);
            self.pool.with_label_values(&["in_use"]).set(size - idle);
            self.pool.with_label_values(&["max"]).set(max);
        }
        let mut out = Vec::new();
        if let Err(err) = TextEncoder::new().encode(&self.registry.gather(), &mut out) {
            tracing::warn!(error = %err, "metrics could not be encoded");
        }
        String::from_utf8(out).unwrap_or_default()
    }

    /// The label for an operation name: letters, digits and `_` only, at most
    /// 64 of them; `anonymous` without a name, `other` past the cap.
    fn label(&self, operation: Option<&str>) -> String {
        let Some(name) = operation.filter(|n| !n.is_empty()) else { return "anonymous".to_owned() };
        let clean: String =
            name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(64).collect::<String>();
        if clean.is_empty() {
            return "anonymous".to_owned();
        }
        let mut known = self.operations.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if known.contains(&clean) || known.len() < MAX_OPERATIONS {
            known.insert(clean.clone());
            clean
        } else {
            "other".to_owned()
        }
    }
}

/// `(open, idle, max)` connections of the pool behind `db`.
fn pool_use(db: &DatabaseConnection) -> Option<(i64, i64, i64)> {
    let counts = |size: u32, idle: usize, max: u32| (i64::from(size), idle as i64, i64::from(max));
    match &db.inner {
        DatabaseConnectionType::SqlxPostgresPoolConnection(_) => {
            let pool = db.get_postgres_connection_pool();
            Some(counts(pool.size(), pool.num_idle(), pool.options().get_max_connections()))
        }
        DatabaseConnectionType::SqlxSqlitePoolConnection(_) => {
            let pool = db.get_sqlite_connection_pool();
            Some(counts(pool.size(), pool.num_idle(), pool.options().get_max_connections()))
        }
        _ => None,
    }
}
