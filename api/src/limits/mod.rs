//! What one client may ask of the server: the cost of an operation (computed
//! before it runs), a budget of points per identity and window, how many
//! mutations and operations one request may carry, how long a request may
//! take, and how long it may wait for a database connection.

pub mod arguments;
mod budget;
mod cost;
mod meter;

use std::time::Duration;

pub use budget::{Budgets, Standing};
pub use cost::CostGuard;
pub use meter::{Meter, Report};

use crate::config::number;

/// The limits, from the environment (see the README's "Limits" section).
#[derive(Debug, Clone)]
pub struct Limits {
    /// Highest cost of one operation (`OPSKIT_MAX_QUERY_COST`).
    pub max_cost: u64,
    /// Most top-level fields of one mutation operation (`OPSKIT_MAX_MUTATIONS`).
    pub max_mutation_fields: usize,
    /// Most operations in one batched POST (`OPSKIT_MAX_BATCH`).
    pub max_batch: usize,
    /// Points each identity may spend per window (`OPSKIT_RATE_LIMIT_POINTS`).
    pub budget: u64,
    /// The budget's window (`OPSKIT_RATE_LIMIT_WINDOW`).
    pub window: Duration,
    /// Longest a request may run (`OPSKIT_REQUEST_TIMEOUT`); also PostgreSQL's `statement_timeout`.
    pub request_timeout: Duration,
    /// Database connections in the pool (`OPSKIT_DB_POOL_SIZE`; default 8 on SQLite, 16 on PostgreSQL).
    pub pool_size: Option<u32>,
    /// Longest a request waits for a connection before `UNAVAILABLE` (`OPSKIT_DB_ACQUIRE_TIMEOUT`).
    pub acquire_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_cost: 20_000,
            max_mutation_fields: 10,
            max_batch: 10,
            budget: 1_000_000,
            window: Duration::from_secs(3600),
            request_timeout: Duration::from_secs(15),
            pool_size: None,
            acquire_timeout: Duration::from_secs(5),
        }
    }
}

impl Limits {
    /// The same limits without a deadline, for migrations and kit imports,
    /// which may rightly take longer than any request.
    pub fn without_deadline(&self) -> Self {
        Self { request_timeout: Duration::ZERO, ..self.clone() }
    }

    /// Reads the limits through `value` (a variable's text) and `duration` (a parsed duration or the default).
    pub fn from_lookup(
        value: &impl Fn(&str) -> Option<String>,
        duration: &impl Fn(&str, Duration) -> anyhow::Result<Duration>,
    ) -> anyhow::Result<Self> {
        let d = Self::default();
        let pool_size = match value("OPSKIT_DB_POOL_SIZE") {
            Some(text) => Some(number(Some(text), "OPSKIT_DB_POOL_SIZE", 1u32)?.max(1)),
            None => None,
        };
        Ok(Self {
            max_cost: number(value("OPSKIT_MAX_QUERY_COST"), "OPSKIT_MAX_QUERY_COST", d.max_cost)?,
            max_mutation_fields: number(value("OPSKIT_MAX_MUTATIONS"), "OPSKIT_MAX_MUTATIONS", d.max_mutation_fields)?,
            max_batch: number(value("OPSKIT_MAX_BATCH"), "OPSKIT_MAX_BATCH", d.max_batch)?,
            budget: number(value("OPSKIT_RATE_LIMIT_POINTS"), "OPSKIT_RATE_LIMIT_POINTS", d.budget)?,
            window: duration("OPSKIT_RATE_LIMIT_WINDOW", d.window)?,
            request_timeout: duration("OPSKIT_REQUEST_TIMEOUT", d.request_timeout)?,
            pool_size,
            acquire_timeout: duration("OPSKIT_DB_ACQUIRE_TIMEOUT", d.acquire_timeout)?,
        })
    }
}
