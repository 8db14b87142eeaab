//! Black-box tests: each starts the real HTTP server on a database of its own
//! (SQLite by default; PostgreSQL with `OPSKIT_TEST_DATABASE=postgres`), a
//! copy of a template prepared once per run, and talks GraphQL over HTTP to
//! it. Test files share helpers only through `common`.

// Tests fail loudly: unwrapping is how they say what went wrong.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod activities;
mod answers;
mod api_keys;
mod apq;
mod audit_trail;
mod auth;
mod caching;
mod cli;
mod common;
mod concurrency;
mod cors;
mod deviations;
mod engagements;
mod events;
mod graphiql_browser;
mod http;
mod idempotency;
mod ids;
mod input_limits;
mod isolation;
mod kits;
mod lifecycle;
mod limits;
mod logs;
mod members;
mod my_work;
mod operations;
mod order_by;
mod portal_client;
mod progress;
mod raci;
mod readiness;
mod reports;
mod retire;
mod runbooks;
mod schema;
mod search;
mod sprints;
mod time_bounds;
mod tokens;
mod tools;
mod trackers;
mod viewer_can;
mod webhooks;
mod workshops;
