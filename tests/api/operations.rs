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
