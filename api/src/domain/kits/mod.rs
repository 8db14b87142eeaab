//! The kit catalog: importing a kit version (see [`import`]) and reading it.
//! Every authenticated caller may read the catalog; a kit version never
//! changes once imported.

mod import;

pub use import::{ImportOutcome, KitSource, import, import_source};

use opskit_entity::{capability, kit, question, runbook_template, workshop_template};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::{
    access::Access,
    ids::{CapabilityId, QuestionId, RunbookTemplateId, TypedId, WorkshopTemplateId},
    page::{self, Cursor, Page, PageArgs, SortOrder, SortValue},
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

/// Kit versions in `sort` order.
pub async fn list(
    db: &DatabaseConnection,
    filter: &KitFilter,
    sort: KitSort,
    descending: bool,
    args: &PageArgs,
) -> Result<Page<kit::Model>> {
    let mut query = kit::Entity::find();
    if let Some(key) = &filter.key {
        query = query.filter(kit::Column::Key.eq(key));
    }
    let (column, cursor): (_, fn(&kit::Model) -> Cursor) = match sort {
        KitSort::ImportedAt => (kit::Column::ImportedAt, |k| Cursor(SortValue::T(k.imported_at), k.id)),
        KitSort::Key => (kit::Column::Key, |k| Cursor(SortValue::S(k.key.clone()), k.id)),
        KitSort::Name => (kit::Column::Name, |k| Cursor(SortValue::S(k.name.clone()), k.id)),
    };
    let order = SortOrder::<kit::Entity> { column, id_column: kit::Column::Id, descending, cursor };
    page::keyset(db, query, &order, args).await
}

/// The newest imported version of `key` (by import time).
pub async fn latest(db: &DatabaseConnection, key: &str) -> Result<Option<kit::Model>> {
    Ok(kit::Entity::find().filter(kit::Column::Key.eq(key)).order_by_desc(kit::Column::Id).one(db).await?)
}

/// A capability of the engagement's own kit version; any other is `NOT_FOUND`.
pub async fn capability_in<C: ConnectionTrait>(db: &C, access: &Access, id: CapabilityId) -> Result<capability::Model> {
    let found = catalog_row::<capability::Entity, _, _>(db, id).await?;
    if found.kit_id == access.engagement.kit_id { Ok(found) } else { Err(Error::NotFound(CapabilityId::KIND.noun())) }
}

/// The capability of `capabilities` (a kit's) with `key`: for filters that name
/// a capability by key. `None` without a key; `Some(None)` for a key the kit
/// does not have, which matches nothing.
pub fn capability_by_key(capabilities: &[capability::Model], key: Option<&str>) -> Option<Option<CapabilityId>> {
    key.map(|key| capabilities.iter().find(|c| c.key == key).map(|c| CapabilityId(c.id)))
}

/// A question of any kit's question banks.
pub async fn question(db: &DatabaseConnection, id: QuestionId) -> Result<question::Model> {
    catalog_row::<question::Entity, _, _>(db, id).await
}

/// A core runbook template of any kit.
pub async fn runbook_template(db: &DatabaseConnection, id: RunbookTemplateId) -> Result<runbook_template::Model> {
    catalog_row::<runbook_template::Entity, _, _>(db, id).await
}

/// A workshop template of any kit.
pub async fn workshop_template(db: &DatabaseConnection, id: WorkshopTemplateId) -> Result<workshop_template::Model> {
    catalog_row::<workshop_template::Entity, _, _>(db, id).await
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
