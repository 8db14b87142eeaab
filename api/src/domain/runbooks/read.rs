//! Reading runbooks: one runbook, revision or review by ID (`NOT_FOUND` for
//! strangers), and the knowledge base: an engagement's baselined runbooks with
//! their baselined revision, searchable by words in title and body.

use opskit_entity::{runbook, runbook_review, runbook_revision};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PrimaryKeyTrait, QueryFilter,
    sea_query::{Expr, ExprTrait, Func, Query},
};

use crate::{
    domain::{
        Viewer,
        access::{Access, engagement_access},
        ids::{EngagementId, RunbookId, RunbookReviewId, RunbookRevisionId, TypedId},
        page::{self, Cursor, Page, PageArgs, SortOrder, SortValue},
        write::Scope,
    },
    error::{Error, Result},
};

/// A runbook the caller may see (`NOT_FOUND` otherwise) with the caller's access.
pub async fn get<C: ConnectionTrait>(db: &C, viewer: &Viewer, id: RunbookId) -> Result<(runbook::Model, Access)> {
    runbook::Model::load(db, viewer, id).await
}

/// A revision the caller may see (`NOT_FOUND` otherwise).
pub async fn revision<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: RunbookRevisionId,
) -> Result<runbook_revision::Model> {
    of_runbook::<runbook_revision::Entity, _, _>(db, viewer, id, |r| r.runbook_id).await
}

/// A review the caller may see (`NOT_FOUND` otherwise).
pub async fn review_by_id<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: RunbookReviewId,
) -> Result<runbook_review::Model> {
    of_runbook::<runbook_review::Entity, _, _>(db, viewer, id, |r| r.runbook_id).await
}

/// A row that belongs to a runbook, if the caller may see the runbook;
/// otherwise `NOT_FOUND` naming the row's kind, as if it did not exist.
async fn of_runbook<E, I, C>(db: &C, viewer: &Viewer, id: I, runbook_of: fn(&E::Model) -> i64) -> Result<E::Model>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
    I: TypedId,
    C: ConnectionTrait,
{
    let noun = I::KIND.noun();
    let found = E::find_by_id(id.raw()).one(db).await?.ok_or(Error::NotFound(noun))?;
    get(db, viewer, RunbookId(runbook_of(&found))).await.map_err(|e| match e {
        Error::NotFound(_) => Error::NotFound(noun),
        other => other,
    })?;
    Ok(found)
}

/// Narrowing the knowledge base.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeBaseFilter {
    /// Words that must all appear (case-insensitively) in the title or the baselined body.
    pub search: Option<String>,
}

/// A page of baselined runbooks, in the order they were created.
pub async fn knowledge_base(
    db: &DatabaseConnection,
    viewer: &Viewer,
    engagement: EngagementId,
    filter: &KnowledgeBaseFilter,
    args: &PageArgs,
) -> Result<Page<runbook::Model>> {
    engagement_access(db, viewer, engagement).await?;
    let mut query = runbook::Entity::find()
        .filter(runbook::Column::EngagementId.eq(engagement.0))
        .filter(runbook::Column::BaselineRevisionId.is_not_null());
    for word in filter.search.as_deref().unwrap_or_default().split_whitespace() {
        let pattern = format!("%{}%", word.to_lowercase().replace(['%', '_'], ""));
        let in_body = Query::select()
            .column(runbook_revision::Column::Id)
            .from(runbook_revision::Entity)
            .and_where(Expr::expr(Func::lower(Expr::col(runbook_revision::Column::Body))).like(pattern.clone()))
            .to_owned();
        query = query.filter(
            Condition::any()
                .add(Expr::expr(Func::lower(Expr::col(runbook::Column::Title))).like(pattern))
                .add(runbook::Column::BaselineRevisionId.in_subquery(in_body)),
        );
    }
    let order = SortOrder::<runbook::Entity> {
        column: runbook::Column::Id,
        id_column: runbook::Column::Id,
        descending: false,
        cursor: |r| Cursor(SortValue::I(r.id), r.id),
    };
    page::keyset(db, query, &order, args).await
}
