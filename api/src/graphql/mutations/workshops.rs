//! `scheduleWorkshopSession`, `addWorkshopSession`, `recordWorkshopOutcome`,
//! `cancelWorkshopSession`.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use crate::{
    domain::{
        ids::{ActivityId, CapabilityId, EngagementId, MemberId, SprintId, WorkshopSessionId},
        workshops::{self, Cancellation, NewSession, Outcome, Schedule},
    },
    graphql::{
        context::ContextExt,
        errors::{UserError, payload},
        ids,
        types::{
            enums::{Audience, WorkshopPhase},
            workshop_session::WorkshopSession,
        },
    },
};

#[derive(Default)]
pub struct WorkshopMutations;

/// Places a session in a sprint. Every call sets the whole schedule.
#[derive(InputObject)]
pub struct ScheduleWorkshopSessionInput {
    pub session_id: ID,
    /// A sprint of the session's engagement.
    pub sprint_id: ID,
    /// On one of the sprint's days (UTC). Omit it to plan the session into the
    /// sprint without a time yet.
    pub starts_at: Option<DateTime<Utc>>,
    /// 1–40320 (four weeks); omitted keeps the session's duration.
    pub duration_minutes: Option<i32>,
    /// The session's `version` as last read; a stale value is a `CONFLICT`.
    pub expected_version: Option<i32>,
}

/// A custom session, after the kit's.
#[derive(InputObject)]
pub struct AddWorkshopSessionInput {
    pub engagement_id: ID,
    /// The session's title. At most 200 characters.
    pub title: String,
    pub phase: WorkshopPhase,
    pub audience: Audience,
    /// 1–40320 (four weeks).
    pub duration_minutes: i32,
    /// A capability of the engagement's kit version.
    pub capability_id: Option<ID>,
    /// Activities of the engagement the session works on. At most 100 items.
    #[graphql(default)]
    pub activity_ids: Vec<ID>,
    /// A sprint of the engagement; needed with `startsAt`.
    pub sprint_id: Option<ID>,
    /// On one of the sprint's days (UTC).
    pub starts_at: Option<DateTime<Utc>>,
    /// Makes a retry safe: the same key with the same input within 24 hours
    /// returns what the first request created and changes nothing; with
    /// another input it is `IDEMPOTENCY_KEY_REUSED`. At most 100 characters.
    pub idempotency_key: Option<String>,
}

/// What happened in a session. Omitted fields keep what was recorded before.
#[derive(InputObject)]
pub struct RecordWorkshopOutcomeInput {
    pub session_id: ID,
    /// Members of the engagement who attended (replaces the list). At most 100 items.
    pub attendee_member_ids: Option<Vec<ID>>,
    /// An empty string clears the notes. At most 20000 characters.
    pub notes: Option<String>,
    /// What the session decided or produced (replaces the list). At most 50 items,
    /// each at most 1000 characters.
    pub outcomes: Option<Vec<String>>,
    pub expected_version: Option<i32>,
}

/// Calls off a planned session.
#[derive(InputObject)]
pub struct CancelWorkshopSessionInput {
    pub session_id: ID,
    /// Why the session is cancelled; blank means none. At most 2000 characters.
    pub reason: Option<String>,
    pub expected_version: Option<i32>,
}

/// The session after a change; null when `userErrors` is not empty.
#[derive(SimpleObject)]
pub struct ScheduleWorkshopSessionPayload {
    pub session: Option<WorkshopSession>,
    pub user_errors: Vec<UserError>,
}

/// The new session; null when `userErrors` is not empty.
#[derive(SimpleObject)]
pub struct AddWorkshopSessionPayload {
    pub session: Option<WorkshopSession>,
    pub user_errors: Vec<UserError>,
}

/// The held session; null when `userErrors` is not empty.
#[derive(SimpleObject)]
pub struct RecordWorkshopOutcomePayload {
    pub session: Option<WorkshopSession>,
    pub user_errors: Vec<UserError>,
}

/// The cancelled session; null when `userErrors` is not empty.
#[derive(SimpleObject)]
pub struct CancelWorkshopSessionPayload {
    pub session: Option<WorkshopSession>,
    pub user_errors: Vec<UserError>,
}

/// The session of a payload and its `userErrors`.
fn session_payload(
    result: crate::error::Result<opskit_entity::workshop_session::Model>,
) -> Result<(Option<WorkshopSession>, Vec<UserError>)> {
    let (session, user_errors) = payload(result)?;
    Ok((session.map(WorkshopSession), user_errors))
}

#[Object]
impl WorkshopMutations {
    /// Schedules a planned session in a sprint (consultants and admins). A
    /// sprint of another engagement is `NOT_FOUND`. Refused with
    /// `OUTSIDE_SPRINT` (`startsAt` not on one of the sprint's days),
    /// `OUT_OF_RANGE` (duration) or `SESSION_CLOSED` (held or cancelled).
    async fn schedule_workshop_session(
        &self,
        ctx: &Context<'_>,
        input: ScheduleWorkshopSessionInput,
    ) -> Result<ScheduleWorkshopSessionPayload> {
        let id = ids::decode::<WorkshopSessionId>(&input.session_id)?;
        let schedule = Schedule {
            sprint_id: ids::decode::<SprintId>(&input.sprint_id)?,
            starts_at: input.starts_at,
            duration_minutes: input.duration_minutes,
        };
        let result = workshops::schedule(ctx.db()?, ctx.viewer()?, id, schedule, input.expected_version).await;
        let (session, user_errors) = session_payload(result)?;
        Ok(ScheduleWorkshopSessionPayload { session, user_errors })
    }

    /// Adds a custom session (consultants and admins). A capability of another
    /// kit, or an activity or sprint of another engagement, is `NOT_FOUND`.
    async fn add_workshop_session(
        &self,
        ctx: &Context<'_>,
        input: AddWorkshopSessionInput,
    ) -> Result<AddWorkshopSessionPayload> {
        let new = NewSession {
            engagement_id: ids::decode::<EngagementId>(&input.engagement_id)?,
            title: input.title,
            phase: input.phase.into(),
            audience: input.audience.into(),
            duration_minutes: input.duration_minutes,
            capability_id: input.capability_id.as_ref().map(ids::decode::<CapabilityId>).transpose()?,
            activity_ids: input.activity_ids.iter().map(ids::decode::<ActivityId>).collect::<Result<_, _>>()?,
            sprint_id: input.sprint_id.as_ref().map(ids::decode::<SprintId>).transpose()?,
            starts_at: input.starts_at,
        };
        let (session, user_errors) =
            session_payload(workshops::add(ctx.db()?, ctx.viewer()?, new, input.idempotency_key.as_deref()).await)?;
        Ok(AddWorkshopSessionPayload { session, user_errors })
    }

    /// Records who attended, the notes and the outcomes, and marks the session
    /// HELD (consultants, workstream members and admins). Recording again
    /// updates the record. Refused with `NOT_A_MEMBER` (an attendee is not a
    /// member of the engagement) or `SESSION_CLOSED` (cancelled).
    async fn record_workshop_outcome(
        &self,
        ctx: &Context<'_>,
        input: RecordWorkshopOutcomeInput,
    ) -> Result<RecordWorkshopOutcomePayload> {
        let id = ids::decode::<WorkshopSessionId>(&input.session_id)?;
        let outcome = Outcome {
            attendee_member_ids: input
                .attendee_member_ids
                .map(|list| list.iter().map(ids::decode::<MemberId>).collect::<Result<_, _>>())
                .transpose()?,
            notes: input.notes,
            outcomes: input.outcomes,
        };
        let result = workshops::record_outcome(ctx.db()?, ctx.viewer()?, id, outcome, input.expected_version).await;
        let (session, user_errors) = session_payload(result)?;
        Ok(RecordWorkshopOutcomePayload { session, user_errors })
    }

    /// Cancels a planned session (consultants and admins); a held or already
    /// cancelled session is `SESSION_CLOSED`.
    async fn cancel_workshop_session(
        &self,
        ctx: &Context<'_>,
        input: CancelWorkshopSessionInput,
    ) -> Result<CancelWorkshopSessionPayload> {
        let id = ids::decode::<WorkshopSessionId>(&input.session_id)?;
        let cancellation = Cancellation { reason: input.reason };
        let result = workshops::cancel(ctx.db()?, ctx.viewer()?, id, cancellation, input.expected_version).await;
        let (session, user_errors) = session_payload(result)?;
        Ok(CancelWorkshopSessionPayload { session, user_errors })
    }
}
