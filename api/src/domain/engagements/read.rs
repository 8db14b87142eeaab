//! Reading engagements: one by ID (`NOT_FOUND` for strangers) and lists that
//! only ever contain what the caller may see.

use crate::domain::permissions::Permission;
use opskit_entity::{engagement, engagement_member, enums::EngagementStatus};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait, Func, Query},
};

use crate::{
    domain::{
        Viewer,
        access::{Access, engagement_access},
        ids::EngagementId,
        page::{self, Cursor, Page, PageArgs, SortOrder, SortValue},
    },
    error::Result,
};

/// An engagement the caller may read, with the caller's access to it.
pub async fn get(db: &DatabaseConnection, viewer: &Viewer, id: EngagementId) -> Result<Access> {
    engagement_access(db, viewer, id).await
}

/// Which engagements a list draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everything the caller may read (admins: all engagements).
    Readable,
    /// Only those the caller is a member of (`viewer.engagements`).
    Memberships,
}

/// Narrowing a list.
#[derive(Debug, Clone, Default)]
pub struct EngagementFilter {
    pub statuses: Option<Vec<EngagementStatus>>,
    pub customer_name: Option<String>,
    /// Case-insensitive words in the name or customer name.
    pub search: Option<String>,
}

/// What a list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EngagementOrderField {
    #[default]
    CreatedAt,
    Name,
    StartsOn,
}

/// Sort field and direction.
#[derive(Debug, Clone, Copy)]
pub struct EngagementOrder {
    pub field: EngagementOrderField,
    pub descending: bool,
}

impl Default for EngagementOrder {
    /// Newest first.
    fn default() -> Self {
        Self { field: EngagementOrderField::CreatedAt, descending: true }
    }
}

/// A page of engagements in `scope`.
pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    scope: Scope,
    filter: &EngagementFilter,
    order: EngagementOrder,
    args: &PageArgs,
) -> Result<Page<engagement::Model>> {
    let mut query = engagement::Entity::find();
    if scope == Scope::Memberships || !viewer.may_everywhere(Permission::ReadEngagement) {
        query = query.filter(
            engagement::Column::Id.in_subquery(
                Query::select()
                    .column(engagement_member::Column::EngagementId)
                    .from(engagement_member::Entity)
                    .and_where(engagement_member::Column::UserId.eq(viewer.user_id.0))
                    .to_owned(),
            ),
        );
    }
    if let Some(statuses) = &filter.statuses {
        query = query.filter(engagement::Column::Status.is_in(statuses.iter().copied()));
    }
    if let Some(customer) = &filter.customer_name {
        query = query.filter(engagement::Column::CustomerName.eq(customer.trim()));
    }
    if let Some(search) = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        for word in search.split_whitespace() {
            let pattern = format!("%{}%", word.to_lowercase().replace(['%', '_'], ""));
            query = query.filter(
                Condition::any()
                    .add(Expr::expr(Func::lower(Expr::col(engagement::Column::Name))).like(pattern.clone()))
                    .add(Expr::expr(Func::lower(Expr::col(engagement::Column::CustomerName))).like(pattern)),
            );
        }
    }
    let sort = match order.field {
        EngagementOrderField::CreatedAt => SortOrder::<engagement::Entity> {
            column: engagement::Column::CreatedAt,
            id_column: engagement::Column::Id,
            descending: order.descending,
            cursor: |e| Cursor(SortValue::T(e.created_at), e.id),
        },
        EngagementOrderField::Name => SortOrder {
            column: engagement::Column::Name,
            id_column: engagement::Column::Id,
            descending: order.descending,
            cursor: |e: &engagement::Model| Cursor(SortValue::S(e.name.clone()), e.id),
        },
        EngagementOrderField::StartsOn => SortOrder {
            column: engagement::Column::StartsOn,
            id_column: engagement::Column::Id,
            descending: order.descending,
            cursor: |e: &engagement::Model| Cursor(SortValue::D(e.starts_on), e.id),
        },
    };
    page::keyset(db, query, &sort, args).await
}
