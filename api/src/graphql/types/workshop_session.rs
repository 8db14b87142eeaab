//! Workshop sessions of an engagement, from the kit's workshop templates or custom.

use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::{DateTime, Duration, Utc};
use opskit_entity::workshop_session;

use super::{
    catalog::{Capability, WorkshopTemplate},
    engagement::{Activity, Engagement, EngagementMember},
    enums::{Audience, SessionStatus, WorkshopPhase},
    order::Order,
    sprint::Sprint,
    viewer_can::WorkshopSessionViewerCan,
};
use crate::{
    domain::{
        ids::{CapabilityId, SprintId, WorkshopSessionId, WorkshopTemplateId},
        workshops::{self, named_in, strings_in},
    },
    graphql::{
        context::ContextExt,
        ids,
        loaders::{many, one},
    },
};

/// A workshop session of an engagement: from a workshop template of the kit
/// version, or custom. `PLANNED`, then `HELD` or `CANCELLED`.
pub struct WorkshopSession(pub workshop_session::Model);

/// Narrowing an engagement's workshop sessions; every given criterion must match.
#[derive(InputObject, Default)]
pub struct WorkshopSessionFilter {
    pub phase: Option<WorkshopPhase>,
    /// Only sessions scheduled in this sprint (its ID).
    #[graphql(name = "sprint")]
    pub sprint_id: Option<ID>,
    pub status: Option<SessionStatus>,
    /// Only sessions about this capability (its key, e.g. `patch-management`).
    #[graphql(name = "capability")]
    pub capability_key: Option<String>,
}

/// What workshop sessions are sorted by (ties broken by ID).
#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq)]
pub enum WorkshopSessionOrderField {
    /// The workshop plan's order.
    Position,
    /// When it takes place; sessions without a time come first.
    StartsAt,
    /// Alphabetically (by code point).
    Title,
    /// PLANNED, HELD, CANCELLED.
    Status,
}

/// Sort order of the list: a field and a direction.
pub type WorkshopSessionOrder = Order<WorkshopSessionOrderField>;

impl From<WorkshopSessionOrderField> for workshops::SessionSort {
    fn from(field: WorkshopSessionOrderField) -> Self {
        match field {
            WorkshopSessionOrderField::Position => workshops::SessionSort::Position,
            WorkshopSessionOrderField::StartsAt => workshops::SessionSort::StartsAt,
            WorkshopSessionOrderField::Title => workshops::SessionSort::Title,
            WorkshopSessionOrderField::Status => workshops::SessionSort::Status,
        }
    }
}

impl WorkshopSessionFilter {
    /// The domain filter; a `sprint` ID of another type is `NOT_FOUND`.
    pub fn into_domain(self) -> Result<workshops::SessionFilter, crate::error::Error> {
        Ok(workshops::SessionFilter {
            phase: self.phase.map(Into::into),
            sprint_id: self.sprint_id.as_ref().map(ids::decode::<SprintId>).transpose()?,
            status: self.status.map(Into::into),
            capability_key: self.capability_key,
        })
    }
}

#[Object]
impl WorkshopSession {
    pub async fn id(&self) -> ID {
        ids::encode(WorkshopSessionId(self.0.id))
    }
    /// What the caller may do to it now: one flag per mutation.
    async fn viewer_can(&self, ctx: &Context<'_>) -> Result<WorkshopSessionViewerCan> {
        Ok(WorkshopSessionViewerCan::of(ctx, &self.0).await?)
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn phase(&self) -> WorkshopPhase {
        self.0.phase.into()
    }
    async fn audience(&self) -> Audience {
        self.0.audience.into()
    }
    async fn duration_minutes(&self) -> i32 {
        self.0.duration_minutes
    }
    async fn status(&self) -> SessionStatus {
        self.0.status.into()
    }
    /// Order in the engagement's workshop plan: the kit's sessions first, in
    /// kit order, then custom ones as they were added.
    async fn position(&self) -> i32 {
        self.0.position
    }
    /// The sprint it is scheduled in; null until scheduled.
    async fn sprint(&self, ctx: &Context<'_>) -> Result<Option<Sprint>> {
        let Some(id) = self.0.sprint_id else { return Ok(None) };
        let sprints = many(&ctx.loaders()?.sprints_by_engagement, self.0.engagement_id).await?;
        Ok(sprints.into_iter().find(|s| s.id == id).map(Sprint))
    }
    /// When it starts; null until a time is set.
    async fn starts_at(&self) -> Option<DateTime<Utc>> {
        self.0.starts_at
    }
    /// `startsAt` plus `durationMinutes`; null without a start time.
    async fn ends_at(&self) -> Option<DateTime<Utc>> {
        self.0.starts_at.map(|t| t + Duration::minutes(i64::from(self.0.duration_minutes)))
    }
    /// The capability it is about; null for overview sessions and the Game Day.
    async fn capability(&self, ctx: &Context<'_>) -> Result<Option<Capability>> {
        match self.0.capability_id {
            Some(id) => Ok(Some(Capability::load(ctx, CapabilityId(id))?)),
            None => Ok(None),
        }
    }
    /// The workshop template it comes from; null for a custom session.
    async fn template(&self, ctx: &Context<'_>) -> Result<Option<WorkshopTemplate>> {
        match self.0.workshop_template_id {
            Some(id) => Ok(Some(WorkshopTemplate::load(ctx, WorkshopTemplateId(id))?)),
            None => Ok(None),
        }
    }
    /// The engagement's activities the session works on.
    async fn activities(&self, ctx: &Context<'_>) -> Result<Vec<Activity>> {
        let all = many(&ctx.loaders()?.activities_by_engagement, self.0.engagement_id).await?;
        Ok(named_in(&self.0.activity_ids, &all, |a| a.id).into_iter().map(Activity).collect())
    }
    /// Members who attended, as recorded (members removed since are left out).
    async fn attendees(&self, ctx: &Context<'_>) -> Result<Vec<EngagementMember>> {
        let all = many(&ctx.loaders()?.members_by_engagement, self.0.engagement_id).await?;
        Ok(named_in(&self.0.attendee_member_ids, &all, |m| m.id).into_iter().map(EngagementMember).collect())
    }
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    /// What the session decided or produced, one entry each.
    async fn outcomes(&self) -> Vec<String> {
        strings_in(&self.0.outcomes)
    }
    /// Why it was cancelled, if it was and a reason was given.
    async fn cancel_reason(&self) -> Option<&str> {
        self.0.cancel_reason.as_deref()
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
    async fn engagement(&self, ctx: &Context<'_>) -> Result<Engagement> {
        // Reached through an engagement the caller was allowed to read.
        Ok(Engagement(one(&ctx.loaders()?.engagement, self.0.engagement_id, "engagement").await?))
    }
}
