//! The `Node` interface and `node(id)` resolution. Every object with an ID is
//! refetchable; engagement objects go through the same access checks as any
//! other read, so a stranger's `node(id)` is `NOT_FOUND`.

use async_graphql::{Context, ID, Interface};

use super::{
    context::ContextExt,
    ids,
    types::{
        activity::Activity,
        activity_work::{Answer, DocumentLink},
        api_key::ApiKey,
        audit_event::AuditEvent,
        catalog::{ArtifactTemplate, Capability, Kit, Question, RunbookTemplate, WorkshopTemplate},
        deviation::Deviation,
        engagement::Engagement,
        engagement_member::EngagementMember,
        raci::RaciAssignment,
        readiness::ReadinessAssessment,
        runbook::{Runbook, RunbookReview, RunbookRevision},
        sprint::Sprint,
        tracker_connection::TrackerConnection,
        user::User,
        webhook::WebhookEndpoint,
        workshop_session::WorkshopSession,
    },
};
use crate::{
    domain::{
        answers, api_keys, audit_trail, deviations,
        engagements::{self, activities, members},
        ids::{
            ActivityId, AnswerId, ApiKeyId, ArtifactTemplateId, AuditEventId, CapabilityId, DeviationId,
            DocumentLinkId, EngagementId, Kind, KitId, MemberId, QuestionId, RaciAssignmentId, ReadinessAssessmentId,
            RunbookId, RunbookReviewId, RunbookRevisionId, RunbookTemplateId, SprintId, TrackerConnectionId, UserId,
            WebhookEndpointId, WorkshopSessionId, WorkshopTemplateId,
        },
        raci, readiness, runbooks, sprints, trackers, users, webhooks, workshops,
    },
    error::Result,
};

/// An object with a global ID, refetchable with `node(id)`.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Opaque global ID."))]
pub enum Node {
    Kit(Kit),
    Capability(Capability),
    ArtifactTemplate(ArtifactTemplate),
    Question(Question),
    RunbookTemplate(RunbookTemplate),
    WorkshopTemplate(WorkshopTemplate),
    Engagement(Engagement),
    EngagementMember(EngagementMember),
    Activity(Activity),
    User(User),
    DocumentLink(DocumentLink),
    Answer(Answer),
    Runbook(Runbook),
    RunbookRevision(RunbookRevision),
    RunbookReview(RunbookReview),
    Deviation(Deviation),
    Sprint(Sprint),
    WorkshopSession(WorkshopSession),
    ReadinessAssessment(ReadinessAssessment),
    RaciAssignment(RaciAssignment),
    AuditEvent(AuditEvent),
    WebhookEndpoint(WebhookEndpoint),
    ApiKey(ApiKey),
    TrackerConnection(TrackerConnection),
}

impl From<trackers::Linked> for Node {
    fn from(linked: trackers::Linked) -> Self {
        match linked {
            trackers::Linked::Activity(a) => Node::Activity(Activity(a)),
            trackers::Linked::Deviation(d) => Node::Deviation(Deviation(d)),
            trackers::Linked::Runbook(r) => Node::Runbook(Runbook(r)),
        }
    }
}

/// Resolves a global ID the caller may see.
pub async fn resolve(ctx: &Context<'_>, id: &ID) -> Result<Node> {
    let (kind, number) = ids::decode_any(id)?;
    let viewer = ctx.viewer()?;
    let db = ctx.db()?;
    Ok(match kind {
        Kind::Kit => Node::Kit(Kit::load(ctx, KitId(number))?),
        Kind::Capability => Node::Capability(Capability::load(ctx, CapabilityId(number))?),
        Kind::ArtifactTemplate => Node::ArtifactTemplate(ArtifactTemplate::load(ctx, ArtifactTemplateId(number))?),
        Kind::Question => Node::Question(Question::load(ctx, QuestionId(number))?),
        Kind::RunbookTemplate => Node::RunbookTemplate(RunbookTemplate::load(ctx, RunbookTemplateId(number))?),
        Kind::WorkshopTemplate => Node::WorkshopTemplate(WorkshopTemplate::load(ctx, WorkshopTemplateId(number))?),
        Kind::Engagement => {
            Node::Engagement(Engagement(engagements::get(db, viewer, EngagementId(number)).await?.engagement))
        }
        Kind::EngagementMember => {
            Node::EngagementMember(EngagementMember(members::get(db, viewer, MemberId(number)).await?.0))
        }
        Kind::Activity => Node::Activity(Activity(activities::get(db, viewer, ActivityId(number)).await?.0)),
        Kind::User => Node::User(User(users::visible(db, viewer, UserId(number)).await?)),
        Kind::DocumentLink => {
            Node::DocumentLink(DocumentLink(activities::document_link(db, viewer, DocumentLinkId(number)).await?))
        }
        Kind::Answer => Node::Answer(Answer(answers::get(db, viewer, AnswerId(number)).await?)),
        Kind::Runbook => Node::Runbook(Runbook(runbooks::get(db, viewer, RunbookId(number)).await?.0)),
        Kind::RunbookRevision => {
            Node::RunbookRevision(RunbookRevision(runbooks::revision(db, viewer, RunbookRevisionId(number)).await?))
        }
        Kind::RunbookReview => {
            Node::RunbookReview(RunbookReview(runbooks::review_by_id(db, viewer, RunbookReviewId(number)).await?))
        }
        Kind::Deviation => Node::Deviation(Deviation(deviations::get(db, viewer, DeviationId(number)).await?.0)),
        Kind::Sprint => Node::Sprint(Sprint(sprints::get(db, viewer, SprintId(number)).await?.0)),
        Kind::WorkshopSession => {
            Node::WorkshopSession(WorkshopSession(workshops::get(db, viewer, WorkshopSessionId(number)).await?.0))
        }
        Kind::ReadinessAssessment => Node::ReadinessAssessment(ReadinessAssessment(
            readiness::get(db, viewer, ReadinessAssessmentId(number)).await?.0,
        )),
        Kind::RaciAssignment => {
            Node::RaciAssignment(RaciAssignment(raci::get(db, viewer, RaciAssignmentId(number)).await?.0))
        }
        Kind::AuditEvent => Node::AuditEvent(AuditEvent(audit_trail::get(db, viewer, AuditEventId(number)).await?)),
        Kind::WebhookEndpoint => {
            Node::WebhookEndpoint(WebhookEndpoint(webhooks::get(db, viewer, WebhookEndpointId(number)).await?.0))
        }
        Kind::ApiKey => Node::ApiKey(ApiKey(api_keys::get(db, viewer, ApiKeyId(number)).await?.0)),
        Kind::TrackerConnection => Node::TrackerConnection(TrackerConnection(
            trackers::connections::get(db, viewer, TrackerConnectionId(number)).await?.0,
        )),
    })
}
