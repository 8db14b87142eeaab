//! GraphQL object types. They wrap stored rows but choose their own fields, so
//! the database can change without breaking portals.

pub mod audit_event;
pub mod catalog;
pub mod engagement;
pub mod enums;
pub mod raci;
pub mod readiness;
pub mod user;
