//! Deviations from the recommended design, and the lists of them on an
//! engagement and on an activity.

use crate::domain::ids::DeviationId;
use std::collections::HashMap;

use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};
use opskit_entity::{deviation, engagement};

use super::{
    activity_work::Tracker,
    catalog::{ArtifactTemplate, Capability},
    engagement::{Activity, Engagement},
    enums::{DeviationStatus, Severity},
    order::Order,
    user::User,
    viewer_can::DeviationViewerCan,
};
use crate::{
    domain::{
        deviations::{self as service, DeviationFilter as Filter},
        ids::{ArtifactTemplateId, CapabilityId},
        page::{self, PageArgs},
        trackers::Tracked,
    },
    error::Error,
    graphql::{
        connection::{Conn, connection},
        context::ContextExt,
        ids,
        loaders::{capability_filter, many, one},
    },
};

/// A page of deviations.
pub type DeviationConnection = Conn<Deviation>;

/// How a Design activity departs from the capability's recommended design,
/// with its risks and how they are mitigated.
pub struct Deviation(pub deviation::Model);

#[Object]
impl Deviation {
    pub async fn id(&self) -> ID {
        ids::encode(DeviationId(self.0.id))
    }
    /// What the caller may do to it now: one flag per mutation.
    async fn viewer_can(&self, ctx: &Context<'_>) -> Result<DeviationViewerCan> {
        Ok(DeviationViewerCan::of(ctx, &self.0).await?)
    }
    /// A short name for the deviation.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What differs from the recommended design.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// Risks and concerns the deviation brings.
    async fn risks(&self) -> &str {
        &self.0.risks
    }
    async fn severity(&self) -> Severity {
        self.0.severity.into()
    }
    /// How the risks are reduced; null until one is written.
    async fn mitigation_plan(&self) -> Option<&str> {
        self.0.mitigation_plan.as_deref()
    }
    /// Who carries the mitigation (a person or a team, free text).
    async fn owner(&self) -> Option<&str> {
        self.0.owner.as_deref()
    }
    async fn status(&self) -> DeviationStatus {
        self.0.status.into()
    }
    /// The ticket that tracks it in the customer's tracker.
    async fn tracker(&self) -> Option<Tracker> {
        self.0.tracker().map(Tracker::from)
    }
    /// Whether a mitigation plan is written; a Design activity cannot be done
    /// while an unresolved deviation has none.
    async fn has_mitigation_plan(&self) -> bool {
        service::has_mitigation_plan(&self.0)
    }
    /// The stakeholder who accepted the risk; null unless `RISK_ACCEPTED` (or resolved after it).
    async fn risk_accepted_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        Ok(User::load_optional(ctx, self.0.risk_accepted_by).await?)
    }
    async fn risk_accepted_at(&self) -> Option<DateTime<Utc>> {
        self.0.risk_accepted_at
    }
    async fn resolved_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        Ok(User::load_optional(ctx, self.0.resolved_by).await?)
    }
    async fn resolved_at(&self) -> Option<DateTime<Utc>> {
        self.0.resolved_at
    }
    async fn created_by(&self, ctx: &Context<'_>) -> Result<User> {
        Ok(User(one(&ctx.loaders()?.user, self.0.created_by, "user").await?))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Increases with every change; pass it as `expectedVersion` to detect concurrent edits.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The Design activity the deviation is recorded on.
    async fn activity(&self, ctx: &Context<'_>) -> Result<Activity> {
        // Reached through a deviation the caller was allowed to read.
        Ok(Activity(one(&ctx.loaders()?.activity, self.0.activity_id, "activity").await?))
    }
    /// The capability whose recommended design is departed from.
    async fn capability(&self, ctx: &Context<'_>) -> Result<Capability> {
        let activity = one(&ctx.loaders()?.activity, self.0.activity_id, "activity").await?;
        let template = ArtifactTemplate::load(ctx, ArtifactTemplateId(activity.artifact_template_id))?;
        let id = template.0.capability_id.ok_or(Error::NotFound("capability"))?;
        Ok(Capability::load(ctx, CapabilityId(id))?)
    }
    async fn engagement(&self, ctx: &Context<'_>) -> Result<Engagement> {
        Ok(Engagement(one(&ctx.loaders()?.engagement, self.0.engagement_id, "engagement").await?))
    }
}

/// Narrowing an engagement's deviations; every given criterion must hold.
#[derive(InputObject, Default)]
pub struct DeviationFilter {
    /// Only deviations in one of these states.
    pub status: Option<Vec<DeviationStatus>>,
    /// Only deviations of one of these severities.
    pub severity: Option<Vec<Severity>>,
    /// Only deviations of this capability (its key, e.g. `patch-management`).
    #[graphql(name = "capability")]
    pub capability_key: Option<String>,
    /// `true`: only deviations without a mitigation plan; `false`: only those with one.
    pub without_mitigation: Option<bool>,
}

/// What deviations are sorted by (ties broken by ID).
#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq)]
pub enum DeviationOrderField {
    /// When recorded.
    CreatedAt,
    /// When last changed.
    UpdatedAt,
    /// Alphabetically (by code point).
    Title,
    /// LOW, MEDIUM, HIGH, CRITICAL.
    Severity,
    /// OPEN, RISK_ACCEPTED, RESOLVED.
    Status,
}

/// Sort order of the list: a field and a direction.
pub type DeviationOrder = Order<DeviationOrderField>;

impl From<DeviationOrderField> for service::DeviationSort {
    fn from(field: DeviationOrderField) -> Self {
        match field {
            DeviationOrderField::CreatedAt => service::DeviationSort::CreatedAt,
            DeviationOrderField::UpdatedAt => service::DeviationSort::UpdatedAt,
            DeviationOrderField::Title => service::DeviationSort::Title,
            DeviationOrderField::Severity => service::DeviationSort::Severity,
            DeviationOrderField::Status => service::DeviationSort::Status,
        }
    }
}

/// `Engagement.deviations`: the engagement's deviations, filtered, sorted and
/// paged in memory (one batched load per request).
pub async fn of_engagement(
    ctx: &Context<'_>,
    engagement: &engagement::Model,
    filter: Option<DeviationFilter>,
    order: Option<DeviationOrder>,
    args: PageArgs,
) -> Result<DeviationConnection> {
    let filter = filter.unwrap_or_default();
    let loaders = ctx.loaders()?;
    let rows = many(&loaders.deviations_by_engagement, engagement.id).await?;
    let mut capability_of_activity = HashMap::new();
    let catalog = ctx.catalog()?;
    let capability_id = capability_filter(&catalog, engagement.kit_id, filter.capability_key.as_deref());
    if capability_id.is_some() {
        for activity in many(&loaders.activities_by_engagement, engagement.id).await? {
            let template = catalog.artifact(ArtifactTemplateId(activity.artifact_template_id));
            let capability = template.and_then(|t| t.capability_id);
            capability_of_activity.insert(activity.id, capability);
        }
    }
    let wanted = Filter {
        statuses: filter.status.map(|s| s.into_iter().map(Into::into).collect()),
        severities: filter.severity.map(|s| s.into_iter().map(Into::into).collect()),
        capability_id,
        without_mitigation: filter.without_mitigation,
    };
    let rows = service::filter(rows, &wanted, |activity| capability_of_activity.get(&activity).copied().flatten());
    let (sort, descending): (service::DeviationSort, bool) = DeviationOrder::into_domain(order);
    let page = page::slice_by(rows, |d| sort.cursor(d), descending, &args)?;
    Ok(connection(page, Deviation))
}

/// `Activity.deviations`: the activity's deviations in the order they were recorded.
pub async fn of_activity(ctx: &Context<'_>, activity_id: i64) -> Result<Vec<Deviation>> {
    Ok(many(&ctx.loaders()?.deviations_by_activity, activity_id).await?.into_iter().map(Deviation).collect())
}
