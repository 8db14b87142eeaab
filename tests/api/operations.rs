//! Operations: Prometheus metrics at `/metrics`, and the probes.

use reqwest::StatusCode;
use serde_json::json;

use crate::common::{TestApp, global_id};

/// The value of the sample `name{labels}` in a scrape (0 when absent).
fn sample(scrape: &str, series: &str) -> f64 {
    scrape
        .lines()
        .find_map(|line| line.strip_prefix(series).and_then(|rest| rest.strip_prefix(' ')))
        .map_or(0.0, |value| value.trim().parse().unwrap())
}

async fn scrape(app: &TestApp) -> String {
    let resp = app.http.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    resp.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_requests_by_operation_status_and_error() {
    let app = TestApp::start().await;
    let token = app.token("ops", &[]);
    let ok = r#"opskit_graphql_requests_total{operation="MetricsProbe",status="200"}"#;
    let denied = r#"opskit_graphql_requests_total{operation="anonymous",status="401"}"#;
    let not_found = r#"opskit_graphql_errors_total{code="NOT_FOUND",operation="MetricsMissing"}"#;
    let latency = r#"opskit_graphql_request_duration_seconds_count{operation="MetricsProbe"}"#;
    let before = scrape(&app).await;

    for _ in 0..3 {
        app.data(&token, "query MetricsProbe { viewer { subject } }", json!({})).await;
    }
    let missing = global_id("Engagement", 999_999);
    let query = "query MetricsMissing($id: ID!) { engagement(id: $id) { id } }";
    let body = app.gql(&token, query, json!({ "id": missing })).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "NOT_FOUND");
    let (status, _, _) = app.post(None, "{ viewer { subject } }", json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let after = scrape(&app).await;
    assert_eq!(sample(&after, ok) - sample(&before, ok), 3.0, "{after}");
    assert_eq!(sample(&after, latency) - sample(&before, latency), 3.0);
    assert!(sample(&after, denied) - sample(&before, denied) >= 1.0);
    assert_eq!(sample(&after, not_found) - sample(&before, not_found), 1.0);
    assert!(sample(&after, "opskit_graphql_query_cost_count") >= 4.0, "every document run has its cost recorded");
    assert!(sample(&after, r#"opskit_db_pool_connections{state="max"}"#) >= 1.0, "{after}");
    assert!(after.contains("# TYPE opskit_graphql_request_duration_seconds histogram"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_started_server_is_ready() {
    let app = TestApp::start().await;
    let resp = app.http.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.text().await.unwrap(), "ready\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_is_false_while_migrations_run_and_requests_are_told_to_retry() {
    use sea_orm::{ConnectionTrait, TransactionTrait};

    use crate::common::{Replica, TestDb, backend};
    // Hold the migrations back: on PostgreSQL by locking their table, on
    // SQLite by holding the write lock of an empty database (the server's
    // busy timeout outlasts the hold).
    let postgres = backend() == "postgres";
    let db = if postgres { TestDb::prepared().await } else { TestDb::empty().await };
    let holder = db.connect().await;
    if !postgres {
        // In WAL mode already, so the server's own connection settings need no lock.
        holder.execute_unprepared("PRAGMA journal_mode=WAL").await.unwrap();
    }
    let hold = holder.begin().await.unwrap();
    let lock = if postgres {
        "LOCK TABLE seaql_migrations IN ACCESS EXCLUSIVE MODE"
    } else {
        "CREATE TABLE holding_the_write_lock (x INTEGER)"
    };
    hold.execute_unprepared(lock).await.unwrap();

    let replica = Replica::spawn(&db.url);
    let base = replica.base.clone();
    let http = reqwest::Client::new();

    let resp = replica.first_answer(&http, "/readyz").await;
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(resp.text().await.unwrap(), "migrating\n");
    let resp = http.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "the process is alive while it migrates");
    let resp = http.post(format!("{base}/graphql")).json(&json!({ "query": "{ __typename }" })).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(resp.headers()["retry-after"], "1");
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAVAILABLE");

    hold.rollback().await.unwrap();
    holder.close().await.unwrap();
    let mut ready = None;
    for _ in 0..400 {
        let resp = http.get(format!("{base}/readyz")).send().await.unwrap();
        if resp.status() == StatusCode::OK {
            ready = Some(resp.text().await.unwrap());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(ready.as_deref(), Some("ready\n"), "ready once the migrations are done");
    // The full server answers now: no token is 401, not "starting".
    let resp = http.post(format!("{base}/graphql")).json(&json!({ "query": "{ __typename }" })).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
}
