//! The customer's trackers (Jira, ServiceNow): the tickets that track
//! activities, deviations and runbooks, what a ticket is linked to, the
//! engagement's connections to its trackers, and what their webhooks bring.

pub mod connections;
mod find;
pub mod inbound;
pub mod outbound;
mod reference;

pub use find::{Linked, MAX_LINKED, tracked};
pub use reference::{Tracked, Tracker, TrackerChange, check, set_tracker};
