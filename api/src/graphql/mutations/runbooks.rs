//! The runbook workflow: create a custom runbook, start, edit, submit,
//! review, baseline and revise.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use crate::{
    domain::{
        ids::{CapabilityId, DeviationId, EngagementId, RunbookId},
        runbooks::{self, NewCustomRunbook, Retirement, Transition},
    },
    graphql::{
        context::ContextExt,
        errors::{UserError, payload},
        ids,
        types::{
            enums::ReviewVerdict,
            runbook::{Runbook, RunbookReview, RunbookRevision},
        },
    },
};

#[derive(Default)]
pub struct RunbookMutations;

/// The payload of every runbook transition.
#[derive(SimpleObject)]
pub struct RunbookPayload {
    /// The runbook after the change; null when `userErrors` is not empty.
    pub runbook: Option<Runbook>,
    pub user_errors: Vec<UserError>,
}

fn runbook_payload(result: crate::Result<opskit_entity::runbook::Model>) -> Result<RunbookPayload> {
    let (runbook, user_errors) = payload(result)?;
    Ok(RunbookPayload { runbook: runbook.map(Runbook), user_errors })
}

/// Runs one of the transitions that take nothing but the runbook.
async fn transition(ctx: &Context<'_>, input: RunbookTransitionInput, step: Transition) -> Result<RunbookPayload> {
    let id = ids::decode::<RunbookId>(&input.runbook_id)?;
    runbook_payload(runbooks::transition(ctx.db()?, ctx.viewer()?, id, step, input.expected_version).await)
}

#[derive(InputObject)]
pub struct CreateCustomRunbookInput {
    pub engagement_id: ID,
    /// A capability of the engagement's kit.
    pub capability_id: ID,
    /// The runbook's title. At most 200 characters.
    pub title: String,
    /// Why the customer chose another architecture than the reference one. At most 20000 characters.
    pub reason: String,
    /// The deviation this runbook documents, if any.
    pub deviation_id: Option<ID>,
    /// Makes a retry safe: the same key with the same input within 24 hours
    /// returns what the first request created and changes nothing; with
    /// another input it is `IDEMPOTENCY_KEY_REUSED`. At most 100 characters.
    pub idempotency_key: Option<String>,
}

/// Input of `startRunbook`, `submitRunbookForReview`, `baselineRunbook` and `reviseRunbook`.
#[derive(InputObject)]
pub struct RunbookTransitionInput {
    pub runbook_id: ID,
    /// The runbook's `version` as last read; a stale value is a `CONFLICT`.
    pub expected_version: Option<i32>,
}

/// Setting a core runbook aside for the customer's own architecture.
#[derive(InputObject)]
pub struct RetireRunbookInput {
    /// A core runbook that is not baselined (`NOT_A_CORE_RUNBOOK`, `BASELINED` otherwise).
    pub runbook_id: ID,
    /// Why it is set aside; required unless `replacedBy` names the replacement. At most 20000 characters.
    pub reason: Option<String>,
    /// The custom runbook of this engagement that replaces it (`NOT_A_CUSTOM_RUNBOOK` otherwise).
    pub replaced_by: Option<ID>,
    /// The runbook's `version` as last read; a stale value is a `CONFLICT`.
    pub expected_version: Option<i32>,
}

#[derive(InputObject)]
pub struct EditRunbookInput {
    pub runbook_id: ID,
    /// The whole new body, in Markdown. At most 500000 characters.
    pub body: String,
    /// What this revision changes. At most 20000 characters.
    pub change_summary: String,
    /// Required in spirit: concurrent editors never lose an edit silently.
    pub expected_version: Option<i32>,
}

#[derive(SimpleObject)]
pub struct EditRunbookPayload {
    pub runbook: Option<Runbook>,
    /// The revision this edit created.
    pub revision: Option<RunbookRevision>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct ReviewRunbookInput {
    pub runbook_id: ID,
    pub verdict: ReviewVerdict,
    /// Required with REQUEST_CHANGES. At most 20000 characters.
    pub comment: Option<String>,
    pub expected_version: Option<i32>,
}

#[derive(SimpleObject)]
pub struct ReviewRunbookPayload {
    pub runbook: Option<Runbook>,
    pub review: Option<RunbookReview>,
    pub user_errors: Vec<UserError>,
}

#[Object]
impl RunbookMutations {
    /// Adds a runbook for a customer-chosen architecture (consultants, workstream
    /// members and admins). It starts as DRAFT.
    async fn create_custom_runbook(
        &self,
        ctx: &Context<'_>,
        input: CreateCustomRunbookInput,
    ) -> Result<RunbookPayload> {
        let new = NewCustomRunbook {
            engagement_id: ids::decode::<EngagementId>(&input.engagement_id)?,
            capability_id: ids::decode::<CapabilityId>(&input.capability_id)?,
            title: input.title,
            reason: input.reason,
            deviation_id: input.deviation_id.as_ref().map(ids::decode::<DeviationId>).transpose()?,
        };
        runbook_payload(runbooks::create_custom(ctx.db()?, ctx.viewer()?, new, input.idempotency_key.as_deref()).await)
    }

    /// TEMPLATE → DRAFT; the first revision is the template's skeleton
    /// (consultants, workstream members and admins).
    async fn start_runbook(&self, ctx: &Context<'_>, input: RunbookTransitionInput) -> Result<RunbookPayload> {
        transition(ctx, input, Transition::Start).await
    }

    /// A new revision of a DRAFT (consultants, workstream members and admins). With
    /// a stale `expectedVersion` the edit is refused with `CONFLICT` and the
    /// current version, never applied over someone else's.
    async fn edit_runbook(&self, ctx: &Context<'_>, input: EditRunbookInput) -> Result<EditRunbookPayload> {
        let id = ids::decode::<RunbookId>(&input.runbook_id)?;
        let result =
            runbooks::edit(ctx.db()?, ctx.viewer()?, id, input.body, input.change_summary, input.expected_version)
                .await;
        let (edited, user_errors) = payload(result)?;
        let (runbook, revision) = edited.map_or((None, None), |(r, v)| (Some(Runbook(r)), Some(RunbookRevision(v))));
        Ok(EditRunbookPayload { runbook, revision, user_errors })
    }

    /// DRAFT → IN_REVIEW; the body must not be empty. Opens a new review round:
    /// only approvals given in this round count towards the sign-off.
    async fn submit_runbook_for_review(
        &self,
        ctx: &Context<'_>,
        input: RunbookTransitionInput,
    ) -> Result<RunbookPayload> {
        transition(ctx, input, Transition::Submit).await
    }

    /// Reviews the revision under review (consultants who did not write it,
    /// stakeholders and admins). REQUEST_CHANGES sends the runbook back to DRAFT
    /// and ends the review round. An approval speaks for the side of the
    /// reviewer's role when given; one person approves once per round (`ALREADY_APPROVED`).
    async fn review_runbook(&self, ctx: &Context<'_>, input: ReviewRunbookInput) -> Result<ReviewRunbookPayload> {
        let id = ids::decode::<RunbookId>(&input.runbook_id)?;
        let result =
            runbooks::review(ctx.db()?, ctx.viewer()?, id, input.verdict.into(), input.comment, input.expected_version)
                .await;
        let (reviewed, user_errors) = payload(result)?;
        let (runbook, review) = reviewed.map_or((None, None), |(r, v)| (Some(Runbook(r)), Some(RunbookReview(v))));
        Ok(ReviewRunbookPayload { runbook, review, user_errors })
    }

    /// IN_REVIEW → BASELINE (consultants and admins), with one consultant and one
    /// stakeholder approval of the revision under review, given in the current
    /// review round by two different people. The runbook joins the
    /// knowledge base and counts as a completed deliverable.
    async fn baseline_runbook(&self, ctx: &Context<'_>, input: RunbookTransitionInput) -> Result<RunbookPayload> {
        transition(ctx, input, Transition::Baseline).await
    }

    /// BASELINE → DRAFT for the next version (consultants and admins); the
    /// baselined revision stays in the knowledge base until a newer one is baselined.
    async fn revise_runbook(&self, ctx: &Context<'_>, input: RunbookTransitionInput) -> Result<RunbookPayload> {
        transition(ctx, input, Transition::Revise).await
    }

    /// Sets a core runbook aside when the customer chose another architecture
    /// (consultants and admins): it becomes RETIRED (final), replaced by a
    /// custom runbook (`replacedBy`) or for a `reason` — at least one of the
    /// two. A retired runbook no longer counts in `runbooksPlanned`.
    async fn retire_runbook(&self, ctx: &Context<'_>, input: RetireRunbookInput) -> Result<RunbookPayload> {
        let id = ids::decode::<RunbookId>(&input.runbook_id)?;
        let replaced_by = input.replaced_by.as_ref().map(ids::decode::<RunbookId>).transpose()?;
        let retirement = Retirement { reason: input.reason, replaced_by };
        runbook_payload(runbooks::retire(ctx.db()?, ctx.viewer()?, id, retirement, input.expected_version).await)
    }
}
