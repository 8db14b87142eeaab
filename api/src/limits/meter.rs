//! The cost of one operation: what it was expected to cost before it ran
//! (spent from the caller's budget in advance), what it cost (one point per
//! field and list item resolved, never more than requested: the difference is refunded),
//! and where the caller's budget stands afterwards.

use std::sync::{
    Arc, Mutex, OnceLock, PoisonError,
    atomic::{AtomicU64, Ordering},
};

use super::budget::{Budgets, Standing};

/// Attached to each operation's request data by the HTTP layer.
#[derive(Debug)]
pub struct Meter {
    identity: String,
    budgets: Arc<Budgets>,
    actual: AtomicU64,
    charge: Mutex<Charge>,
    operation: OnceLock<String>,
    report: OnceLock<Report>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Charge {
    requested: u64,
    standing: Option<Standing>,
    limited: bool,
}

/// What an operation cost, reported as `extensions.cost` and in the `RateLimit-*` headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The name of the operation that ran, when it has one.
    pub operation: Option<String>,
    pub requested: u64,
    pub actual: u64,
    pub standing: Standing,
    /// The operation was refused because the budget could not pay for it.
    pub limited: bool,
}

impl Report {
    /// `extensions.cost`.
    pub fn to_value(&self) -> async_graphql::Value {
        async_graphql::value!({
            "requested": self.requested,
            "actual": self.actual,
            "limit": self.standing.limit,
            "remaining": self.standing.remaining,
            "resetAt": self.standing.resets_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        })
    }
}

impl Meter {
    pub fn new(identity: impl Into<String>, budgets: Arc<Budgets>) -> Self {
        Self {
            identity: identity.into(),
            budgets,
            actual: AtomicU64::new(0),
            charge: Mutex::default(),
            operation: OnceLock::new(),
            report: OnceLock::new(),
        }
    }

    /// Names the operation that runs (for the log).
    pub fn name(&self, operation: &str) {
        let _ = self.operation.set(operation.to_owned());
    }

    /// Spends the operation's computed cost; refused (nothing spent) when the budget is short.
    pub fn spend(&self, requested: u64) -> Result<Standing, Standing> {
        let outcome = self.budgets.spend(&self.identity, requested);
        let (Ok(standing) | Err(standing)) = outcome;
        *self.lock() = Charge { requested, standing: Some(standing), limited: outcome.is_err() };
        outcome
    }

    /// Fields and list items resolved.
    pub fn count_fields(&self, count: u64) {
        self.actual.fetch_add(count, Ordering::Relaxed);
    }

    /// The cost spent in advance and the budget after it (`None` before the operation was costed).
    pub fn spent(&self) -> Option<(u64, Standing)> {
        let charge = *self.lock();
        charge.standing.map(|standing| (charge.requested, standing))
    }

    /// Ends the operation: refunds what it did not use and reports (once; later calls repeat the report).
    pub fn finish(&self) -> Report {
        self.report
            .get_or_init(|| {
                let charge = *self.lock();
                let actual = self.actual.load(Ordering::Relaxed);
                let unused = if charge.limited { 0 } else { charge.requested.saturating_sub(actual) };
                let standing = self.budgets.refund(&self.identity, unused);
                let operation = self.operation.get().cloned();
                Report { operation, requested: charge.requested, actual, standing, limited: charge.limited }
            })
            .clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Charge> {
        self.charge.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
