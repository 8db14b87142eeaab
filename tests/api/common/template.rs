//! One prepared template database per test run, built on first use the way a
//! fresh server prepares its database on first start (migrations, then the
//! bundled kit), and copied for every test instead of preparing each again:
//! on SQLite a file's bytes held in memory, on PostgreSQL a database of this
//! run that test databases are created from with `CREATE DATABASE … TEMPLATE`.

use opskit_api::{Config, http};
use sea_orm::ConnectionTrait;
use tokio::sync::OnceCell;

use super::{
    harness::{SECRET, backend, sqlite_url},
    postgres,
};

/// What a test's database is copied from.
pub enum Template {
    /// The contents of a prepared SQLite file (nothing of it stays on disk).
    Sqlite(Vec<u8>),
    /// The name of a prepared PostgreSQL database of this run.
    Postgres(String),
}

static TEMPLATE: OnceCell<Template> = OnceCell::const_new();

/// This run's template, built by whichever test asks first.
pub async fn template() -> &'static Template {
    TEMPLATE
        .get_or_init(|| async {
            if backend() == "postgres" {
                Template::Postgres(postgres_template().await)
            } else {
                Template::Sqlite(sqlite_template().await)
            }
        })
        .await
}

/// Prepares the database at `url` as the server does on first start.
async fn prepare(url: &str) -> sea_orm::DatabaseConnection {
    http::prepare(&Config::for_database(url, SECRET)).await.expect("the template database is prepared")
}

async fn sqlite_template() -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = prepare(&sqlite_url(&dir.path().join("template.db"))).await;
    // One self-contained file, whatever the write-ahead log still holds.
    let copy = dir.path().join("copy.db");
    db.execute_unprepared(&format!("VACUUM INTO '{}'", copy.display())).await.expect("vacuum into");
    db.close().await.ok();
    std::fs::read(copy).expect("read the template")
}

async fn postgres_template() -> String {
    let name = postgres::create("template", None).await;
    // Closed before use: a database is copied only while nobody is connected to it.
    prepare(&postgres::url(&postgres::admin_url(), &name)).await.close().await.ok();
    name
}
