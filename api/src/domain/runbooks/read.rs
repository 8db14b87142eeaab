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
    get(db, viewer, RunbookId(runbook_of(&found))).await.map_err(|e| e.naming(noun))?;
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

/// What the knowledge base is sorted by; ties are broken by ID.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum KnowledgeBaseSort {
    /// When the runbook was created.
    #[default]
    CreatedAt,
    /// By title (code point order).
    Title,
    /// When its current baseline was signed off.
    BaselinedAt,
}

impl KnowledgeBaseSort {
    /// The column and the cursor of a runbook in this order.
    fn key(self) -> (runbook::Column, fn(&runbook::Model) -> Cursor) {
        match self {
            Self::CreatedAt => (runbook::Column::CreatedAt, |r| Cursor(SortValue::T(r.created_at), r.id)),
            Self::Title => (runbook::Column::Title, |r| Cursor(SortValue::S(r.title.clone()), r.id)),
            Self::BaselinedAt => {
                (runbook::Column::BaselinedAt, |r| Cursor(r.baselined_at.map_or(SortValue::I(0), SortValue::T), r.id))
            }
        }
    }
}

/// A page of baselined runbooks: in `order` (default: the order they were
/// created), or, when searching without an order, best match first.
pub async fn knowledge_base(
    db: &DatabaseConnection,
    viewer: &Viewer,
    engagement: EngagementId,
    filter: &KnowledgeBaseFilter,
    order: Option<(KnowledgeBaseSort, bool)>,
    args: &PageArgs,
) -> Result<Page<KnowledgeBaseEntry>> {
    let query = SearchQuery::parse(filter.search.as_deref())?;
    engagement_access(db, viewer, engagement).await?;
    let baselined = runbook::Entity::find()
        .filter(runbook::Column::EngagementId.eq(engagement.0))
        .filter(runbook::Column::BaselineRevisionId.is_not_null());
    let Some(query) = query else {
        let (sort, descending) = order.unwrap_or_default();
        let (column, cursor) = sort.key();
        let order = SortOrder::<runbook::Entity> { column, id_column: runbook::Column::Id, descending, cursor };
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
    let matches = hits.into_iter().filter_map(|hit| runbooks.remove(&hit.id).map(|runbook| (runbook, Some(hit))));
    if let Some((sort, descending)) = order {
        let (_, cursor) = sort.key();
        return page::slice_by(matches.collect(), |(r, _): &KnowledgeBaseEntry| cursor(r), descending, args);
    }
    let ranked: Vec<(i64, KnowledgeBaseEntry)> =
        matches.enumerate().map(|(position, entry)| (i64::try_from(position).unwrap_or(i64::MAX), entry)).collect();
    let page = page::slice(ranked, |(position, (r, _))| Cursor(SortValue::I(*position), r.id), args)?;
    Ok(page.map(|(_, entry)| entry))
}
