//! `createEngagement`, and the lifecycle: `startEngagement`,
//! `updateEngagement`, `closeEngagement`, `reopenEngagement`.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::NaiveDate;

use crate::{
    domain::{
        engagements::{self, Closing, EngagementChanges, NewEngagement},
        ids::{EngagementId, KitId},
    },
    graphql::{
        context::ContextExt,
        errors::{UserError, payload},
        ids,
        types::engagement::Engagement,
    },
};

#[derive(Default)]
pub struct EngagementMutations;

/// A new engagement from an imported kit version.
#[derive(InputObject)]
pub struct CreateEngagementInput {
    /// The engagement's name. At most 200 characters.
    pub name: String,
    /// The customer's name. At most 200 characters.
    pub customer_name: String,
    /// Key of an imported kit, e.g. `aws-operations`. At most 200 characters.
    pub kit_key: String,
    /// Version of that kit, e.g. `1.0.0`. At most 200 characters.
    pub kit_version: String,
    /// First day of the first sprint.
    pub starts_on: NaiveDate,
    /// Sprint length in days (1–90).
    pub sprint_length_days: i32,
    /// Makes a retry safe: the same key with the same input within 24 hours
    /// returns what the first request created and changes nothing; with
    /// another input it is `IDEMPOTENCY_KEY_REUSED`. At most 100 characters.
    pub idempotency_key: Option<String>,
}

#[derive(SimpleObject)]
pub struct CreateEngagementPayload {
    /// The new engagement; null when `userErrors` is not empty.
    pub engagement: Option<Engagement>,
    pub user_errors: Vec<UserError>,
}

/// An engagement to start, reopen or otherwise move along its lifecycle.
#[derive(InputObject)]
pub struct EngagementTransitionInput {
    pub engagement_id: ID,
    /// The engagement's `version` as last read; a stale value is a `CONFLICT`.
    pub expected_version: Option<i32>,
}

/// Closing an engagement: the handover.
#[derive(InputObject)]
pub struct CloseEngagementInput {
    pub engagement_id: ID,
    /// The engagement's `version` as last read; a stale value is a `CONFLICT`.
    pub expected_version: Option<i32>,
    /// Close even though close-out checks fail (admins only; `reason` is then required).
    #[graphql(default)]
    pub force: bool,
    /// Why the engagement closes this way; kept as `closeReason`. At most 20000 characters.
    pub reason: Option<String>,
}

/// Changes to an engagement: omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateEngagementInput {
    pub engagement_id: ID,
    /// The engagement's new name. At most 200 characters.
    pub name: Option<String>,
    /// The customer's new name. At most 200 characters.
    pub customer_name: Option<String>,
    /// First day of the first sprint (sprints already planned keep their dates).
    pub starts_on: Option<NaiveDate>,
    /// Planned last day; null removes it (`INVALID_DATES` before `startsOn`).
    pub ends_on: MaybeUndefined<NaiveDate>,
    /// Length of sprints added from now on, in days (1–90).
    pub sprint_length_days: Option<i32>,
    /// The engagement's `version` as last read; a stale value is a `CONFLICT`.
    pub expected_version: Option<i32>,
}

/// The engagement after a lifecycle step or an update.
#[derive(SimpleObject)]
pub struct EngagementPayload {
    /// The engagement as changed; null when `userErrors` is not empty.
    pub engagement: Option<Engagement>,
    /// Rules the step broke; a failed close lists every unfinished object (its ID in `objectId`).
    pub user_errors: Vec<UserError>,
}

fn engagement_payload(result: crate::error::Result<opskit_entity::engagement::Model>) -> Result<EngagementPayload> {
    let (engagement, user_errors) = payload(result)?;
    Ok(EngagementPayload { engagement: engagement.map(Engagement), user_errors })
}

#[Object]
impl EngagementMutations {
    /// Starts a PLANNED engagement: it becomes ACTIVE (consultants, admins;
    /// `ALREADY_STARTED` when it is not planned).
    async fn start_engagement(&self, ctx: &Context<'_>, input: EngagementTransitionInput) -> Result<EngagementPayload> {
        let id = ids::decode::<EngagementId>(&input.engagement_id)?;
        engagement_payload(engagements::start(ctx.db()?, ctx.viewer()?, id, input.expected_version).await)
    }

    /// Closes an ACTIVE engagement: the handover. Every activity must be DONE,
    /// every runbook baselined or retired, every deviation resolved or its risk
    /// accepted; each unfinished one is a `userErrors` entry (`ACTIVITY_OPEN`,
    /// `RUNBOOK_OPEN`, `DEVIATION_OPEN`) with its ID in `objectId`. An admin
    /// may close anyway with `force: true` and a `reason`. A CLOSED engagement
    /// is read-only: every change to it is `ENGAGEMENT_CLOSED` until it is reopened.
    async fn close_engagement(&self, ctx: &Context<'_>, input: CloseEngagementInput) -> Result<EngagementPayload> {
        let id = ids::decode::<EngagementId>(&input.engagement_id)?;
        let closing = Closing { force: input.force, reason: input.reason };
        engagement_payload(engagements::close(ctx.db()?, ctx.viewer()?, id, input.expected_version, closing).await)
    }

    /// Reopens a CLOSED engagement: it is ACTIVE and can change again
    /// (consultants, admins; `NOT_CLOSED` otherwise).
    async fn reopen_engagement(
        &self,
        ctx: &Context<'_>,
        input: EngagementTransitionInput,
    ) -> Result<EngagementPayload> {
        let id = ids::decode::<EngagementId>(&input.engagement_id)?;
        engagement_payload(engagements::reopen(ctx.db()?, ctx.viewer()?, id, input.expected_version).await)
    }

    /// Changes an engagement's name, customer, dates or sprint length
    /// (consultants, admins). Only the given fields change.
    async fn update_engagement(&self, ctx: &Context<'_>, input: UpdateEngagementInput) -> Result<EngagementPayload> {
        let id = ids::decode::<EngagementId>(&input.engagement_id)?;
        let changes = EngagementChanges {
            name: input.name,
            customer_name: input.customer_name,
            starts_on: input.starts_on,
            ends_on: input.ends_on.into(),
            sprint_length_days: input.sprint_length_days,
        };
        let result = engagements::update(ctx.db()?, ctx.viewer()?, id, input.expected_version, changes).await;
        engagement_payload(result)
    }

    /// Creates an engagement (admins and holders of the `consultant` claim). The
    /// caller becomes its first CONSULTANT, and it gets one NOT_STARTED activity
    /// per artifact template of the kit version.
    async fn create_engagement(
        &self,
        ctx: &Context<'_>,
        input: CreateEngagementInput,
    ) -> Result<CreateEngagementPayload> {
        let new = NewEngagement {
            name: input.name,
            customer_name: input.customer_name,
            kit_key: input.kit_key,
            kit_version: input.kit_version,
            starts_on: input.starts_on,
            sprint_length_days: input.sprint_length_days,
        };
        let (engagement, user_errors) =
            payload(engagements::create(ctx.db()?, ctx.viewer()?, new, input.idempotency_key.as_deref()).await)?;
        if let Some(created) = &engagement {
            ctx.request()?.catalog.ensure_kit(ctx.db()?, KitId(created.kit_id)).await?;
        }
        Ok(CreateEngagementPayload { engagement: engagement.map(Engagement), user_errors })
    }
}
