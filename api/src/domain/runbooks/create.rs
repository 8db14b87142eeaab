//! Runbooks come into being with the engagement (one per runbook template of
//! its kit version, as TEMPLATE) or, with `createCustomRunbook`, as custom
//! runbooks capturing a customer-chosen architecture (starting as DRAFT).

use chrono::Utc;
use opskit_entity::{
    deviation, engagement,
    enums::{RunbookKind, RunbookStatus},
    runbook, runbook_template,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::{RunbookAction, revisions, validation};
use crate::{
    domain::{
        Viewer,
        action::Action,
        ids::{CapabilityId, DeviationId, EngagementId, KitId, RunbookId, UserId},
        kits,
        permissions::Permission,
        write::{self, Command, Done, On, Step},
    },
    error::{Code, Error, Result},
};

/// Creates the engagement's core runbooks from its kit's templates; returns how many.
pub async fn create_core_runbooks<C: ConnectionTrait>(
    tx: &C,
    engagement_id: EngagementId,
    kit_id: KitId,
    created_by: UserId,
) -> Result<usize> {
    let templates = runbook_template::Entity::find()
        .filter(runbook_template::Column::KitId.eq(kit_id.0))
        .order_by_asc(runbook_template::Column::Id)
        .all(tx)
        .await?;
    let now = Utc::now();
    let rows = templates.iter().map(|t| runbook::ActiveModel {
        engagement_id: Set(engagement_id.0),
        runbook_template_id: Set(Some(t.id)),
        capability_id: Set(t.capability_id),
        kind: Set(RunbookKind::Core),
        title: Set(t.title.clone()),
        status: Set(RunbookStatus::Template),
        created_by: Set(created_by.0),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    });
    if !templates.is_empty() {
        runbook::Entity::insert_many(rows).exec(tx).await?;
    }
    Ok(templates.len())
}

/// `createCustomRunbook`.
#[derive(Debug, Clone)]
pub struct NewCustomRunbook {
    pub engagement_id: EngagementId,
    /// A capability of the engagement's kit.
    pub capability_id: CapabilityId,
    pub title: String,
    /// Why the customer chose another architecture.
    pub reason: String,
    /// The deviation this runbook documents, if any.
    pub deviation_id: Option<DeviationId>,
}

impl Command for NewCustomRunbook {
    type Target = engagement::Model;
    type Output = runbook::Model;

    fn permission(&self) -> Permission {
        // Creating a custom runbook is writing a draft.
        RunbookAction::Edit.permission()
    }

    fn validate(&self) -> Result<()> {
        validation::title_and_reason(&self.title, &self.reason).map(drop)
    }

    async fn apply(&self, step: &Step<'_, engagement::Model>) -> Result<Done<runbook::Model>> {
        let (title, reason) = validation::title_and_reason(&self.title, &self.reason)?;
        let capability = kits::capability_in(step.tx, &step.access, self.capability_id).await?;
        if let Some(id) = self.deviation_id {
            let found = deviation::Entity::find_by_id(id.0).one(step.tx).await?;
            if found.is_none_or(|d| d.engagement_id != step.target.id) {
                return Err(Error::user("deviationId", Code::NotFound, "no such deviation in this engagement"));
            }
        }
        let now = Utc::now();
        let created = runbook::ActiveModel {
            engagement_id: Set(step.target.id),
            runbook_template_id: Set(None),
            capability_id: Set(capability.id),
            kind: Set(RunbookKind::Custom),
            title: Set(title),
            reason: Set(Some(reason.clone())),
            deviation_id: Set(self.deviation_id.map(|d| d.0)),
            status: Set(RunbookStatus::Draft),
            created_by: Set(step.viewer.user_id.0),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(step.tx)
        .await?;
        let body = format!("# {}\n\n{reason}\n", created.title);
        let summary = "Created for a customer-chosen architecture".to_owned();
        let first = revisions::add(step.tx, step.viewer, RunbookId(created.id), body, summary).await?;
        // The runbook and its first revision refer to each other: the row made
        // above, which nobody else sees yet, learns its revision (still version 1).
        let created = runbook::ActiveModel {
            id: Set(created.id),
            current_revision_id: Set(Some(first.id)),
            ..Default::default()
        }
        .update(step.tx)
        .await?;
        let summary = format!("created custom runbook \"{}\" for {}", created.title, capability.name);
        Ok(Done::saved(created, Action::RunbookCreated, summary))
    }
}

/// Adds a custom runbook (consultants, workstream members and admins), as a
/// DRAFT whose first revision is a heading and the reason.
pub async fn create_custom(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewCustomRunbook,
    idempotency_key: Option<&str>,
) -> Result<runbook::Model> {
    write::run_once(db, viewer, On::id(input.engagement_id), input, idempotency_key).await
}
