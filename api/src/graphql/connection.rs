//! Relay connections built from domain pages.

use async_graphql::{
    OutputType, SimpleObject,
    connection::{Connection, Edge},
};

use crate::domain::page::Page;

/// Fields every connection has besides `edges`, `nodes` and `pageInfo`.
#[derive(Debug, Clone, SimpleObject)]
pub struct ConnectionTotals {
    /// How many items the whole list holds (all pages, after filters).
    pub total_count: i32,
}

/// A connection of `N` whose name is chosen by the field's declared type.
pub type Conn<N> = Connection<String, N, ConnectionTotals>;

/// Converts a domain page into a connection, mapping each item with `node`.
pub fn connection<T, N: OutputType>(page: Page<T>, node: impl Fn(T) -> N) -> Conn<N> {
    let totals = ConnectionTotals { total_count: i32::try_from(page.total_count).unwrap_or(i32::MAX) };
    let mut conn = Connection::with_additional_fields(page.has_previous_page, page.has_next_page, totals);
    conn.edges = page.edges.into_iter().map(|(cursor, item)| Edge::new(cursor.encode(), node(item))).collect();
    conn
}

/// Complexity of a connection field: its page size times what each node costs.
pub fn cost(first: Option<i32>, last: Option<i32>, child: usize) -> usize {
    let size = first.or(last).map_or(crate::domain::page::DEFAULT_PAGE_SIZE, |n| usize::try_from(n).unwrap_or(0));
    size.max(1).saturating_mul(child.max(1))
}
