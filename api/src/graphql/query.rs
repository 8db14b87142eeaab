//! The root query.

use std::sync::Arc;

use async_graphql::{Context, ID, Object, Result};

use super::{
    connection::{Conn, connection, cost},
    context::ContextExt,
    ids,
    node::{self, Node},
    types::{
        catalog::{Kit, KitOrder},
        engagement::{Engagement, EngagementList},
        enums::TrackerSystem,
        order::Order,
        rate_limit::RateLimit,
        user::Viewer,
    },
};
use crate::{
    domain::{
        self,
        engagements::{self, Scope},
        ids::EngagementId,
        kits::KitSort,
        page::PageArgs,
        trackers,
    },
    error::Error,
    limits::Meter,
};

/// Most IDs one `nodes` call resolves.
const MAX_NODES: usize = crate::limits::arguments::MAX_ITEMS;

pub struct Query;

/// Reading opskit. Every argument of a query or a subscription is bounded
/// before anything runs: a text at most 1,000 characters (`TOO_LONG`; a
/// `search` at most 200, `QUERY_TOO_LONG`), a list at most 100 items
/// (`TOO_MANY`), inside input objects too.
#[Object]
impl Query {
    /// The caller.
    async fn viewer(&self) -> Viewer {
        Viewer
    }

    /// Any object by its global ID; `NOT_FOUND` when it does not exist or the caller may not see it.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Node> {
        Ok(node::resolve(ctx, &id).await?)
    }

    /// Several objects by global ID (at most 100 items), in the same order; null where
    /// one does not exist or may not be seen. Costs the number of IDs times what
    /// each selects.
    #[graphql(complexity = "ids.len().max(1).saturating_mul(child_complexity.max(1))")]
    async fn nodes(&self, ctx: &Context<'_>, ids: Vec<ID>) -> Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(Error::BadUserInput(format!("at most {MAX_NODES} IDs per call")).into());
        }
        let mut out = Vec::with_capacity(ids.len());
        for id in &ids {
            out.push(match node::resolve(ctx, id).await {
                Ok(found) => Some(found),
                Err(Error::NotFound(_)) => None,
                Err(other) => return Err(other.into()),
            });
        }
        Ok(out)
    }

    /// The caller's query budget: this operation's cost, the points per window,
    /// what remains after this operation and when the window resets.
    async fn rate_limit(&self, ctx: &Context<'_>) -> Result<RateLimit> {
        ctx.viewer()?;
        let meter = ctx.data::<Arc<Meter>>()?;
        let (cost, standing) =
            meter.spent().ok_or_else(|| Error::internal(anyhow::anyhow!("the operation was not costed")))?;
        Ok(RateLimit::new(cost, standing))
    }

    /// Imported kit versions, newest first unless `orderBy` says otherwise.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn kits(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(desc = "Only versions of this kit key.")] key: Option<String>,
        order_by: Option<KitOrder>,
    ) -> Result<Conn<Kit>> {
        ctx.viewer()?;
        let args = PageArgs { first, after, last, before };
        let (sort, descending) = order_by.map_or((KitSort::ImportedAt, true), |o| Order::into_domain(Some(o)));
        let page = domain::kits::list(&*ctx.catalog()?, &domain::kits::KitFilter { key }, sort, descending, &args)?;
        Ok(connection(page, Kit))
    }

    /// A kit version by key; the newest import of that key when `version` is omitted.
    async fn kit(&self, ctx: &Context<'_>, key: String, version: Option<String>) -> Result<Option<Kit>> {
        ctx.viewer()?;
        let catalog = ctx.catalog()?;
        let found = match version {
            Some(version) => catalog.find(&key, &version),
            None => catalog.latest(&key),
        };
        Ok(found.cloned().map(Kit))
    }

    /// `engagements`: every engagement the caller may read (admins: all).
    #[graphql(flatten)]
    async fn readable(&self) -> EngagementList {
        EngagementList(Scope::Readable)
    }

    /// The activities, deviations and runbooks that ticket `key` of `system`
    /// tracks (at most 100 of each kind), among those the caller may see: a
    /// stranger gets an empty list.
    async fn tracked_object(
        &self,
        ctx: &Context<'_>,
        system: TrackerSystem,
        #[graphql(desc = "The ticket's key, e.g. `OPS-142`. At most 200 characters.")] key: String,
    ) -> Result<Vec<Node>> {
        let linked = trackers::tracked(ctx.db()?, ctx.viewer()?, system.into(), &key).await?;
        Ok(linked.into_iter().map(Node::from).collect())
    }

    /// One engagement; `NOT_FOUND` when it does not exist or the caller is not a member.
    async fn engagement(&self, ctx: &Context<'_>, id: ID) -> Result<Engagement> {
        let id = ids::decode::<EngagementId>(&id)?;
        Ok(Engagement(engagements::get(ctx.db()?, ctx.viewer()?, id).await?.engagement))
    }
}
