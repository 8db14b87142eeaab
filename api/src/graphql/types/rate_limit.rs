//! `rateLimit`: the caller's query budget, as seen by the operation asking.

use async_graphql::SimpleObject;
use chrono::{DateTime, Utc};

use crate::limits::Standing;

/// The caller's budget of query points (see the README's "Limits"): each
/// operation spends its cost, computed before it runs; what it did not use
/// is given back when it ends.
#[derive(Debug, Clone, SimpleObject)]
pub struct RateLimit {
    /// What this operation costs, computed before it ran.
    pub cost: i64,
    /// Points per window.
    pub limit: i64,
    /// Points left in this window, after this operation's cost.
    pub remaining: i64,
    /// When the window ends and the budget is whole again.
    pub reset_at: DateTime<Utc>,
}

impl RateLimit {
    pub fn new(cost: u64, standing: Standing) -> Self {
        let int = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        Self {
            cost: int(cost),
            limit: int(standing.limit),
            remaining: int(standing.remaining),
            reset_at: standing.resets_at,
        }
    }
}
