//! `updateSprint`, `addSprint`.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::NaiveDate;

use crate::{
    domain::{
        ids::{EngagementId, SprintId},
        sprints::{self, NewSprint, SprintChanges},
    },
    graphql::{
        context::ContextExt,
        errors::{UserError, payload},
        ids,
        types::sprint::Sprint,
    },
};

#[derive(Default)]
pub struct SprintMutations;

/// Moves a sprint or changes its goal; omitted fields keep their value.
#[derive(InputObject)]
pub struct UpdateSprintInput {
    pub sprint_id: ID,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    /// Null (or blank) clears the goal; omitted keeps it. At most 2000 characters.
    pub goal: MaybeUndefined<String>,
    /// The sprint's `version` as last read; a stale value is a `CONFLICT`.
    pub expected_version: Option<i32>,
}

#[derive(SimpleObject)]
pub struct UpdateSprintPayload {
    /// The sprint after the change; null when `userErrors` is not empty.
    pub sprint: Option<Sprint>,
    pub user_errors: Vec<UserError>,
}

/// A sprint numbered after the engagement's last one.
#[derive(InputObject)]
pub struct AddSprintInput {
    pub engagement_id: ID,
    pub starts_on: NaiveDate,
    /// Last day (inclusive).
    pub ends_on: NaiveDate,
    /// What the sprint is for. At most 2000 characters.
    pub goal: Option<String>,
    /// Makes a retry safe: the same key with the same input within 24 hours
    /// returns what the first request created and changes nothing; with
    /// another input it is `IDEMPOTENCY_KEY_REUSED`. At most 100 characters.
    pub idempotency_key: Option<String>,
}

#[derive(SimpleObject)]
pub struct AddSprintPayload {
    /// The new sprint; null when `userErrors` is not empty.
    pub sprint: Option<Sprint>,
    pub user_errors: Vec<UserError>,
}

#[Object]
impl SprintMutations {
    /// Moves a sprint or changes its goal (consultants and admins). Refused with
    /// `INVALID_DATES` (ends before it starts), `OUT_OF_RANGE` (longer than 90
    /// days), `SPRINT_OVERLAP` (overlaps another sprint of the engagement) or
    /// `OUTSIDE_SPRINT` (a session scheduled in it would start outside it).
    async fn update_sprint(&self, ctx: &Context<'_>, input: UpdateSprintInput) -> Result<UpdateSprintPayload> {
        let id = ids::decode::<SprintId>(&input.sprint_id)?;
        let changes = SprintChanges { starts_on: input.starts_on, ends_on: input.ends_on, goal: input.goal.into() };
        let result = sprints::update(ctx.db()?, ctx.viewer()?, id, changes, input.expected_version).await;
        let (sprint, user_errors) = payload(result)?;
        Ok(UpdateSprintPayload { sprint: sprint.map(Sprint), user_errors })
    }

    /// Adds a sprint after the last one (consultants and admins), with the same
    /// date rules as `updateSprint`; `LIMIT_REACHED` past 100 sprints.
    async fn add_sprint(&self, ctx: &Context<'_>, input: AddSprintInput) -> Result<AddSprintPayload> {
        let new = NewSprint {
            engagement_id: ids::decode::<EngagementId>(&input.engagement_id)?,
            starts_on: input.starts_on,
            ends_on: input.ends_on,
            goal: input.goal,
        };
        let (sprint, user_errors) =
            payload(sprints::add(ctx.db()?, ctx.viewer()?, new, input.idempotency_key.as_deref()).await)?;
        Ok(AddSprintPayload { sprint: sprint.map(Sprint), user_errors })
    }
}
