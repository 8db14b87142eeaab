//! Reading engagements: one by ID (`NOT_FOUND` for strangers) and lists that
//! only ever contain what the caller may see.

use crate::domain::permissions::Permission;
use opskit_entity::{engagement, engagement_member, enums::EngagementStatus};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::{
    domain::{
        Viewer,
        access::{Access, engagement_access, member_engagements},
        ids::EngagementId,
        page::{self, Cursor, Page, PageArgs, SortOrder, SortValue},
        search::{self, Hit, SearchQuery},
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
    /// A full-text search of the name and customer name (`QUERY_TOO_LONG` past the limits of [`search`]).
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

/// A page of engagements in `scope`; when searching, each with how it matched.
pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    scope: Scope,
    filter: &EngagementFilter,
    order: EngagementOrder,
    args: &PageArgs,
) -> Result<Page<(engagement::Model, Option<Hit>)>> {
    let search = SearchQuery::parse(filter.search.as_deref())?;
    let mut query = engagement::Entity::find();
    let members_only =
        viewer.key.is_none() && (scope == Scope::Memberships || !viewer.may_everywhere(Permission::ReadEngagement));
    if let Some(grant) = viewer.key {
        // A key sees its engagement and no other.
        query = query.filter(engagement::Column::Id.eq(grant.engagement.0));
    } else if members_only {
        query = query.filter(engagement::Column::Id.in_subquery(member_engagements(viewer)));
    }
    if let Some(statuses) = &filter.statuses {
        query = query.filter(engagement::Column::Status.is_in(statuses.iter().copied()));
    }
    if let Some(customer) = &filter.customer_name {
        query = query.filter(engagement::Column::CustomerName.eq(customer.trim()));
    }
    if let Some(search) = &search {
        query = query.filter(search::engagement_matches(db.get_database_backend(), search));
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
    // The caller's engagements, unfiltered, are as many as their memberships
    // (one per engagement, removed with it): counting those alone skips the
    // join, which is most of the count's time for a member of thousands.
    let unfiltered = filter.statuses.is_none() && filter.customer_name.is_none() && search.is_none();
    let page = if members_only && unfiltered {
        let memberships =
            engagement_member::Entity::find().filter(engagement_member::Column::UserId.eq(viewer.user_id.0));
        page::keyset_counting(db, memberships, query, &sort, args).await?
    } else {
        page::keyset(db, query, &sort, args).await?
    };
    let Some(search) = search else { return Ok(page.map(|e| (e, None))) };
    let ids: Vec<i64> = page.edges.iter().map(|(_, e)| e.id).collect();
    let hits = search::engagement_hits(db, &search, &ids).await?;
    Ok(page.map(|e| {
        let hit = hits.get(&e.id).cloned();
        (e, hit)
    }))
}
