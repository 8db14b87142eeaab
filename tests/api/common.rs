//! The test harness: a fresh database and a running server per test.

use std::{path::PathBuf, time::Duration};

use opskit_api::{
    Config,
    auth::{GlobalRole, TokenRequest, mint},
    http,
};
use reqwest::{StatusCode, header::HeaderMap};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

pub const SECRET: &str = "test-secret-that-is-long-enough-for-hs256";

/// Which database the suite runs on.
pub fn backend() -> &'static str {
    match std::env::var("OPSKIT_TEST_DATABASE").as_deref() {
        Ok("postgres") | Ok("postgresql") => "postgres",
        _ => "sqlite",
    }
}

/// A fresh, empty database that is removed when dropped.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl TestDb {
    pub async fn new() -> Self {
        if backend() == "postgres" {
            let admin = std::env::var("OPSKIT_TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
            let name = format!("opskit_test_{}", uuid::Uuid::new_v4().simple());
            let conn = Database::connect(&admin).await.expect("connect to OPSKIT_TEST_POSTGRES_URL");
            conn.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
            conn.close().await.ok();
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b).to_owned();
            Self { url: format!("{base}/{name}"), _dir: None, pg: Some((admin, name)) }
        } else {
            let dir = tempfile::tempdir().expect("temp dir");
            let path: PathBuf = dir.path().join("opskit.db");
            Self { url: format!("sqlite://{}?mode=rwc", path.display()), _dir: Some(dir), pg: None }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg.take() {
            // Runs on its own thread and runtime: Drop cannot await.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                rt.block_on(async {
                    let conn = Database::connect(&admin).await.ok()?;
                    conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.ok()
                })
            })
            .join();
        }
    }
}

/// A running server on a fresh database.
pub struct TestApp {
    pub base: String,
    pub db: TestDb,
    pub http: reqwest::Client,
    handle: actix_web::dev::ServerHandle,
}

impl TestApp {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// Starts with a configuration adjusted by `tweak` (keys, issuer, ...).
    pub async fn start_with(tweak: impl FnOnce(&mut Config)) -> Self {
        let db = TestDb::new().await;
        let mut config = Config::for_database(&db.url, SECRET);
        tweak(&mut config);
        let running = http::start(&config, "127.0.0.1:0", 1).await.expect("server starts");
        let handle = running.handle.clone();
        tokio::spawn(running.server);
        let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().expect("client");
        Self { base: format!("http://{}", running.addr), db, http, handle }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A valid token for `sub` with global `roles` (`admin`, `consultant`).
    pub fn token(&self, sub: &str, roles: &[&str]) -> String {
        token_for(sub, roles)
    }

    /// POSTs a GraphQL request; returns status, headers and body.
    pub async fn post(&self, token: Option<&str>, query: &str, variables: Value) -> (StatusCode, HeaderMap, Value) {
        let mut req = self.http.post(self.url("/graphql")).json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        let resp = req.send().await.expect("request sent");
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp.json::<Value>().await.unwrap_or(Value::Null);
        (status, headers, body)
    }

    /// A GraphQL request that must succeed at the HTTP level; returns the body.
    pub async fn gql(&self, token: &str, query: &str, variables: Value) -> Value {
        let (status, _, body) = self.post(Some(token), query, variables).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// A GraphQL request that must have no errors; returns `data`.
    pub async fn data(&self, token: &str, query: &str, variables: Value) -> Value {
        let body = self.gql(token, query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// Creates an engagement as `token`'s user and returns its ID.
    pub async fn create_engagement(&self, token: &str, name: &str) -> String {
        let data = self
            .data(
                token,
                "mutation($input: CreateEngagementInput!) { createEngagement(input: $input) {
                    engagement { id } userErrors { code } } }",
                json!({ "input": {
                    "name": name, "customerName": "Acme Health", "kitKey": "aws-operations",
                    "kitVersion": "1.0.0", "startsOn": "2026-12-07", "sprintLengthDays": 14 } }),
            )
            .await;
        assert_eq!(data["createEngagement"]["userErrors"], json!([]), "{data}");
        data["createEngagement"]["engagement"]["id"].as_str().expect("engagement id").to_owned()
    }

    /// Adds `subject` to an engagement with `role`; returns the member ID.
    pub async fn add_member(&self, token: &str, engagement: &str, subject: &str, role: &str) -> String {
        let data = self
            .data(
                token,
                "mutation($input: AddEngagementMemberInput!) { addEngagementMember(input: $input) {
                    member { id } userErrors { code message } } }",
                json!({ "input": { "engagementId": engagement, "subject": subject, "role": role } }),
            )
            .await;
        assert_eq!(data["addEngagementMember"]["userErrors"], json!([]), "{data}");
        data["addEngagementMember"]["member"]["id"].as_str().expect("member id").to_owned()
    }

    /// Counts rows of `table` directly (for "nothing was written" checks).
    pub async fn count_rows(&self, table: &str) -> i64 {
        let conn = Database::connect(&self.db.url).await.expect("connect");
        let backend = conn.get_database_backend();
        let row = conn
            .query_one_raw(sea_orm::Statement::from_string(backend, format!("SELECT COUNT(*) AS n FROM {table}")))
            .await
            .expect("count")
            .expect("a row");
        let n: i64 = row.try_get("", "n").expect("n");
        conn.close().await.ok();
        n
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        drop(handle.stop(false));
    }
}

pub fn token_for(sub: &str, roles: &[&str]) -> String {
    let request = TokenRequest {
        subject: sub.to_owned(),
        name: Some(format!("User {sub}")),
        email: Some(format!("{sub}@example.com")),
        roles: roles.iter().filter_map(|r| GlobalRole::parse(r)).collect(),
        ttl: Duration::from_secs(600),
        issuer: "opskit".into(),
        audience: "opskit".into(),
    };
    mint(SECRET, &request).expect("token")
}

/// The `extensions.code` of the first top-level error.
pub fn error_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"].as_str().unwrap_or_else(|| panic!("no error code in {body}"))
}
