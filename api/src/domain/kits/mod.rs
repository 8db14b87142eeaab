//! The kit catalog: importing a kit version (see [`import`]) and reading it
//! (in memory, see [`Catalog`]). Every authenticated caller may read the
//! catalog; a kit version never changes once imported.

mod catalog;
mod import;

pub use catalog::{Catalog, CatalogHandle};
pub use import::{ImportOutcome, KitSource, import, import_source};

use std::sync::Arc;

use opskit_entity::{capability, kit};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{
    access::Access,
    ids::{CapabilityId, TypedId},
    page::{self, Cursor, Page, PageArgs, SortValue},
};
use crate::error::{Error, Result};

/// The kit version with `key` and `version`, if imported.
pub async fn find<C: ConnectionTrait>(db: &C, key: &str, version: &str) -> Result<Option<kit::Model>> {
    Ok(kit::Entity::find().filter(kit::Column::Key.eq(key)).filter(kit::Column::Version.eq(version)).one(db).await?)
}

/// Filters for the kit list.
#[derive(Debug, Clone, Default)]
pub struct KitFilter {
    /// Only versions of this kit key.
    pub key: Option<String>,
}

/// What the kit list is sorted by; ties are broken by ID (import order).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum KitSort {
    /// When the version was imported.
    #[default]
    ImportedAt,
    /// By kit key (code point order).
    Key,
    /// By name (code point order).
    Name,
}

/// Kit versions of the `catalog` in `sort` order, paged in memory.
pub fn list(
    catalog: &Catalog,
    filter: &KitFilter,
    sort: KitSort,
    descending: bool,
    args: &PageArgs,
) -> Result<Page<Arc<kit::Model>>> {
    let kits = catalog.kits().iter().filter(|k| filter.key.as_ref().is_none_or(|key| &k.key == key)).cloned();
    let cursor: fn(&Arc<kit::Model>) -> Cursor = match sort {
        KitSort::ImportedAt => |k| Cursor(SortValue::T(k.imported_at), k.id),
        KitSort::Key => |k| Cursor(SortValue::S(k.key.clone()), k.id),
        KitSort::Name => |k| Cursor(SortValue::S(k.name.clone()), k.id),
    };
    page::slice_by(kits.collect(), cursor, descending, args)
}

/// A capability of the engagement's own kit version; any other is `NOT_FOUND`.
pub async fn capability_in<C: ConnectionTrait>(db: &C, access: &Access, id: CapabilityId) -> Result<capability::Model> {
    let found = catalog_row::<capability::Entity, _, _>(db, id).await?;
    if found.kit_id == access.engagement.kit_id { Ok(found) } else { Err(Error::NotFound(CapabilityId::KIND.noun())) }
}

/// The capability of `capabilities` (a kit's) with `key`: for filters that name
/// a capability by key. `None` without a key; `Some(None)` for a key the kit
/// does not have, which matches nothing.
pub fn capability_by_key(
    capabilities: &[std::sync::Arc<capability::Model>],
    key: Option<&str>,
) -> Option<Option<CapabilityId>> {
    key.map(|key| capabilities.iter().find(|c| c.key == key).map(|c| CapabilityId(c.id)))
}

/// A catalog row by typed ID; `NOT_FOUND` names its kind.
async fn catalog_row<E, I, C>(db: &C, id: I) -> Result<E::Model>
where
    E: EntityTrait,
    I: TypedId,
    C: ConnectionTrait,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
{
    E::find_by_id(id.raw()).one(db).await?.ok_or(Error::NotFound(I::KIND.noun()))
}
