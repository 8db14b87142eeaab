//! The test harness: a fresh database and a running server per test.

use std::{path::Path, time::Duration};

use opskit_api::{
    Config,
    auth::{GlobalRole, TokenRequest, mint},
    http,
};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

use super::{
    postgres,
    template::{Template, template},
};

pub const SECRET: &str = "test-secret-that-is-long-enough-for-hs256";

/// Which database the suite runs on.
pub fn backend() -> &'static str {
    match std::env::var("OPSKIT_TEST_DATABASE").as_deref() {
        Ok("postgres") | Ok("postgresql") => "postgres",
        _ => "sqlite",
    }
}

/// The URL of the SQLite file at `path`, created on first connection.
pub(super) fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

/// A database of its own for one test, removed when dropped (on PostgreSQL,
/// in the background).
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    /// The PostgreSQL database's name.
    pg: Option<String>,
}

impl TestDb {
    /// An empty database: no tables, no kit (for the CLI, which migrates itself).
    pub async fn empty() -> Self {
        Self::create(None).await
    }

    /// A database as a fresh server leaves it on first start (migrated, the
    /// bundled kit imported): a copy of this run's template.
    pub async fn prepared() -> Self {
        Self::create(Some(template().await)).await
    }

    async fn create(from: Option<&Template>) -> Self {
        if backend() == "postgres" {
            let template = match from {
                Some(Template::Postgres(name)) => Some(name.as_str()),
                _ => None,
            };
            let name = postgres::create(&uuid::Uuid::new_v4().simple().to_string(), template).await;
            Self { url: postgres::url(&postgres::admin_url(), &name), _dir: None, pg: Some(name) }
        } else {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("opskit.db");
            if let Some(Template::Sqlite(bytes)) = from {
                std::fs::write(&path, bytes).expect("copy the template");
            }
            Self { url: sqlite_url(&path), _dir: Some(dir), pg: None }
        }
    }

    /// A connection of the test's own, beside the server's (for looking behind the API).
    pub async fn connect(&self) -> DatabaseConnection {
        Database::connect(&self.url).await.expect("connect to the test database")
    }

    /// Runs `sql` directly (to set up what no mutation writes).
    pub async fn execute(&self, sql: &str) {
        let conn = self.connect().await;
        conn.execute_unprepared(sql).await.expect("statement runs");
        conn.close().await.ok();
    }

    /// Counts rows of `table` directly (for "nothing was written" checks).
    pub async fn count_rows(&self, table: &str) -> i64 {
        let conn = self.connect().await;
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

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = self.pg.take() {
            postgres::drop_later(name);
        }
    }
}

/// A running server on a database of its own.
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
        Self::start_on(TestDb::prepared().await, tweak).await
    }

    /// Starts on database `db` as it is (a CLI command may have filled it).
    pub async fn start_on(db: TestDb, tweak: impl FnOnce(&mut Config)) -> Self {
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

    /// Counts rows of `table` directly (for "nothing was written" checks).
    pub async fn count_rows(&self, table: &str) -> i64 {
        self.db.count_rows(table).await
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
