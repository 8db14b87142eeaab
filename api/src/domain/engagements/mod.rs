//! Engagements: creating one from a kit version, reading them, and managing
//! their members. Activities are created with the engagement.

pub mod activities;
mod create;
pub mod members;
mod read;
mod validation;

pub use create::{NewEngagement, create};
pub use read::{EngagementFilter, EngagementOrder, EngagementOrderField, Scope, get, list};
