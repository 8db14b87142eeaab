//! "My work" on `Viewer`: the caller's assigned activities, the runbooks that
//! wait for their review, and the open deviations of their engagements.

use async_graphql::{Context, ID, InputObject, Object, Result};

use super::{
    activity::{Activity, ActivityOrder},
    deviation::{Deviation, DeviationOrder},
    engagement::RunbookOrder,
    enums::{ActivityStatus, Severity},
    runbook::Runbook,
};
use crate::{
    domain::{
        ids::EngagementId,
        my_work::{self, AssignedFilter, OpenDeviationFilter as Filter},
        page::PageArgs,
    },
    graphql::{
        connection::{Conn, connection, cost},
        context::ContextExt,
        ids,
    },
};

/// Narrowing `viewer.assignedActivities`.
#[derive(InputObject, Default)]
pub struct AssignedActivityFilter {
    /// Only activities of this engagement.
    pub engagement_id: Option<ID>,
    /// Only activities in one of these states.
    pub status: Option<Vec<ActivityStatus>>,
}

/// Narrowing `viewer.pendingReviews`.
#[derive(InputObject, Default)]
pub struct PendingReviewFilter {
    /// Only runbooks of this engagement.
    pub engagement_id: Option<ID>,
}

/// Narrowing `viewer.openDeviations`.
#[derive(InputObject, Default)]
pub struct OpenDeviationFilter {
    /// Only deviations of this engagement.
    pub engagement_id: Option<ID>,
    /// Only deviations of one of these severities.
    pub severity: Option<Vec<Severity>>,
}

fn engagement(id: Option<&ID>) -> Result<Option<EngagementId>> {
    Ok(id.map(ids::decode::<EngagementId>).transpose()?)
}

/// The caller's work across the engagements they are a member of.
pub struct MyWork;

#[Object]
impl MyWork {
    /// Activities assigned to the caller, in the engagements they are a
    /// member of, in kit order unless `orderBy` says otherwise.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn assigned_activities(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<AssignedActivityFilter>,
        order_by: Option<ActivityOrder>,
    ) -> Result<Conn<Activity>> {
        let filter = filter.unwrap_or_default();
        let wanted = AssignedFilter {
            engagement: engagement(filter.engagement_id.as_ref())?,
            statuses: filter.status.map(|s| s.into_iter().map(Into::into).collect()),
        };
        let args = PageArgs { first, after, last, before };
        let order = ActivityOrder::into_domain(order_by);
        let page = my_work::assigned_activities(ctx.db()?, ctx.viewer()?, &wanted, order, &args).await?;
        Ok(connection(page, Activity))
    }

    /// Runbooks in review that wait for the caller: their side (consultants,
    /// or the customer's stakeholders) has not approved the revision under
    /// review, and they may approve it (not a revision they wrote); oldest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn pending_reviews(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<PendingReviewFilter>,
        order_by: Option<RunbookOrder>,
    ) -> Result<Conn<Runbook>> {
        let filter = filter.unwrap_or_default();
        let args = PageArgs { first, after, last, before };
        let id = engagement(filter.engagement_id.as_ref())?;
        let order = RunbookOrder::into_domain(order_by);
        let page = my_work::pending_reviews(ctx.db()?, ctx.viewer()?, id, order, &args).await?;
        Ok(connection(page, Runbook))
    }

    /// Deviations not resolved yet (`OPEN` or `RISK_ACCEPTED`) in the
    /// engagements the caller is a member of, oldest first unless `orderBy` says otherwise.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn open_deviations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<OpenDeviationFilter>,
        order_by: Option<DeviationOrder>,
    ) -> Result<Conn<Deviation>> {
        let filter = filter.unwrap_or_default();
        let wanted = Filter {
            engagement: engagement(filter.engagement_id.as_ref())?,
            severities: filter.severity.map(|s| s.into_iter().map(Into::into).collect()),
        };
        let args = PageArgs { first, after, last, before };
        let order = DeviationOrder::into_domain(order_by);
        let page = my_work::open_deviations(ctx.db()?, ctx.viewer()?, &wanted, order, &args).await?;
        Ok(connection(page, Deviation))
    }
}
