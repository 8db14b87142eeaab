//! The kit catalog: importing a kit version (idempotently, in one transaction)
//! and reading it. Every authenticated caller may read the catalog.

use crate::domain::action::Action;
use crate::domain::permissions::Permission;
use chrono::Utc;
use opskit_entity::{artifact_template, capability, kit, question, runbook_template, workshop_template};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::{
    Viewer, audit,
    ids::KitId,
    page::{self, Cursor, Page, PageArgs, SortOrder, SortValue},
};
use crate::{
    db,
    error::{Error, Result},
    kit::KitDoc,
};

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    /// The version was new and is now stored.
    Imported(KitId),
    /// The same key and version were already there; nothing was written.
    AlreadyPresent(KitId),
}

/// Imports a kit version as an admin (the CLI and first start act as the system).
pub async fn import_as(db: &DatabaseConnection, viewer: &Viewer, doc: &KitDoc) -> Result<ImportOutcome> {
    viewer.check(Permission::ManageKits)?;
    import(db, Some(viewer), doc).await
}

/// Imports a kit version unless that key and version exist. One transaction:
/// a failure leaves nothing behind.
pub async fn import(db: &DatabaseConnection, actor: Option<&Viewer>, doc: &KitDoc) -> Result<ImportOutcome> {
    if let Some(existing) = find(db, &doc.key, &doc.version).await? {
        return Ok(ImportOutcome::AlreadyPresent(KitId(existing.id)));
    }
    let outcome = crate::transaction!(db, |tx| {
        let id = insert_kit(tx, doc).await?;
        let summary = format!("imported kit {} {}", doc.key, doc.version);
        let change =
            audit::Change { engagement: None, action: Action::KitImported, object_id: id.0, summary: &summary };
        audit::record(tx, actor, change).await?;
        Ok(id)
    });
    match outcome {
        Ok(id) => Ok(ImportOutcome::Imported(id)),
        // Another process imported the same version at the same moment.
        Err(err) if db::is_unique_violation(&err) => match find(db, &doc.key, &doc.version).await? {
            Some(existing) => Ok(ImportOutcome::AlreadyPresent(KitId(existing.id))),
            None => Err(err),
        },
        Err(err) => Err(err),
    }
}

async fn insert_kit<C: ConnectionTrait>(tx: &C, doc: &KitDoc) -> Result<KitId> {
    let kit = kit::ActiveModel {
        key: Set(doc.key.clone()),
        version: Set(doc.version.clone()),
        name: Set(doc.name.clone()),
        description: Set(doc.description.trim().to_owned()),
        imported_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(tx)
    .await?;

    let mut capability_ids = std::collections::HashMap::new();
    for (position, cap) in doc.capabilities.iter().enumerate() {
        let row = capability::ActiveModel {
            kit_id: Set(kit.id),
            key: Set(cap.key.clone()),
            name: Set(cap.name.clone()),
            summary: Set(cap.summary.trim().to_owned()),
            position: Set(to_i32(position)),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        capability_ids.insert(cap.key.as_str(), row.id);
        runbook_template::ActiveModel {
            kit_id: Set(kit.id),
            capability_id: Set(row.id),
            key: Set(cap.runbook.key.clone()),
            title: Set(cap.runbook.title.clone()),
            summary: Set(cap.runbook.summary.trim().to_owned()),
            sections: Set(serde_json::to_value(&cap.runbook.sections).map_err(Error::internal)?),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }

    let mut artifact_ids = std::collections::HashMap::new();
    for (position, (kind, cap, art)) in doc.artifacts().into_iter().enumerate() {
        let row = artifact_template::ActiveModel {
            kit_id: Set(kit.id),
            capability_id: Set(cap.and_then(|c| capability_ids.get(c.key.as_str()).copied())),
            key: Set(art.key.clone()),
            kind: Set(kind),
            title: Set(art.title.clone()),
            overview: Set(art.overview.trim().to_owned()),
            scope_people: Set(art.scope.people.trim().to_owned()),
            scope_processes: Set(art.scope.processes.trim().to_owned()),
            scope_tools: Set(art.scope.tools.trim().to_owned()),
            recommended_design: Set(art.recommended_design.as_ref().map(|d| d.trim().to_owned())),
            position: Set(to_i32(position)),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        artifact_ids.insert(art.key.as_str(), row.id);
        if !art.questions.is_empty() {
            let questions = art.questions.iter().enumerate().map(|(qpos, q)| question::ActiveModel {
                artifact_template_id: Set(row.id),
                key: Set(q.key.clone()),
                position: Set(to_i32(qpos)),
                category: Set(q.category),
                text: Set(q.text.trim().to_owned()),
                guidance: Set(q.guidance.trim().to_owned()),
                answer_kind: Set(q.answer_kind),
                choices: Set(q.choices.as_ref().map(|c| serde_json::json!(c))),
                ..Default::default()
            });
            question::Entity::insert_many(questions).exec(tx).await?;
        }
    }

    for (position, ws) in doc.workshops.iter().enumerate() {
        let linked: Vec<i64> = ws.artifacts.iter().filter_map(|k| artifact_ids.get(k.as_str()).copied()).collect();
        workshop_template::ActiveModel {
            kit_id: Set(kit.id),
            capability_id: Set(ws.capability.as_deref().and_then(|k| capability_ids.get(k).copied())),
            key: Set(ws.key.clone()),
            position: Set(to_i32(position)),
            phase: Set(ws.phase),
            title: Set(ws.title.clone()),
            audience: Set(ws.audience),
            duration_minutes: Set(i32::try_from(ws.duration_minutes).map_err(Error::internal)?),
            artifact_template_ids: Set(serde_json::json!(linked)),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    Ok(KitId(kit.id))
}

fn to_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The kit version with `key` and `version`, if imported.
pub async fn find<C: ConnectionTrait>(db: &C, key: &str, version: &str) -> Result<Option<kit::Model>> {
    Ok(kit::Entity::find().filter(kit::Column::Key.eq(key)).filter(kit::Column::Version.eq(version)).one(db).await?)
}

/// Filters for the kit list.
#[derive(Debug, Clone, Default)]
pub struct KitFilter {
    pub key: Option<String>,
}

/// Kit versions, newest import first.
pub async fn list(db: &DatabaseConnection, filter: &KitFilter, args: &PageArgs) -> Result<Page<kit::Model>> {
    let mut query = kit::Entity::find();
    if let Some(key) = &filter.key {
        query = query.filter(kit::Column::Key.eq(key));
    }
    let order = SortOrder::<kit::Entity> {
        column: kit::Column::Id,
        id_column: kit::Column::Id,
        descending: true,
        cursor: |k| Cursor(SortValue::I(k.id), k.id),
    };
    page::keyset(db, query, &order, args).await
}

/// The newest imported version of `key` (by import time).
pub async fn latest(db: &DatabaseConnection, key: &str) -> Result<Option<kit::Model>> {
    Ok(kit::Entity::find().filter(kit::Column::Key.eq(key)).order_by_desc(kit::Column::Id).one(db).await?)
}

/// A capability of the engagement's own kit version; any other is `NOT_FOUND`.
pub async fn capability_in<C: ConnectionTrait>(
    db: &C,
    access: &super::access::Access,
    capability_id: i64,
) -> Result<capability::Model> {
    capability::Entity::find_by_id(capability_id)
        .one(db)
        .await?
        .filter(|c| c.kit_id == access.engagement.kit_id)
        .ok_or(Error::NotFound("capability"))
}
