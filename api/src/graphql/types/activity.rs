//! The work on one artifact template inside an engagement.

use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};
use opskit_entity::{activity, engagement};

use super::{
    activity_work::{
        ActivityQuestion, Answer, DesignAdoptionInfo, DocumentLink, QuestionCoverage, Tracker, TrackerStatus,
    },
    catalog::{ArtifactTemplate, Capability, Question},
    engagement::{Engagement, EngagementMember},
    enums::{ActivityStatus, ArtifactKind, QuestionCategory},
    order::Order,
    readiness::ReadinessTarget,
    stamps::Stamps,
    viewer_can::ActivityViewerCan,
};
use crate::{
    domain::{
        engagements::activities::{self, QuestionFilter},
        ids::{ActivityId, ArtifactTemplateId, EngagementId},
        page::PageArgs,
        readiness,
        trackers::Tracked,
    },
    graphql::{
        connection::{Conn, connection},
        context::ContextExt,
        ids,
        loaders::{capability_by_key, many, maybe},
    },
};

/// The work on one artifact template inside an engagement.
pub struct Activity(pub activity::Model);

/// Narrowing an engagement's activities.
#[derive(InputObject, Default)]
pub struct ActivityFilter {
    pub status: Option<ActivityStatus>,
    pub kind: Option<ArtifactKind>,
    /// Only the activities of this capability (its key, e.g. `patch-management`).
    #[graphql(name = "capability")]
    pub capability_key: Option<String>,
}

#[Object]
impl Activity {
    pub async fn id(&self) -> ID {
        ids::encode(ActivityId(self.0.id))
    }
    /// What the caller may do to it now: one flag per mutation.
    async fn viewer_can(&self, ctx: &Context<'_>) -> Result<ActivityViewerCan> {
        Ok(ActivityViewerCan::of(ctx, &self.0).await?)
    }
    async fn status(&self) -> ActivityStatus {
        self.0.status.into()
    }
    #[graphql(flatten)]
    async fn stamps(&self) -> Stamps {
        Stamps { created_at: self.0.created_at, updated_at: self.0.updated_at, version: self.0.version }
    }
    /// The artifact template this activity works through.
    async fn artifact_template(&self, ctx: &Context<'_>) -> Result<ArtifactTemplate> {
        Ok(self.template(ctx)?)
    }
    /// Shorthand for `artifactTemplate.kind`.
    async fn kind(&self, ctx: &Context<'_>) -> Result<ArtifactKind> {
        Ok(self.template(ctx)?.0.kind.into())
    }
    /// Shorthand for `artifactTemplate.title`.
    async fn title(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(self.template(ctx)?.0.title.clone())
    }
    /// The capability; null for overview activities.
    async fn capability(&self, ctx: &Context<'_>) -> Result<Option<Capability>> {
        Ok(Capability::optional(ctx, self.template(ctx)?.0.capability_id)?)
    }
    async fn engagement(&self, ctx: &Context<'_>) -> Result<Engagement> {
        Ok(Engagement::load(ctx, EngagementId(self.0.engagement_id)).await?)
    }
    /// The consultant member doing the work.
    async fn assignee(&self, ctx: &Context<'_>) -> Result<Option<EngagementMember>> {
        match self.0.assignee_member_id {
            Some(id) => Ok(maybe(&ctx.loaders()?.member, id).await?.map(EngagementMember)),
            None => Ok(None),
        }
    }
    async fn started_at(&self) -> Option<DateTime<Utc>> {
        self.0.started_at
    }
    /// When the activity was completed (its tracker task can be closed then).
    async fn completed_at(&self) -> Option<DateTime<Utc>> {
        self.0.completed_at
    }
    /// The tracking task in the customer's or our tracker.
    async fn tracker(&self) -> Option<Tracker> {
        self.0.tracker().map(Tracker::from)
    }
    /// The status the linked ticket last reported when the activity did not
    /// follow it (its own rules refused, e.g. an unmitigated deviation); null
    /// once the activity follows its ticket.
    async fn tracker_status(&self) -> Option<TrackerStatus> {
        Some(TrackerStatus {
            status: self.0.tracker_status.clone()?,
            reason: self.0.tracker_status_reason.clone(),
            reported_at: self.0.tracker_status_at?,
        })
    }
    /// The agreed operational readiness state.
    async fn readiness_target(&self) -> Option<ReadinessTarget> {
        readiness::target_of(&self.0).map(ReadinessTarget::from)
    }
    /// For Design activities: how the recommended design is adopted; null until decided.
    async fn design_adoption(&self) -> Option<DesignAdoptionInfo> {
        Some(DesignAdoptionInfo {
            adoption: self.0.design_adoption?.into(),
            solution_name: self.0.adopted_solution.clone(),
        })
    }
    /// Links to the customer's current documentation.
    async fn document_links(&self, ctx: &Context<'_>) -> Result<Vec<DocumentLink>> {
        Ok(many(&ctx.loaders()?.links_by_activity, self.0.id).await?.into_iter().map(DocumentLink).collect())
    }
    /// The question bank with the current answers, in bank order.
    async fn questions(
        &self,
        ctx: &Context<'_>,
        category: Option<QuestionCategory>,
        answered: Option<bool>,
    ) -> Result<Vec<ActivityQuestion>> {
        let filter = QuestionFilter { category: category.map(Into::into), answered };
        Ok(self
            .bank(ctx, &filter)
            .await?
            .into_iter()
            .map(|(question, answer)| ActivityQuestion { question: Question(question), answer: answer.map(Answer) })
            .collect())
    }
    /// The questions not answered yet, in bank order.
    async fn unanswered_questions(&self, ctx: &Context<'_>) -> Result<Vec<Question>> {
        let unanswered = QuestionFilter { category: None, answered: Some(false) };
        Ok(self.bank(ctx, &unanswered).await?.into_iter().map(|(question, _)| Question(question)).collect())
    }
    /// How much of the question bank is answered.
    async fn question_coverage(&self, ctx: &Context<'_>) -> Result<QuestionCoverage> {
        let total = ctx.catalog()?.questions_of(self.0.artifact_template_id).len();
        let answered = maybe(&ctx.loaders()?.answer_counts, self.0.id).await?.unwrap_or(0);
        Ok(QuestionCoverage {
            answered: i32::try_from(answered).unwrap_or(i32::MAX),
            total: i32::try_from(total).unwrap_or(i32::MAX),
        })
    }
    /// Deviations recorded on this activity (Design activities only), in the order they were recorded.
    async fn deviations(&self, ctx: &Context<'_>) -> Result<Vec<super::deviation::Deviation>> {
        super::deviation::of_activity(ctx, self.0.id).await
    }
}

impl Activity {
    fn template(&self, ctx: &Context<'_>) -> Result<ArtifactTemplate, crate::error::Error> {
        ArtifactTemplate::load(ctx, ArtifactTemplateId(self.0.artifact_template_id))
    }

    /// The activity's question bank with the current answers, as `filter` narrows it.
    async fn bank(
        &self,
        ctx: &Context<'_>,
        filter: &QuestionFilter,
    ) -> Result<Vec<(std::sync::Arc<opskit_entity::question::Model>, Option<opskit_entity::answer::Model>)>> {
        let catalog = ctx.catalog()?;
        let answers = many(&ctx.loaders()?.answers_by_activity, self.0.id).await?;
        Ok(activities::questions(catalog.questions_of(self.0.artifact_template_id), answers, filter))
    }
}

/// What activities are sorted by (ties broken by ID).
#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq)]
pub enum ActivityOrderField {
    /// Kit order, which is the order they were created in.
    KitOrder,
    /// When last changed.
    UpdatedAt,
    /// NOT_STARTED, IN_PROGRESS, DONE.
    Status,
}

/// Sort order of the list: a field and a direction.
pub type ActivityOrder = Order<ActivityOrderField>;

impl From<ActivityOrderField> for activities::ActivitySort {
    fn from(field: ActivityOrderField) -> Self {
        match field {
            ActivityOrderField::KitOrder => activities::ActivitySort::KitOrder,
            ActivityOrderField::UpdatedAt => activities::ActivitySort::UpdatedAt,
            ActivityOrderField::Status => activities::ActivitySort::Status,
        }
    }
}

/// `Engagement.activities`: the engagement's activities, filtered, sorted and
/// paged in memory (one batched load per request).
pub async fn of_engagement(
    ctx: &Context<'_>,
    engagement: &engagement::Model,
    filter: Option<ActivityFilter>,
    order: Option<ActivityOrder>,
    args: PageArgs,
) -> Result<Conn<Activity>> {
    let filter = filter.unwrap_or_default();
    let loaders = ctx.loaders()?;
    let catalog = ctx.catalog()?;
    let wanted = activities::ActivityFilter {
        status: filter.status.map(Into::into),
        kind: filter.kind.map(Into::into),
        capability: capability_by_key(&catalog, engagement.kit_id, filter.capability_key.as_deref()),
    };
    let rows = many(&loaders.activities_by_engagement, engagement.id).await?;
    let order = ActivityOrder::into_domain(order);
    Ok(connection(activities::list(rows, &catalog, &wanted, order, &args)?, Activity))
}
