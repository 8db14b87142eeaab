//! Black-box tests: each starts the real HTTP server on a fresh database
//! (SQLite by default; PostgreSQL with `OPSKIT_TEST_DATABASE=postgres`) and
//! talks GraphQL over HTTP to it.

// Tests fail loudly: unwrapping is how they say what went wrong.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod activities;
mod answers;
mod audit_trail;
mod auth;
mod cli;
mod common;
mod deviations;
mod engagements;
mod http;
mod isolation;
mod kits;
mod members;
mod progress;
mod raci;
mod readiness;
mod runbooks;
mod schema;
mod sprints;
mod workshops;
