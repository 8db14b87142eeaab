//! GraphQL enums, mirrored from the stored values.

use async_graphql::Enum;
use opskit_entity::enums as db;

/// What an artifact template is for.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "db::ArtifactKind")]
pub enum ArtifactKind {
    /// Discovery & Analysis: the current state, with a question bank.
    DiscoveryAndAnalysis,
    /// Design: the recommended design, adjusted to what discovery found.
    Design,
    /// An overview artifact not tied to one capability.
    Overview,
}

/// Which part of the operating model a question is about.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "db::QuestionCategory")]
pub enum QuestionCategory {
    People,
    Process,
    Tools,
}

/// The shape of answer a question expects.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "db::AnswerKind")]
pub enum AnswerKind {
    /// Free text.
    Text,
    /// Yes or no.
    YesNo,
    /// One of `choices`.
    SingleChoice,
    /// Any number of `choices`.
    MultipleChoice,
    /// An integer on `scale` (1–5).
    Scale,
}

/// The workshop series a session belongs to.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "db::WorkshopPhase")]
pub enum WorkshopPhase {
    OperationsOverview,
    CurrentStateReview,
    ReadinessStateDefinition,
    DesignReview,
    ReadinessAssessment,
}

/// Who a workshop session is for.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "db::Audience")]
pub enum Audience {
    /// Everyone involved in the engagement.
    All,
    /// The operations workstream.
    Workstream,
}

/// Lifecycle of an engagement.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "db::EngagementStatus")]
pub enum EngagementStatus {
    /// Created, not started yet (`startEngagement`).
    Planned,
    /// Running.
    Active,
    /// Handed over: read-only (every change is `ENGAGEMENT_CLOSED`) until `reopenEngagement`.
    Closed,
}

/// A member's role inside one engagement.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "db::EngagementRole")]
pub enum EngagementRole {
    /// Runs the engagement: manages members, activities and runbook baselines.
    Consultant,
    /// Customer operations staff doing the work with the consultants.
    WorkstreamMember,
    /// Customer decision maker: reviews runbooks and accepts risks.
    Stakeholder,
}

/// Progress of an activity.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "db::ActivityStatus")]
pub enum ActivityStatus {
    NotStarted,
    InProgress,
    Done,
}

/// Lifecycle of a workshop session.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "db::SessionStatus")]
pub enum SessionStatus {
    /// Not held yet; may be scheduled and rescheduled.
    Planned,
    /// Took place; its attendees, notes and outcomes are recorded.
    Held,
    /// Called off; closed for good.
    Cancelled,
}

/// A role granted by the identity provider across all engagements.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::auth::GlobalRole")]
pub enum GlobalRole {
    /// Manages kits; may act in every engagement.
    Admin,
    /// May create engagements.
    Consultant,
}

/// Sort direction.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum OrderDirection {
    Asc,
    #[default]
    Desc,
}

/// Where an activity's tracking task lives.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "db::TrackerSystem")]
pub enum TrackerSystem {
    Jira,
    #[graphql(name = "SERVICENOW")]
    Servicenow,
    Other,
}

/// How a Design activity adopts the recommended design.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "db::DesignAdoption")]
pub enum DesignAdoption {
    /// The recommended design, as is.
    AsRecommended,
    /// The recommended design with adjustments.
    Adapted,
    /// The customer's own solution replaces it (name it in `solutionName`).
    CustomerSolution,
}

/// Lifecycle of a runbook: TEMPLATE → DRAFT → IN_REVIEW → BASELINE.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "db::RunbookStatus")]
pub enum RunbookStatus {
    /// Not started: only the kit's template exists.
    Template,
    /// Being written; every edit is a new revision.
    Draft,
    /// Waiting for approvals (one consultant, one stakeholder).
    InReview,
    /// Approved and in the knowledge base: a completed deliverable.
    Baseline,
    /// A core runbook set aside for the customer's own architecture (`retireRunbook`):
    /// final, and no longer counted in `runbooksPlanned`.
    Retired,
}

/// Where a runbook comes from.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "db::RunbookKind")]
pub enum RunbookKind {
    /// The kit's core runbook for the capability.
    Core,
    /// A customer-chosen architecture, captured as a runbook.
    Custom,
}

/// A reviewer's verdict.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "db::ReviewVerdict")]
pub enum ReviewVerdict {
    Approve,
    /// Sends the runbook back to DRAFT with the comment.
    RequestChanges,
}

/// Which side of the engagement a review speaks for.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "db::ReviewerSide")]
pub enum ReviewerSide {
    Consultant,
    Stakeholder,
}

/// How serious a deviation from the recommended design is.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "db::Severity")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

/// Lifecycle of a deviation.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "db::DeviationStatus")]
pub enum DeviationStatus {
    /// Recorded; its risk is not accepted (yet, or any more since it was edited).
    Open,
    /// A stakeholder accepted the risk on the customer's behalf.
    RiskAccepted,
    /// No longer a deviation (aligned, or mitigated in full). Final.
    Resolved,
}

/// Operational readiness of a capability: the Game Day's verdict.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "db::ReadinessLevel")]
pub enum ReadinessLevel {
    /// The capability does not meet its readiness target.
    NotReady,
    /// Some of the target is met; the findings say what is missing.
    PartiallyReady,
    /// The capability meets its readiness target.
    Ready,
}

/// A party's part in a capability.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "db::RaciRole")]
pub enum RaciRole {
    /// Responsible.
    R,
    /// Accountable.
    A,
    /// Consulted.
    C,
    /// Informed.
    I,
}

/// What an API key may do in its engagement.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "db::ApiKeyRole")]
pub enum ApiKeyRole {
    /// Reads the engagement, sets activities' trackers, and completes or
    /// reopens activities linked to a ticket.
    Integration,
    /// Reads the engagement and nothing more (report scripts).
    ReadOnly,
}

/// What opskit did with a webhook a tracker connection received.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "db::InboundOutcome")]
pub enum InboundOutcome {
    /// The linked activity followed the ticket (completed or reopened).
    Applied,
    /// The activity's own rules refused: the ticket's status is recorded on it (`Activity.trackerStatus`).
    Recorded,
    /// Nothing to do: no activity is linked to the ticket, it already is where the ticket is, or the engagement is closed.
    Ignored,
}
