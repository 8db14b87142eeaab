//! Runbooks come into being with the engagement (one per runbook template of
//! its kit version, as TEMPLATE) or as custom runbooks capturing a
//! customer-chosen architecture (starting as DRAFT).

use crate::domain::action::Action;
use crate::domain::permissions::Permission;
use crate::error::Code;
use chrono::Utc;
use opskit_entity::{
    deviation,
    enums::{RunbookKind, RunbookStatus},
    runbook, runbook_template,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::workflow::new_revision;
use crate::{
    domain::{Viewer, access::engagement_access, audit, ids::EngagementId, kits, validate::check_label},
    error::{Error, Result},
};

/// Creates the engagement's core runbooks from its kit's templates; returns how many.
pub async fn create_core_runbooks<C: ConnectionTrait>(
    tx: &C,
    engagement_id: i64,
    kit_id: i64,
    created_by: i64,
) -> Result<usize> {
    let templates = runbook_template::Entity::find()
        .filter(runbook_template::Column::KitId.eq(kit_id))
        .order_by_asc(runbook_template::Column::Id)
        .all(tx)
        .await?;
    let now = Utc::now();
    let rows = templates.iter().map(|t| runbook::ActiveModel {
        engagement_id: Set(engagement_id),
        runbook_template_id: Set(Some(t.id)),
        capability_id: Set(t.capability_id),
        kind: Set(RunbookKind::Core),
        title: Set(t.title.clone()),
        status: Set(RunbookStatus::Template),
        created_by: Set(created_by),
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
    pub capability_id: i64,
    pub title: String,
    /// Why the customer chose another architecture.
    pub reason: String,
    /// The deviation this runbook documents, if any.
    pub deviation_id: Option<i64>,
}

/// Adds a custom runbook (consultants and workstream members), as a DRAFT
/// whose first revision is a heading and the reason.
pub async fn create_custom(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewCustomRunbook,
) -> Result<runbook::Model> {
    let mut errors = Vec::new();
    check_label(&mut errors, "title", &input.title);
    if input.reason.trim().is_empty() {
        errors.push(crate::error::UserError::new(
            "reason",
            Code::Required,
            "say why the customer chose this architecture",
        ));
    }
    if !errors.is_empty() {
        return Err(Error::User(errors));
    }
    crate::transaction!(db, |tx| {
        let access = engagement_access(tx, viewer, input.engagement_id).await?;
        access.check(Permission::EditRunbooks)?;
        let capability =
            kits::capability_in(tx, &access, crate::domain::ids::CapabilityId(input.capability_id)).await?;
        if let Some(deviation_id) = input.deviation_id {
            let found = deviation::Entity::find_by_id(deviation_id).one(tx).await?;
            if found.is_none_or(|d| d.engagement_id != input.engagement_id.0) {
                return Err(Error::user("deviationId", Code::NotFound, "no such deviation in this engagement"));
            }
        }
        let now = Utc::now();
        let created = runbook::ActiveModel {
            engagement_id: Set(input.engagement_id.0),
            runbook_template_id: Set(None),
            capability_id: Set(capability.id),
            kind: Set(RunbookKind::Custom),
            title: Set(input.title.trim().to_owned()),
            reason: Set(Some(input.reason.trim().to_owned())),
            deviation_id: Set(input.deviation_id),
            status: Set(RunbookStatus::Draft),
            created_by: Set(viewer.user_id.0),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        let body = format!("# {}\n\n{}\n", created.title, input.reason.trim());
        let (created, _) =
            new_revision(tx, viewer, &created, body, "Created for a customer-chosen architecture".into()).await?;
        let summary = format!("created custom runbook \"{}\" for {}", created.title, capability.name);
        audit::record_in(tx, viewer, &access, Action::RunbookCreated, created.id, &summary).await?;
        Ok(created)
    })
}
