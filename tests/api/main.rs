//! Black-box tests: each starts the real HTTP server on a database of its own
//! (SQLite by default; PostgreSQL with `OPSKIT_TEST_DATABASE=postgres`), a
//! copy of a template prepared once per run, and talks GraphQL over HTTP to
//! it. Test files share helpers only through `common`.

// Tests fail loudly: unwrapping is how they say what went wrong.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod activities;
mod answers;
mod apq;
mod audit_trail;
mod auth;
mod cli;
mod common;
mod cors;
mod deviations;
mod engagements;
mod graphiql_browser;
mod http;
mod isolation;
mod kits;
mod members;
mod my_work;
mod operations;
mod order_by;
mod portal_client;
mod progress;
mod raci;
mod readiness;
mod runbooks;
mod schema;
mod sprints;
mod viewer_can;
mod workshops;
