//! Automatic persisted queries (Apollo's APQ protocol), over POST and GET,
//! with the protocol's exact messages.

use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::common::{TestApp, without_cost};

const QUERY: &str = "query Me { viewer { subject } }";

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn extension(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

async fn post(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    let resp = app.http.post(app.url("/graphql")).bearer_auth(token).json(&body).send().await.unwrap();
    (resp.status(), resp.json().await.unwrap())
}

async fn get(app: &TestApp, token: &str, params: &[(&str, &str)]) -> (StatusCode, Value) {
    let resp = app.http.get(app.url("/graphql")).query(params).bearer_auth(token).send().await.unwrap();
    (resp.status(), resp.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hash_alone_runs_once_its_query_was_sent() {
    let app = TestApp::start().await;
    let token = app.token("apq", &[]);
    let hash = sha256(QUERY);

    // An unknown hash: the client is told to send the text.
    let not_found = json!({ "errors": [{ "message": "PersistedQueryNotFound",
        "extensions": { "code": "PERSISTED_QUERY_NOT_FOUND" } }] });
    let (status, body) = post(&app, &token, json!({ "extensions": extension(&hash) })).await;
    assert_eq!((status, &body), (StatusCode::OK, &not_found));
    let ext = extension(&hash).to_string();
    let (status, body) = get(&app, &token, &[("extensions", ext.as_str())]).await;
    assert_eq!((status, &body), (StatusCode::OK, &not_found), "over GET too");

    // The text with its hash runs and registers it.
    let (status, body) = post(&app, &token, json!({ "query": QUERY, "extensions": extension(&hash) })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(without_cost(&body), json!({ "data": { "viewer": { "subject": "apq" } } }));

    // From then on the hash is enough, over POST and over GET, with variables and an operation name.
    let (status, body) = post(&app, &token, json!({ "extensions": extension(&hash), "operationName": "Me" })).await;
    assert_eq!((status, &body["data"]["viewer"]["subject"]), (StatusCode::OK, &json!("apq")));
    let (status, body) =
        get(&app, &token, &[("extensions", ext.as_str()), ("operationName", "Me"), ("variables", "{}")]).await;
    assert_eq!((status, &body["data"]["viewer"]["subject"]), (StatusCode::OK, &json!("apq")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_hash_or_version_is_refused() {
    let app = TestApp::start().await;
    let token = app.token("apq", &[]);
    let wrong = sha256("{ something else }");
    let (status, body) = post(&app, &token, json!({ "query": QUERY, "extensions": extension(&wrong) })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({ "errors": [{ "message": "provided sha does not match query", "extensions": { "code": "BAD_REQUEST" } }] })
    );
    // The wrong hash was not registered for the text.
    let (_, body) = post(&app, &token, json!({ "extensions": extension(&wrong) })).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND");

    let v2 = json!({ "persistedQuery": { "version": 2, "sha256Hash": sha256(QUERY) } });
    let (status, body) = post(&app, &token, json!({ "query": QUERY, "extensions": v2 })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["errors"][0]["message"], "Unsupported persisted query version");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_persisted_mutation_still_needs_post() {
    let app = TestApp::start().await;
    let token = app.token("apq", &["consultant"]);
    let mutation = r#"mutation { createEngagement(input: {name: "x", customerName: "y", kitKey: "aws-operations",
        kitVersion: "1.0.0", startsOn: "2026-01-05", sprintLengthDays: 14}) { engagement { id } } }"#;
    let hash = sha256(mutation);
    let (status, body) = post(&app, &token, json!({ "query": mutation, "extensions": extension(&hash) })).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["data"]["createEngagement"]["engagement"]["id"].is_string(), "{body}");
    let ext = extension(&hash).to_string();
    let (status, _) = get(&app, &token, &[("extensions", ext.as_str())]).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(app.count_rows("engagements").await, 1, "the GET created nothing");
}
