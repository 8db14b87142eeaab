//! Full-text search with the database's own engine: PostgreSQL's `tsvector`
//! (English stemming, GIN indexes, `websearch_to_tsquery`, `ts_rank`,
//! `ts_headline`) or SQLite's FTS5 (Porter stemming, `bm25`, `snippet`). The
//! indexes are kept in step by the database (generated columns, triggers),
//! see the `full_text_search` migration. Every hit carries a rank (higher is
//! better; comparable within one answer only) and a snippet in which the
//! matched words are wrapped in `<mark>`…`</mark>`.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DatabaseBackend, FromQueryResult, Statement, Value, sea_query::Expr};

use crate::{
    domain::ids::EngagementId,
    error::{Error, Result},
};

/// Longest accepted search, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most terms (words separated by spaces) in one search.
pub const MAX_QUERY_TERMS: usize = 16;

/// A search as the client typed it, within the limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery(String);

impl SearchQuery {
    /// The search in `text`: none when blank; `QUERY_TOO_LONG` over
    /// [`MAX_QUERY_CHARS`] characters or [`MAX_QUERY_TERMS`] terms.
    pub fn parse(text: Option<&str>) -> Result<Option<Self>> {
        let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
        let chars = text.chars().count();
        let terms = text.split_whitespace().count();
        if chars > MAX_QUERY_CHARS || terms > MAX_QUERY_TERMS {
            return Err(Error::QueryTooLong(format!(
                "a search has at most {MAX_QUERY_CHARS} characters and {MAX_QUERY_TERMS} terms \
                 (this one has {chars} and {terms})"
            )));
        }
        Ok(Some(Self(text.to_owned())))
    }

    /// What the engine is given: PostgreSQL's `websearch_to_tsquery` takes the
    /// text as typed; FTS5 gets every term as a quoted string, all required,
    /// so that no character of the search is read as FTS5 syntax. A search
    /// FTS5 has nothing to look for in (only quotes and dashes) is an empty string.
    fn for_engine(&self, backend: DatabaseBackend) -> String {
        match backend {
            DatabaseBackend::Postgres => self.0.clone(),
            _ => self
                .0
                .split_whitespace()
                .map(|term| term.trim_start_matches('-').replace('"', ""))
                .filter(|term| !term.is_empty())
                .map(|term| format!("\"{term}\""))
                .collect::<Vec<_>>()
                .join(" "),
        }
    }

    /// Whether the engine has anything to look for (FTS5 refuses an empty query).
    fn is_searchable(&self, backend: DatabaseBackend) -> bool {
        !self.for_engine(backend).is_empty()
    }
}

/// How well an object matched, and where.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct Hit {
    /// The matching row.
    pub id: i64,
    /// Relevance: higher is better.
    pub rank: f64,
    /// The matching passage with `<mark>`…`</mark>` around the matched words.
    pub snippet: String,
}

/// A condition on `engagements.id`: the engagement's name or customer name matches `query`.
pub fn engagement_matches(backend: DatabaseBackend, query: &SearchQuery) -> Expr {
    if !query.is_searchable(backend) {
        return Expr::cust("1 = 0");
    }
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "\"engagements\".\"id\" IN (SELECT id FROM engagements \
             WHERE search_document @@ websearch_to_tsquery('english', $1))"
        }
        _ => "\"engagements\".\"id\" IN (SELECT rowid FROM engagement_fts WHERE engagement_fts MATCH ?)",
    };
    Expr::cust_with_values(sql, [query.for_engine(backend)])
}

/// The rank and snippet of each of the engagements `ids` that matches `query`.
pub async fn engagement_hits<C: ConnectionTrait>(
    db: &C,
    query: &SearchQuery,
    ids: &[i64],
) -> Result<HashMap<i64, Hit>> {
    let backend = db.get_database_backend();
    if ids.is_empty() || !query.is_searchable(backend) {
        return Ok(HashMap::new());
    }
    let listed = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let sql = match backend {
        DatabaseBackend::Postgres => format!(
            "SELECT e.id, ts_rank(e.search_document, q)::float8 AS rank, \
             ts_headline('english', e.name || ' — ' || e.customer_name, q, '{HEADLINE}') AS snippet \
             FROM engagements e, websearch_to_tsquery('english', $1) q \
             WHERE e.id IN ({listed}) AND e.search_document @@ q"
        ),
        _ => format!(
            "SELECT rowid AS id, -bm25(engagement_fts) AS rank, \
             snippet(engagement_fts, -1, '<mark>', '</mark>', '…', 16) AS snippet \
             FROM engagement_fts WHERE engagement_fts MATCH ? AND rowid IN ({listed})"
        ),
    };
    let hits = find(db, backend, sql, vec![query.for_engine(backend).into()]).await?;
    Ok(hits.into_iter().map(|hit| (hit.id, hit)).collect())
}

/// The baselined runbooks of `engagement` whose title or baselined body
/// matches `query`, best first.
pub async fn knowledge_base_hits<C: ConnectionTrait>(
    db: &C,
    engagement: EngagementId,
    query: &SearchQuery,
) -> Result<Vec<Hit>> {
    let backend = db.get_database_backend();
    if !query.is_searchable(backend) {
        return Ok(vec![]);
    }
    let sql = match backend {
        DatabaseBackend::Postgres => format!(
            "SELECT r.id, ts_rank(d.document, q)::float8 AS rank, \
             ts_headline('english', r.title || E'\\n' || v.body, q, '{HEADLINE}') AS snippet \
             FROM runbooks r JOIN runbook_revisions v ON v.id = r.baseline_revision_id \
             CROSS JOIN websearch_to_tsquery('english', $1) q \
             CROSS JOIN LATERAL (SELECT setweight(to_tsvector('english', r.title), 'A') || v.search_document AS document) d \
             WHERE r.engagement_id = $2 AND d.document @@ q \
             ORDER BY 2 DESC, r.id"
        ),
        _ => "SELECT f.rowid AS id, -bm25(runbook_fts, 10.0, 1.0) AS rank, \
              snippet(runbook_fts, -1, '<mark>', '</mark>', '…', 16) AS snippet \
              FROM runbook_fts f JOIN runbooks r ON r.id = f.rowid \
              WHERE runbook_fts MATCH ? AND r.engagement_id = ? AND r.baseline_revision_id IS NOT NULL \
              ORDER BY 2 DESC, f.rowid"
            .to_owned(),
    };
    find(db, backend, sql, vec![query.for_engine(backend).into(), engagement.0.into()]).await
}

/// `ts_headline`'s options: the marks FTS5's `snippet` uses too, and a passage of about its length.
const HEADLINE: &str = "StartSel=<mark>, StopSel=</mark>, MaxWords=16, MinWords=6, MaxFragments=2, FragmentDelimiter=…";

async fn find<C: ConnectionTrait>(
    db: &C,
    backend: DatabaseBackend,
    sql: String,
    values: Vec<Value>,
) -> Result<Vec<Hit>> {
    Ok(Hit::find_by_statement(Statement::from_sql_and_values(backend, sql, values)).all(db).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_are_bounded_in_characters_and_terms() {
        assert_eq!(SearchQuery::parse(None).ok(), Some(None));
        assert_eq!(SearchQuery::parse(Some("  ")).ok(), Some(None));
        let most = vec!["patch"; MAX_QUERY_TERMS].join(" ");
        assert!(SearchQuery::parse(Some(&most)).is_ok_and(|q| q.is_some()));
        let too_many = format!("{most} window");
        assert!(matches!(SearchQuery::parse(Some(&too_many)), Err(Error::QueryTooLong(_))));
        assert!(SearchQuery::parse(Some(&"x".repeat(MAX_QUERY_CHARS))).is_ok());
        assert!(matches!(SearchQuery::parse(Some(&"x".repeat(MAX_QUERY_CHARS + 1))), Err(Error::QueryTooLong(_))));
    }

    #[test]
    fn fts5_gets_quoted_terms_only() {
        let query = SearchQuery::parse(Some(r#"patch "window" OR -tag* NEAR(a b)"#)).ok().flatten();
        let text = query.map(|q| q.for_engine(DatabaseBackend::Sqlite)).unwrap_or_default();
        assert_eq!(text, r#""patch" "window" "OR" "tag*" "NEAR(a" "b)""#);
        let query = SearchQuery::parse(Some("patch -window")).ok().flatten();
        let text = query.map(|q| q.for_engine(DatabaseBackend::Postgres)).unwrap_or_default();
        assert_eq!(text, "patch -window", "PostgreSQL reads web search syntax itself");
        let nothing = SearchQuery::parse(Some(r#"" -"#)).ok().flatten();
        assert!(nothing.is_some_and(|q| !q.is_searchable(DatabaseBackend::Sqlite)));
    }
}
