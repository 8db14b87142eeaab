//! The knowledge base: an engagement's baselined runbooks with their
//! baselined revision, searchable by words in title and body.

use opskit_entity::{runbook, runbook_revision};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait, Func, Query},
};

use crate::{
    domain::{
        Viewer,
        access::engagement_access,
        ids::EngagementId,
        page::{self, Cursor, Page, PageArgs, SortOrder, SortValue},
    },
    error::Result,
};

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
