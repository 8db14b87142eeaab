//! `cargo run --release -p opskit-bench -- [--engagements N] [--requests R] [--concurrency C]`
//!
//! Seeds N engagements (each with answers, started activities and runbooks in
//! every state), serves them on a fresh database (SQLite by default, or
//! `--database-url postgres://...` on an empty database), then measures, per
//! query shape: latency percentiles over R sequential requests, SQL statements
//! per request (which must not grow with the size of the result), throughput
//! under C concurrent clients, and the server's resident memory.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::Context;
use clap::Parser;
use opskit_api::{
    Config,
    auth::{GlobalRole, TokenRequest, mint},
    domain::{
        Viewer,
        answers::{self, AnswerInput, AnswerValue},
        engagements::{self, NewEngagement, activities},
        ids::{ActivityId, QuestionId},
        runbooks, users,
    },
    http,
};
use serde_json::{Value, json};

#[derive(Parser)]
struct Args {
    /// Engagements to seed.
    #[arg(long, default_value_t = 200)]
    engagements: usize,
    /// Sequential requests per query shape.
    #[arg(long, default_value_t = 200)]
    requests: usize,
    /// Concurrent clients for the throughput run.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Database (default: a fresh SQLite file in a temporary directory).
    #[arg(long)]
    database_url: Option<String>,
}

const SECRET: &str = "benchmark-secret-benchmark-secret";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = tempfile::tempdir()?;
    let url = args
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display()));
    let mut config = Config::for_database(&url, SECRET);
    // The benchmark measures the server, not its rate limit.
    config.limits.budget = u64::MAX;
    let mut db = http::prepare(&config).await?;

    let identity = opskit_api::auth::Identity {
        subject: "bench-consultant".into(),
        name: Some("Bench Consultant".into()),
        email: None,
        roles: vec![GlobalRole::Consultant],
        expires_at: i64::MAX,
    };
    let viewer = users::resolve_viewer(&db, identity).await?;
    let seeded = Instant::now();
    let first = seed(&db, &viewer, args.engagements).await?;
    println!("seeded {} engagements in {:.1}s", args.engagements, seeded.elapsed().as_secs_f64());

    let statements = Arc::new(AtomicU64::new(0));
    let counter = statements.clone();
    db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    let running = http::start_on(&config, db, "127.0.0.1:0", 2).await?;
    let base = format!("http://{}/graphql", running.addr);
    let server = running.server;
    let token = mint(
        SECRET,
        &TokenRequest {
            subject: "bench-consultant".into(),
            name: None,
            email: None,
            roles: vec![GlobalRole::Consultant],
            ttl: Duration::from_secs(3600),
            issuer: "opskit".into(),
            audience: "opskit".into(),
        },
    )?;
    let client = reqwest::Client::new();

    let shapes: [(&str, String); 4] = [
        ("engagement list, 100 with progress", "{ engagements(first: 100) { totalCount nodes { id name progress { activitiesDone questionsAnswered runbooksBaselined capabilities { questionsAnswered readinessLevel } } } } }".into()),
        ("engagement list, 50 with members+activities", "{ engagements(first: 50) { nodes { id members(first: 10) { nodes { role user { name } } } activities(first: 16) { nodes { status title questionCoverage { answered total } } } } } }".into()),
        ("one engagement, deep", format!("{{ engagement(id: \"{first}\") {{ name activities(first: 20) {{ nodes {{ title questions {{ question {{ text }} answer {{ value {{ display }} }} }} }} }} runbooks {{ nodes {{ status currentRevision {{ number }} }} }} progress {{ activitiesDone }} }} }}")),
        ("kit catalog", "{ kit(key: \"aws-operations\") { capabilities { name discoveryAndAnalysis { questions { text choices } } runbookTemplates { sections { title } } } workshopTemplates { title } } }".into()),
    ];

    println!("\n| query | p50 ms | p95 ms | p99 ms | SQL statements / request |\n| --- | --- | --- | --- | --- |");
    for (name, query) in &shapes {
        run(&client, &base, &token, query).await?; // warm up
        let before = statements.load(Ordering::Relaxed);
        let mut times = Vec::with_capacity(args.requests);
        for _ in 0..args.requests {
            let start = Instant::now();
            run(&client, &base, &token, query).await?;
            times.push(start.elapsed());
        }
        let per_request = (statements.load(Ordering::Relaxed) - before) as f64 / args.requests as f64;
        times.sort();
        let pct = |p: f64| times[((times.len() as f64 - 1.0) * p) as usize].as_secs_f64() * 1000.0;
        println!("| {name} | {:.1} | {:.1} | {:.1} | {per_request:.1} |", pct(0.5), pct(0.95), pct(0.99));
    }

    let (name, query) = &shapes[0];
    let total = args.requests * 2;
    let start = Instant::now();
    let per_client = total / args.concurrency.max(1);
    let clients = (0..args.concurrency).map(|_| {
        let (client, base, token, query) = (client.clone(), base.clone(), token.clone(), query.clone());
        async move {
            for _ in 0..per_client {
                run(&client, &base, &token, &query).await?;
            }
            anyhow::Ok(())
        }
    });
    for result in futures::future::join_all(clients).await {
        result?;
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "\nthroughput, {name}, {} clients: {:.0} requests/s ({} requests in {elapsed:.1}s)",
        args.concurrency,
        (per_client * args.concurrency) as f64 / elapsed,
        per_client * args.concurrency
    );
    println!("resident memory (server and client in one process): {} MiB", rss_mib().unwrap_or(0));
    server.abort();
    Ok(())
}

async fn run(client: &reqwest::Client, url: &str, token: &str, query: &str) -> anyhow::Result<Value> {
    let body: Value = client.post(url).bearer_auth(token).json(&json!({ "query": query })).send().await?.json().await?;
    if body.get("errors").is_some() {
        anyhow::bail!("query failed: {body}");
    }
    Ok(body)
}

/// Seeds `n` engagements with some of everything; returns the first one's GraphQL ID.
async fn seed(db: &sea_orm_connection::Db, viewer: &Viewer, n: usize) -> anyhow::Result<String> {
    let mut first = None;
    for i in 0..n {
        let e = engagements::create(
            db,
            viewer,
            NewEngagement {
                name: format!("Engagement {i:04}"),
                customer_name: format!("Customer {}", i % 17),
                kit_key: "aws-operations".into(),
                kit_version: "1.0.0".into(),
                starts_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 5).context("date")?,
                sprint_length_days: 14,
            },
            None,
        )
        .await?;
        first.get_or_insert(e.id);
        let acts = activity_ids(db, e.id).await?;
        for (n, activity) in acts.iter().step_by(2).take(3).enumerate() {
            activities::start(db, viewer, ActivityId(*activity), None).await?;
            for question in text_questions(db, *activity).await?.into_iter().take(5) {
                let value = AnswerValue::Text(format!("answer {n}"));
                answers::record(
                    db,
                    viewer,
                    AnswerInput {
                        activity_id: ActivityId(*activity),
                        question_id: QuestionId(question),
                        value,
                        notes: None,
                        expected_version: None,
                    },
                )
                .await?;
            }
        }
        for runbook in runbook_ids(db, e.id).await?.into_iter().take(2) {
            runbooks::transition(
                db,
                viewer,
                opskit_api::domain::ids::RunbookId(runbook),
                runbooks::Transition::Start,
                None,
            )
            .await?;
        }
    }
    let id = first.context("no engagement seeded")?;
    Ok(opskit_api::graphql::encode_id(opskit_api::domain::ids::EngagementId(id)).to_string())
}

mod sea_orm_connection {
    pub type Db = opskit_api::sea_orm::DatabaseConnection;
}

async fn activity_ids(db: &sea_orm_connection::Db, engagement: i64) -> anyhow::Result<Vec<i64>> {
    use opskit_api::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    use opskit_entity_reexport::activity;
    Ok(activity::Entity::find()
        .filter(activity::Column::EngagementId.eq(engagement))
        .order_by_asc(activity::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect())
}

async fn text_questions(db: &sea_orm_connection::Db, activity_id: i64) -> anyhow::Result<Vec<i64>> {
    use opskit_api::sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use opskit_entity_reexport::{activity, enums::AnswerKind, question};
    let activity = activity::Entity::find_by_id(activity_id).one(db).await?.context("activity")?;
    Ok(question::Entity::find()
        .filter(question::Column::ArtifactTemplateId.eq(activity.artifact_template_id))
        .filter(question::Column::AnswerKind.eq(AnswerKind::Text))
        .all(db)
        .await?
        .into_iter()
        .map(|q| q.id)
        .collect())
}

async fn runbook_ids(db: &sea_orm_connection::Db, engagement: i64) -> anyhow::Result<Vec<i64>> {
    use opskit_api::sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use opskit_entity_reexport::runbook;
    Ok(runbook::Entity::find()
        .filter(runbook::Column::EngagementId.eq(engagement))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect())
}

use opskit_api::entity as opskit_entity_reexport;

fn rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}
