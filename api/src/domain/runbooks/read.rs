//! Reading runbooks: one runbook, revision or review by ID (`NOT_FOUND` for
//! strangers), and the knowledge base: an engagement's baselined runbooks with
//! their baselined revision, searched with the database's full-text engine
//! in title and baselined body.

use std::collections::HashMap;

use opskit_entity::{runbook, runbook_review, runbook_revision};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PrimaryKeyTrait, QueryFilter};

use crate::{
    domain::{
        Viewer,
        access::{Access, engagement_access},
        ids::{EngagementId, RunbookId, RunbookReviewId, RunbookRevisionId, TypedId},
        page::{self, Cursor, Page, PageArgs, SortOrder, SortValue},
        search::{self, Hit, SearchQuery},
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
    /// A full-text search of title and baselined body (`QUERY_TOO_LONG` past the limits of [`search`]).
    pub search: Option<String>,
}

/// A baselined runbook, and how it matched the search (if there was one).
pub type KnowledgeBaseEntry = (runbook::Model, Option<Hit>);

/// A page of baselined runbooks: in the order they were created, or best
/// match first when searching.
pub async fn knowledge_base(
    db: &DatabaseConnection,
    viewer: &Viewer,
    engagement: EngagementId,
    filter: &KnowledgeBaseFilter,
    args: &PageArgs,
) -> Result<Page<KnowledgeBaseEntry>> {
    let query = SearchQuery::parse(filter.search.as_deref())?;
    engagement_access(db, viewer, engagement).await?;
    let baselined = runbook::Entity::find()
        .filter(runbook::Column::EngagementId.eq(engagement.0))
        .filter(runbook::Column::BaselineRevisionId.is_not_null());
    let Some(query) = query else {
        let order = SortOrder::<runbook::Entity> {
            column: runbook::Column::Id,
            id_column: runbook::Column::Id,
            descending: false,
            cursor: |r| Cursor(SortValue::I(r.id), r.id),
        };
        let page = page::keyset(db, baselined, &order, args).await?;
        return Ok(page.map(|runbook| (runbook, None)));
    };
    let hits = search::knowledge_base_hits(db, engagement, &query).await?;
    let mut runbooks: HashMap<i64, runbook::Model> = baselined
        .filter(runbook::Column::Id.is_in(hits.iter().map(|h| h.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let ranked: Vec<(i64, KnowledgeBaseEntry)> = hits
        .into_iter()
        .filter_map(|hit| runbooks.remove(&hit.id).map(|runbook| (runbook, Some(hit))))
        .enumerate()
        .map(|(position, entry)| (i64::try_from(position).unwrap_or(i64::MAX), entry))
        .collect();
    let page = page::slice(ranked, |(position, (r, _))| Cursor(SortValue::I(*position), r.id), args)?;
    Ok(page.map(|(_, entry)| entry))
}
