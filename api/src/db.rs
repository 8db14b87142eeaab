//! Database connection, migrations and the one way to write: the
//! [`transaction!`] block, which commits when the block succeeds and rolls
//! back otherwise, retried when PostgreSQL reports a serialization failure or
//! SQLite is busy. On SQLite a write transaction takes the write lock when it
//! begins (`BEGIN IMMEDIATE`), so concurrent writers queue on the busy
//! timeout instead of failing when a read turns into a write.

use std::time::Duration;

use opskit_migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

use crate::{
    error::{Error, Result},
    limits::Limits,
};

/// How long a SQLite writer waits for the write lock before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens a pool of `limits.pool_size` connections (default 8 on SQLite, 16 on
/// PostgreSQL); waiting for one is bounded by `limits.acquire_timeout`.
/// SQLite files run in WAL mode with foreign keys enforced and a busy
/// timeout; PostgreSQL connections cancel any statement running longer than
/// the request deadline (`statement_timeout`), unless it is zero (migrations
/// and kit imports run without one: see [`Limits::without_deadline`]).
/// Every statement is counted in the metrics (`opskit_db_statements_total`).
pub async fn connect(url: &str, limits: &Limits) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false).connect_timeout(Duration::from_secs(10)).acquire_timeout(limits.acquire_timeout);
    if url.starts_with("sqlite:") {
        options.max_connections(limits.pool_size.unwrap_or(8)).map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
        });
    } else {
        options.max_connections(limits.pool_size.unwrap_or(16));
        if !limits.request_timeout.is_zero() {
            let timeout = format!("{}", limits.request_timeout.as_millis().max(1));
            options.map_sqlx_postgres_opts(move |opts| opts.options([("statement_timeout", timeout.as_str())]));
        }
    }
    let mut db = Database::connect(options).await?;
    // `opskit_db_statements_total`: what the benchmark divides by requests.
    if let Some(metrics) = crate::metrics::get() {
        db.set_metric_callback(move |_| metrics.statement());
    }
    Ok(db)
}

/// Opens a write transaction: on SQLite it holds the write lock from its
/// first statement (`BEGIN IMMEDIATE`); PostgreSQL ignores the mode.
pub async fn begin_write(db: &DatabaseConnection) -> std::result::Result<DatabaseTransaction, DbErr> {
    let options =
        TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() };
    db.begin_with_options(options).await
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await?;
    Ok(())
}

/// `SELECT 1`: is the database reachable?
pub async fn ping(db: &DatabaseConnection) -> Result<()> {
    db.ping().await?;
    Ok(())
}

/// Whether `SELECT … FOR UPDATE` is available (PostgreSQL); SQLite serializes writers anyway.
pub fn supports_row_locks(db: &impl ConnectionTrait) -> bool {
    db.get_database_backend() == DbBackend::Postgres
}

/// Runs a block in one transaction: `transaction!(db, |tx| { ... Ok(value) })`.
/// The transaction commits when the block returns `Ok` and rolls back otherwise.
/// The block runs again (up to 5 times) when PostgreSQL reports a serialization
/// failure or SQLite is busy, so it must not have side effects outside `tx`.
/// (A macro rather than a closure-taking function so that the block may borrow
/// freely and its future stays `Send`.)
#[macro_export]
macro_rules! transaction {
    ($db:expr, |$tx:ident| $body:block) => {{
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let opened = $crate::db::begin_write($db).await?;
            let outcome: $crate::error::Result<_> = {
                let $tx = &opened;
                async { $body }.await
            };
            let outcome = $crate::db::finish(opened, outcome).await;
            if !$crate::db::retry_after(&outcome, attempt).await {
                break outcome;
            }
        }
    }};
}

/// Commits on success, rolls back on failure.
pub async fn finish<T>(tx: DatabaseTransaction, outcome: Result<T>) -> Result<T> {
    match outcome {
        Ok(value) => tx.commit().await.map(|()| value).map_err(Error::from),
        Err(err) => {
            let _ = tx.rollback().await;
            Err(err)
        }
    }
}

/// Whether a failed attempt should run again; waits a little before saying yes.
pub async fn retry_after<T>(outcome: &Result<T>, attempt: u32) -> bool {
    // Every change also writes the day's progress snapshot, so transactions
    // are a little longer and concurrent writers collide a little more often.
    const ATTEMPTS: u32 = 8;
    match outcome {
        Err(Error::Internal(cause)) if attempt < ATTEMPTS && is_retryable(cause) => {
            tracing::debug!(attempt, "transaction retried: {cause}");
            tokio::time::sleep(Duration::from_millis(10 * u64::from(attempt))).await;
            true
        }
        _ => false,
    }
}

/// Serialization failures and deadlocks (PostgreSQL) and a busy database (SQLite).
fn is_retryable(cause: &anyhow::Error) -> bool {
    let text = cause.to_string();
    ["40001", "40P01", "could not serialize", "deadlock detected", "database is locked", "SQLITE_BUSY"]
        .iter()
        .any(|needle| text.contains(needle))
}

/// Whether a database error is a unique-constraint violation.
pub fn is_unique_violation(err: &Error) -> bool {
    match err {
        Error::Internal(cause) => {
            let text = cause.to_string();
            text.contains("UNIQUE constraint failed") || text.contains("duplicate key value") || text.contains("23505")
        }
        _ => false,
    }
}
