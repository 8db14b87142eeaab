//! Live transports for subscriptions, both on `/graphql`:
//!
//! - **graphql-transport-ws** (the `graphql-ws` library's protocol): a
//!   WebSocket upgrade; the token travels in the `connection_init` payload as
//!   `{"authorization": "Bearer <jwt>"}` (or `{"token": "<jwt>"}`), since
//!   browsers cannot set headers on a WebSocket; an API key (`opk_…`) is
//!   accepted the same way. A bad token closes the socket
//!   (code 1002, the reason names the code).
//! - **GraphQL over SSE** (the `graphql-sse` library's protocol, distinct
//!   connections mode): a POST with `Accept: text/event-stream` and the usual
//!   bearer header; each result is an `event: next`, the end an
//!   `event: complete`; errors, refusals included, arrive as `next` events.
//!
//! Both count against the connections one identity may hold on this process.

use std::{
    collections::HashMap,
    convert::Infallible,
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use async_graphql::Data;
use async_graphql_actix_web::GraphQLSubscription;
use futures::StreamExt;
use serde_json::Value;

use super::{
    auth::{self, Caller},
    server::App,
};
use crate::{
    error::Error,
    graphql::{Live, RequestData},
};

/// How often an idle SSE stream sends a comment, so proxies keep it open.
const SSE_KEEPALIVE: Duration = Duration::from_secs(15);

/// The live connections each identity holds on this process, within a limit.
#[derive(Clone)]
pub struct Connections {
    max_per_identity: usize,
    open: Arc<Mutex<HashMap<String, usize>>>,
}

/// One counted connection; dropping it frees the place.
pub struct Held {
    subject: String,
    open: Arc<Mutex<HashMap<String, usize>>>,
}

impl Connections {
    pub fn new(max_per_identity: usize) -> Self {
        Self { max_per_identity, open: Arc::default() }
    }

    /// Counts a new connection of `subject`; `TOO_MANY_SUBSCRIPTIONS` at the limit.
    pub fn open(&self, subject: &str) -> Result<Held, Error> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let count = open.entry(subject.to_owned()).or_default();
        if *count >= self.max_per_identity {
            return Err(Error::TooMany(format!(
                "you hold {} live connections, the most allowed: close one first",
                self.max_per_identity
            )));
        }
        *count += 1;
        Ok(Held { subject: subject.to_owned(), open: self.open.clone() })
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.subject) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.subject);
            }
        }
    }
}

/// Whether the request asks for a WebSocket upgrade.
pub fn is_websocket(req: &actix_web::guard::GuardContext<'_>) -> bool {
    req.head()
        .headers()
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// Whether the client wants a GraphQL-over-SSE stream.
pub fn wants_sse(req: &HttpRequest) -> bool {
    req.headers().get_all(header::ACCEPT).filter_map(|v| v.to_str().ok()).any(|v| v.contains("text/event-stream"))
}

/// `GET /graphql` with `Upgrade: websocket`: graphql-transport-ws.
pub async fn websocket(
    req: HttpRequest,
    payload: web::Payload,
    app: web::Data<App>,
) -> Result<HttpResponse, actix_web::Error> {
    let app = app.get_ref().clone();
    GraphQLSubscription::new(app.schema.clone()).on_connection_init(move |init| connect(app, init)).start(&req, payload)
}

/// `connection_init`: authenticates, counts the connection, and gives it its data.
async fn connect(app: App, init: Value) -> async_graphql::Result<Data> {
    let refused = |err: Error| async_graphql::Error::new(format!("{}: {err}", err.code()));
    let token = token_in(&init).ok_or_else(|| {
        refused(Error::Unauthenticated(
            "the `connection_init` payload needs `authorization: \"Bearer <token>\"`".into(),
        ))
    })?;
    let caller = auth::verify(&app, token).await.map_err(refused)?;
    let held = app.connections.open(caller.subject()).map_err(refused)?;
    let live = Live::new(caller.expires_at(), app.max_subscriptions_per_connection);
    let viewer = caller.viewer(&app).await.map_err(refused)?;
    let mut data = Data::default();
    data.insert(RequestData::new(app.db.clone(), viewer, app.catalog.clone()));
    data.insert(live);
    data.insert(held);
    Ok(data)
}

/// The token of a `connection_init` payload.
fn token_in(init: &Value) -> Option<&str> {
    let bearer = ["authorization", "Authorization"]
        .iter()
        .find_map(|key| init.get(key).and_then(Value::as_str))
        .map(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")).unwrap_or(v));
    bearer.or_else(|| init.get("token").and_then(Value::as_str)).map(str::trim).filter(|t| !t.is_empty())
}

/// A GraphQL-over-SSE response (distinct connections mode) running `request` for `caller`.
pub async fn sse(app: &App, caller: Caller, request: async_graphql::Request) -> HttpResponse {
    let results = match open_stream(app, caller, request).await {
        Ok(request) => app.schema.execute_stream(request),
        Err(err) => {
            let refusal = async_graphql::Response::from_errors(vec![
                async_graphql::Error::from(err).into_server_error(async_graphql::Pos::default()),
            ]);
            futures::stream::once(async move { refusal }).boxed()
        }
    };
    let body = async_stream::stream! {
        let mut results = results;
        let mut keepalive = tokio::time::interval(SSE_KEEPALIVE);
        keepalive.tick().await;
        loop {
            let next = tokio::select! {
                result = results.next() => Some(result),
                _ = keepalive.tick() => None,
            };
            match next {
                Some(Some(result)) => {
                    let json = serde_json::to_string(&result).unwrap_or_else(|_| "{}".into());
                    yield Ok::<_, Infallible>(web::Bytes::from(format!("event: next\ndata: {json}\n\n")));
                }
                Some(None) => {
                    yield Ok(web::Bytes::from_static(b"event: complete\ndata:\n\n"));
                    break;
                }
                None => yield Ok(web::Bytes::from_static(b":\n\n")),
            }
        }
    };
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header(("x-accel-buffering", "no"))
        .streaming(body)
}

/// The request with what an SSE connection carries: one subscription at most.
async fn open_stream(
    app: &App,
    caller: Caller,
    request: async_graphql::Request,
) -> Result<async_graphql::Request, Error> {
    let held = app.connections.open(caller.subject())?;
    let live = Live::new(caller.expires_at(), 1);
    let viewer = caller.viewer(app).await?;
    Ok(request.data(RequestData::new(app.db.clone(), viewer, app.catalog.clone())).data(live).data(held))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_per_identity_are_counted_and_freed() {
        let connections = Connections::new(2);
        let first = connections.open("a");
        let second = connections.open("a");
        assert!(first.is_ok() && second.is_ok());
        assert!(matches!(connections.open("a"), Err(Error::TooMany(_))));
        assert!(connections.open("b").is_ok());
        drop(first);
        assert!(connections.open("a").is_ok());
    }

    #[test]
    fn the_token_is_read_from_the_init_payload() {
        assert_eq!(token_in(&serde_json::json!({"authorization": "Bearer abc"})), Some("abc"));
        assert_eq!(token_in(&serde_json::json!({"token": "abc"})), Some("abc"));
        assert_eq!(token_in(&serde_json::json!({})), None);
    }
}
