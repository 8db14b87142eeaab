//! Live clients: graphql-transport-ws over a WebSocket (tokio-tungstenite)
//! and GraphQL over SSE (reqwest), speaking the protocols by hand so that a
//! test sees every message the server sends.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream, connect_async,
    tungstenite::{Message, client::IntoClientRequest, http::HeaderValue},
};

use super::{graphql::raw_id, harness::TestApp};

/// The subscription every live test runs.
pub const EVENTS: &str = "subscription($id: ID!, $after: String, $types: [String!]) {
  engagementEvents(engagementId: $id, after: $after, types: $types) {
    cursor type object { __typename id }
    event { action objectType objectId summary occurredAt actor { subject } } } }";

/// How long a test waits for a message it expects.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// The cursor of an event position (cursors are opaque to clients; the
/// tests know their make-up to start from a known point).
pub fn cursor_at(position: i64) -> String {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    URL_SAFE_NO_PAD.encode(format!("event:{position}"))
}

/// The cursor of the newest event of `engagement` (its newest audit event):
/// subscribing after it receives exactly what happens from now on, however
/// long the subscription takes to start.
pub async fn head_cursor(app: &TestApp, token: &str, engagement: &str) -> String {
    let data = app.engagement(token, engagement, "auditTrail(first: 1) { nodes { id } }").await;
    cursor_at(raw_id(data["auditTrail"]["nodes"][0]["id"].as_str().unwrap()))
}

/// A graphql-transport-ws connection.
pub struct Ws {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// Why the server closed a connection: close code and reason.
#[derive(Debug)]
pub struct Closed {
    pub code: u16,
    pub reason: String,
}

impl Ws {
    /// Connects to `base` (`http://host:port`) with `token`, waiting for the ack.
    pub async fn connect(base: &str, token: &str) -> Self {
        Self::init(base, json!({ "authorization": format!("Bearer {token}") })).await.expect("connection acknowledged")
    }

    /// Connects and sends `payload` in `connection_init`; the close frame when refused.
    pub async fn init(base: &str, payload: Value) -> Result<Self, Closed> {
        let url = format!("{}/graphql", base.replacen("http", "ws", 1));
        let mut request = url.into_client_request().unwrap();
        request.headers_mut().insert("sec-websocket-protocol", HeaderValue::from_static("graphql-transport-ws"));
        let (socket, response) = connect_async(request).await.expect("websocket handshake");
        assert_eq!(
            response.headers().get("sec-websocket-protocol").and_then(|v| v.to_str().ok()),
            Some("graphql-transport-ws")
        );
        let mut ws = Self { socket };
        ws.send(json!({ "type": "connection_init", "payload": payload })).await;
        match ws.receive(PATIENCE).await {
            Ok(Some(ack)) if ack["type"] == "connection_ack" => Ok(ws),
            Ok(other) => panic!("expected connection_ack, got {other:?}"),
            Err(closed) => Err(closed),
        }
    }

    async fn send(&mut self, message: Value) {
        self.socket.send(Message::text(message.to_string())).await.expect("message sent");
    }

    /// Starts subscription `id`.
    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": variables } }))
            .await;
    }

    /// Stops subscription `id`.
    pub async fn complete(&mut self, id: &str) {
        self.send(json!({ "id": id, "type": "complete" })).await;
    }

    /// Sends a protocol `ping`; the server must answer `pong`.
    pub async fn ping(&mut self) {
        self.send(json!({ "type": "ping" })).await;
    }

    /// The next protocol message within `wait`: `Ok(None)` when none came,
    /// `Err` when the server closed the connection.
    pub async fn receive(&mut self, wait: Duration) -> Result<Option<Value>, Closed> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let frame = match tokio::time::timeout_at(deadline, self.socket.next()).await {
                Err(_) => return Ok(None),
                Ok(frame) => frame,
            };
            match frame {
                Some(Ok(Message::Text(text))) => return Ok(Some(serde_json::from_str(text.as_str()).unwrap())),
                Some(Ok(Message::Close(frame))) => {
                    return Err(Closed {
                        code: frame.as_ref().map_or(1005, |f| u16::from(f.code)),
                        reason: frame.map(|f| f.reason.to_string()).unwrap_or_default(),
                    });
                }
                Some(Ok(_)) => continue,
                Some(Err(err)) => return Err(Closed { code: 1006, reason: err.to_string() }),
                None => return Err(Closed { code: 1006, reason: "connection ended".into() }),
            }
        }
    }

    /// The next message, which must come within [`PATIENCE`].
    pub async fn next(&mut self) -> Value {
        self.receive(PATIENCE).await.expect("connection open").expect("a message in time")
    }

    /// The payload of the next `next` message of subscription `id`.
    pub async fn next_payload(&mut self, id: &str) -> Value {
        let message = self.next().await;
        assert_eq!(message["type"], "next", "{message}");
        assert_eq!(message["id"], id, "{message}");
        message["payload"].clone()
    }

    /// The next event of subscription `id` (its `engagementEvents` object).
    pub async fn next_event(&mut self, id: &str) -> Value {
        let payload = self.next_payload(id).await;
        assert!(payload.get("errors").is_none(), "{payload}");
        payload["data"]["engagementEvents"].clone()
    }

    /// Asserts that subscription `id` ends: an error with `code`, then `complete`.
    pub async fn ends_with(&mut self, id: &str, code: &str) {
        let payload = self.next_payload(id).await;
        assert_eq!(payload["errors"][0]["extensions"]["code"], code, "{payload}");
        assert_eq!(self.next().await, json!({ "id": id, "type": "complete" }));
    }

    /// Asserts that nothing arrives within `wait`.
    pub async fn quiet_for(&mut self, wait: Duration) {
        if let Ok(Some(message)) = self.receive(wait).await {
            panic!("expected nothing, got {message}");
        }
    }
}

/// A GraphQL-over-SSE stream (distinct connections mode).
pub struct Sse {
    response: reqwest::Response,
    buffer: String,
}

impl Sse {
    /// POSTs `query` to `/graphql` asking for `text/event-stream`.
    pub async fn open(app: &TestApp, token: &str, query: &str, variables: Value) -> Self {
        let response = app
            .http
            .post(app.url("/graphql"))
            .bearer_auth(token)
            .header("accept", "text/event-stream")
            .json(&json!({ "query": query, "variables": variables }))
            .timeout(Duration::from_secs(3600))
            .send()
            .await
            .expect("request sent");
        assert_eq!(response.status(), 200);
        let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
        assert!(content_type.starts_with("text/event-stream"), "{content_type}");
        Self { response, buffer: String::new() }
    }

    /// The next event (`next` or `complete`) and its data, skipping keep-alive comments.
    pub async fn next(&mut self) -> (String, Value) {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = String::new();
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        event = v.trim().to_owned();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim());
                    }
                }
                if event.is_empty() {
                    continue;
                }
                return (event, serde_json::from_str(&data).unwrap_or(Value::Null));
            }
            let chunk = tokio::time::timeout(PATIENCE, self.response.chunk())
                .await
                .expect("an SSE event in time")
                .expect("stream readable")
                .expect("stream open");
            self.buffer.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    }

    /// Asserts that the stream ends: an error with `code`, then `complete`.
    pub async fn ends_with(&mut self, code: &str) {
        let (event, data) = self.next().await;
        assert_eq!(event, "next");
        assert_eq!(data["errors"][0]["extensions"]["code"], code, "{data}");
        assert_eq!(self.next().await.0, "complete");
    }

    /// The next `next` event's `engagementEvents`.
    pub async fn next_event(&mut self) -> Value {
        let (event, data) = self.next().await;
        assert_eq!(event, "next", "{data}");
        assert!(data.get("errors").is_none(), "{data}");
        data["data"]["engagementEvents"].clone()
    }
}
