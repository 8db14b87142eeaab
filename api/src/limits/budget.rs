//! Budgets of points per identity, each in a fixed window that starts with
//! the identity's first request and resets `window` later. Kept in the
//! process: each replica counts on its own.

use std::{
    collections::HashMap,
    sync::{Mutex, PoisonError},
    time::Duration,
};

use chrono::{DateTime, Utc};

/// Identities remembered before windows that have ended are dropped.
const PRUNE_ABOVE: usize = 10_000;

/// The budgets of every identity.
#[derive(Debug)]
pub struct Budgets {
    points: u64,
    window: chrono::Duration,
    spent: Mutex<HashMap<String, Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    resets_at: DateTime<Utc>,
    used: u64,
}

/// Where an identity stands in its window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// Points per window.
    pub limit: u64,
    /// Points left in this window.
    pub remaining: u64,
    /// When the window ends and the budget is whole again.
    pub resets_at: DateTime<Utc>,
}

impl Standing {
    /// Whole seconds until the window resets (at least 1), for `Retry-After` and `RateLimit-Reset`.
    pub fn seconds_to_reset(&self) -> i64 {
        (self.resets_at - Utc::now()).num_seconds().max(0) + 1
    }
}

impl Budgets {
    pub fn new(points: u64, window: Duration) -> Self {
        let window = chrono::Duration::from_std(window).unwrap_or(chrono::Duration::hours(1));
        Self { points, window, spent: Mutex::new(HashMap::new()) }
    }

    /// Spends `cost` points of `identity`'s budget; refused (nothing spent) when fewer remain.
    pub fn spend(&self, identity: &str, cost: u64) -> Result<Standing, Standing> {
        self.with_window(identity, |window| {
            if window.used.saturating_add(cost) > self.points {
                return false;
            }
            window.used += cost;
            true
        })
    }

    /// Gives back `points` spent in advance and not used.
    pub fn refund(&self, identity: &str, points: u64) -> Standing {
        let (Ok(standing) | Err(standing)) = self.with_window(identity, |window| {
            window.used = window.used.saturating_sub(points);
            true
        });
        standing
    }

    /// Runs `change` on `identity`'s current window; `Err` when it refused.
    fn with_window(&self, identity: &str, change: impl FnOnce(&mut Window) -> bool) -> Result<Standing, Standing> {
        let now = Utc::now();
        let mut spent = self.spent.lock().unwrap_or_else(PoisonError::into_inner);
        if spent.len() > PRUNE_ABOVE {
            spent.retain(|_, w| w.resets_at > now);
        }
        let window = spent.entry(identity.to_owned()).or_insert(Window { resets_at: now + self.window, used: 0 });
        if window.resets_at <= now {
            *window = Window { resets_at: now + self.window, used: 0 };
        }
        let accepted = change(window);
        let standing = Standing {
            limit: self.points,
            remaining: self.points.saturating_sub(window.used),
            resets_at: window.resets_at,
        };
        if accepted { Ok(standing) } else { Err(standing) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_is_spent_refunded_and_refused_when_short() {
        let budgets = Budgets::new(100, Duration::from_secs(60));
        assert_eq!(budgets.spend("ada", 60).map(|s| s.remaining), Ok(40));
        assert_eq!(budgets.spend("ada", 50).map(|s| s.remaining).map_err(|s| s.remaining), Err(40));
        assert_eq!(budgets.refund("ada", 30).remaining, 70);
        assert_eq!(budgets.spend("bob", 100).map(|s| s.remaining), Ok(0), "each identity has its own");
    }

    #[test]
    fn a_window_that_ended_starts_whole() {
        let budgets = Budgets::new(10, Duration::from_millis(1));
        assert!(budgets.spend("ada", 10).is_ok());
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(budgets.spend("ada", 10).map(|s| s.remaining), Ok(0));
    }
}
