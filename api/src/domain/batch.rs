//! Batch loading for DataLoaders: one statement fetches the rows for many keys,
//! so the statements per request do not grow with the size of a result.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::error::Result;

/// Rows whose `column` is one of `keys`, grouped by that column (in `order` within a group).
pub async fn group_by<E, C>(
    db: &C,
    column: E::Column,
    order: E::Column,
    key_of: fn(&E::Model) -> i64,
    keys: &[i64],
) -> Result<HashMap<i64, Vec<E::Model>>>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let mut out: HashMap<i64, Vec<E::Model>> = HashMap::with_capacity(keys.len());
    for chunk in keys.chunks(500) {
        let rows = E::find().filter(column.is_in(chunk.iter().copied())).order_by_asc(order).all(db).await?;
        for row in rows {
            out.entry(key_of(&row)).or_default().push(row);
        }
    }
    Ok(out)
}

/// How many rows of `E` have each of `keys` in `column` (a key with none is
/// absent): counted on the column's index, no rows read.
pub async fn count_by<E, C>(db: &C, column: E::Column, keys: &[i64]) -> Result<HashMap<i64, i64>>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let mut out = HashMap::with_capacity(keys.len());
    for chunk in keys.chunks(500) {
        let counts: Vec<(i64, i64)> = E::find()
            .select_only()
            .column(column)
            .column_as(column.count(), "n")
            .filter(column.is_in(chunk.iter().copied()))
            .group_by(column)
            .into_tuple()
            .all(db)
            .await?;
        out.extend(counts);
    }
    Ok(out)
}
