//! Revisions: every change of a runbook's text is a new, numbered revision
//! written by someone, and the newest is the runbook's current one.

use chrono::Utc;
use opskit_entity::{enums::RunbookStatus, runbook, runbook_revision};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use crate::{
    domain::{Viewer, ids::RunbookId, write::Step},
    error::{Code, Error, Result},
};

/// Adds the next revision of runbook `id`, written by `viewer`. The runbook's
/// row is held first (PostgreSQL; SQLite has one writer anyway), so that
/// concurrent writers number their revisions one after the other, and all but
/// the first get `CONFLICT` from the versioned save that follows.
pub(super) async fn add<C: ConnectionTrait>(
    tx: &C,
    viewer: &Viewer,
    id: RunbookId,
    body: String,
    change_summary: String,
) -> Result<runbook_revision::Model> {
    if crate::db::supports_row_locks(tx) {
        runbook::Entity::find_by_id(id.0).lock_exclusive().one(tx).await?;
    }
    let last = runbook_revision::Entity::find()
        .filter(runbook_revision::Column::RunbookId.eq(id.0))
        .order_by_desc(runbook_revision::Column::Number)
        .one(tx)
        .await?;
    let revision = runbook_revision::ActiveModel {
        runbook_id: Set(id.0),
        number: Set(last.map_or(1, |r| r.number + 1)),
        body: Set(body),
        change_summary: Set(change_summary),
        author_id: Set(viewer.user_id.0),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    Ok(revision)
}

/// Adds the next revision, written by the caller, and saves the runbook in
/// `status` with that revision as its current one.
pub(super) async fn save_draft(
    step: &Step<'_, runbook::Model>,
    status: RunbookStatus,
    body: String,
    change_summary: String,
) -> Result<(runbook::Model, runbook_revision::Model)> {
    let revision = add(step.tx, step.viewer, RunbookId(step.target.id), body, change_summary).await?;
    let changes =
        runbook::ActiveModel { status: Set(status), current_revision_id: Set(Some(revision.id)), ..Default::default() };
    Ok((step.save(changes).await?, revision))
}

/// The runbook's newest revision; none before it starts.
pub(super) async fn current<C: ConnectionTrait>(
    tx: &C,
    runbook: &runbook::Model,
) -> Result<Option<runbook_revision::Model>> {
    match runbook.current_revision_id {
        Some(id) => Ok(runbook_revision::Entity::find_by_id(id).one(tx).await?),
        None => Ok(None),
    }
}

/// The revision under review: the runbook's current one (`EMPTY_BODY` when there is none).
pub(super) async fn under_review<C: ConnectionTrait>(
    tx: &C,
    runbook: &runbook::Model,
) -> Result<runbook_revision::Model> {
    current(tx, runbook).await?.ok_or_else(|| Error::user("runbookId", Code::EmptyBody, "the runbook has no revision"))
}
