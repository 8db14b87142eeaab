//! sea-orm entities of opskit: one module per table, no business logic.
//! Enumerated columns are stored as their SCREAMING_SNAKE_CASE names so the
//! data reads the same in SQLite, PostgreSQL and the GraphQL schema.

pub mod activity;
pub mod artifact_template;
pub mod audit_event;
pub mod capability;
pub mod engagement;
pub mod engagement_member;
pub mod enums;
pub mod kit;
pub mod question;
pub mod runbook_template;
pub mod user;
pub mod workshop_template;
