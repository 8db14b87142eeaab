//! `target/perf/live [--subscriptions N] [--connections C] [--rate R] [--seconds S] [--database-url URL]`
//! (built by `cargo build --profile perf -p opskit -p opskit-bench --bins`)
//!
//! Live events at scale on one server process: the `opskit` binary serves a
//! fresh database (a SQLite file, or a new database on the PostgreSQL server
//! of `--database-url`) as its own process, and this one holds N
//! `engagementEvents` subscriptions spread over C graphql-transport-ws
//! connections, all on one engagement. Measures the server's resident memory
//! per idle subscription, then makes R changes per second for S seconds, sent
//! open-loop (each at its time, whether or not the previous one has answered,
//! as independent users would), and reports the percentiles, over every
//! delivery to every subscription, of the time from the event's commit (its
//! `occurredAt`, taken just before the commit) to its arrival at the client.

use std::{
    path::PathBuf,
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant},
};

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::Parser;
use futures::{SinkExt, StreamExt};
use opskit_api::auth::{GlobalRole, TokenRequest, mint};
use opskit_bench::{fresh_postgres, process::Server};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest, http::HeaderValue};

#[derive(Parser)]
struct Args {
    /// Subscriptions in all.
    #[arg(long, default_value_t = 1000)]
    subscriptions: usize,
    /// WebSocket connections they are spread over.
    #[arg(long, default_value_t = 20)]
    connections: usize,
    /// Changes per second during the burst.
    #[arg(long, default_value_t = 100)]
    rate: u64,
    /// Length of the burst in seconds.
    #[arg(long, default_value_t = 3)]
    seconds: u64,
    /// A PostgreSQL server (any database on it); default: a SQLite file in a temporary directory.
    #[arg(long)]
    database_url: Option<String>,
    /// The `opskit` binary (default: beside this one).
    #[arg(long)]
    server: Option<PathBuf>,
    /// HTTP workers of the server.
    #[arg(long, default_value_t = 2)]
    workers: usize,
}

const SECRET: &str = "benchmark-secret-benchmark-secret";
const EVENTS: &str = "subscription($id: ID!, $after: String) { engagementEvents(engagementId: $id, after: $after) { cursor type event { occurredAt } } }";

/// Commit-to-delivery latencies in milliseconds, from every connection.
type Latencies = Arc<Mutex<Vec<f64>>>;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = tempfile::tempdir()?;
    let url = match &args.database_url {
        Some(server) => fresh_postgres(server, "opskit_bench_live").await?,
        None => format!("sqlite://{}?mode=rwc", dir.path().join("live.db").display()),
    };
    let here = std::env::current_exe()?.parent().context("the bench's directory")?.to_path_buf();
    let bin = args.server.clone().unwrap_or_else(|| here.join("opskit"));
    let limits = [
        ("OPSKIT_MAX_CONNECTIONS_PER_IDENTITY", args.connections.to_string()),
        ("OPSKIT_MAX_SUBSCRIPTIONS_PER_CONNECTION", args.subscriptions.div_ceil(args.connections).to_string()),
    ];
    let server = Server::opskit(&bin, &url, SECRET, args.workers, &limits).await?;
    let base = server.base.clone();
    let token = mint(
        SECRET,
        &TokenRequest {
            subject: "bench-live".into(),
            name: None,
            email: None,
            roles: vec![GlobalRole::Consultant],
            ttl: Duration::from_secs(3600),
            issuer: "opskit".into(),
            audience: "opskit".into(),
        },
    )?;
    let gql = Gql { client: reqwest::Client::new(), base: base.clone(), token: token.clone() };
    let engagement = gql
        .run(
            "mutation($input: CreateEngagementInput!) { createEngagement(input: $input) { engagement { id activities(first: 20) { nodes { id } } } } }",
            json!({ "input": { "name": "Live bench", "customerName": "Bench", "kitKey": "aws-operations",
                "kitVersion": "1.0.0", "startsOn": "2026-12-07", "sprintLengthDays": 14 } }),
        )
        .await?["createEngagement"]["engagement"]
        .clone();
    let engagement_id = engagement["id"].as_str().context("engagement id")?.to_owned();
    let activities: Arc<Vec<String>> = Arc::new(
        engagement["activities"]["nodes"]
            .as_array()
            .context("activities")?
            .iter()
            .filter_map(|a| a["id"].as_str().map(str::to_owned))
            .collect(),
    );
    let links = Links { gql: Arc::new(gql), activities };

    let before = server.rss_kib()?;
    let latencies: Latencies = Arc::default();
    let mut readers = Vec::new();
    for c in 0..args.connections {
        let count = args.subscriptions / args.connections + usize::from(c < args.subscriptions % args.connections);
        readers.push(connect(&base, &token, &engagement_id, count, latencies.clone()).await?);
    }
    // Subscriptions without a cursor start with the next change: let them all start,
    // then make one change that every subscription must receive.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let subscribed = server.rss_kib()?;
    links.add(0).await?;
    wait_for(&latencies, args.subscriptions).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle = server.rss_kib()?;
    latencies.lock().unwrap_or_else(PoisonError::into_inner).clear();

    let events = (args.rate * args.seconds) as usize;
    let started = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / args.rate as f64));
    let mut sent = tokio::task::JoinSet::new();
    for i in 0..events {
        tick.tick().await;
        let links = links.clone();
        sent.spawn(async move { links.add(i + 1).await });
    }
    let scheduled = started.elapsed();
    while let Some(done) = sent.join_next().await {
        done??;
    }
    let answered = started.elapsed();
    wait_for(&latencies, args.subscriptions * events).await?;
    let mut all = latencies.lock().unwrap_or_else(PoisonError::into_inner).clone();
    all.sort_by(f64::total_cmp);
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
    println!(
        "{} subscriptions over {} connections; server resident memory {before:.0} KiB before, {subscribed:.0} KiB once subscribed ({:.1} KiB per subscription), {idle:.0} KiB idle after one event: {:.1} KiB per idle subscription",
        args.subscriptions,
        args.connections,
        (subscribed - before) / args.subscriptions as f64,
        (idle - before) / args.subscriptions as f64
    );
    println!(
        "{events} changes sent in {:.2}s ({:.0}/s), all answered after {:.2}s; {} deliveries: commit to delivery p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms; server RSS after {:.0} KiB",
        scheduled.as_secs_f64(),
        events as f64 / scheduled.as_secs_f64(),
        answered.as_secs_f64(),
        all.len(),
        pct(0.50),
        pct(0.95),
        pct(0.99),
        all[all.len() - 1],
        server.rss_kib()?
    );
    drop(readers);
    Ok(())
}

/// GraphQL over HTTP as the bench's user.
struct Gql {
    client: reqwest::Client,
    base: String,
    token: String,
}

impl Gql {
    async fn run(&self, query: &str, variables: Value) -> anyhow::Result<Value> {
        let body: Value = self
            .client
            .post(format!("{}/graphql", self.base))
            .bearer_auth(&self.token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await?
            .json()
            .await?;
        anyhow::ensure!(body.get("errors").is_none(), "{body}");
        Ok(body["data"].clone())
    }
}

/// The change of the burst: a new document link (one event each).
#[derive(Clone)]
struct Links {
    gql: Arc<Gql>,
    activities: Arc<Vec<String>>,
}

impl Links {
    async fn add(&self, i: usize) -> anyhow::Result<()> {
        let activity = &self.activities[i % self.activities.len()];
        let input =
            json!({ "activityId": activity, "title": format!("Doc {i}"), "url": format!("https://example.com/{i}") });
        self.gql
            .run(
                "mutation($input: AddDocumentLinkInput!) { addDocumentLink(input: $input) { userErrors { code } } }",
                json!({ "input": input }),
            )
            .await?;
        Ok(())
    }
}

/// Opens a connection running `count` subscriptions; a task records each delivery's latency.
async fn connect(
    base: &str,
    token: &str,
    engagement: &str,
    count: usize,
    latencies: Latencies,
) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let mut request = format!("{}/graphql", base.replacen("http", "ws", 1)).into_client_request()?;
    request.headers_mut().insert("sec-websocket-protocol", HeaderValue::from_static("graphql-transport-ws"));
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await?;
    let init = json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {token}") } });
    socket.send(Message::text(init.to_string())).await?;
    socket.next().await.context("no connection_ack")??;
    for id in 0..count {
        let subscribe = json!({ "id": id.to_string(), "type": "subscribe",
            "payload": { "query": EVENTS, "variables": { "id": engagement } } });
        socket.send(Message::text(subscribe.to_string())).await?;
    }
    Ok(tokio::spawn(async move {
        while let Some(Ok(message)) = socket.next().await {
            let Message::Text(text) = message else { continue };
            let arrived = Utc::now();
            let Ok(value) = serde_json::from_str::<Value>(text.as_str()) else { continue };
            let occurred = value["payload"]["data"]["engagementEvents"]["event"]["occurredAt"].as_str();
            if let Some(at) = occurred.and_then(|t| t.parse::<DateTime<Utc>>().ok()) {
                let ms = (arrived - at).num_microseconds().unwrap_or_default() as f64 / 1000.0;
                latencies.lock().unwrap_or_else(PoisonError::into_inner).push(ms);
            }
        }
    }))
}

/// Waits until `n` deliveries are recorded (at most a minute).
async fn wait_for(latencies: &Latencies, n: usize) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while latencies.lock().unwrap_or_else(PoisonError::into_inner).len() < n {
        anyhow::ensure!(Instant::now() < deadline, "deliveries missing after a minute");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}
