//! Time bounds: a request past its deadline is cancelled with `TIMEOUT`
//! (PostgreSQL cancels the statement itself at `statement_timeout`); a
//! request that cannot get a database connection in time is 503
//! `UNAVAILABLE` with `Retry-After`, never a hang.

use std::time::Duration;

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::json;

use crate::common::{Config, TestApp, backend, error_code};

/// A query that reads a good part of an engagement.
const LARGE: &str = "query($id: ID!) { engagement(id: $id) { activities(first: 100) { nodes { id title status
    questions { question { id text answerKind } } } } workshopSessions(first: 50) { nodes { id title } } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_past_its_deadline_times_out() {
    let generous = TestApp::start().await;
    let ada = generous.token("ada", &["consultant"]);
    let engagement = generous.create_engagement(&ada, "Mobilize").await;
    let body = generous.gql(&ada, LARGE, json!({ "id": engagement })).await;
    assert!(body.get("errors").is_none(), "the query runs within the default deadline: {body}");

    // The same database, served with a deadline of 1 ms.
    let config = |c: &mut Config| c.limits.request_timeout = Duration::from_millis(1);
    let (tight, _pool) = TestApp::start_on_pool_of(&generous, config).await;
    let (status, _, body) = tight.post(Some(&ada), LARGE, json!({ "id": engagement })).await;
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT, "{body}");
    assert_eq!(error_code(&body), "TIMEOUT");
    assert!(body.get("data").is_none(), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_connections_cancel_statements_at_the_deadline() {
    let app = TestApp::start().await;
    let mut config = crate::common::test_config(&app.db.url, "x");
    config.limits.request_timeout = Duration::from_millis(1234);
    let pool = opskit_api::db::connect(&app.db.url, &config.limits).await.unwrap();
    if backend() == "postgres" {
        assert_eq!(statement_timeout(&pool).await, "1234ms");
        // Migrations and kit imports run without it.
        let setup = opskit_api::db::connect(&app.db.url, &config.limits.without_deadline()).await.unwrap();
        assert_eq!(statement_timeout(&setup).await, "0");
    } else {
        // SQLite has no statement timeout; the deadline drops the request's work instead.
        pool.execute_unprepared("SELECT 1").await.unwrap();
    }
}

async fn statement_timeout(pool: &sea_orm::DatabaseConnection) -> String {
    let statement = sea_orm::Statement::from_string(pool.get_database_backend(), "SHOW statement_timeout");
    let row = pool.query_one_raw(statement).await.unwrap().unwrap();
    row.try_get("", "statement_timeout").unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_for_a_connection_is_bounded() {
    let (app, pool) = TestApp::start_on_pool(
        |c| {
            c.limits.pool_size = Some(1);
            c.limits.acquire_timeout = Duration::from_millis(200);
        },
        |_| {},
    )
    .await;
    let ada = app.token("ada", &["consultant"]);
    app.data(&ada, "{ viewer { subject } }", json!({})).await;

    // The test holds the pool's one connection. (The caller is cached and the
    // kit catalog is in memory: the engagements are what needs the database.)
    let held = pool.begin().await.unwrap();
    let (status, headers, body) =
        app.post(Some(&ada), "{ viewer { subject } engagements(first: 1) { totalCount } }", json!({})).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(error_code(&body), "UNAVAILABLE");
    assert_eq!(headers.get("retry-after").and_then(|v| v.to_str().ok()), Some("1"));
    held.rollback().await.unwrap();

    let data = app.data(&ada, "{ viewer { subject } }", json!({})).await;
    assert_eq!(data["viewer"]["subject"], "ada");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cheap_query_answers_while_an_expensive_request_is_stuck() {
    let app = TestApp::start().await;
    let ada = app.token("ada", &["consultant"]);
    let engagement = app.create_engagement(&ada, "Mobilize").await;
    // Hold the database back from the expensive request: on PostgreSQL its
    // table is locked; on SQLite (where readers never wait) the expensive
    // request is a write and the test holds the write lock.
    let postgres = backend() == "postgres";
    let holder = app.db.connect().await;
    let hold = holder.begin().await.unwrap();
    let lock = if postgres {
        "LOCK TABLE engagements IN ACCESS EXCLUSIVE MODE"
    } else {
        "CREATE TABLE holding_the_write_lock (x INTEGER)"
    };
    hold.execute_unprepared(lock).await.unwrap();
    let expensive = {
        let (base, http, token, id) = (app.base.clone(), app.http.clone(), ada.clone(), engagement.clone());
        let (query, variables) = if postgres {
            (LARGE.to_owned(), json!({ "id": id }))
        } else {
            let create =
                "mutation($input: CreateEngagementInput!) { createEngagement(input: $input) { engagement { id } } }";
            (create.to_owned(), json!({ "input": crate::common::engagement_input(json!({ "name": "Second" })) }))
        };
        tokio::spawn(async move {
            let resp = http
                .post(format!("{base}/graphql"))
                .bearer_auth(token)
                .json(&json!({ "query": query, "variables": variables }))
                .send()
                .await
                .unwrap();
            resp.json::<serde_json::Value>().await.unwrap()
        })
    };
    if postgres {
        // Until PostgreSQL says the request waits for the lock.
        let waiting = "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'";
        let mut seen = false;
        for _ in 0..200 {
            let row = holder
                .query_one_raw(sea_orm::Statement::from_string(holder.get_database_backend(), waiting))
                .await
                .unwrap()
                .unwrap();
            if row.try_get::<i64>("", "n").unwrap() >= 1 {
                seen = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert!(seen, "the expensive request never reached the lock");
    } else {
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    let cheap = "{ viewer { subject } kits(first: 1) { nodes { key } } rateLimit { remaining } }";
    let answered = tokio::time::timeout(Duration::from_secs(5), app.gql(&ada, cheap, json!({}))).await;
    let body = answered.expect("the cheap query is not held up by the stuck request");
    assert_eq!(body["data"]["viewer"]["subject"], "ada", "{body}");
    assert!(!expensive.is_finished(), "the expensive request was still waiting when the cheap one answered");

    hold.rollback().await.unwrap();
    let body = expensive.await.unwrap();
    assert!(body.get("errors").is_none(), "it completes once the database lets it: {body}");
}
