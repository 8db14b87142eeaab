//! An engagement and the lists inside it. Members and activities have their
//! own files; they are re-exported here for the types that reach them
//! through their engagement.

use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::{DateTime, NaiveDate, Utc};
use opskit_entity::engagement;

pub use super::{
    activity::Activity, engagement_member::EngagementMember, order::Order, viewer_can::EngagementViewerCan,
};
use super::{
    activity::{self, ActivityFilter},
    audit_event::{AuditEvent, AuditEventFilter, AuditEventOrder},
    catalog::Kit,
    engagement_member::{self, MemberFilter},
    enums::{EngagementRole, EngagementStatus, OrderDirection, RunbookKind, RunbookStatus},
    progress::{EngagementProgress, ProgressPoint},
    raci::RaciCapability,
    readiness::ReadinessAssessment,
    reports::EngagementReports,
    runbook::Runbook,
    sprint::Sprint,
    stamps::Stamps,
    tracker_connection::TrackerConnection,
    user::User,
    workshop_session::{WorkshopSession, WorkshopSessionFilter, WorkshopSessionOrder},
};
use crate::{
    domain::{
        audit_trail,
        engagements::{self as service, Scope, members},
        ids::{EngagementId, KitId, UserId},
        page::PageArgs,
        progress_history, raci, readiness, runbooks, workshops,
    },
    error::Error,
    graphql::{
        connection::{
            Conn, KnowledgeBaseConnectionName, KnowledgeBaseEdgeName, SearchConn, connection, cost, search_connection,
        },
        context::ContextExt,
        ids,
        loaders::{capability_by_key, many, maybe, one},
    },
};

/// A page of engagements; when searched, each edge says how it matched.
pub type EngagementConnection = SearchConn<Engagement>;

/// A customer engagement run from one kit version.
pub struct Engagement(pub engagement::Model);

impl Engagement {
    /// The engagement `id`, reached through one of its objects: the caller was
    /// allowed to read the engagement to get there.
    pub async fn load(ctx: &Context<'_>, id: EngagementId) -> Result<Engagement, Error> {
        Ok(Engagement(one(&ctx.loaders()?.engagement, id.0, "engagement").await?))
    }
}

/// Narrowing a list of engagements.
#[derive(InputObject, Default)]
pub struct EngagementFilter {
    /// Only engagements in one of these states.
    pub status: Option<Vec<EngagementStatus>>,
    /// Only engagements for this customer (exact name).
    pub customer_name: Option<String>,
    /// A full-text search of the name and customer name (PostgreSQL: web
    /// search syntax; SQLite: all of the words), at most 200 characters and 16
    /// terms (`QUERY_TOO_LONG`). Each edge then carries its `rank` and `snippet`.
    pub search: Option<String>,
}

impl From<EngagementFilter> for service::EngagementFilter {
    fn from(f: EngagementFilter) -> Self {
        Self {
            statuses: f.status.map(|s| s.into_iter().map(Into::into).collect()),
            customer_name: f.customer_name,
            search: f.search,
        }
    }
}

/// What engagements are sorted by.
#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq, Default)]
pub enum EngagementOrderField {
    #[default]
    CreatedAt,
    Name,
    StartsOn,
}

/// Sort order of an engagement list (default: newest first).
#[derive(InputObject)]
pub struct EngagementOrder {
    pub field: EngagementOrderField,
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl From<EngagementOrder> for service::EngagementOrder {
    fn from(o: EngagementOrder) -> Self {
        Self {
            field: match o.field {
                EngagementOrderField::CreatedAt => service::EngagementOrderField::CreatedAt,
                EngagementOrderField::Name => service::EngagementOrderField::Name,
                EngagementOrderField::StartsOn => service::EngagementOrderField::StartsOn,
            },
            descending: o.direction == OrderDirection::Desc,
        }
    }
}

/// The `engagements` list, declared once and flattened into `Query` (every
/// engagement the caller may read) and `Viewer` (only their memberships).
pub struct EngagementList(pub Scope);

#[Object]
impl EngagementList {
    /// Engagements, newest first by default: on `Query` every engagement the
    /// caller may read (admins: all); on `Viewer` only those the caller is a
    /// member of (for admins too: only their own).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn engagements(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<EngagementFilter>,
        order_by: Option<EngagementOrder>,
    ) -> Result<EngagementConnection> {
        let filter = filter.map(Into::into).unwrap_or_default();
        let order = order_by.map(Into::into).unwrap_or_default();
        let args = PageArgs { first, after, last, before };
        let page = service::list(ctx.db()?, ctx.viewer()?, self.0, &filter, order, &args).await?;
        Ok(search_connection(page, Engagement))
    }
}

/// Narrowing an engagement's runbooks.
#[derive(InputObject, Default)]
pub struct RunbookFilter {
    pub status: Option<RunbookStatus>,
    pub kind: Option<RunbookKind>,
    /// Only the runbooks of this capability (its key, e.g. `patch-management`).
    #[graphql(name = "capability")]
    pub capability_key: Option<String>,
}

/// What an engagement's runbooks are sorted by (ties broken by ID).
#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq)]
pub enum RunbookOrderField {
    /// When created.
    CreatedAt,
    /// When last changed.
    UpdatedAt,
    /// Alphabetically (by code point).
    Title,
    /// Along the workflow: TEMPLATE, DRAFT, IN_REVIEW, BASELINE.
    Status,
}

/// Sort order of the list: a field and a direction.
pub type RunbookOrder = Order<RunbookOrderField>;

/// What the knowledge base is sorted by (ties broken by ID).
#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq)]
pub enum KnowledgeBaseOrderField {
    /// When the runbook was created.
    CreatedAt,
    /// Alphabetically (by code point).
    Title,
    /// When its current baseline was signed off.
    BaselinedAt,
}

/// Sort order of the knowledge base: a field and a direction.
pub type KnowledgeBaseOrder = Order<KnowledgeBaseOrderField>;

impl From<KnowledgeBaseOrderField> for runbooks::KnowledgeBaseSort {
    fn from(field: KnowledgeBaseOrderField) -> Self {
        match field {
            KnowledgeBaseOrderField::CreatedAt => Self::CreatedAt,
            KnowledgeBaseOrderField::Title => Self::Title,
            KnowledgeBaseOrderField::BaselinedAt => Self::BaselinedAt,
        }
    }
}

impl From<RunbookOrderField> for runbooks::RunbookSort {
    fn from(field: RunbookOrderField) -> Self {
        match field {
            RunbookOrderField::CreatedAt => runbooks::RunbookSort::CreatedAt,
            RunbookOrderField::UpdatedAt => runbooks::RunbookSort::UpdatedAt,
            RunbookOrderField::Title => runbooks::RunbookSort::Title,
            RunbookOrderField::Status => runbooks::RunbookSort::Status,
        }
    }
}

#[Object]
impl Engagement {
    pub async fn id(&self) -> ID {
        ids::encode(EngagementId(self.0.id))
    }
    /// What the caller may do in it now: one flag per kind of mutation.
    async fn viewer_can(&self, ctx: &Context<'_>) -> Result<EngagementViewerCan> {
        Ok(EngagementViewerCan::of(ctx, &self.0).await?)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn customer_name(&self) -> &str {
        &self.0.customer_name
    }
    async fn status(&self) -> EngagementStatus {
        self.0.status.into()
    }
    async fn starts_on(&self) -> NaiveDate {
        self.0.starts_on
    }
    async fn sprint_length_days(&self) -> i32 {
        self.0.sprint_length_days
    }
    /// The planned last day, when agreed.
    async fn ends_on(&self) -> Option<NaiveDate> {
        self.0.ends_on
    }
    /// When the engagement was closed; null unless CLOSED.
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at
    }
    /// Who closed it; null unless CLOSED.
    async fn closed_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        Ok(User::load_optional(ctx, self.0.closed_by).await?)
    }
    /// Why it was closed, when a reason was given (always for a close forced past failing close-out checks).
    async fn close_reason(&self) -> Option<&str> {
        self.0.close_reason.as_deref()
    }
    #[graphql(flatten)]
    async fn stamps(&self) -> Stamps {
        Stamps { created_at: self.0.created_at, updated_at: self.0.updated_at, version: self.0.version }
    }
    /// The kit version the engagement runs from.
    async fn kit(&self, ctx: &Context<'_>) -> Result<Kit> {
        Ok(Kit::load(ctx, KitId(self.0.kit_id))?)
    }
    async fn created_by(&self, ctx: &Context<'_>) -> Result<User> {
        Ok(User::load(ctx, UserId(self.0.created_by)).await?)
    }
    /// The caller's role here; null for an admin who is not a member.
    async fn viewer_role(&self, ctx: &Context<'_>) -> Result<Option<EngagementRole>> {
        let all = many(&ctx.loaders()?.members_by_engagement, self.0.id).await?;
        Ok(members::role_of(&all, ctx.viewer()?.user_id).map(Into::into))
    }
    /// Members, in the order they were added unless `orderBy` says otherwise.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn members(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<MemberFilter>,
        order_by: Option<engagement_member::MemberOrder>,
    ) -> Result<Conn<EngagementMember>> {
        engagement_member::of_engagement(ctx, &self.0, filter, order_by, PageArgs { first, after, last, before }).await
    }
    /// Activities, one per artifact template of the kit version, in kit order
    /// unless `orderBy` says otherwise.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn activities(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<ActivityFilter>,
        order_by: Option<activity::ActivityOrder>,
    ) -> Result<Conn<Activity>> {
        activity::of_engagement(ctx, &self.0, filter, order_by, PageArgs { first, after, last, before }).await
    }
    /// The engagement's runbooks (core ones from the kit, and custom ones),
    /// oldest first unless `orderBy` says otherwise.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn runbooks(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<RunbookFilter>,
        order_by: Option<RunbookOrder>,
    ) -> Result<Conn<Runbook>> {
        let filter = filter.unwrap_or_default();
        let loaders = ctx.loaders()?;
        let wanted = runbooks::RunbookFilter {
            status: filter.status.map(Into::into),
            kind: filter.kind.map(Into::into),
            capability: capability_by_key(&*ctx.catalog()?, self.0.kit_id, filter.capability_key.as_deref()),
        };
        let rows = many(&loaders.runbooks_by_engagement, self.0.id).await?;
        let (sort, descending) = RunbookOrder::into_domain(order_by);
        let page = runbooks::list(rows, &wanted, sort, descending, &PageArgs { first, after, last, before })?;
        Ok(connection(page, Runbook))
    }
    /// The knowledge base: baselined runbooks (read their `baselineRevision`),
    /// in the order they were created unless `orderBy` says otherwise. With
    /// `search`, only those whose title or baselined body match it, best match
    /// first (unless `orderBy` is given), each edge with its `rank` and a
    /// highlighted `snippet`.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn knowledge_base(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A full-text search (PostgreSQL: web search syntax, e.g. `\"patch window\" -windows`; \
                          SQLite: all of the words). At most 200 characters and 16 terms (`QUERY_TOO_LONG`).")]
        search: Option<String>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<KnowledgeBaseOrder>,
    ) -> Result<SearchConn<Runbook, KnowledgeBaseConnectionName, KnowledgeBaseEdgeName>> {
        let args = PageArgs { first, after, last, before };
        let filter = runbooks::KnowledgeBaseFilter { search };
        let id = EngagementId(self.0.id);
        let order = order_by.map(|o| Order::into_domain(Some(o)));
        let page = runbooks::knowledge_base(ctx.db()?, ctx.viewer()?, id, &filter, order, &args).await?;
        Ok(search_connection(page, Runbook))
    }
    /// Where its reports are (handover document, charts, spreadsheets, calendar).
    async fn reports(&self) -> EngagementReports {
        EngagementReports(ids::encode(EngagementId(self.0.id)).0)
    }
    /// Progress, derived from the work recorded so far.
    async fn progress(&self, ctx: &Context<'_>) -> Result<EngagementProgress> {
        Ok(EngagementProgress(maybe(&ctx.loaders()?.progress, self.0.id).await?.unwrap_or_default()))
    }
    /// Progress per day from `from` to `to` (inclusive, at most 366 days), for
    /// burndown charts: each point is the progress at the end of that day (UTC).
    /// Days before the engagement existed have no point; a day without a change
    /// repeats the last one (`changed: false`).
    async fn progress_history(&self, ctx: &Context<'_>, from: NaiveDate, to: NaiveDate) -> Result<Vec<ProgressPoint>> {
        let points = progress_history::history(ctx.db()?, EngagementId(self.0.id), from, to).await?;
        Ok(points.into_iter().map(ProgressPoint).collect())
    }
    /// Deviations from the recommended designs, in the order they were
    /// recorded unless `orderBy` says otherwise.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn deviations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<super::deviation::DeviationFilter>,
        order_by: Option<super::deviation::DeviationOrder>,
    ) -> Result<super::deviation::DeviationConnection> {
        super::deviation::of_engagement(ctx, &self.0, filter, order_by, PageArgs { first, after, last, before }).await
    }
    /// Webhook endpoints, oldest first (consultants and admins: `FORBIDDEN` for other members).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn webhook_endpoints(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<super::order::ChronologicalOrder>,
    ) -> Result<super::webhook::WebhookEndpointConnection> {
        let args = PageArgs { first, after, last, before };
        let descending = super::order::newest_first(order_by, false);
        let page =
            crate::domain::webhooks::list(ctx.db()?, ctx.viewer()?, EngagementId(self.0.id), descending, &args).await?;
        Ok(connection(page, super::webhook::WebhookEndpoint))
    }
    /// The engagement's API keys, oldest first, revoked ones included (those
    /// who manage integrations only: `FORBIDDEN` for others).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn api_keys(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<super::order::ChronologicalOrder>,
    ) -> Result<Conn<super::api_key::ApiKey>> {
        let args = PageArgs { first, after, last, before };
        let descending = super::order::newest_first(order_by, false);
        let page =
            crate::domain::api_keys::list(ctx.db()?, ctx.viewer()?, EngagementId(self.0.id), descending, &args).await?;
        Ok(connection(page, super::api_key::ApiKey))
    }
    /// Sprints, in number order.
    async fn sprints(&self, ctx: &Context<'_>) -> Result<Vec<Sprint>> {
        Ok(many(&ctx.loaders()?.sprints_by_engagement, self.0.id).await?.into_iter().map(Sprint).collect())
    }
    /// Workshop sessions, in the order of the workshop plan (position, then
    /// ID) unless `orderBy` says otherwise.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn workshop_sessions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<WorkshopSessionFilter>,
        order_by: Option<WorkshopSessionOrder>,
    ) -> Result<Conn<WorkshopSession>> {
        let filter = filter.unwrap_or_default().into_domain()?;
        let loaders = ctx.loaders()?;
        let sessions = many(&loaders.workshop_sessions_by_engagement, self.0.id).await?;
        let catalog = ctx.catalog()?;
        let order = WorkshopSessionOrder::into_domain(order_by);
        let args = PageArgs { first, after, last, before };
        let page = workshops::page(sessions, catalog.capabilities_of(self.0.kit_id), &filter, order, &args)?;
        Ok(connection(page, WorkshopSession))
    }
    /// The readiness assessments recorded so far (the Game Day's results), in kit capability order.
    async fn readiness_assessments(&self, ctx: &Context<'_>) -> Result<Vec<ReadinessAssessment>> {
        let catalog = ctx.catalog()?;
        let rows = many(&ctx.loaders()?.readiness_by_engagement, self.0.id).await?;
        let ordered = readiness::in_kit_order(rows, catalog.capabilities_of(self.0.kit_id));
        Ok(ordered.into_iter().map(ReadinessAssessment).collect())
    }
    /// The engagement's connections to the customer's trackers (at most one per system).
    async fn tracker_connections(&self, ctx: &Context<'_>) -> Result<Vec<TrackerConnection>> {
        let rows = many(&ctx.loaders()?.trackers_by_engagement, self.0.id).await?;
        Ok(rows.into_iter().map(TrackerConnection).collect())
    }
    /// The RACI matrix: one entry per capability of the kit, in kit order.
    async fn raci(&self, ctx: &Context<'_>) -> Result<Vec<RaciCapability>> {
        let catalog = ctx.catalog()?;
        let assignments = many(&ctx.loaders()?.raci_by_engagement, self.0.id).await?;
        let matrix = raci::matrix(catalog.capabilities_of(self.0.kit_id), assignments);
        Ok(matrix.into_iter().map(RaciCapability).collect())
    }
    /// Every party named in the RACI matrix, sorted.
    async fn raci_parties(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        Ok(raci::parties(&many(&ctx.loaders()?.raci_by_engagement, self.0.id).await?))
    }
    /// Every change made in this engagement, newest first (the log's order)
    /// unless `orderBy` says otherwise.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn audit_trail(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<AuditEventFilter>,
        order_by: Option<AuditEventOrder>,
    ) -> Result<Conn<AuditEvent>> {
        let filter = filter.unwrap_or_default().into_domain()?;
        let args = PageArgs { first, after, last, before };
        let (sort, descending) =
            order_by.map_or((audit_trail::AuditSort::Position, true), |o| Order::into_domain(Some(o)));
        let page = audit_trail::list(ctx.db()?, EngagementId(self.0.id), &filter, sort, descending, &args).await?;
        Ok(connection(page, AuditEvent))
    }
}
