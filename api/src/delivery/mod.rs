//! The one outbound delivery machinery: every request opskit sends on its own
//! (webhooks, tracker updates) is a **delivery** — one event of the
//! log (by position) for one **target** — sent after the event committed,
//! retried with backoff, and logged attempt by attempt.
//!
//! - [`enqueue`] reads the event log after each target's cursor and writes a
//!   delivery for every event the target wants (unique per target and event,
//!   so replicas enqueueing at once write each one once).
//! - [`claim`] takes the due deliveries, at most the oldest pending one per
//!   target (so a target receives its events in order: the next waits while
//!   an earlier one is pending retry), with `FOR UPDATE SKIP LOCKED` on
//!   PostgreSQL (SQLite: one writer at a time), and leases them for the
//!   attempt; [`record`] writes the attempt and what comes next.
//! - [`Worker`] runs both in every server process, woken by the event feed
//!   (a commit here, a `NOTIFY` from another replica) and by a tick.
//!
//! A kind of target is a variant of [`TargetKind`] and three functions in
//! [`targets`]: which targets exist and what events they want, the request
//! for one delivery, and what to do when a target has failed for too long.

mod engine;
pub mod guard;
pub mod log;
pub mod schedule;
pub mod send;
pub mod targets;
mod worker;

use std::time::Duration;

pub use engine::{advance, claim, enqueue, new_delivery, record, run_once, start_cursor};
pub use guard::{Guard, NotAllowed};
pub use log::DeliveryLog;
pub use opskit_entity::enums::DeliveryTargetKind as TargetKind;
pub use schedule::Schedule;
pub use send::{Answer, Request, Sender};
pub use targets::{Prepared, Source};
pub use worker::Worker;

/// How deliveries are made (`OPSKIT_DELIVERY_*`, `OPSKIT_WEBHOOK_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryConfig {
    /// Which non-public addresses may be targets.
    pub guard: Guard,
    /// Retries: backoff and when to give up.
    pub schedule: Schedule,
    /// The longest one request may take (connecting, sending, answering).
    pub timeout: Duration,
    /// How often the worker looks for due deliveries when nothing woke it.
    pub tick: Duration,
    /// How long a rotated webhook secret keeps signing beside the new one.
    pub secret_overlap: Duration,
    /// Whether this process runs a delivery worker.
    pub worker: bool,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            guard: Guard::default(),
            schedule: Schedule::default(),
            timeout: Duration::from_secs(10),
            tick: Duration::from_secs(5),
            secret_overlap: Duration::from_secs(24 * 3600),
            worker: true,
        }
    }
}

impl DeliveryConfig {
    /// How long a claimed delivery stays with the process that claimed it:
    /// past this (a process that died mid-attempt), another may try it.
    pub fn lease(&self) -> Duration {
        self.timeout * 3 + Duration::from_secs(5)
    }
}
