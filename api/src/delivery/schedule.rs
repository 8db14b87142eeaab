//! When a failed delivery is tried again: exponential backoff with jitter,
//! a `Retry-After` honoured, and a time after which retrying stops.

use std::time::Duration;

use rand::Rng;

/// The retry schedule (configurable so tests run in milliseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// The wait after the first failure; it doubles with each failure.
    pub base: Duration,
    /// The longest wait between two attempts.
    pub max: Duration,
    /// How long a target may keep failing before the delivery is given up
    /// (and a webhook endpoint disabled).
    pub give_up_after: Duration,
}

impl Default for Schedule {
    /// 30 s doubling up to 2 h: about twenty attempts over a day.
    fn default() -> Self {
        Self {
            base: Duration::from_secs(30),
            max: Duration::from_secs(2 * 3600),
            give_up_after: Duration::from_secs(24 * 3600),
        }
    }
}

impl Schedule {
    /// The wait before attempt `failures + 1`, after `failures` failures in a
    /// row: `base · 2^(failures-1)`, capped at `max`, minus up to a fifth at
    /// random (so that many deliveries failing together do not retry
    /// together). A `Retry-After` the target sent wins when it is longer.
    pub fn delay(&self, failures: u32, retry_after: Option<Duration>) -> Duration {
        let doubled = self.base.saturating_mul(2u32.saturating_pow(failures.saturating_sub(1).min(30)));
        let capped = doubled.min(self.max);
        let jitter = rand::rng().random_range(0.0..0.2);
        let backoff = capped.mul_f64(1.0 - jitter);
        match retry_after {
            Some(asked) => asked.min(self.give_up_after).max(backoff),
            None => backoff,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_jitter_caps_and_honours_retry_after() {
        let s = Schedule {
            base: Duration::from_secs(10),
            max: Duration::from_secs(60),
            give_up_after: Duration::from_secs(600),
        };
        for (failures, full) in [(1, 10), (2, 20), (3, 40), (4, 60), (20, 60)] {
            let d = s.delay(failures, None);
            let full = Duration::from_secs(full);
            assert!(d <= full && d >= full.mul_f64(0.8), "{failures}: {d:?}");
        }
        assert_eq!(s.delay(1, Some(Duration::from_secs(120))), Duration::from_secs(120));
        assert!(s.delay(3, Some(Duration::from_secs(1))) >= Duration::from_secs(32));
        assert_eq!(s.delay(1, Some(Duration::from_secs(100_000))), Duration::from_secs(600));
    }
}
