//! Activity mutations: assign, start, complete, reopen, tracker, readiness
//! target, design adoption and document links.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use crate::{
    domain::{
        engagements::activities::{self, DesignAdoptionChange, NewDocumentLink, ReadinessTarget},
        ids::{ActivityId, DocumentLinkId, MemberId},
        trackers,
    },
    graphql::{
        context::ContextExt,
        errors::{UserError, payload},
        ids,
        loaders::one,
        mutations::trackers::TrackerFields,
        types::{activity_work::DocumentLink, engagement::Activity, enums::DesignAdoption},
    },
};

#[derive(Default)]
pub struct ActivityMutations;

/// The payload of every mutation that changes an activity.
#[derive(SimpleObject)]
pub struct ActivityPayload {
    /// The activity after the change; null when `userErrors` is not empty.
    pub activity: Option<Activity>,
    pub user_errors: Vec<UserError>,
}

fn activity_payload(result: crate::Result<opskit_entity::activity::Model>) -> Result<ActivityPayload> {
    let (activity, user_errors) = payload(result)?;
    Ok(ActivityPayload { activity: activity.map(Activity), user_errors })
}

#[derive(InputObject)]
pub struct AssignActivityInput {
    pub activity_id: ID,
    /// A CONSULTANT member of the engagement; null unassigns.
    pub member_id: Option<ID>,
    /// The activity's `version` as last read; a stale value is a `CONFLICT`.
    pub expected_version: Option<i32>,
}

/// Input of `startActivity`, `completeActivity` and `reopenActivity`.
#[derive(InputObject)]
pub struct ActivityTransitionInput {
    pub activity_id: ID,
    pub expected_version: Option<i32>,
}

#[derive(InputObject)]
pub struct SetActivityTrackerInput {
    pub activity_id: ID,
    #[graphql(flatten)]
    pub tracker: TrackerFields,
    pub expected_version: Option<i32>,
}

#[derive(InputObject)]
pub struct SetReadinessTargetInput {
    pub activity_id: ID,
    /// The agreed operational readiness state, in a sentence or two. At most 20000 characters.
    pub statement: String,
    /// The criteria that show the state is reached. At most 50 items, each at most 20000 characters.
    #[graphql(default)]
    pub criteria: Vec<String>,
    pub expected_version: Option<i32>,
}

#[derive(InputObject)]
pub struct SetDesignAdoptionInput {
    pub activity_id: ID,
    pub adoption: DesignAdoption,
    /// The customer's solution (required for `CUSTOMER_SOLUTION`), e.g. their COTS patch tool.
    /// At most 200 characters.
    pub solution_name: Option<String>,
    pub expected_version: Option<i32>,
}

#[derive(InputObject)]
pub struct AddDocumentLinkInput {
    pub activity_id: ID,
    /// What the document is. At most 200 characters.
    pub title: String,
    /// An http or https URL. At most 2000 characters.
    pub url: String,
    /// Makes a retry safe: the same key with the same input within 24 hours
    /// returns what the first request created and changes nothing; with
    /// another input it is `IDEMPOTENCY_KEY_REUSED`. At most 100 characters.
    pub idempotency_key: Option<String>,
}

#[derive(SimpleObject)]
pub struct AddDocumentLinkPayload {
    pub document_link: Option<DocumentLink>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct RemoveDocumentLinkInput {
    pub document_link_id: ID,
}

#[derive(SimpleObject)]
pub struct RemoveDocumentLinkPayload {
    pub removed_document_link_id: Option<ID>,
    /// The activity the link was removed from.
    pub activity: Option<Activity>,
    pub user_errors: Vec<UserError>,
}

#[Object]
impl ActivityMutations {
    /// Assigns an activity to a consultant member (consultants and admins); several
    /// consultants divide the work by taking different activities.
    async fn assign_activity(&self, ctx: &Context<'_>, input: AssignActivityInput) -> Result<ActivityPayload> {
        let member = input.member_id.as_ref().map(ids::decode::<MemberId>).transpose()?;
        let id = ids::decode::<ActivityId>(&input.activity_id)?;
        activity_payload(activities::assign(ctx.db()?, ctx.viewer()?, id, member, input.expected_version).await)
    }

    /// NOT_STARTED → IN_PROGRESS (consultants and admins). A Design activity starts
    /// only after its capability's Discovery & Analysis is done (`DISCOVERY_NOT_DONE`).
    async fn start_activity(&self, ctx: &Context<'_>, input: ActivityTransitionInput) -> Result<ActivityPayload> {
        let id = ids::decode::<ActivityId>(&input.activity_id)?;
        activity_payload(activities::start(ctx.db()?, ctx.viewer()?, id, input.expected_version).await)
    }

    /// IN_PROGRESS → DONE, recording `completedAt` (consultants and admins). A Design
    /// activity with a deviation lacking a mitigation plan is refused
    /// (`DEVIATION_WITHOUT_MITIGATION`).
    async fn complete_activity(&self, ctx: &Context<'_>, input: ActivityTransitionInput) -> Result<ActivityPayload> {
        let id = ids::decode::<ActivityId>(&input.activity_id)?;
        activity_payload(activities::complete(ctx.db()?, ctx.viewer()?, id, input.expected_version).await)
    }

    /// DONE → IN_PROGRESS (consultants and admins).
    async fn reopen_activity(&self, ctx: &Context<'_>, input: ActivityTransitionInput) -> Result<ActivityPayload> {
        let id = ids::decode::<ActivityId>(&input.activity_id)?;
        activity_payload(activities::reopen(ctx.db()?, ctx.viewer()?, id, input.expected_version).await)
    }

    /// Sets the ticket that tracks the activity (consultants and admins); a tracker
    /// connection closes it when the activity completes, and completes the
    /// activity when the ticket is done.
    async fn set_activity_tracker(&self, ctx: &Context<'_>, input: SetActivityTrackerInput) -> Result<ActivityPayload> {
        let id = ids::decode::<ActivityId>(&input.activity_id)?;
        let result =
            trackers::set_tracker(ctx.db()?, ctx.viewer()?, id, input.tracker.into(), input.expected_version).await;
        activity_payload(result)
    }

    /// Agrees the activity's operational readiness target (consultants and admins).
    async fn set_readiness_target(&self, ctx: &Context<'_>, input: SetReadinessTargetInput) -> Result<ActivityPayload> {
        let id = ids::decode::<ActivityId>(&input.activity_id)?;
        let target = ReadinessTarget { statement: input.statement, criteria: input.criteria };
        let result =
            activities::set_readiness_target(ctx.db()?, ctx.viewer()?, id, target, input.expected_version).await;
        activity_payload(result)
    }

    /// Records how a Design activity adopts the recommended design (consultants and admins).
    async fn set_design_adoption(&self, ctx: &Context<'_>, input: SetDesignAdoptionInput) -> Result<ActivityPayload> {
        let id = ids::decode::<ActivityId>(&input.activity_id)?;
        let change = DesignAdoptionChange { adoption: input.adoption.into(), solution_name: input.solution_name };
        let result =
            activities::set_design_adoption(ctx.db()?, ctx.viewer()?, id, change, input.expected_version).await;
        activity_payload(result)
    }

    /// Links the customer's current documentation to an activity (consultants,
    /// workstream members and admins). Only http and https URLs are accepted.
    async fn add_document_link(
        &self,
        ctx: &Context<'_>,
        input: AddDocumentLinkInput,
    ) -> Result<AddDocumentLinkPayload> {
        let new = NewDocumentLink {
            activity_id: ids::decode::<ActivityId>(&input.activity_id)?,
            title: input.title,
            url: input.url,
        };
        let (link, user_errors) = payload(
            activities::add_document_link(ctx.db()?, ctx.viewer()?, new, input.idempotency_key.as_deref()).await,
        )?;
        Ok(AddDocumentLinkPayload { document_link: link.map(DocumentLink), user_errors })
    }

    /// Removes a document link (consultants, workstream members and admins).
    async fn remove_document_link(
        &self,
        ctx: &Context<'_>,
        input: RemoveDocumentLinkInput,
    ) -> Result<RemoveDocumentLinkPayload> {
        let id = ids::decode::<DocumentLinkId>(&input.document_link_id)?;
        let (removed, user_errors) = payload(activities::remove_document_link(ctx.db()?, ctx.viewer()?, id).await)?;
        let (removed_document_link_id, activity) = match removed {
            Some(link) => (
                Some(ids::encode(DocumentLinkId(link.id))),
                Some(Activity(one(&ctx.loaders()?.activity, link.activity_id, "activity").await?)),
            ),
            None => (None, None),
        };
        Ok(RemoveDocumentLinkPayload { removed_document_link_id, activity, user_errors })
    }
}
