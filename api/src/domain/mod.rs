//! Domain services: every rule of opskit lives here once. Each function takes
//! the caller ([`Viewer`]), checks what the caller may do, and reads or writes
//! through sea-orm; mutations run in one transaction with their audit event.
//! Nothing here knows about GraphQL or HTTP.

pub mod access;
pub mod audit;
pub mod audit_trail;
pub mod batch;
pub mod engagements;
pub mod ids;
pub mod kits;
pub mod page;
pub mod raci;
pub mod readiness;
pub mod users;
pub mod versions;

pub use access::Viewer;
