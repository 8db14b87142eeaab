//! Batch loading for DataLoaders: one statement fetches the rows for many keys,
//! so the statements per request do not grow with the size of a result.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

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
