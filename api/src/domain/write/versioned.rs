//! The one versioned update: a row changes only if nobody changed it since it was read.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Value};

use crate::error::{Error, Result};

/// A row that changes only through [`update`]: it has an ID, a `version`
/// incremented by every change, and maybe an `updated_at`.
pub trait Versioned: Sized + Send + Sync + IntoActiveModel<<Self::Entity as EntityTrait>::ActiveModel> {
    /// Its sea-orm entity.
    type Entity: EntityTrait<Model = Self>;
    /// What people call it, in `CONFLICT` messages.
    const NOUN: &'static str;
    /// The primary key column.
    fn id_column() -> <Self::Entity as EntityTrait>::Column;
    /// The version column.
    fn version_column() -> <Self::Entity as EntityTrait>::Column;
    /// The `updated_at` column, when the table has one.
    fn updated_at_column() -> Option<<Self::Entity as EntityTrait>::Column>;
    /// The stored primary key.
    fn raw_id(&self) -> i64;
    /// The stored version.
    fn stored_version(&self) -> i32;
}

/// The changes to a [`Versioned`] row: an active model with only the changed columns set.
pub type Changes<M> = <<M as Versioned>::Entity as EntityTrait>::ActiveModel;

/// Writes `changes` over `before` (the row as read in this transaction) if
/// nobody changed it since, incrementing its version and setting `updated_at`;
/// returns the stored row. A lost race is `CONFLICT` with the current version.
pub async fn update<M, C>(tx: &C, before: &M, mut changes: Changes<M>) -> Result<M>
where
    M: Versioned,
    M::Entity: EntityTrait<Model = M>,
    C: ConnectionTrait,
    <<M::Entity as EntityTrait>::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
{
    changes.set(M::version_column(), Value::from(before.stored_version() + 1));
    if let Some(column) = M::updated_at_column() {
        changes.set(column, Value::from(Utc::now()));
    }
    let result = M::Entity::update_many()
        .set(changes)
        .filter(M::id_column().eq(before.raw_id()))
        .filter(M::version_column().eq(before.stored_version()))
        .exec(tx)
        .await?;
    let stored = M::Entity::find_by_id(before.raw_id()).one(tx).await?.ok_or(Error::NotFound(M::NOUN))?;
    if result.rows_affected == 0 {
        return Err(Error::Conflict {
            message: format!("the {} changed while you edited it", M::NOUN),
            current_version: stored.stored_version(),
        });
    }
    Ok(stored)
}

/// `CONFLICT` when the caller expected another version than the current one.
pub fn check_version(noun: &str, current: i32, expected: Option<i32>) -> Result<()> {
    match expected {
        Some(seen) if seen != current => Err(Error::Conflict {
            message: format!("the {noun} changed since you read it: its version is {current}, not {seen}"),
            current_version: current,
        }),
        _ => Ok(()),
    }
}

/// Declares a versioned row of an engagement: how the write path loads it by
/// typed ID and saves it. `$updated` names its `updated_at` column, if any.
#[macro_export]
macro_rules! versioned {
    ($model:path, $module:ident, $id:ty, $noun:literal, updated_at: $updated:expr) => {
        impl $crate::domain::write::Versioned for $model {
            type Entity = opskit_entity::$module::Entity;
            const NOUN: &'static str = $noun;
            fn id_column() -> opskit_entity::$module::Column {
                opskit_entity::$module::Column::Id
            }
            fn version_column() -> opskit_entity::$module::Column {
                opskit_entity::$module::Column::Version
            }
            fn updated_at_column() -> Option<opskit_entity::$module::Column> {
                $updated
            }
            fn raw_id(&self) -> i64 {
                self.id
            }
            fn stored_version(&self) -> i32 {
                self.version
            }
        }
    };
}
