//! This run's databases on the PostgreSQL server. Each is named after the run
//! (`opskit_run_<id>_…`), and while the run lives a connection bearing the
//! run's name marks them as in use. Tests drop their database in the
//! background when they end; whatever a run leaves (its template, a drop cut
//! short when the process exits) is dropped by the next run, which drops the
//! databases of every run that no connection names any more. Parallel runs
//! never touch each other's databases.

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement, sqlx};
use tokio::{runtime::Handle, sync::OnceCell};

const PREFIX: &str = "opskit_run_";

/// The PostgreSQL maintenance database the suite creates its databases from.
pub fn admin_url() -> String {
    std::env::var("OPSKIT_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// The URL of database `name` on the server of `admin`.
pub fn url(admin: &str, name: &str) -> String {
    let base = admin.rsplit_once('/').map_or(admin, |(base, _)| base);
    format!("{base}/{name}")
}

/// The running test binary, as the server sees it.
struct Run {
    /// `opskit_run_<id>`: the marker connection's name, and the prefix of the run's databases.
    name: String,
    /// The marker's runtime, which outlives every test's own: background drops run on it.
    runtime: Handle,
}

static RUN: OnceCell<Run> = OnceCell::const_new();

/// This run, marked on the server on first use (after dropping what ended runs left).
async fn run() -> &'static Run {
    RUN.get_or_init(|| async {
        let name = format!("{PREFIX}{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
        let (marked, ready) = futures::channel::oneshot::channel();
        let marker = name.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async move {
                let options: sqlx::postgres::PgConnectOptions = admin_url().parse().expect("OPSKIT_TEST_POSTGRES_URL");
                let _marker =
                    <sqlx::PgConnection as sqlx::Connection>::connect_with(&options.application_name(&marker))
                        .await
                        .expect("connect to OPSKIT_TEST_POSTGRES_URL");
                drop_ended_runs().await;
                let _ = marked.send(Handle::current());
                std::future::pending::<()>().await;
            });
        });
        let runtime = ready.await.expect("the run is marked on the server (see the panic above)");
        Run { name, runtime }
    })
    .await
}

/// A connection to the maintenance database.
async fn admin() -> DatabaseConnection {
    Database::connect(&admin_url()).await.expect("connect to OPSKIT_TEST_POSTGRES_URL")
}

/// Creates database `{run}_{suffix}`, a copy of `template` when given; returns its name.
pub async fn create(suffix: &str, template: Option<&str>) -> String {
    let name = format!("{}_{suffix}", run().await.name);
    let copy = template.map(|t| format!(" TEMPLATE {t}")).unwrap_or_default();
    let conn = admin().await;
    conn.execute_unprepared(&format!("CREATE DATABASE {name}{copy}")).await.expect("create a database");
    conn.close().await.ok();
    name
}

/// Drops database `name` in the background: the test need not wait for it.
pub fn drop_later(name: String) {
    if let Some(run) = RUN.get() {
        run.runtime.spawn(async move {
            let conn = admin().await;
            conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.ok();
            conn.close().await.ok();
        });
    }
}

/// Drops the databases of the runs that have ended: no connection bears their name.
async fn drop_ended_runs() {
    let conn = admin().await;
    let run = format!("substr(datname::text, 1, {})", PREFIX.len() + 12);
    let sql = format!(
        "SELECT datname::text AS name FROM pg_database WHERE starts_with(datname::text, '{PREFIX}')
           AND {run} NOT IN (SELECT application_name FROM pg_stat_activity)"
    );
    let rows = conn.query_all_raw(Statement::from_string(conn.get_database_backend(), sql)).await.expect("databases");
    for row in rows {
        let name: String = row.try_get("", "name").expect("name");
        // Another run may be dropping it at the same moment: either drop will do.
        conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.ok();
    }
    conn.close().await.ok();
}
