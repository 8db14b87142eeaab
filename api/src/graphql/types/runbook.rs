//! Runbooks, their revisions and reviews.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use opskit_entity::{runbook, runbook_review, runbook_revision};

use super::{
    activity_work::Tracker,
    catalog::{Capability, RunbookTemplate},
    engagement::Engagement,
    enums::{ReviewVerdict, ReviewerSide, RunbookKind, RunbookStatus},
    user::User,
    viewer_can::RunbookViewerCan,
};
use crate::{
    domain::{
        ids::{CapabilityId, RunbookId, RunbookReviewId, RunbookRevisionId, RunbookTemplateId},
        runbooks::{self, SignOff as DomainSignOff},
        trackers::Tracked,
    },
    error::Error,
    graphql::{
        context::ContextExt,
        ids,
        loaders::{many, one},
    },
};

/// A runbook of an engagement.
pub struct Runbook(pub runbook::Model);

/// The approvals of the revision under review in the current review round
/// (approvals of earlier rounds, or voided by a role change, do not count).
#[derive(SimpleObject)]
pub struct SignOff {
    /// A consultant (or an admin) approved in this round.
    pub consultant_approved: bool,
    /// A stakeholder approved in this round.
    pub stakeholder_approved: bool,
    /// Both sides approved, by two different people: a consultant may baseline it.
    pub complete: bool,
}

#[Object]
impl Runbook {
    pub async fn id(&self) -> ID {
        ids::encode(RunbookId(self.0.id))
    }
    /// What the caller may do to it now: one flag per mutation.
    async fn viewer_can(&self, ctx: &Context<'_>) -> Result<RunbookViewerCan> {
        Ok(RunbookViewerCan::of(ctx, &self.0).await?)
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn kind(&self) -> RunbookKind {
        self.0.kind.into()
    }
    async fn status(&self) -> RunbookStatus {
        self.0.status.into()
    }
    /// The ticket that tracks it in the customer's tracker.
    async fn tracker(&self) -> Option<Tracker> {
        self.0.tracker().map(Tracker::from)
    }
    /// For custom runbooks: why the customer chose this architecture.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    /// Increases with every change; pass it as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// When the knowledge-base revision was baselined.
    async fn baselined_at(&self) -> Option<DateTime<Utc>> {
        self.0.baselined_at
    }
    /// When a core runbook was set aside (status RETIRED); null otherwise.
    async fn retired_at(&self) -> Option<DateTime<Utc>> {
        self.0.retired_at
    }
    /// Who retired it.
    async fn retired_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        Ok(User::load_optional(ctx, self.0.retired_by).await?)
    }
    /// Why it was retired, when a reason was given.
    async fn retired_reason(&self) -> Option<&str> {
        self.0.retired_reason.as_deref()
    }
    /// The custom runbook that replaces a retired core runbook, if one was named.
    async fn replaced_by(&self, ctx: &Context<'_>) -> Result<Option<Runbook>> {
        match self.0.replaced_by_id {
            Some(id) => Ok(Some(Runbook(one(&ctx.loaders()?.runbook, id, "runbook").await?))),
            None => Ok(None),
        }
    }
    async fn capability(&self, ctx: &Context<'_>) -> Result<Capability> {
        Ok(Capability::load(ctx, CapabilityId(self.0.capability_id))?)
    }
    /// The kit template of a core runbook; null for custom runbooks.
    async fn template(&self, ctx: &Context<'_>) -> Result<Option<RunbookTemplate>> {
        match self.0.runbook_template_id {
            Some(id) => Ok(Some(RunbookTemplate::load(ctx, RunbookTemplateId(id))?)),
            None => Ok(None),
        }
    }
    async fn engagement(&self, ctx: &Context<'_>) -> Result<Engagement> {
        Ok(Engagement(one(&ctx.loaders()?.engagement, self.0.engagement_id, "engagement").await?))
    }
    /// The newest revision: the draft being written or the revision under review.
    async fn current_revision(&self, ctx: &Context<'_>) -> Result<Option<RunbookRevision>> {
        self.revision(ctx, self.0.current_revision_id).await
    }
    /// The revision in the knowledge base; it stays while a newer draft is written.
    async fn baseline_revision(&self, ctx: &Context<'_>) -> Result<Option<RunbookRevision>> {
        self.revision(ctx, self.0.baseline_revision_id).await
    }
    /// Every revision, newest first.
    async fn revisions(&self, ctx: &Context<'_>) -> Result<Vec<RunbookRevision>> {
        let mut rows = many(&ctx.loaders()?.revisions_by_runbook, self.0.id).await?;
        rows.reverse();
        Ok(rows.into_iter().map(RunbookRevision).collect())
    }
    /// Every review of every revision, newest first.
    async fn reviews(&self, ctx: &Context<'_>) -> Result<Vec<RunbookReview>> {
        let mut rows = many(&ctx.loaders()?.reviews_by_runbook, self.0.id).await?;
        rows.reverse();
        Ok(rows.into_iter().map(RunbookReview).collect())
    }
    /// The approvals of the current revision in the current review round.
    async fn sign_off(&self, ctx: &Context<'_>) -> Result<SignOff> {
        let reviews = many(&ctx.loaders()?.reviews_by_runbook, self.0.id).await?;
        let sign_off = DomainSignOff::of(&self.0, &reviews);
        Ok(SignOff {
            consultant_approved: sign_off.consultant,
            stakeholder_approved: sign_off.stakeholder,
            complete: sign_off.is_complete(),
        })
    }
    /// The runbook as Markdown: the baselined revision when there is one, else the current one.
    async fn markdown(&self, ctx: &Context<'_>) -> Result<String> {
        let loaders = ctx.loaders()?;
        let revision_id = self.0.baseline_revision_id.or(self.0.current_revision_id);
        let revision = match revision_id {
            Some(id) => Some(one(&loaders.runbook_revision, id, "revision").await?),
            None => None,
        };
        let capability = Capability::load(ctx, CapabilityId(self.0.capability_id))?.0;
        let author = match &revision {
            Some(r) => one(&loaders.user, r.author_id, "user").await?.name,
            None => None,
        };
        Ok(runbooks::markdown(&self.0, revision.as_ref(), &capability.name, author.as_deref()))
    }
}

impl Runbook {
    async fn revision(&self, ctx: &Context<'_>, id: Option<i64>) -> Result<Option<RunbookRevision>> {
        match id {
            Some(id) => Ok(Some(RunbookRevision(one(&ctx.loaders()?.runbook_revision, id, "revision").await?))),
            None => Ok(None),
        }
    }
}

/// One revision of a runbook's body.
pub struct RunbookRevision(pub runbook_revision::Model);

#[Object]
impl RunbookRevision {
    pub async fn id(&self) -> ID {
        ids::encode(RunbookRevisionId(self.0.id))
    }
    /// 1 for the first revision, then counting up.
    async fn number(&self) -> i32 {
        self.0.number
    }
    /// Markdown.
    async fn body(&self) -> &str {
        &self.0.body
    }
    async fn change_summary(&self) -> &str {
        &self.0.change_summary
    }
    async fn author(&self, ctx: &Context<'_>) -> Result<User> {
        Ok(User(one(&ctx.loaders()?.user, self.0.author_id, "user").await?))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn runbook(&self, ctx: &Context<'_>) -> Result<Runbook> {
        Ok(Runbook(one(&ctx.loaders()?.runbook, self.0.runbook_id, "runbook").await?))
    }
    /// A unified diff from `against` (another revision of the same runbook;
    /// by default the previous one) to this revision. Empty for the first revision.
    async fn diff(&self, ctx: &Context<'_>, against: Option<ID>) -> Result<String> {
        let revisions = many(&ctx.loaders()?.revisions_by_runbook, self.0.runbook_id).await?;
        let base = match against {
            Some(id) => {
                let id = ids::decode::<RunbookRevisionId>(&id).map(|id| id.0)?;
                Some(revisions.iter().find(|r| r.id == id).ok_or(Error::NotFound("revision"))?)
            }
            None => revisions.iter().filter(|r| r.number < self.0.number).max_by_key(|r| r.number),
        };
        let Some(base) = base else { return Ok(String::new()) };
        let diff = similar::TextDiff::from_lines(&base.body, &self.0.body);
        Ok(diff
            .unified_diff()
            .context_radius(3)
            .header(&format!("revision {}", base.number), &format!("revision {}", self.0.number))
            .to_string())
    }
    /// The reviews of this revision.
    async fn reviews(&self, ctx: &Context<'_>) -> Result<Vec<RunbookReview>> {
        let rows = many(&ctx.loaders()?.reviews_by_runbook, self.0.runbook_id).await?;
        Ok(rows.into_iter().filter(|r| r.revision_id == self.0.id).map(RunbookReview).collect())
    }
}

/// A review of one revision.
pub struct RunbookReview(pub runbook_review::Model);

#[Object]
impl RunbookReview {
    pub async fn id(&self) -> ID {
        ids::encode(RunbookReviewId(self.0.id))
    }
    async fn verdict(&self) -> ReviewVerdict {
        self.0.verdict.into()
    }
    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }
    /// The side the review speaks for.
    async fn side(&self) -> ReviewerSide {
        self.0.reviewer_side.into()
    }
    async fn reviewer(&self, ctx: &Context<'_>) -> Result<User> {
        Ok(User(one(&ctx.loaders()?.user, self.0.reviewer_id, "user").await?))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn revision(&self, ctx: &Context<'_>) -> Result<RunbookRevision> {
        Ok(RunbookRevision(one(&ctx.loaders()?.runbook_revision, self.0.revision_id, "revision").await?))
    }
    /// The review round it was given in: 1 for the first `submitRunbookForReview`, then counting up.
    async fn round(&self) -> i32 {
        self.0.round
    }
    /// When the approval stopped counting (the reviewer's role changed, or they
    /// left the engagement, while the round was open); null while it counts.
    async fn voided_at(&self) -> Option<DateTime<Utc>> {
        self.0.voided_at
    }
}
