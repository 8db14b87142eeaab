//! sea-orm entities of opskit: one module per table, no business logic.
//! Enumerated columns are stored as their SCREAMING_SNAKE_CASE names so the
//! data reads the same in SQLite, PostgreSQL and the GraphQL schema.

pub mod activity;
pub mod answer;
pub mod answer_revision;
pub mod api_key;
pub mod artifact_template;
pub mod audit_event;
pub mod capability;
pub mod delivery;
pub mod delivery_attempt;
pub mod delivery_cursor;
pub mod deviation;
pub mod document_link;
pub mod engagement;
pub mod engagement_member;
pub mod enums;
pub mod idempotency_key;
pub mod kit;
pub mod progress_snapshot;
pub mod question;
pub mod raci_assignment;
pub mod readiness_assessment;
pub mod runbook;
pub mod runbook_review;
pub mod runbook_revision;
pub mod runbook_template;
pub mod sprint;
pub mod tracker_connection;
pub mod tracker_inbound_delivery;
pub mod user;
pub mod webhook_endpoint;
pub mod workshop_session;
pub mod workshop_template;
