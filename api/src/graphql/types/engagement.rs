//! Engagements, their members and their activities (and, through the
//! engagement, its readiness assessments, RACI matrix and audit trail).

use crate::domain::ids::ActivityId;
use crate::domain::ids::MemberId;
use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::{DateTime, NaiveDate, Utc};
use opskit_entity::{activity, engagement, engagement_member};

use super::{
    activity_work::{ActivityQuestion, Answer, DesignAdoptionInfo, DocumentLink, QuestionCoverage, Tracker},
    audit_event::{AuditEvent, AuditEventFilter},
    catalog::{ArtifactTemplate, Capability, Kit, Question},
    enums::{
        ActivityStatus, ArtifactKind, EngagementRole, EngagementStatus, OrderDirection, QuestionCategory, RunbookKind,
        RunbookStatus,
    },
    progress::EngagementProgress,
    raci::RaciCapability,
    readiness::{ReadinessAssessment, ReadinessTarget},
    runbook::Runbook,
    sprint::Sprint,
    user::User,
    workshop_session::{WorkshopSession, WorkshopSessionFilter},
};
use crate::{
    domain::{
        audit_trail, engagements as service,
        ids::EngagementId,
        page::{self, Cursor, PageArgs, SortValue},
        raci,
    },
    error::Error,
    graphql::{
        connection::{Conn, connection, cost},
        context::ContextExt,
        ids,
        loaders::{capability_filter, many, one},
    },
};

/// A page of engagements.
pub type EngagementConnection = Conn<Engagement>;

/// A customer engagement run from one kit version.
pub struct Engagement(pub engagement::Model);

/// Narrowing a list of engagements.
#[derive(InputObject, Default)]
pub struct EngagementFilter {
    /// Only engagements in one of these states.
    pub status: Option<Vec<EngagementStatus>>,
    /// Only engagements for this customer (exact name).
    pub customer_name: Option<String>,
    /// Words that must all appear (case-insensitively) in the name or customer name.
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

/// Narrowing an engagement's members.
#[derive(InputObject, Default)]
pub struct MemberFilter {
    pub role: Option<EngagementRole>,
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
impl Engagement {
    pub async fn id(&self) -> ID {
        ids::encode(EngagementId(self.0.id))
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
    /// The kit version the engagement runs from.
    async fn kit(&self, ctx: &Context<'_>) -> Result<Kit> {
        Ok(Kit(one(&ctx.loaders()?.kit, self.0.kit_id, "kit").await?))
    }
    async fn created_by(&self, ctx: &Context<'_>) -> Result<User> {
        Ok(User(one(&ctx.loaders()?.user, self.0.created_by, "user").await?))
    }
    /// The caller's role here; null for an admin who is not a member.
    async fn viewer_role(&self, ctx: &Context<'_>) -> Result<Option<EngagementRole>> {
        let me = ctx.viewer()?.user_id.0;
        let members = many(&ctx.loaders()?.members_by_engagement, self.0.id).await?;
        Ok(members.into_iter().find(|m| m.user_id == me).map(|m| m.role.into()))
    }
    /// Members, in the order they were added.
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
    ) -> Result<Conn<EngagementMember>> {
        let role = filter.and_then(|f| f.role).map(opskit_entity::enums::EngagementRole::from);
        let rows: Vec<_> = many(&ctx.loaders()?.members_by_engagement, self.0.id)
            .await?
            .into_iter()
            .filter(|m| role.is_none_or(|r| m.role == r))
            .collect();
        let args = PageArgs { first, after, last, before };
        let page = page::slice(rows, |m| Cursor(SortValue::I(m.id), m.id), &args)?;
        Ok(connection(page, EngagementMember))
    }
    /// Activities, one per artifact template of the kit version, in kit order.
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
    ) -> Result<Conn<Activity>> {
        let filter = filter.unwrap_or_default();
        let loaders = ctx.loaders()?;
        let activities = many(&loaders.activities_by_engagement, self.0.id).await?;
        let templates = loaders
            .artifact_template
            .load_many(activities.iter().map(|a| a.artifact_template_id))
            .await
            .map_err(loader_error)?;
        let capability_id = capability_filter(loaders, self.0.kit_id, filter.capability_key.as_deref()).await?;
        let status = filter.status.map(opskit_entity::enums::ActivityStatus::from);
        let kind = filter.kind.map(opskit_entity::enums::ArtifactKind::from);
        let rows: Vec<_> = activities
            .into_iter()
            .filter(|a| status.is_none_or(|s| a.status == s))
            .filter(|a| {
                let template = templates.get(&a.artifact_template_id);
                kind.is_none_or(|k| template.is_some_and(|t| t.kind == k))
                    && capability_id
                        .is_none_or(|c| template.is_some_and(|t| t.capability_id.is_some() && t.capability_id == c))
            })
            .collect();
        let args = PageArgs { first, after, last, before };
        let page = page::slice(rows, |a| Cursor(SortValue::I(a.id), a.id), &args)?;
        Ok(connection(page, Activity))
    }
    /// The engagement's runbooks (core ones from the kit, and custom ones), oldest first.
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
    ) -> Result<Conn<Runbook>> {
        let filter = filter.unwrap_or_default();
        let loaders = ctx.loaders()?;
        let capability_id = capability_filter(loaders, self.0.kit_id, filter.capability_key.as_deref()).await?;
        let status = filter.status.map(opskit_entity::enums::RunbookStatus::from);
        let kind = filter.kind.map(opskit_entity::enums::RunbookKind::from);
        let rows: Vec<_> = many(&loaders.runbooks_by_engagement, self.0.id)
            .await?
            .into_iter()
            .filter(|r| status.is_none_or(|s| r.status == s))
            .filter(|r| kind.is_none_or(|k| r.kind == k))
            .filter(|r| capability_id.is_none_or(|c| Some(r.capability_id) == c))
            .collect();
        let args = PageArgs { first, after, last, before };
        let page = page::slice(rows, |r| Cursor(SortValue::I(r.id), r.id), &args)?;
        Ok(connection(page, Runbook))
    }
    /// The knowledge base: baselined runbooks (read their `baselineRevision`),
    /// optionally only those whose title or baselined body contain every word of `search`.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn knowledge_base(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<Runbook>> {
        let args = PageArgs { first, after, last, before };
        let filter = crate::domain::runbooks::KnowledgeBaseFilter { search };
        let id = crate::domain::ids::EngagementId(self.0.id);
        let page = crate::domain::runbooks::knowledge_base(ctx.db()?, ctx.viewer()?, id, &filter, &args).await?;
        Ok(connection(page, Runbook))
    }
    /// Progress, derived from the work recorded so far.
    async fn progress(&self, ctx: &Context<'_>) -> Result<EngagementProgress> {
        let loaded =
            ctx.loaders()?.progress.load_one(self.0.id).await.map_err(|e| Error::internal(anyhow::anyhow!("{e}")))?;
        Ok(EngagementProgress(loaded.unwrap_or_default()))
    }
    /// Deviations from the recommended designs, in the order they were recorded.
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
    ) -> Result<super::deviation::DeviationConnection> {
        super::deviation::of_engagement(ctx, &self.0, filter, PageArgs { first, after, last, before }).await
    }
    /// Sprints, in number order.
    async fn sprints(&self, ctx: &Context<'_>) -> Result<Vec<Sprint>> {
        Ok(many(&ctx.loaders()?.sprints_by_engagement, self.0.id).await?.into_iter().map(Sprint).collect())
    }
    /// Workshop sessions, in the order of the workshop plan (position, then ID).
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
    ) -> Result<Conn<WorkshopSession>> {
        let filter = filter.unwrap_or_default().into_domain()?;
        let loaders = ctx.loaders()?;
        let sessions = many(&loaders.workshop_sessions_by_engagement, self.0.id).await?;
        let capabilities = match filter.capability_key {
            Some(_) => many(&loaders.capabilities_by_kit, self.0.kit_id).await?,
            None => Vec::new(),
        };
        let args = PageArgs { first, after, last, before };
        let page = crate::domain::workshops::page(sessions, &capabilities, &filter, &args)?;
        Ok(connection(page, WorkshopSession))
    }
    /// The readiness assessments recorded so far (the Game Day's results), in kit capability order.
    async fn readiness_assessments(&self, ctx: &Context<'_>) -> Result<Vec<ReadinessAssessment>> {
        let loaders = ctx.loaders()?;
        let capabilities = many(&loaders.capabilities_by_kit, self.0.kit_id).await?;
        let position: std::collections::HashMap<i64, i32> = capabilities.iter().map(|c| (c.id, c.position)).collect();
        let mut rows = many(&loaders.readiness_by_engagement, self.0.id).await?;
        rows.sort_by_key(|a| (position.get(&a.capability_id).copied().unwrap_or(i32::MAX), a.id));
        Ok(rows.into_iter().map(ReadinessAssessment).collect())
    }
    /// The RACI matrix: one entry per capability of the kit, in kit order.
    async fn raci(&self, ctx: &Context<'_>) -> Result<Vec<RaciCapability>> {
        let loaders = ctx.loaders()?;
        let capabilities = many(&loaders.capabilities_by_kit, self.0.kit_id).await?;
        let assignments = many(&loaders.raci_by_engagement, self.0.id).await?;
        Ok(raci::matrix(capabilities, assignments).into_iter().map(RaciCapability).collect())
    }
    /// Every party named in the RACI matrix, sorted.
    async fn raci_parties(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        Ok(raci::parties(&many(&ctx.loaders()?.raci_by_engagement, self.0.id).await?))
    }
    /// Every change made in this engagement, newest first.
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
    ) -> Result<Conn<AuditEvent>> {
        let filter = filter.unwrap_or_default().into_domain()?;
        let args = PageArgs { first, after, last, before };
        let page = audit_trail::list(ctx.db()?, EngagementId(self.0.id), &filter, &args).await?;
        Ok(connection(page, AuditEvent))
    }
}

/// A user's membership and role in one engagement.
pub struct EngagementMember(pub engagement_member::Model);

#[Object]
impl EngagementMember {
    pub async fn id(&self) -> ID {
        ids::encode(MemberId(self.0.id))
    }
    async fn role(&self) -> EngagementRole {
        self.0.role.into()
    }
    async fn added_at(&self) -> DateTime<Utc> {
        self.0.added_at
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn user(&self, ctx: &Context<'_>) -> Result<User> {
        Ok(User(one(&ctx.loaders()?.user, self.0.user_id, "user").await?))
    }
    async fn engagement(&self, ctx: &Context<'_>) -> Result<Engagement> {
        // Reached through an engagement the caller was allowed to read.
        Ok(Engagement(one(&ctx.loaders()?.engagement, self.0.engagement_id, "engagement").await?))
    }
}

/// The work on one artifact template inside an engagement.
pub struct Activity(pub activity::Model);

#[Object]
impl Activity {
    pub async fn id(&self) -> ID {
        ids::encode(ActivityId(self.0.id))
    }
    async fn status(&self) -> ActivityStatus {
        self.0.status.into()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The artifact template this activity works through.
    async fn artifact_template(&self, ctx: &Context<'_>) -> Result<ArtifactTemplate> {
        Ok(ArtifactTemplate(one(&ctx.loaders()?.artifact_template, self.0.artifact_template_id, "artifact").await?))
    }
    /// Shorthand for `artifactTemplate.kind`.
    async fn kind(&self, ctx: &Context<'_>) -> Result<ArtifactKind> {
        Ok(one(&ctx.loaders()?.artifact_template, self.0.artifact_template_id, "artifact").await?.kind.into())
    }
    /// Shorthand for `artifactTemplate.title`.
    async fn title(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(one(&ctx.loaders()?.artifact_template, self.0.artifact_template_id, "artifact").await?.title)
    }
    /// The capability; null for overview activities.
    async fn capability(&self, ctx: &Context<'_>) -> Result<Option<Capability>> {
        let loaders = ctx.loaders()?;
        let template = one(&loaders.artifact_template, self.0.artifact_template_id, "artifact").await?;
        match template.capability_id {
            Some(id) => Ok(Some(Capability(one(&loaders.capability, id, "capability").await?))),
            None => Ok(None),
        }
    }
    async fn engagement(&self, ctx: &Context<'_>) -> Result<Engagement> {
        // Reached through an engagement the caller was allowed to read.
        Ok(Engagement(one(&ctx.loaders()?.engagement, self.0.engagement_id, "engagement").await?))
    }
    /// The consultant member doing the work.
    async fn assignee(&self, ctx: &Context<'_>) -> Result<Option<EngagementMember>> {
        match self.0.assignee_member_id {
            Some(id) => Ok(ctx.loaders()?.member.load_one(id).await.map_err(loader_error)?.map(EngagementMember)),
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
        Some(Tracker {
            system: self.0.tracker_system?.into(),
            key: self.0.tracker_key.clone()?,
            url: self.0.tracker_url.clone(),
        })
    }
    /// The agreed operational readiness state.
    async fn readiness_target(&self) -> Option<ReadinessTarget> {
        crate::domain::readiness::target_of(&self.0).map(ReadinessTarget::from)
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
        let category = category.map(opskit_entity::enums::QuestionCategory::from);
        let (questions, mut answers) = self.bank(ctx).await?;
        Ok(questions
            .into_iter()
            .filter(|q| category.is_none_or(|c| q.category == c))
            .map(|q| ActivityQuestion { answer: answers.remove(&q.id).map(Answer), question: Question(q) })
            .filter(|aq| answered.is_none_or(|want| aq.answer.is_some() == want))
            .collect())
    }
    /// The questions not answered yet, in bank order.
    async fn unanswered_questions(&self, ctx: &Context<'_>) -> Result<Vec<Question>> {
        let (questions, answers) = self.bank(ctx).await?;
        Ok(questions.into_iter().filter(|q| !answers.contains_key(&q.id)).map(Question).collect())
    }
    /// How much of the question bank is answered.
    async fn question_coverage(&self, ctx: &Context<'_>) -> Result<QuestionCoverage> {
        let (questions, answers) = self.bank(ctx).await?;
        let total = i32::try_from(questions.len()).unwrap_or(i32::MAX);
        let answered = i32::try_from(answers.len()).unwrap_or(i32::MAX);
        Ok(QuestionCoverage { answered, total })
    }
    /// Deviations recorded on this activity (Design activities only), in the order they were recorded.
    async fn deviations(&self, ctx: &Context<'_>) -> Result<Vec<super::deviation::Deviation>> {
        super::deviation::of_activity(ctx, self.0.id).await
    }
}

impl Activity {
    /// The activity's questions and its answers keyed by question.
    async fn bank(
        &self,
        ctx: &Context<'_>,
    ) -> Result<(Vec<opskit_entity::question::Model>, std::collections::HashMap<i64, opskit_entity::answer::Model>)>
    {
        let loaders = ctx.loaders()?;
        let questions = many(&loaders.questions_by_artifact, self.0.artifact_template_id).await?;
        let answers = many(&loaders.answers_by_activity, self.0.id).await?;
        Ok((questions, answers.into_iter().map(|a| (a.question_id, a)).collect()))
    }
}

fn loader_error(e: std::sync::Arc<Error>) -> Error {
    Error::internal(anyhow::anyhow!("{e}"))
}
