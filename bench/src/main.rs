//! `opskit-bench`: how fast opskit answers, measured from outside its process.
//!
//! ```sh
//! cargo build --profile perf -p opskit -p opskit-bench --bins
//! target/perf/opskit-bench [--engagements 100,10000] [--connections 16,64] [--seconds 5]
//!                          [--database-url postgres://postgres@127.0.0.1:5432/postgres]
//! ```
//!
//! For each number of engagements: a fresh database (a SQLite file, or a new
//! database `opskit_bench_<n>` on the PostgreSQL server of `--database-url`)
//! is seeded (see [`seed`]), then the `opskit` binary serves it as its own
//! process. Per query shape the benchmark prints requests per second at each
//! number of connections, p50/p95/p99 latency, SQL statements per request
//! (from the server's `opskit_db_statements_total`), the server's CPU time
//! per request and per returned object (`/proc/<pid>/stat`), and its resident
//! memory (`VmRSS`) after the load. In the same run, the bare async-graphql
//! server of `bin/hello.rs` answers `{ hello }`: the ceiling every figure is
//! set against; and it answers the list and kit catalog shapes from memory,
//! the same fields and objects: what async-graphql alone costs for them.

mod load;
mod seed;

use std::{path::PathBuf, time::Duration};

use anyhow::Context;
use clap::Parser;
use opskit_api::auth::{GlobalRole, TokenRequest, mint};
use serde_json::{Value, json};

use opskit_bench::{fresh_postgres, process, process::Server};

use crate::load::{Request, Run};

#[derive(Parser)]
struct Args {
    /// Engagements to seed, one database each (above 100: a multiple of 100).
    #[arg(long, value_delimiter = ',', default_values_t = [100, 10_000])]
    engagements: Vec<usize>,
    /// Concurrent keep-alive connections of the load runs.
    #[arg(long, value_delimiter = ',', default_values_t = [16, 64])]
    connections: Vec<usize>,
    /// Length of each load run.
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// A PostgreSQL server (any database on it); default: SQLite files in a temporary directory.
    #[arg(long)]
    database_url: Option<String>,
    /// The `opskit` binary (default: beside this one).
    #[arg(long)]
    server: Option<PathBuf>,
    /// The `{ hello }` server (default: `hello` beside this one).
    #[arg(long)]
    hello: Option<PathBuf>,
    /// HTTP workers of both servers.
    #[arg(long, default_value_t = 2)]
    workers: usize,
    /// Only the shapes whose name contains this.
    #[arg(long)]
    only: Option<String>,
}

const SECRET: &str = "benchmark-secret-benchmark-secret-0123456789";

/// Requests per shape whose statements are counted (one at a time).
const COUNTED: u64 = 20;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let here = std::env::current_exe()?.parent().context("the bench's directory")?.to_path_buf();
    let server_bin = args.server.clone().unwrap_or_else(|| here.join("opskit"));
    let hello_bin = args.hello.clone().unwrap_or_else(|| here.join("hello"));
    let length = Duration::from_secs_f64(args.seconds);
    println!(
        "opskit-bench: {} s per run, {} workers, load average {}",
        args.seconds,
        args.workers,
        process::load_average()
    );

    let ceiling = hello(&hello_bin, &args, length).await?;
    let dir = tempfile::tempdir()?;
    for &n in &args.engagements {
        let url = match &args.database_url {
            Some(server) => fresh_postgres(server, &format!("opskit_bench_{n}")).await?,
            None => format!("sqlite://{}?mode=rwc", dir.path().join(format!("bench-{n}.db")).display()),
        };
        seed::database(&url, SECRET, n).await?;
        let server = Server::opskit(&server_bin, &url, SECRET, args.workers, &[]).await?;
        let backend = if args.database_url.is_some() { "PostgreSQL" } else { "SQLite" };
        println!("\n## {backend}, {n} engagements (load average {})\n", process::load_average());
        println!(
            "| shape | conns | req/s | × hello | p50 ms | p95 ms | p99 ms | SQL / req | CPU µs / req | × hello | objects | CPU µs / object | KB | RSS MiB |"
        );
        println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        let token = mint(
            SECRET,
            &TokenRequest {
                subject: seed::SUBJECT.into(),
                name: Some("Bench Consultant".into()),
                email: None,
                roles: vec![GlobalRole::Consultant],
                ttl: Duration::from_secs(3 * 3600),
                issuer: "opskit".into(),
                audience: "opskit".into(),
            },
        )?;
        for (name, request) in shapes(&server, &token).await? {
            if args.only.as_deref().is_some_and(|only| !name.contains(only)) {
                continue;
            }
            let client = reqwest::Client::new();
            let (objects, kb) = size(&request.checked(&client).await?)?;
            let before = statements(&client, &server).await?;
            for _ in 0..COUNTED {
                request.checked(&client).await?;
            }
            let sql = (statements(&client, &server).await? - before) as f64 / COUNTED as f64;
            for (&connections, hello) in args.connections.iter().zip(&ceiling) {
                let (run, cpu_us) = measured(&server, &request, connections, length).await?;
                println!(
                    "| {name} | {connections} | {:.0} | {:.3} | {:.2} | {:.2} | {:.2} | {sql:.1} | {cpu_us:.0} | {:.1} | {objects} | {:.2} | {kb:.1} | {:.1} |",
                    run.per_second(),
                    run.per_second() / hello.run.per_second(),
                    run.quantile_ms(0.5),
                    run.quantile_ms(0.95),
                    run.quantile_ms(0.99),
                    cpu_us / hello.cpu_us,
                    cpu_us / objects as f64,
                    server.rss_mib()?,
                );
            }
        }
        drop(server);
    }
    Ok(())
}

/// One load run of `request` on `connections` connections, with the server's
/// CPU time per request in µs.
async fn measured(
    server: &Server,
    request: &Request,
    connections: usize,
    length: Duration,
) -> anyhow::Result<(Run, f64)> {
    let cpu = server.cpu()?;
    let run = load::run(request, connections, length).await?;
    let cpu_us = (server.cpu()? - cpu).as_secs_f64() * 1e6 / run.requests as f64;
    Ok((run, cpu_us))
}

/// The JSON objects and kilobytes of an answer.
fn size(body: &Value) -> anyhow::Result<(usize, f64)> {
    Ok((load::objects(body).max(1), serde_json::to_vec(body)?.len() as f64 / 1024.0))
}

/// The `{ hello }` ceiling at each number of connections.
struct Ceiling {
    run: Run,
    cpu_us: f64,
}

async fn hello(bin: &std::path::Path, args: &Args, length: Duration) -> anyhow::Result<Vec<Ceiling>> {
    let server = Server::hello(bin, args.workers).await?;
    let request = Request::new(format!("{}/graphql", server.base), "{ hello }", json!({}), None)?;
    request.checked(&reqwest::Client::new()).await?;
    println!("\n## `{{ hello }}` on bare async-graphql + actix-web (pid {})\n", server.pid());
    println!(
        "| conns | req/s | p50 ms | p95 ms | p99 ms | CPU µs / req | RSS MiB |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    let mut ceiling = Vec::new();
    for &connections in &args.connections {
        let (run, cpu_us) = measured(&server, &request, connections, length).await?;
        println!(
            "| {connections} | {:.0} | {:.2} | {:.2} | {:.2} | {cpu_us:.1} | {:.1} |",
            run.per_second(),
            run.quantile_ms(0.5),
            run.quantile_ms(0.95),
            run.quantile_ms(0.99),
            server.rss_mib()?
        );
        ceiling.push(Ceiling { run, cpu_us });
    }
    println!("\n### The same server: opskit's list and catalog shapes, from memory\n");
    println!(
        "| shape | conns | req/s | p50 ms | p99 ms | CPU µs / req | objects | CPU µs / object | KB |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for (name, query) in [LIST, CATALOG] {
        if args.only.as_deref().is_some_and(|only| !name.contains(only)) {
            continue;
        }
        let request = Request::new(format!("{}/graphql", server.base), query, json!({}), None)?;
        let (objects, kb) = size(&request.checked(&reqwest::Client::new()).await?)?;
        for &connections in &args.connections {
            let (run, cpu_us) = measured(&server, &request, connections, length).await?;
            println!(
                "| {name} | {connections} | {:.0} | {:.2} | {:.2} | {cpu_us:.0} | {objects} | {:.2} | {kb:.1} |",
                run.per_second(),
                run.quantile_ms(0.5),
                run.quantile_ms(0.99),
                cpu_us / objects as f64,
            );
        }
    }
    Ok(ceiling)
}

/// The list shape (its name, its query), also answered by the bare server.
const LIST: (&str, &str) = (
    "50 engagements × members × 16 activities",
    "{ engagements(first: 50) { nodes { id name members(first: 10) { nodes { role user { name } } } \
                    activities(first: 16) { nodes { id status title questionCoverage { answered total } } } } } }",
);

/// The kit catalog shape (its name, its query), also answered by the bare server.
const CATALOG: (&str, &str) = (
    "kit catalog",
    "{ kit(key: \"aws-operations\") { capabilities { name discoveryAndAnalysis { questions { text choices } } \
                       runbookTemplates { sections { title } } } workshopTemplates { title } } }",
);

/// The query shapes, named as in BENCHMARKS.md.
async fn shapes(server: &Server, token: &str) -> anyhow::Result<Vec<(&'static str, Request)>> {
    let url = format!("{}/graphql", server.base);
    let request = |query: &str, variables: Value| Request::new(url.clone(), query, variables, Some(token));
    let first = request("{ engagements(first: 1) { nodes { activities(first: 1) { nodes { id } } } } }", json!({}))?
        .checked(&reqwest::Client::new())
        .await?;
    let activity = first["data"]["engagements"]["nodes"][0]["activities"]["nodes"][0]["id"].clone();
    Ok(vec![
        (LIST.0, request(LIST.1, json!({}))?),
        (
            "100 engagements with progress",
            request(
                "{ engagements(first: 100) { totalCount nodes { id name progress { activitiesDone questionsAnswered \
                 runbooksBaselined capabilities { questionsAnswered readinessLevel } } } } }",
                json!({}),
            )?,
        ),
        (
            "node(id) of one Activity",
            request(
                "query($id: ID!) { node(id: $id) { id ... on Activity { status title } } }",
                json!({ "id": activity }),
            )?,
        ),
        ("{ viewer { id } }", request("{ viewer { id } }", json!({}))?),
        (CATALOG.0, request(CATALOG.1, json!({}))?),
    ])
}

/// The server's `opskit_db_statements_total`.
async fn statements(client: &reqwest::Client, server: &Server) -> anyhow::Result<u64> {
    let text = client.get(format!("{}/metrics", server.base)).send().await?.text().await?;
    let line = text.lines().find(|l| l.starts_with("opskit_db_statements_total ")).context("no statement counter")?;
    Ok(line.split_whitespace().nth(1).context("counter value")?.parse::<f64>()? as u64)
}
