//! The load client: `connections` keep-alive HTTP/1.1 connections, each
//! sending one request after the other for a fixed time; every answer is
//! timed. The client shares the machine with the server, as a load balancer's
//! clients would not: its CPU is not counted in the server's.

use std::time::{Duration, Instant};

use anyhow::Context;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use serde_json::Value;

/// One GraphQL request, ready to send many times.
#[derive(Clone)]
pub struct Request {
    pub url: String,
    pub body: bytes::Bytes,
    pub token: Option<HeaderValue>,
}

impl Request {
    pub fn new(url: String, query: &str, variables: Value, token: Option<&str>) -> anyhow::Result<Self> {
        let body = serde_json::to_vec(&serde_json::json!({ "query": query, "variables": variables }))?;
        let token = token.map(|t| HeaderValue::from_str(&format!("Bearer {t}"))).transpose()?;
        Ok(Self { url, body: body.into(), token })
    }

    /// Sends it once and returns the body, failing on any GraphQL error.
    pub async fn checked(&self, client: &reqwest::Client) -> anyhow::Result<Value> {
        let body: Value = serde_json::from_slice(&self.send(client).await?)?;
        if body.get("errors").is_some() {
            anyhow::bail!("the query failed: {body}");
        }
        Ok(body)
    }

    async fn send(&self, client: &reqwest::Client) -> anyhow::Result<bytes::Bytes> {
        let mut request = client
            .post(&self.url)
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(self.body.clone());
        if let Some(token) = &self.token {
            request = request.header(AUTHORIZATION, token.clone());
        }
        let resp = request.send().await?;
        let status = resp.status();
        let body = resp.bytes().await?;
        anyhow::ensure!(status.is_success(), "HTTP {status}: {}", String::from_utf8_lossy(&body));
        Ok(body)
    }
}

/// What one load run measured.
pub struct Run {
    pub requests: usize,
    pub elapsed: Duration,
    /// Every latency, sorted.
    pub latencies: Vec<Duration>,
}

impl Run {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    /// The `p`-quantile latency (0.5, 0.95, 0.99) in milliseconds.
    pub fn quantile_ms(&self, p: f64) -> f64 {
        let i = ((self.latencies.len().saturating_sub(1)) as f64 * p).round() as usize;
        self.latencies.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    }
}

/// Sends `request` over `connections` connections for `length`.
pub async fn run(request: &Request, connections: usize, length: Duration) -> anyhow::Result<Run> {
    let client = reqwest::Client::builder().http1_only().pool_max_idle_per_host(connections).build()?;
    // Open the connections before the clock starts.
    let warm = (0..connections).map(|_| request.send(&client));
    for result in futures::future::join_all(warm).await {
        result?;
    }
    let started = Instant::now();
    let deadline = started + length;
    let tasks = (0..connections).map(|_| {
        let (client, request) = (client.clone(), request.clone());
        tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(4096);
            while Instant::now() < deadline {
                let sent = Instant::now();
                request.send(&client).await?;
                latencies.push(sent.elapsed());
            }
            anyhow::Ok(latencies)
        })
    });
    let mut latencies = Vec::new();
    for task in futures::future::join_all(tasks).await {
        latencies.extend(task.context("a load task")??);
    }
    let elapsed = started.elapsed();
    latencies.sort();
    Ok(Run { requests: latencies.len(), elapsed, latencies })
}

/// JSON objects under `data` of a response: what "per returned object" divides by.
pub fn objects(body: &Value) -> usize {
    fn count(v: &Value) -> usize {
        match v {
            Value::Object(map) => 1 + map.values().map(count).sum::<usize>(),
            Value::Array(items) => items.iter().map(count).sum(),
            _ => 0,
        }
    }
    body.get("data").map_or(0, |d| count(d).saturating_sub(1))
}
