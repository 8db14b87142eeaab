//! The opskit library: configuration, the HTTP server, the GraphQL schema,
//! authentication and the domain services. The `opskit` binary is a thin CLI
//! over it, and the integration tests start its server in-process.

pub mod auth;
pub mod config;
pub mod db;
pub mod delivery;
pub mod demo;
pub mod domain;
pub mod error;
pub mod graphql;
pub mod http;
pub mod kit;
pub mod limits;
pub mod metrics;
pub mod opaque;
pub mod reports;
pub mod secrets;
pub mod telemetry;

pub use config::Config;
pub use error::{Error, Result};
/// The entities and sea-orm, for tools built on the library (the benchmark).
pub use opskit_entity as entity;
pub use sea_orm;
