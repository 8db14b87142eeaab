//! Cursor pagination (Relay connections) with keyset cursors. A cursor is the
//! sort value and ID of an edge, so pages stay stable while rows are added.
//! Top-level lists page in SQL ([`keyset`]); small child lists, loaded for many
//! parents at once, page in memory ([`slice`]) with the same cursor semantics.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order as SqlOrder, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use serde::{Deserialize, Serialize};

use crate::{
    error::{Error, Result},
    opaque,
};

/// The most edges one page may hold.
pub const MAX_PAGE_SIZE: usize = 100;
/// Page size when the client gives neither `first` nor `last`.
pub const DEFAULT_PAGE_SIZE: usize = 20;

/// A value a list is sorted by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SortValue {
    S(String),
    I(i64),
    D(NaiveDate),
    T(DateTime<Utc>),
}

impl From<SortValue> for sea_orm::Value {
    fn from(v: SortValue) -> Self {
        match v {
            SortValue::S(s) => s.into(),
            SortValue::I(i) => i.into(),
            SortValue::D(d) => d.into(),
            SortValue::T(t) => t.into(),
        }
    }
}

/// The position of an edge: its sort value, then its ID to break ties.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Cursor(pub SortValue, pub i64);

impl Cursor {
    /// The cursor as clients see it: encrypted with the server's key, so it
    /// shows no row number (see [`crate::opaque`]).
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(opaque::key().seal_bytes(&serde_json::to_vec(self).unwrap_or_default()))
    }

    /// A cursor this server made; anything else is `BAD_USER_INPUT`.
    pub fn decode(text: &str) -> Result<Self> {
        URL_SAFE_NO_PAD
            .decode(text)
            .ok()
            .and_then(|sealed| opaque::key().open_bytes(&sealed))
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or_else(|| Error::BadUserInput(format!("`{text}` is not a valid cursor")))
    }
}

/// The four Relay arguments as the client sent them.
#[derive(Debug, Clone, Default)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

/// One page of a list.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub edges: Vec<(Cursor, T)>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub total_count: u64,
}

impl<T> Page<T> {
    pub fn map<U>(self, f: impl Fn(T) -> U) -> Page<U> {
        Page {
            edges: self.edges.into_iter().map(|(c, t)| (c, f(t))).collect(),
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
            total_count: self.total_count,
        }
    }
}

/// Validated arguments: which way to walk, how far, from where.
struct Window {
    forward: bool,
    limit: usize,
    after: Option<Cursor>,
    before: Option<Cursor>,
}

impl PageArgs {
    fn window(&self) -> Result<Window> {
        let size = |n: i32, name: &str| {
            usize::try_from(n)
                .ok()
                .filter(|n| *n <= MAX_PAGE_SIZE)
                .ok_or_else(|| Error::BadUserInput(format!("`{name}` must be between 0 and {MAX_PAGE_SIZE}")))
        };
        let (forward, limit) = match (self.first, self.last) {
            (Some(_), Some(_)) => return Err(Error::BadUserInput("pass either `first` or `last`, not both".into())),
            (Some(n), None) => (true, size(n, "first")?),
            (None, Some(n)) => (false, size(n, "last")?),
            (None, None) => (self.before.is_none() || self.after.is_some(), DEFAULT_PAGE_SIZE),
        };
        Ok(Window {
            forward,
            limit,
            after: self.after.as_deref().map(Cursor::decode).transpose()?,
            before: self.before.as_deref().map(Cursor::decode).transpose()?,
        })
    }
}

/// How an entity's list is ordered: a column (with a way to read it off a row)
/// and the ID column that breaks ties.
pub struct SortOrder<E: EntityTrait> {
    pub column: E::Column,
    pub id_column: E::Column,
    pub descending: bool,
    pub cursor: fn(&E::Model) -> Cursor,
}

/// Pages `base` in SQL: two statements (the count and the page) whatever its size.
pub async fn keyset<E, C>(db: &C, base: Select<E>, order: &SortOrder<E>, args: &PageArgs) -> Result<Page<E::Model>>
where
    E: EntityTrait,
    C: ConnectionTrait,
    E::Model: Send + Sync,
{
    keyset_counting(db, base.clone(), base, order, args).await
}

/// [`keyset`] with the total read off `counted`: a cheaper query with as
/// many rows as `base` (the caller's memberships rather than the engagements
/// they join).
pub async fn keyset_counting<E, M, C>(
    db: &C,
    counted: Select<M>,
    base: Select<E>,
    order: &SortOrder<E>,
    args: &PageArgs,
) -> Result<Page<E::Model>>
where
    E: EntityTrait,
    M: EntityTrait,
    C: ConnectionTrait,
    E::Model: Send + Sync,
    M::Model: Send + Sync,
{
    let window = args.window()?;
    let total_count = counted.count(db).await?;
    // SQL walks ascending when we page forward on an ascending order, or backward on a descending one.
    let ascending = window.forward != order.descending;
    let mut query = base;
    for (bound, is_after) in [(&window.after, true), (&window.before, false)] {
        if let Some(Cursor(value, id)) = bound {
            let greater = is_after != order.descending;
            let value: sea_orm::Value = value.clone().into();
            let (col, idc) = (order.column, order.id_column);
            query = query.filter(if greater {
                Condition::any().add(col.gt(value.clone())).add(Condition::all().add(col.eq(value)).add(idc.gt(*id)))
            } else {
                Condition::any().add(col.lt(value.clone())).add(Condition::all().add(col.eq(value)).add(idc.lt(*id)))
            });
        }
    }
    let direction = if ascending { SqlOrder::Asc } else { SqlOrder::Desc };
    let rows = query
        .order_by(order.column, direction.clone())
        .order_by(order.id_column, direction)
        .limit(window.limit as u64 + 1)
        .all(db)
        .await?;
    Ok(finish(rows, order.cursor, window, total_count))
}

/// Pages a list in memory, ascending by `cursor`.
pub fn slice<T>(items: Vec<T>, cursor: impl Fn(&T) -> Cursor, args: &PageArgs) -> Result<Page<T>> {
    slice_by(items, cursor, false, args)
}

/// Pages a list in memory in the order of `cursor` (its sort value, then the
/// ID to break ties), descending when `descending`. The list need not be sorted.
pub fn slice_by<T>(items: Vec<T>, cursor: impl Fn(&T) -> Cursor, descending: bool, args: &PageArgs) -> Result<Page<T>> {
    let window = args.window()?;
    let total_count = items.len() as u64;
    let mut keyed: Vec<(Cursor, T)> = items.into_iter().map(|item| (cursor(&item), item)).collect();
    keyed.sort_by(|a, b| if descending { b.0.cmp(&a.0) } else { a.0.cmp(&b.0) });
    // Whether `a` comes before `b` in the list's order.
    let precedes = |a: &Cursor, b: &Cursor| if descending { a > b } else { a < b };
    let mut rows: Vec<(Cursor, T)> = keyed
        .into_iter()
        .filter(|(c, _)| {
            window.after.as_ref().is_none_or(|a| precedes(a, c))
                && window.before.as_ref().is_none_or(|b| precedes(c, b))
        })
        .collect();
    if !window.forward {
        rows.reverse();
    }
    rows.truncate(window.limit + 1);
    Ok(finish(rows, |(c, _)| c.clone(), window, total_count).map(|(_, item)| item))
}

/// Cuts the extra look-ahead row, restores ascending order and names the edges.
fn finish<T>(mut rows: Vec<T>, cursor: impl Fn(&T) -> Cursor, window: Window, total_count: u64) -> Page<T> {
    let more = rows.len() > window.limit;
    rows.truncate(window.limit);
    if !window.forward {
        rows.reverse();
    }
    let (has_next_page, has_previous_page) =
        if window.forward { (more, window.after.is_some()) } else { (window.before.is_some(), more) };
    Page {
        edges: rows.into_iter().map(|row| (cursor(&row), row)).collect(),
        has_next_page,
        has_previous_page,
        total_count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(args: PageArgs) -> Page<i64> {
        slice((1..=10).collect(), |i| Cursor(SortValue::I(*i), *i), &args).unwrap_or_else(|e| panic!("{e}"))
    }

    fn ids(p: &Page<i64>) -> Vec<i64> {
        p.edges.iter().map(|(_, v)| *v).collect()
    }

    #[test]
    fn forward_and_backward_pages_meet() {
        let first = page(PageArgs { first: Some(3), ..Default::default() });
        assert_eq!(ids(&first), [1, 2, 3]);
        assert!(first.has_next_page && !first.has_previous_page);
        let after = first.edges[2].0.encode();
        let second = page(PageArgs { first: Some(3), after: Some(after), ..Default::default() });
        assert_eq!(ids(&second), [4, 5, 6]);
        assert!(second.has_previous_page);
        let last = page(PageArgs { last: Some(2), ..Default::default() });
        assert_eq!(ids(&last), [9, 10]);
        assert!(last.has_previous_page && !last.has_next_page);
        let before = last.edges[0].0.encode();
        let prev = page(PageArgs { last: Some(3), before: Some(before), ..Default::default() });
        assert_eq!(ids(&prev), [6, 7, 8]);
        assert_eq!(prev.total_count, 10);
    }

    #[test]
    fn descending_pages_with_ties_have_no_gap_and_no_duplicate() {
        // Values with ties: (value, id).
        let items: Vec<(i64, i64)> = vec![(2, 1), (1, 2), (2, 3), (3, 4), (1, 5), (2, 6)];
        let cursor = |i: &(i64, i64)| Cursor(SortValue::I(i.0), i.1);
        for descending in [false, true] {
            let mut seen = Vec::new();
            let mut after = None;
            loop {
                let args = PageArgs { first: Some(2), after: after.clone(), ..Default::default() };
                let p = slice_by(items.clone(), cursor, descending, &args).unwrap_or_else(|e| panic!("{e}"));
                seen.extend(p.edges.iter().map(|(_, i)| i.1));
                if !p.has_next_page {
                    break;
                }
                after = p.edges.last().map(|(c, _)| c.encode());
            }
            let expected: Vec<i64> = if descending { vec![4, 6, 3, 1, 5, 2] } else { vec![2, 5, 1, 3, 6, 4] };
            assert_eq!(seen, expected, "descending: {descending}");
            let last = slice_by(items.clone(), cursor, descending, &PageArgs { last: Some(4), ..Default::default() })
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(last.edges.iter().map(|(_, i)| i.1).collect::<Vec<_>>(), expected[2..]);
        }
    }

    #[test]
    fn page_size_is_capped() {
        let args = PageArgs { first: Some(101), ..Default::default() };
        assert!(matches!(slice(vec![1], |i| Cursor(SortValue::I(*i), *i), &args), Err(Error::BadUserInput(_))));
        let bad = PageArgs { after: Some("garbage!".into()), ..Default::default() };
        assert!(slice(vec![1], |i| Cursor(SortValue::I(*i), *i), &bad).is_err());
    }
}
