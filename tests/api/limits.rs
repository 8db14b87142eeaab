//! Limits: the cost of an operation (computed before it runs), the budget of
//! points per identity, mutations per operation and operations per batch.

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{TestApp, engagement_input, error_code};

/// `extensions.cost.requested` of a response.
fn requested(body: &Value) -> u64 {
    body["extensions"]["cost"]["requested"].as_u64().unwrap_or_else(|| panic!("no cost in {body}"))
}

/// `count` aliases of `field`, e.g. `a0: kits { … } a1: kits { … }`.
fn aliases(count: usize, field: &str) -> String {
    (0..count).map(|i| format!("a{i}: {field}")).collect::<Vec<_>>().join(" ")
}

/// POSTs a batch (a JSON array of operations).
async fn batch(app: &TestApp, token: &str, operations: &[&str]) -> (StatusCode, Value) {
    let body: Vec<Value> = operations.iter().map(|q| json!({ "query": q })).collect();
    let resp = app.http.post(app.url("/graphql")).bearer_auth(token).json(&body).send().await.unwrap();
    (resp.status(), resp.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cost_follows_page_sizes_ids_and_aliases() {
    let app = TestApp::start().await;
    let ada = app.token("ada", &["consultant"]);
    let engagement = app.create_engagement(&ada, "Mobilize").await;

    // A connection costs its page size times what each node selects.
    let body = app.gql(&ada, "{ kits(first: 30) { nodes { key version } } }", json!({})).await;
    assert_eq!(requested(&body), 30 * (1 + 2));
    let body = app.gql(&ada, "{ kits { nodes { key } } }", json!({})).await;
    assert_eq!(requested(&body), 20 * 2, "the default page is 20");
    // `nodes(ids:)` costs the number of IDs times what each selects.
    let body = app
        .gql(&ada, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", json!({ "ids": vec![engagement.clone(); 7] }))
        .await;
    assert_eq!(requested(&body), 7);
    // Aliases are separate fields.
    let body = app.gql(&ada, &format!("{{ {} }}", aliases(3, "kits(first: 10) { nodes { key } }")), json!({})).await;
    assert_eq!(requested(&body), 3 * 10 * 2);
    // The actual cost counts what was resolved: `kits`, `nodes`, one kit and its `key`; not thirty kits.
    let body = app.gql(&ada, "{ kits(first: 30) { nodes { key } } }", json!({})).await;
    assert_eq!(body["extensions"]["cost"]["actual"], 4, "{body}");
    // `__typename` is free.
    let body = app.gql(&ada, "{ __typename kits(first: 30) { __typename nodes { __typename key } } }", json!({})).await;
    assert_eq!(body["extensions"]["cost"]["actual"], 4, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operation_over_the_maximum_is_refused_before_any_sql() {
    let statements = Arc::new(AtomicU64::new(0));
    let counter = statements.clone();
    let (app, _pool) = TestApp::start_on_pool(
        |_| {},
        |pool| {
            // Requests' statements only: the event feed reads the event log
            // whenever any change in this process commits.
            pool.set_metric_callback(move |info| {
                if !info.statement.sql.contains("audit_events") {
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            })
        },
    )
    .await;
    let ada = app.token("ada", &["consultant"]);
    let engagement = app.create_engagement(&ada, "Mobilize").await;
    let ids = vec![engagement.clone(); 100];

    // What a request costs in SQL when no field runs: finding the caller.
    let before = statements.load(Ordering::Relaxed);
    app.data(&ada, "{ __typename }", json!({})).await;
    let caller_only = statements.load(Ordering::Relaxed) - before;

    // 201 aliases × 100 IDs: 20,100 points, over the default 20,000.
    let query = format!("query($ids: [ID!]!) {{ {} }}", aliases(201, "nodes(ids: $ids) { id }"));
    let before = statements.load(Ordering::Relaxed);
    let body = app.gql(&ada, &query, json!({ "ids": ids })).await;
    assert_eq!(error_code(&body), "QUERY_TOO_COSTLY", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["cost"], 20_100);
    assert_eq!(body["errors"][0]["extensions"]["maxCost"], 20_000);
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(statements.load(Ordering::Relaxed) - before, caller_only, "no SQL ran for the refused operation");

    // Just under the maximum runs (and runs SQL).
    let query = format!("query($ids: [ID!]!) {{ {} }}", aliases(2, "nodes(ids: $ids) { id }"));
    let before = statements.load(Ordering::Relaxed);
    let data = app.data(&ada, &query, json!({ "ids": ids })).await;
    assert_eq!(data["a1"][99]["id"], engagement.as_str());
    assert!(statements.load(Ordering::Relaxed) - before > caller_only);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_dashboard_query_fits_with_room() {
    let app = TestApp::start().await;
    let ada = app.token("ada", &["consultant"]);
    let engagement = app.create_engagement(&ada, "Mobilize").await;
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("# 5. Where are we?").expect("the README's dashboard query");
    let block = &readme[start..];
    let query = &block[block.find('\n').unwrap()..block.find("```").unwrap()];
    let query = query.replace("$e", &format!("\"{engagement}\""));
    let body = app.gql(&ada, &query, json!({})).await;
    assert!(body.get("errors").is_none(), "{body}");
    let cost = requested(&body);
    assert!(cost * 4 <= 20_000, "the dashboard costs {cost}: less than a quarter of the maximum");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutations_and_batches_are_bounded() {
    let app = TestApp::start().await;
    let ada = app.token("ada", &["consultant"]);

    // Eleven aliased mutations: refused whole, nothing written.
    let field = "createEngagement(input: $input) { engagement { id } }";
    let query = format!("mutation($input: CreateEngagementInput!) {{ {} }}", aliases(11, field));
    let before = app.count_rows("engagements").await;
    let body = app.gql(&ada, &query, json!({ "input": engagement_input(json!({})) })).await;
    assert_eq!(error_code(&body), "TOO_MANY_OPERATIONS", "{body}");
    assert_eq!(app.count_rows("engagements").await, before);
    // Through a fragment too.
    let query = format!(
        "mutation($input: CreateEngagementInput!) {{ ...many }} fragment many on Mutation {{ {} }}",
        aliases(11, field)
    );
    let body = app.gql(&ada, &query, json!({ "input": engagement_input(json!({})) })).await;
    assert_eq!(error_code(&body), "TOO_MANY_OPERATIONS", "{body}");
    assert_eq!(app.count_rows("engagements").await, before);
    // Two are fine.
    let query = format!("mutation($input: CreateEngagementInput!) {{ {} }}", aliases(2, field));
    app.data(&ada, &query, json!({ "input": engagement_input(json!({})) })).await;
    assert_eq!(app.count_rows("engagements").await, before + 2);

    // Eleven operations in one POST: refused; two: each answered, with its cost.
    let ops = vec!["{ viewer { subject } }"; 11];
    let (status, body) = batch(&app, &ada, &ops).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(error_code(&body), "TOO_MANY_OPERATIONS");
    let (status, body) = batch(&app, &ada, &["{ viewer { subject } }", "{ kits { nodes { key } } }"]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body[0]["data"]["viewer"]["subject"], "ada");
    assert_eq!(body[1]["data"]["kits"]["nodes"][0]["key"], "aws-operations");
    assert_eq!(requested(&body[1]), 40);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_identity_spends_a_budget_per_window() {
    let app = TestApp::start_with(|c| c.limits.budget = 100).await;
    let ada = app.token("ada", &["consultant"]);

    // 60 points requested, 4 used: 96 remain.
    let (status, headers, body) = app.post(Some(&ada), "{ kits(first: 30) { nodes { key } } }", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cost = &body["extensions"]["cost"];
    assert_eq!((cost["requested"].as_u64(), cost["actual"].as_u64()), (Some(60), Some(4)));
    assert_eq!(cost["remaining"], 96);
    assert!(cost["resetAt"].as_str().is_some_and(|t| t.ends_with('Z')), "{cost}");
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    assert_eq!(header("ratelimit-limit").as_deref(), Some("100"));
    assert_eq!(header("ratelimit-remaining").as_deref(), Some("96"));
    let reset: i64 = header("ratelimit-reset").unwrap().parse().unwrap();
    assert!((1..=3601).contains(&reset), "{reset}");

    // The query field tells the same: its own cost (5) is spent in advance.
    let data = app.data(&ada, "{ rateLimit { cost limit remaining resetAt } }", json!({})).await;
    assert_eq!(data["rateLimit"]["cost"], 5);
    assert_eq!(data["rateLimit"]["limit"], 100);
    assert_eq!(data["rateLimit"]["remaining"], 91);

    // 98 points do not fit in 91: 429, nothing runs.
    let (status, headers, body) = app.post(Some(&ada), "{ kits(first: 49) { nodes { key } } }", json!({})).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(error_code(&body), "RATE_LIMITED");
    assert!(body.get("data").is_none(), "{body}");
    let retry: i64 = headers.get("retry-after").unwrap().to_str().unwrap().parse().unwrap();
    assert!((1..=3601).contains(&retry), "{retry}");
    assert_eq!(headers.get("ratelimit-remaining").unwrap(), "91");

    // Batched operations share the budget: the second sees what the first left.
    let (status, body) =
        batch(&app, &ada, &["{ kits(first: 30) { nodes { key } } }", "{ kits(first: 40) { nodes { key } } }"]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body[0]["extensions"]["cost"]["remaining"], 87);
    assert_eq!(body[1]["extensions"]["cost"]["remaining"], 83);
    let (status, body) =
        batch(&app, &ada, &["{ kits(first: 40) { nodes { key } } }", "{ kits(first: 45) { nodes { key } } }"]).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "80 fit, 90 do not: {body}");
    assert_eq!(body[0]["data"]["kits"]["nodes"][0]["key"], "aws-operations");
    assert_eq!(error_code(&body[1]), "RATE_LIMITED");

    // Another identity has a budget of its own.
    let bob = app.token("bob", &[]);
    let (status, _, body) = app.post(Some(&bob), "{ kits(first: 49) { nodes { key } } }", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
