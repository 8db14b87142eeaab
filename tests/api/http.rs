//! GraphQL over HTTP: methods, media types, status codes, probes and limits.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{TestApp, error_code, global_id};

const MODERN: &str = "application/graphql-response+json";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probes_need_no_token() {
    let app = TestApp::start().await;
    for path in ["/healthz", "/readyz"] {
        let resp = app.http.get(app.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        assert!(resp.headers().get("x-request-id").is_some_and(|id| id.len() >= 32), "{path} echoes a request ID");
    }
    let page = app.http.get(app.url("/graphiql")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("/graphql"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_runs_queries_but_refuses_mutations() {
    let app = TestApp::start().await;
    let token = app.token("g", &["consultant"]);
    let resp = app
        .http
        .get(app.url("/graphql"))
        .query(&[("query", "query Who { viewer { subject } }"), ("operationName", "Who")])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.json::<Value>().await.unwrap()["data"]["viewer"]["subject"], "g");

    let mutation = r#"mutation { createEngagement(input: {name: "x", customerName: "y", kitKey: "aws-operations",
        kitVersion: "1.0.0", startsOn: "2026-01-05", sprintLengthDays: 14}) { engagement { id } } }"#;
    let resp =
        app.http.get(app.url("/graphql")).query(&[("query", mutation)]).bearer_auth(&token).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(resp.headers().get("allow").unwrap(), "POST");
    assert_eq!(app.count_rows("engagements").await, 0, "nothing was created");

    // The operation that runs decides: a query selected out of a document with a mutation is fine.
    let doc = format!("query Q {{ viewer {{ subject }} }} {mutation}");
    let doc = doc.replacen("mutation {", "mutation M {", 1);
    let resp = app
        .http
        .get(app.url("/graphql"))
        .query(&[("query", doc.as_str()), ("operationName", "Q")])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_types_and_request_errors() {
    let app = TestApp::start().await;
    let token = app.token("m", &[]);
    let send = |query: &str, accept: &'static str| {
        app.http
            .post(app.url("/graphql"))
            .header("accept", accept)
            .bearer_auth(&token)
            .json(&json!({ "query": query }))
            .send()
    };

    // A document that does not parse, and one that does not validate.
    for query in ["{ viewer { subject ", "{ viewer { noSuchField } }"] {
        let resp = send(query, MODERN).await.unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(resp.headers().get("content-type").unwrap(), MODERN);
        let body: Value = resp.json().await.unwrap();
        assert!(body.get("data").is_none(), "request errors carry no data: {body}");
        assert!(!body["errors"].as_array().unwrap().is_empty());

        let legacy = send(query, "application/json").await.unwrap();
        assert_eq!(legacy.status(), StatusCode::OK, "application/json keeps 200");
        assert_eq!(legacy.headers().get("content-type").unwrap(), "application/json");
    }

    // A field error is not a request error: 200 with data and a coded error.
    let missing = format!(r#"{{ engagement(id: "{}") {{ id }} }}"#, global_id("Engagement", 999));
    let resp = send(&missing, MODERN).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(error_code(&body), "NOT_FOUND");
    assert!(body.get("data").is_some());

    // POST needs a JSON body.
    let resp = app.http.post(app.url("/graphql")).bearer_auth(&token).body("{ viewer { id } }").send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let resp = app.http.put(app.url("/graphql")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn depth_complexity_and_page_limits() {
    let app = TestApp::start().await;
    let token = app.token("d", &[]);
    // Deeper than the depth limit (15) by walking back and forth.
    let mut query = String::from("kit { id }");
    for _ in 0..8 {
        query = format!("kit {{ capabilities {{ {query} }} }}");
    }
    let body = app
        .gql(&token, &format!(r#"{{ kit(key: "aws-operations") {{ capabilities {{ {query} }} }} }}"#), json!({}))
        .await;
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("nested too deep"), "{body}");

    let body = app.gql(&token, "{ engagements(first: 101) { totalCount } }", json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    let body = app.gql(&token, "{ engagements(first: 1, last: 1) { totalCount } }", json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    let body = app.gql(&token, r#"{ engagements(after: "bogus") { totalCount } }"#, json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");

    // 100 engagements × 100 members × 100 activities is far over the cost maximum.
    let body = app
        .gql(
            &token,
            "{ engagements(first: 100) { nodes { members(first: 100) { nodes { id } } activities(first: 100) { nodes { id } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), "QUERY_TOO_COSTLY", "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_sent_again_runs_as_if_parsed_anew() {
    let app = TestApp::start().await;
    let token = app.token("again", &["consultant"]);
    let get = |query: &str, operation: &str| {
        app.http
            .get(app.url("/graphql"))
            .query(&[("query", query), ("operationName", operation)])
            .bearer_auth(&token)
            .send()
    };
    // One document, two operations: the operation picked decides each time.
    let doc = r#"query Who { viewer { subject } }
        mutation Make { createEngagement(input: {name: "Again", customerName: "y", kitKey: "aws-operations",
            kitVersion: "1.0.0", startsOn: "2026-01-05", sprintLengthDays: 14}) { engagement { name } } }"#;
    for _ in 0..2 {
        let resp = get(doc, "Who").await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(resp.json::<Value>().await.unwrap()["data"]["viewer"]["subject"], "again");
        let resp = get(doc, "Make").await.unwrap();
        assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED, "a mutation over GET, parsed or remembered");
    }
    assert_eq!(app.count_rows("engagements").await, 0);
    let body = app.http.post(app.url("/graphql")).bearer_auth(&token);
    let body: Value =
        body.json(&json!({ "query": doc, "operationName": "Make" })).send().await.unwrap().json().await.unwrap();
    assert_eq!(body["data"]["createEngagement"]["engagement"]["name"], "Again", "{body}");
    assert_eq!(app.count_rows("engagements").await, 1);

    // The same text with other variables answers for those variables.
    let query = "query($id: ID!) { node(id: $id) { id } }";
    let id = app.data(&token, "{ engagements(first: 1) { nodes { id } } }", json!({})).await["engagements"]["nodes"][0]
        ["id"]
        .clone();
    assert_eq!(app.data(&token, query, json!({ "id": id })).await["node"]["id"], id);
    let missing = global_id("Engagement", 999_999);
    assert_eq!(error_code(&app.gql(&token, query, json!({ "id": missing })).await), "NOT_FOUND");

    // Checks on the document itself still run on a remembered one; a text that
    // does not parse is refused the same way every time.
    for _ in 0..2 {
        let body = app.gql(&token, "{ engagements(first: 101) { totalCount } }", json!({})).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        let body = app.gql(&token, "{ viewer { subject ", json!({})).await;
        assert!(body.get("data").is_none(), "{body}");
        assert!(body["errors"][0]["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    }
}
