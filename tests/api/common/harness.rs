//! The test harness: a fresh database and a running server per test.

use std::{path::Path, time::Duration};

pub use opskit_api::Config;
use opskit_api::{
    auth::{GlobalRole, TokenRequest, mint},
    http,
};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

use super::{
    postgres,
    template::{Template, template},
};

pub const SECRET: &str = "test-secret-that-is-long-enough-for-hs256";
/// The ID key of every test server (a process serves one ID key).
pub const ID_KEY: &str = "test-id-key-that-is-at-least-32-bytes-long";

/// Installs the test servers' ID key in this process, for helpers that make
/// or read global IDs (the servers install the same one).
/// A configuration for a test server: `database_url`, HS256 `secret`, and the
/// one ID key every server of the test process shares.
pub fn test_config(database_url: &str, secret: &str) -> Config {
    Config { id_key: Some(ID_KEY.to_owned()), ..Config::for_database(database_url, secret) }
}

/// A delivery configuration for tests (webhooks, tracker updates): loopback
/// allowed, retries in milliseconds.
pub fn fast_deliveries(config: &mut Config) {
    config.delivery.guard.allow_loopback = true;
    config.delivery.tick = Duration::from_millis(50);
    config.delivery.timeout = Duration::from_secs(5);
    config.delivery.schedule = opskit_api::delivery::Schedule {
        base: Duration::from_millis(20),
        max: Duration::from_millis(200),
        give_up_after: Duration::from_secs(120),
    };
}

pub fn install_id_key() {
    opskit_api::graphql::ids::install(opskit_api::graphql::ids::IdKey::derive(ID_KEY.as_bytes()))
        .expect("one ID key per test process");
}

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

    /// Another test database's URL, which that database's owner removes.
    pub fn borrowed(url: &str) -> Self {
        Self { url: url.to_owned(), _dir: None, pg: None }
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
        let mut config = test_config(&db.url, SECRET);
        tweak(&mut config);
        let running = http::start(&config, "127.0.0.1:0", 1).await.expect("server starts");
        Self::serving(db, running)
    }

    /// Starts on a pool of the test's own (`watch` may set a metric callback
    /// on it first) and returns a handle on the same pool, to hold its
    /// connections or count its statements.
    pub async fn start_on_pool(
        tweak: impl FnOnce(&mut Config),
        watch: impl FnOnce(&mut DatabaseConnection),
    ) -> (Self, DatabaseConnection) {
        Self::serve_on(TestDb::prepared().await, tweak, watch).await
    }

    /// A second server on `other`'s database (which outlives it), with `tweak`ed config.
    pub async fn start_on_pool_of(other: &TestApp, tweak: impl FnOnce(&mut Config)) -> (Self, DatabaseConnection) {
        Self::serve_on(TestDb::borrowed(&other.db.url), tweak, |_| {}).await
    }

    async fn serve_on(
        db: TestDb,
        tweak: impl FnOnce(&mut Config),
        watch: impl FnOnce(&mut DatabaseConnection),
    ) -> (Self, DatabaseConnection) {
        let mut config = test_config(&db.url, SECRET);
        tweak(&mut config);
        let mut pool = opskit_api::db::connect(&db.url, &config.limits).await.expect("the pool opens");
        watch(&mut pool);
        let running = http::start_on(&config, pool.clone(), "127.0.0.1:0", 1).await.expect("server starts");
        (Self::serving(db, running), pool)
    }

    fn serving(db: TestDb, running: http::Running) -> Self {
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
    token_lasting(sub, roles, Duration::from_secs(600))
}

/// A valid token for `sub` with global `roles` that expires after `ttl`.
pub fn token_lasting(sub: &str, roles: &[&str], ttl: Duration) -> String {
    let request = TokenRequest {
        subject: sub.to_owned(),
        name: Some(format!("User {sub}")),
        email: Some(format!("{sub}@example.com")),
        roles: roles.iter().filter_map(|r| GlobalRole::parse(r)).collect(),
        ttl,
        issuer: "opskit".into(),
        audience: "opskit".into(),
    };
    mint(SECRET, &request).expect("token")
}
