//! Runbooks: each evolves Template → Draft → In Review → Baseline; once
//! baselined it is in the engagement's knowledge base and counts as a
//! completed deliverable. Every edit is a new revision; baselining needs one
//! consultant and one stakeholder approval of the revision under review.

mod create;
mod export;
mod list;
mod read;
mod review;
pub mod rules;
mod workflow;

use crate::domain::write;
use opskit_entity::{enums::EngagementRole, runbook};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr};

pub use create::{NewCustomRunbook, create_core_runbooks, create_custom};
pub use export::{knowledge_base_markdown, markdown};
pub use list::{RunbookFilter, list};
pub use read::{KnowledgeBaseFilter, knowledge_base};
pub use review::{SignOff, baseline, review};
pub use workflow::{edit, revise, skeleton, start, submit};

use self::rules::{Actor, Refusal, RunbookAction, decide};
use crate::{
    domain::{
        Viewer,
        access::{Access, access_via},
    },
    error::{Error, Result},
};

/// Longest accepted runbook body.
pub const MAX_BODY: usize = 500_000;

/// A runbook the caller may see (`NOT_FOUND` otherwise) with the caller's access.
pub async fn get<C: ConnectionTrait>(db: &C, viewer: &Viewer, id: i64) -> Result<(runbook::Model, Access)> {
    let found = runbook::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound("runbook"))?;
    let access = access_via(db, viewer, found.engagement_id, "runbook").await?;
    Ok((found, access))
}

/// The caller as the workflow sees them.
fn actor(access: &Access) -> Actor {
    match (access.admin, access.role) {
        (true, _) => Actor::Admin,
        (false, Some(EngagementRole::Consultant)) => Actor::Consultant,
        (false, Some(EngagementRole::WorkstreamMember)) => Actor::WorkstreamMember,
        (false, Some(EngagementRole::Stakeholder) | None) => Actor::Stakeholder,
    }
}

/// Loads a runbook for `action`: access, version check and the workflow rule.
/// Returns the runbook, the caller's access and the state the action leads to.
async fn load_for<C: ConnectionTrait>(
    tx: &C,
    viewer: &Viewer,
    id: i64,
    expected_version: Option<i32>,
    action: RunbookAction,
) -> Result<(runbook::Model, Access, opskit_entity::enums::RunbookStatus)> {
    let (found, access) = get(tx, viewer, id).await?;
    write::check_version("runbook", found.version, expected_version)?;
    let next = decide(found.status, action, actor(&access)).map_err(|refusal| match refusal {
        Refusal::Role => Error::Forbidden(format!("your role may not {action:?} this runbook").to_lowercase()),
        Refusal::State(code) => {
            Error::user("runbookId", code, format!("cannot {action:?} a runbook that is {:?}", found.status))
        }
    })?;
    Ok((found, access, next))
}

/// Writes `changes` if the runbook's version is still the one read, bumping
/// version and `updated_at`; a lost race is `CONFLICT` with the current version.
async fn save<C: ConnectionTrait>(
    tx: &C,
    current: &runbook::Model,
    changes: Vec<(runbook::Column, sea_orm::sea_query::SimpleExpr)>,
) -> Result<runbook::Model> {
    let mut update = runbook::Entity::update_many()
        .col_expr(runbook::Column::Version, Expr::value(current.version + 1))
        .col_expr(runbook::Column::UpdatedAt, Expr::value(chrono::Utc::now()));
    for (column, value) in changes {
        update = update.col_expr(column, value);
    }
    let result = update
        .filter(runbook::Column::Id.eq(current.id))
        .filter(runbook::Column::Version.eq(current.version))
        .exec(tx)
        .await?;
    let stored = runbook::Entity::find_by_id(current.id).one(tx).await?.ok_or(Error::NotFound("runbook"))?;
    if result.rows_affected == 0 {
        return Err(Error::Conflict {
            message: "the runbook changed while you edited it".into(),
            current_version: stored.version,
        });
    }
    Ok(stored)
}

/// A revision the caller may see (`NOT_FOUND` otherwise).
pub async fn revision(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    id: i64,
) -> Result<opskit_entity::runbook_revision::Model> {
    use opskit_entity::runbook_revision;
    let found = runbook_revision::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound("revision"))?;
    get(db, viewer, found.runbook_id).await.map_err(|e| match e {
        Error::NotFound(_) => Error::NotFound("revision"),
        other => other,
    })?;
    Ok(found)
}

/// A review the caller may see (`NOT_FOUND` otherwise).
pub async fn review_by_id(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    id: i64,
) -> Result<opskit_entity::runbook_review::Model> {
    use opskit_entity::runbook_review;
    let found = runbook_review::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound("review"))?;
    get(db, viewer, found.runbook_id).await.map_err(|e| match e {
        Error::NotFound(_) => Error::NotFound("review"),
        other => other,
    })?;
    Ok(found)
}
