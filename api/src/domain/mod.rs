//! Domain services: every rule of opskit lives here once. Each function takes
//! the caller ([`Viewer`]), checks what the caller may do, and reads or writes
//! through sea-orm; mutations run in one transaction with their audit event.
//! Nothing here knows about GraphQL or HTTP.

pub mod access;
pub mod access_cache;
pub mod action;
pub mod answers;
pub mod api_keys;
pub mod audit;
pub mod audit_trail;
pub mod batch;
pub mod deviations;
pub mod engagements;
pub mod events;
pub mod ids;
pub mod kits;
pub mod my_work;
pub mod page;
pub mod permissions;
pub mod progress;
pub mod progress_history;
pub mod raci;
pub mod readiness;
pub mod redeliver;
pub mod refusal;
pub mod runbooks;
pub mod search;
pub mod sprints;
pub mod trackers;
pub mod users;
pub mod validate;
pub mod webhooks;
pub mod workshops;
pub mod write;

pub use access::Viewer;
