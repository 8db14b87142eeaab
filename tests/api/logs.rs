//! The server's log: one info line per GraphQL request (operation, cost,
//! duration, status), and no customer data: neither query variables (also
//! not a GET's query string) nor audit summaries at the default level.

use std::{
    process::{Command, Stdio},
    time::Duration,
};

use serde_json::json;

use crate::common::{SECRET, TestDb, engagement_input, token_for};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_carry_no_customer_data() {
    let db = TestDb::prepared().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_opskit"))
        .env("DATABASE_URL", &db.url)
        .env("OPSKIT_LOG", "info")
        .env("OPSKIT_LOG_FORMAT", "json")
        .env("OPSKIT_JWT_SECRET", SECRET)
        .env_remove("OPSKIT_JWT_PUBLIC_KEYS")
        .env_remove("OPSKIT_JWT_JWKS_URL")
        .args(["serve", "--workers", "1", "--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let mut up = false;
    for _ in 0..300 {
        if client.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status().is_success()) {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let token = token_for("ada", &["consultant"]);

    let input = engagement_input(json!({ "name": "Secret-Marker-Name", "customerName": "Secret-Marker-Customer" }));
    let create = "mutation CreateMobilize($input: CreateEngagementInput!) {
        createEngagement(input: $input) { engagement { id } userErrors { code } } }";
    let created = client
        .post(format!("{base}/graphql"))
        .bearer_auth(&token)
        .json(&json!({ "query": create, "variables": { "input": input } }))
        .send()
        .await;
    let find = "query FindKits($key: String) { kits(key: $key) { totalCount } }";
    let found = client
        .get(format!("{base}/graphql"))
        .bearer_auth(&token)
        .query(&[("query", find), ("operationName", "FindKits"), ("variables", r#"{"key":"Secret-Marker-Variable"}"#)])
        .send()
        .await;
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(up, "the server came up: {log}");
    assert!(created.is_ok_and(|r| r.status().is_success()) && found.is_ok_and(|r| r.status().is_success()), "{log}");

    assert!(!log.contains("Secret-Marker"), "customer data in the log:\n{log}");
    let lines: Vec<serde_json::Value> = log.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    for operation in ["CreateMobilize", "FindKits"] {
        let line = lines
            .iter()
            .find(|l| l["message"] == "graphql request" && l["operations"] == operation)
            .unwrap_or_else(|| panic!("no line for {operation}:\n{log}"));
        assert_eq!(line["level"], "INFO", "{line}");
        assert_eq!(line["status"], 200, "{line}");
        assert!(line["cost.requested"].as_u64().is_some_and(|c| c > 0), "{line}");
        assert!(line["duration_ms"].is_u64(), "{line}");
    }
}
