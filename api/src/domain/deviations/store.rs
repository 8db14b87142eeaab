//! Writing a changed deviation: only if nobody changed it since it was read,
//! with its version incremented and `updated_at` set.

use chrono::Utc;
use opskit_entity::deviation;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter};

use crate::error::{Error, Result};

/// Stores `after` over `before` (the row as read in this transaction) and returns what was stored.
pub(super) async fn save<C: ConnectionTrait>(
    tx: &C,
    before: &deviation::Model,
    after: deviation::Model,
) -> Result<deviation::Model> {
    let stored = deviation::Model { version: before.version + 1, updated_at: Utc::now(), ..after };
    let result = deviation::Entity::update_many()
        .set(stored.clone().into_active_model().reset_all())
        .filter(deviation::Column::Id.eq(before.id))
        .filter(deviation::Column::Version.eq(before.version))
        .exec(tx)
        .await?;
    if result.rows_affected == 0 {
        let current = deviation::Entity::find_by_id(before.id).one(tx).await?.map_or(0, |d| d.version);
        return Err(Error::Conflict {
            message: "the deviation changed while you edited it".into(),
            current_version: current,
        });
    }
    Ok(stored)
}
