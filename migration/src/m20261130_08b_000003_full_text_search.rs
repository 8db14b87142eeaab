//! Full-text search with each database's own engine, kept in step by the
//! database itself so no write path can forget it.
//!
//! - PostgreSQL: generated `tsvector` columns (English stemming) with GIN
//!   indexes on engagements (name, customer name) and runbook revisions (body).
//! - SQLite: FTS5 tables (Porter stemming) kept in step by triggers:
//!   `engagement_fts` over engagements' name and customer name (external
//!   content), and `runbook_fts` over each baselined runbook's title and
//!   baselined body (rowid = runbook id).

use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const POSTGRES_UP: &[&str] = &[
    "ALTER TABLE engagements ADD COLUMN search_document tsvector GENERATED ALWAYS AS \
     (setweight(to_tsvector('english', coalesce(name, '')), 'A') || \
      setweight(to_tsvector('english', coalesce(customer_name, '')), 'B')) STORED",
    "CREATE INDEX ix_engagements_search ON engagements USING GIN (search_document)",
    "ALTER TABLE runbook_revisions ADD COLUMN search_document tsvector GENERATED ALWAYS AS \
     (to_tsvector('english', coalesce(body, ''))) STORED",
    "CREATE INDEX ix_runbook_revisions_search ON runbook_revisions USING GIN (search_document)",
];

const POSTGRES_DOWN: &[&str] = &[
    "DROP INDEX IF EXISTS ix_runbook_revisions_search",
    "ALTER TABLE runbook_revisions DROP COLUMN IF EXISTS search_document",
    "DROP INDEX IF EXISTS ix_engagements_search",
    "ALTER TABLE engagements DROP COLUMN IF EXISTS search_document",
];

const SQLITE_UP: &[&str] = &[
    "CREATE VIRTUAL TABLE engagement_fts USING fts5(name, customer_name, content='engagements', \
     content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER engagement_fts_insert AFTER INSERT ON engagements BEGIN \
     INSERT INTO engagement_fts(rowid, name, customer_name) VALUES (new.id, new.name, new.customer_name); END",
    "CREATE TRIGGER engagement_fts_delete AFTER DELETE ON engagements BEGIN \
     INSERT INTO engagement_fts(engagement_fts, rowid, name, customer_name) \
     VALUES ('delete', old.id, old.name, old.customer_name); END",
    "CREATE TRIGGER engagement_fts_update AFTER UPDATE OF name, customer_name ON engagements BEGIN \
     INSERT INTO engagement_fts(engagement_fts, rowid, name, customer_name) \
     VALUES ('delete', old.id, old.name, old.customer_name); \
     INSERT INTO engagement_fts(rowid, name, customer_name) VALUES (new.id, new.name, new.customer_name); END",
    "INSERT INTO engagement_fts(engagement_fts) VALUES ('rebuild')",
    "CREATE VIRTUAL TABLE runbook_fts USING fts5(title, body, tokenize='porter unicode61')",
    "CREATE TRIGGER runbook_fts_baseline AFTER UPDATE OF title, baseline_revision_id ON runbooks BEGIN \
     DELETE FROM runbook_fts WHERE rowid = new.id; \
     INSERT INTO runbook_fts(rowid, title, body) \
     SELECT new.id, new.title, body FROM runbook_revisions WHERE id = new.baseline_revision_id; END",
    "CREATE TRIGGER runbook_fts_delete AFTER DELETE ON runbooks BEGIN \
     DELETE FROM runbook_fts WHERE rowid = old.id; END",
    "INSERT INTO runbook_fts(rowid, title, body) SELECT r.id, r.title, v.body FROM runbooks r \
     JOIN runbook_revisions v ON v.id = r.baseline_revision_id",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS runbook_fts_delete",
    "DROP TRIGGER IF EXISTS runbook_fts_baseline",
    "DROP TABLE IF EXISTS runbook_fts",
    "DROP TRIGGER IF EXISTS engagement_fts_update",
    "DROP TRIGGER IF EXISTS engagement_fts_delete",
    "DROP TRIGGER IF EXISTS engagement_fts_insert",
    "DROP TABLE IF EXISTS engagement_fts",
];

async fn run(m: &SchemaManager<'_>, postgres: &[&str], sqlite: &[&str]) -> Result<(), DbErr> {
    let statements = match m.get_database_backend() {
        DatabaseBackend::Postgres => postgres,
        _ => sqlite,
    };
    for sql in statements {
        m.get_connection().execute_unprepared(sql).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        run(m, POSTGRES_UP, SQLITE_UP).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        run(m, POSTGRES_DOWN, SQLITE_DOWN).await
    }
}
