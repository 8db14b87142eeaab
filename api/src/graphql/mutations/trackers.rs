//! `setDeviationTracker`, `setRunbookTracker`: the ticket that tracks a
//! deviation or a runbook (an activity's is `setActivityTracker`).

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use opskit_entity::{deviation, runbook};

use crate::{
    domain::{
        ids::{DeviationId, RunbookId},
        trackers::{self, TrackerChange},
    },
    graphql::{
        context::ContextExt,
        errors::{UserError, payload},
        ids,
        types::{deviation::Deviation, enums::TrackerSystem, runbook::Runbook},
    },
};

#[derive(Default)]
pub struct TrackerMutations;

/// A ticket reference as set by `setActivityTracker`, `setDeviationTracker` and `setRunbookTracker`.
#[derive(InputObject)]
pub struct TrackerFields {
    /// Null clears the tracker reference (then `key` and `url` are ignored).
    pub system: Option<TrackerSystem>,
    /// The ticket's key, e.g. `OPS-142` (Jira) or `INC0010023` (ServiceNow). At most 200 characters.
    #[graphql(default)]
    pub key: String,
    /// An http or https link to the ticket. At most 2000 characters.
    pub url: Option<String>,
}

impl From<TrackerFields> for TrackerChange {
    fn from(t: TrackerFields) -> Self {
        TrackerChange { system: t.system.map(Into::into), key: t.key, url: t.url }
    }
}

#[derive(InputObject)]
pub struct SetDeviationTrackerInput {
    pub deviation_id: ID,
    #[graphql(flatten)]
    pub tracker: TrackerFields,
    /// The deviation's `version` as last read; a stale value is a `CONFLICT`.
    pub expected_version: Option<i32>,
}

#[derive(SimpleObject)]
pub struct SetDeviationTrackerPayload {
    /// The deviation after the change; null when `userErrors` is not empty.
    pub deviation: Option<Deviation>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct SetRunbookTrackerInput {
    pub runbook_id: ID,
    #[graphql(flatten)]
    pub tracker: TrackerFields,
    /// The runbook's `version` as last read; a stale value is a `CONFLICT`.
    pub expected_version: Option<i32>,
}

#[derive(SimpleObject)]
pub struct SetRunbookTrackerPayload {
    /// The runbook after the change; null when `userErrors` is not empty.
    pub runbook: Option<Runbook>,
    pub user_errors: Vec<UserError>,
}

#[Object]
impl TrackerMutations {
    /// Sets the ticket that tracks a deviation (consultants and admins); null `system` clears it.
    async fn set_deviation_tracker(
        &self,
        ctx: &Context<'_>,
        input: SetDeviationTrackerInput,
    ) -> Result<SetDeviationTrackerPayload> {
        let id = ids::decode::<DeviationId>(&input.deviation_id)?;
        let change = input.tracker.into();
        let result =
            trackers::set_tracker::<deviation::Model>(ctx.db()?, ctx.viewer()?, id, change, input.expected_version);
        let (deviation, user_errors) = payload(result.await)?;
        Ok(SetDeviationTrackerPayload { deviation: deviation.map(Deviation), user_errors })
    }

    /// Sets the ticket that tracks a runbook (consultants and admins); null `system` clears it.
    async fn set_runbook_tracker(
        &self,
        ctx: &Context<'_>,
        input: SetRunbookTrackerInput,
    ) -> Result<SetRunbookTrackerPayload> {
        let id = ids::decode::<RunbookId>(&input.runbook_id)?;
        let change = input.tracker.into();
        let result =
            trackers::set_tracker::<runbook::Model>(ctx.db()?, ctx.viewer()?, id, change, input.expected_version);
        let (runbook, user_errors) = payload(result.await)?;
        Ok(SetRunbookTrackerPayload { runbook: runbook.map(Runbook), user_errors })
    }
}
