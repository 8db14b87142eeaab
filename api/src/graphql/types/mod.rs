//! GraphQL object types. They wrap stored rows but choose their own fields, so
//! the database can change without breaking portals.

pub mod activity;
pub mod activity_work;
pub mod api_key;
pub mod audit_event;
pub mod catalog;
pub mod deviation;
pub mod engagement;
pub mod engagement_member;
pub mod enums;
pub mod my_work;
pub mod order;
pub mod progress;
pub mod raci;
pub mod rate_limit;
pub mod readiness;
pub mod reports;
pub mod runbook;
pub mod sprint;
pub mod stamps;
pub mod tracker_connection;
pub mod user;
pub mod viewer_can;
pub mod webhook;
pub mod workshop_session;
