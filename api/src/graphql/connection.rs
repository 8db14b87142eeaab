//! Relay connections built from domain pages.

use async_graphql::{
    OutputType, SimpleObject,
    connection::{
        Connection, ConnectionNameType, CursorType, DefaultConnectionName, DefaultEdgeName, Edge, EdgeNameType,
    },
};

use crate::domain::{
    page::{Cursor, Page},
    search::Hit,
};

/// An edge's position, sealed into its opaque text only when a client asks
/// for `cursor` (or `pageInfo`'s): most pages are read by `nodes` alone.
impl CursorType for Cursor {
    type Error = crate::error::Error;

    fn decode_cursor(text: &str) -> Result<Self, Self::Error> {
        Cursor::decode(text)
    }

    fn encode_cursor(&self) -> String {
        self.encode()
    }
}

/// Fields every connection has besides `edges`, `nodes` and `pageInfo`.
#[derive(Debug, Clone, SimpleObject)]
pub struct ConnectionTotals {
    /// How many items the whole list holds (all pages, after filters).
    pub total_count: i32,
}

/// A connection of `N` whose name is chosen by the field's declared type.
pub type Conn<N> = Connection<Cursor, N, ConnectionTotals>;

/// Converts a domain page into a connection, mapping each item with `node`.
pub fn connection<T, N: OutputType>(page: Page<T>, node: impl Fn(T) -> N) -> Conn<N> {
    let totals = ConnectionTotals { total_count: i32::try_from(page.total_count).unwrap_or(i32::MAX) };
    let mut conn = Connection::with_additional_fields(page.has_previous_page, page.has_next_page, totals);
    conn.edges = page.edges.into_iter().map(|(cursor, item)| Edge::new(cursor, node(item))).collect();
    conn
}

/// Complexity of a connection field: its page size times what each node costs.
pub fn cost(first: Option<i32>, last: Option<i32>, child: usize) -> usize {
    let size = first.or(last).map_or(crate::domain::page::DEFAULT_PAGE_SIZE, |n| usize::try_from(n).unwrap_or(0));
    size.max(1).saturating_mul(child.max(1))
}

/// How an edge of a searched list matched the search; both null when the
/// list was not searched.
#[derive(Debug, Clone, Default, SimpleObject)]
pub struct SearchMatch {
    /// Relevance from the database's full-text engine (PostgreSQL `ts_rank`,
    /// SQLite `bm25` negated): higher is better; compare it only within one answer.
    pub rank: Option<f64>,
    /// The matching passage, the matched words wrapped in `<mark>`…`</mark>`
    /// (the rest is the stored text as is: escape it before showing it as HTML).
    pub snippet: Option<String>,
}

impl From<Option<Hit>> for SearchMatch {
    fn from(hit: Option<Hit>) -> Self {
        match hit {
            Some(hit) => Self { rank: Some(hit.rank), snippet: Some(hit.snippet) },
            None => Self::default(),
        }
    }
}

/// A connection whose edges say how they matched a search.
pub type SearchConn<N, Name = DefaultConnectionName, EdgeName = DefaultEdgeName> =
    Connection<Cursor, N, ConnectionTotals, SearchMatch, Name, EdgeName>;

/// Converts a page of search results into a connection of `N`, each edge with its match.
pub fn search_connection<T, N: OutputType, Name: ConnectionNameType, EdgeName: EdgeNameType>(
    page: Page<(T, Option<Hit>)>,
    node: impl Fn(T) -> N,
) -> SearchConn<N, Name, EdgeName> {
    let totals = ConnectionTotals { total_count: i32::try_from(page.total_count).unwrap_or(i32::MAX) };
    let mut conn = Connection::with_additional_fields(page.has_previous_page, page.has_next_page, totals);
    conn.edges = page
        .edges
        .into_iter()
        .map(|(cursor, (item, hit))| Edge::with_additional_fields(cursor, node(item), hit.into()))
        .collect();
    conn
}

/// Names the knowledge base's connection apart from `Engagement.runbooks`' (`RunbookConnection`).
pub struct KnowledgeBaseConnectionName;

impl ConnectionNameType for KnowledgeBaseConnectionName {
    fn type_name<T: OutputType>() -> String {
        "KnowledgeBaseConnection".into()
    }
}

/// Names the knowledge base's edges, which carry a [`SearchMatch`].
pub struct KnowledgeBaseEdgeName;

impl EdgeNameType for KnowledgeBaseEdgeName {
    fn type_name<T: OutputType>() -> String {
        "KnowledgeBaseEdge".into()
    }
}
