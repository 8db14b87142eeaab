//! "My work" across the caller's engagements (only those they are a member
//! of, admins included): the activities assigned to them, the runbooks in
//! review that wait for their side's approval, and the deviations still open.

use std::collections::HashMap;

use opskit_entity::{
    activity, deviation, engagement_member,
    enums::{ActivityStatus, DeviationStatus, EngagementRole, RunbookStatus, Severity},
    runbook, runbook_review, runbook_revision,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{
    Viewer, access,
    deviations::DeviationSort,
    engagements::activities::ActivitySort,
    ids::EngagementId,
    page::{self, Page, PageArgs},
    permissions::Role,
    runbooks::{self, Facts, RunbookSort},
};
use crate::error::Result;

/// The caller's memberships: their member IDs and role by engagement.
async fn memberships<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    only: Option<EngagementId>,
) -> Result<Vec<engagement_member::Model>> {
    let mut query = engagement_member::Entity::find().filter(engagement_member::Column::UserId.eq(viewer.user_id.0));
    if let Some(id) = only {
        query = query.filter(engagement_member::Column::EngagementId.eq(id.0));
    }
    Ok(query.all(db).await?)
}

/// Narrowing the caller's assigned activities.
#[derive(Debug, Clone, Default)]
pub struct AssignedFilter {
    pub engagement: Option<EngagementId>,
    /// Only activities in one of these states (default: all).
    pub statuses: Option<Vec<ActivityStatus>>,
}

/// Activities assigned to the caller, in `sort` order.
pub async fn assigned_activities<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    filter: &AssignedFilter,
    (sort, descending): (ActivitySort, bool),
    args: &PageArgs,
) -> Result<Page<activity::Model>> {
    let members = memberships(db, viewer, filter.engagement).await?;
    let mut query = activity::Entity::find()
        .filter(activity::Column::AssigneeMemberId.is_in(members.iter().map(|m| m.id).collect::<Vec<_>>()));
    if let Some(statuses) = &filter.statuses {
        query = query.filter(activity::Column::Status.is_in(statuses.iter().copied()));
    }
    page::slice_by(query.all(db).await?, |a| sort.cursor(a), descending, args)
}

/// Narrowing the caller's open deviations.
#[derive(Debug, Clone, Default)]
pub struct OpenDeviationFilter {
    pub engagement: Option<EngagementId>,
    /// Only deviations of one of these severities.
    pub severities: Option<Vec<Severity>>,
}

/// Deviations not resolved (`OPEN` or `RISK_ACCEPTED`) in the caller's engagements, in `sort` order.
pub async fn open_deviations<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    filter: &OpenDeviationFilter,
    (sort, descending): (DeviationSort, bool),
    args: &PageArgs,
) -> Result<Page<deviation::Model>> {
    let members = memberships(db, viewer, filter.engagement).await?;
    let mut query = deviation::Entity::find()
        .filter(deviation::Column::EngagementId.is_in(members.iter().map(|m| m.engagement_id).collect::<Vec<_>>()))
        .filter(deviation::Column::Status.ne(DeviationStatus::Resolved));
    if let Some(severities) = &filter.severities {
        query = query.filter(deviation::Column::Severity.is_in(severities.iter().copied()));
    }
    page::slice_by(query.all(db).await?, |d| sort.cursor(d), descending, args)
}

/// Runbooks in review, in the caller's engagements, that wait for the
/// caller's side's approval and that the caller may approve, in `sort` order.
pub async fn pending_reviews<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    engagement: Option<EngagementId>,
    (sort, descending): (RunbookSort, bool),
    args: &PageArgs,
) -> Result<Page<runbook::Model>> {
    let roles: HashMap<i64, EngagementRole> =
        memberships(db, viewer, engagement).await?.into_iter().map(|m| (m.engagement_id, m.role)).collect();
    let in_review = runbook::Entity::find()
        .filter(runbook::Column::EngagementId.is_in(roles.keys().copied().collect::<Vec<_>>()))
        .filter(runbook::Column::Status.eq(RunbookStatus::InReview))
        .all(db)
        .await?;
    let runbook_ids: Vec<i64> = in_review.iter().map(|r| r.id).collect();
    let revision_ids: Vec<i64> = in_review.iter().filter_map(|r| r.current_revision_id).collect();
    let reviews =
        runbook_review::Entity::find().filter(runbook_review::Column::RunbookId.is_in(runbook_ids)).all(db).await?;
    let revisions: HashMap<i64, runbook_revision::Model> = runbook_revision::Entity::find()
        .filter(runbook_revision::Column::Id.is_in(revision_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let waiting: Vec<runbook::Model> = in_review
        .into_iter()
        .filter(|r| {
            let role: Option<Role> = access::role_of(viewer.is_admin(), roles.get(&r.engagement_id).copied());
            let own: Vec<runbook_review::Model> = reviews.iter().filter(|v| v.runbook_id == r.id).cloned().collect();
            let current = r.current_revision_id.and_then(|id| revisions.get(&id));
            let facts = Facts { current, reviews: &own };
            role.is_some_and(|role| runbooks::awaits_review_from(r, role, viewer.user_id, &facts))
        })
        .collect();
    runbooks::page(waiting, sort, descending, args)
}
