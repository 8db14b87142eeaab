//! The HTTP server: GraphQL over HTTP at `/graphql`, GraphiQL at `/graphiql`,
//! subscriptions over WebSocket and SSE on `/graphql` (see `live`), the knowledge-base export and the reports (`/engagements/{id}/reports/…`), and the probes `/healthz` and `/readyz`. Every request gets a request ID
//! (echoed as `x-request-id`) carried by every log line it writes.

mod access_log;
mod apq;
mod auth;
mod cors;
mod documents;
mod export;
mod graphiql;
mod graphql;
mod health;
mod limits;
mod live;
mod reports;
mod server;
mod starting;
mod trackers;

pub use server::{App, Readiness, Running, prepare, start, start_on};
