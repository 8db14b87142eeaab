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
    assert_eq!(resp.headers()["connection"], "close", "no client keeps a connection the full server will not serve");
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

/// What a fake OpenTelemetry collector received: the body of each POST to `/v1/traces`.
type Exports = std::sync::Arc<std::sync::Mutex<Vec<(String, Vec<u8>)>>>;

/// An OTLP/HTTP collector on loopback that keeps what it receives.
fn fake_collector() -> (crate::common::Loopback, Exports) {
    use actix_web::HttpResponse;
    let received: Exports = Exports::default();
    let log = received.clone();
    let server = crate::common::Loopback::start(move |req, body| {
        if req.method() != actix_web::http::Method::POST || req.path() != "/v1/traces" {
            return HttpResponse::NotFound().finish();
        }
        let kind = req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        log.lock().unwrap().push((kind, body.to_vec()));
        HttpResponse::Ok().content_type("application/x-protobuf").body(Vec::new())
    });
    (server, received)
}

/// Every span the collector received, with its resource's `service.name`.
fn exported_spans(received: &Exports) -> Vec<(String, opentelemetry_proto::tonic::trace::v1::Span)> {
    use opentelemetry_proto::tonic::{collector::trace::v1::ExportTraceServiceRequest, common::v1::any_value::Value};
    use prost::Message;
    let mut spans = Vec::new();
    for (kind, body) in received.lock().unwrap().iter() {
        assert_eq!(kind, "application/x-protobuf");
        let request = ExportTraceServiceRequest::decode(body.as_slice()).unwrap();
        for resource in request.resource_spans {
            let service = resource
                .resource
                .iter()
                .flat_map(|r| &r.attributes)
                .find(|a| a.key == "service.name")
                .and_then(|a| match a.value.as_ref()?.value.as_ref()? {
                    Value::StringValue(name) => Some(name.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            for scope in resource.scope_spans {
                spans.extend(scope.spans.into_iter().map(|span| (service.clone(), span)));
            }
        }
    }
    spans
}

/// The string value of attribute `key` of `span`.
fn attribute(span: &opentelemetry_proto::tonic::trace::v1::Span, key: &str) -> Option<String> {
    use opentelemetry_proto::tonic::common::v1::any_value::Value;
    span.attributes.iter().find(|a| a.key == key).and_then(|a| match a.value.as_ref()?.value.as_ref()? {
        Value::StringValue(text) => Some(text.clone()),
        Value::IntValue(number) => Some(number.to_string()),
        _ => None,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn traces_are_exported_over_otlp_and_continue_the_callers_trace() {
    use opentelemetry_proto::tonic::trace::v1::span::SpanKind;

    use crate::common::{Replica, TestDb, token_for};
    let (collector, received) = fake_collector();
    let db = TestDb::prepared().await;
    // Batches wait a minute: what arrives, arrives because the stopping
    // server sent what it still held.
    let mut replica = Replica::spawn_with(
        &db.url,
        &[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", collector.base.as_str()),
            ("OTEL_SERVICE_NAME", "opskit-under-test"),
            ("OTEL_BSP_SCHEDULE_DELAY", "60000"),
        ],
    );
    let http = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let app_token = token_for("tracer", &[]);
    let (trace_id, caller_span) = ("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
    let mut answered = false;
    for _ in 0..200 {
        let resp = http
            .post(format!("{}/graphql", replica.base))
            .bearer_auth(&app_token)
            .header("traceparent", format!("00-{trace_id}-{caller_span}-01"))
            .json(&json!({ "query": "query TraceProbe { viewer { subject } }" }))
            .send()
            .await;
        if let Ok(resp) = resp
            && resp.status() == StatusCode::OK
        {
            let body: serde_json::Value = resp.json().await.unwrap();
            assert_eq!(body["data"]["viewer"]["subject"], "tracer");
            answered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(answered, "the server never answered the query");
    replica.terminate();

    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let spans = exported_spans(&received);
    let (service, span) = spans
        .iter()
        .find(|(_, span)| hex(&span.trace_id) == trace_id && span.name == "POST /graphql")
        .unwrap_or_else(|| panic!("the request's span never reached the collector: {} spans", spans.len()));
    assert_eq!(service, "opskit-under-test");
    assert_eq!(hex(&span.parent_span_id), caller_span, "the request's span is a child of the caller's");
    assert_eq!(span.kind, SpanKind::Server as i32);
    assert_eq!(attribute(span, "graphql.operations").as_deref(), Some("TraceProbe"));
    assert_eq!(attribute(span, "http.status_code").as_deref(), Some("200"));
    assert_eq!(attribute(span, "http.path").as_deref(), Some("/graphql"));
    let everything: Vec<u8> = received.lock().unwrap().iter().flat_map(|(_, body)| body.clone()).collect();
    assert!(!everything.windows(app_token.len()).any(|w| w == app_token.as_bytes()), "no token reaches the traces");
}
