//! Importing a kit version: `importKit` by an admin, or opskit itself at first
//! start and in `opskit kit import`. A version is stored once, whole, in one
//! transaction; importing a key and version that exist writes nothing.

use chrono::Utc;
use opskit_entity::{artifact_template, capability, kit, question, runbook_template, workshop_template};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, Set, TryInsertResult,
};

use super::{CatalogHandle, find};
use crate::{
    domain::{
        Viewer,
        action::Action,
        ids::KitId,
        permissions::Permission,
        validate::Checks,
        write::{self, Done, GlobalCommand, GlobalStep, SystemCommand},
    },
    error::{Code, Error, Result, UserError},
    kit::{self as format, KitDoc},
};

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    /// The version was new and is now stored.
    Imported(KitId),
    /// The same key and version were already there; nothing was written.
    AlreadyPresent(KitId),
}

/// `importKit`: a kit document as a caller sent it.
#[derive(Debug, Clone)]
pub struct KitSource {
    /// The document, in the format of `kits/aws-operations.yaml`.
    pub text: String,
    /// JSON rather than YAML.
    pub json: bool,
}

/// Longest kit document accepted through `importKit`, in characters (the
/// bundled kit has about 150,000).
pub const MAX_DOCUMENT: usize = 1_000_000;

impl GlobalCommand for KitSource {
    type Output = ImportOutcome;

    fn permission(&self) -> Permission {
        Permission::ManageKits
    }

    /// The document's size, before it is parsed.
    fn validate(&self) -> Result<()> {
        let mut checks = Checks::new();
        let _ = checks.capped("document", &self.text, MAX_DOCUMENT);
        checks.finish()
    }

    /// Parsed only once the caller may import: a stranger's document is not read.
    async fn apply(&self, step: &GlobalStep<'_>) -> Result<Done<ImportOutcome>> {
        let doc = format::parse(&self.text, self.json).map_err(|problems| {
            Error::User(problems.into_iter().map(|p| UserError::new("document", Code::InvalidKit, p)).collect())
        })?;
        Import(&doc).apply(step.tx).await
    }
}

/// Imports a kit document for a caller who may manage kits, and swaps the
/// new version into this process's `catalog` before answering (other
/// replicas reload theirs when the `kit.imported` event reaches them).
pub async fn import_source(
    db: &DatabaseConnection,
    viewer: &Viewer,
    catalog: &CatalogHandle,
    source: KitSource,
) -> Result<ImportOutcome> {
    let outcome = write::run_global(db, viewer, source).await?;
    if let ImportOutcome::Imported(id) = outcome {
        catalog.ensure_kit(db, id).await?;
    }
    Ok(outcome)
}

/// Imports a parsed kit version as opskit itself (first start, the CLI): the
/// audit event has no actor.
pub async fn import(db: &DatabaseConnection, doc: &KitDoc) -> Result<ImportOutcome> {
    write::run_system(db, Import(doc)).await
}

/// The rule of every import: store the version unless that key and version exist.
struct Import<'a>(&'a KitDoc);

impl SystemCommand for Import<'_> {
    type Output = ImportOutcome;

    async fn apply(&self, tx: &DatabaseTransaction) -> Result<Done<ImportOutcome>> {
        let doc = self.0;
        if find(tx, &doc.key, &doc.version).await?.is_none()
            && let Some(id) = insert_version(tx, doc).await?
        {
            insert_contents(tx, id, doc).await?;
            let summary = format!("imported kit {} {}", doc.key, doc.version);
            return Ok(Done::new(ImportOutcome::Imported(id), Action::KitImported, id.0, summary));
        }
        // Imported before, or by an import that committed while this one ran.
        let existing = find(tx, &doc.key, &doc.version).await?.ok_or(Error::NotFound("kit"))?;
        Ok(Done::unchanged(ImportOutcome::AlreadyPresent(KitId(existing.id))))
    }
}

/// The kit row; `None` when another import stored the same key and version first.
async fn insert_version<C: ConnectionTrait>(tx: &C, doc: &KitDoc) -> Result<Option<KitId>> {
    let row = kit::ActiveModel {
        key: Set(doc.key.clone()),
        version: Set(doc.version.clone()),
        name: Set(doc.name.clone()),
        description: Set(doc.description.trim().to_owned()),
        imported_at: Set(Utc::now()),
        ..Default::default()
    };
    let inserted =
        kit::Entity::insert(row).on_conflict_do_nothing_on([kit::Column::Key, kit::Column::Version]).exec(tx).await?;
    Ok(match inserted {
        TryInsertResult::Inserted(result) => Some(KitId(result.last_insert_id)),
        TryInsertResult::Empty | TryInsertResult::Conflicted => None,
    })
}

/// Capabilities with their runbook templates, artifact templates with their
/// question banks, and the workshop plan of the kit version `kit_id`.
async fn insert_contents<C: ConnectionTrait>(tx: &C, kit_id: KitId, doc: &KitDoc) -> Result<()> {
    let mut capability_ids = std::collections::HashMap::new();
    for (position, cap) in doc.capabilities.iter().enumerate() {
        let row = capability::ActiveModel {
            kit_id: Set(kit_id.0),
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
            kit_id: Set(kit_id.0),
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
            kit_id: Set(kit_id.0),
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
            kit_id: Set(kit_id.0),
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
    Ok(())
}

fn to_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}
