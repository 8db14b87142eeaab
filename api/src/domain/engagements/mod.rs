//! Engagements: creating one from a kit version, its lifecycle (start,
//! update, close, reopen), reading them, and managing their members.
//! Activities are created with the engagement.

pub mod activities;
mod closeout;
mod create;
mod lifecycle;
pub mod members;
mod read;
mod update;
mod validation;
mod workflow;

pub use create::{NewEngagement, create};
pub use lifecycle::{Closing, close, reopen, start};
pub use read::{EngagementFilter, EngagementOrder, EngagementOrderField, Scope, get, list};
pub use update::{EngagementChanges, update};
pub use workflow::{EngagementAction, next};
