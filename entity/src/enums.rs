//! Enumerated column values shared by several tables.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What an artifact template is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ArtifactKind {
    #[sea_orm(string_value = "DISCOVERY_AND_ANALYSIS")]
    DiscoveryAndAnalysis,
    #[sea_orm(string_value = "DESIGN")]
    Design,
    #[sea_orm(string_value = "OVERVIEW")]
    Overview,
}

/// Which part of an operating model a question is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum QuestionCategory {
    #[sea_orm(string_value = "PEOPLE")]
    People,
    #[sea_orm(string_value = "PROCESS")]
    Process,
    #[sea_orm(string_value = "TOOLS")]
    Tools,
}

/// The shape of the answer a question expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AnswerKind {
    #[sea_orm(string_value = "TEXT")]
    Text,
    #[sea_orm(string_value = "YES_NO")]
    YesNo,
    #[sea_orm(string_value = "SINGLE_CHOICE")]
    SingleChoice,
    #[sea_orm(string_value = "MULTIPLE_CHOICE")]
    MultipleChoice,
    #[sea_orm(string_value = "SCALE")]
    Scale,
}

/// The workshop series a session belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WorkshopPhase {
    #[sea_orm(string_value = "OPERATIONS_OVERVIEW")]
    OperationsOverview,
    #[sea_orm(string_value = "CURRENT_STATE_REVIEW")]
    CurrentStateReview,
    #[sea_orm(string_value = "READINESS_STATE_DEFINITION")]
    ReadinessStateDefinition,
    #[sea_orm(string_value = "DESIGN_REVIEW")]
    DesignReview,
    #[sea_orm(string_value = "READINESS_ASSESSMENT")]
    ReadinessAssessment,
}

/// Who a workshop session is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Audience {
    #[sea_orm(string_value = "ALL")]
    All,
    #[sea_orm(string_value = "WORKSTREAM")]
    Workstream,
}

/// Lifecycle of an engagement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EngagementStatus {
    #[sea_orm(string_value = "PLANNED")]
    Planned,
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    /// Handed over: read-only until reopened.
    #[sea_orm(string_value = "CLOSED")]
    Closed,
}

/// A member's role inside one engagement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EngagementRole {
    #[sea_orm(string_value = "CONSULTANT")]
    Consultant,
    #[sea_orm(string_value = "WORKSTREAM_MEMBER")]
    WorkstreamMember,
    #[sea_orm(string_value = "STAKEHOLDER")]
    Stakeholder,
}

/// Progress of an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ActivityStatus {
    #[sea_orm(string_value = "NOT_STARTED")]
    NotStarted,
    #[sea_orm(string_value = "IN_PROGRESS")]
    InProgress,
    #[sea_orm(string_value = "DONE")]
    Done,
}

/// Where an activity's tracking task lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TrackerSystem {
    #[sea_orm(string_value = "JIRA")]
    Jira,
    #[sea_orm(string_value = "SERVICENOW")]
    Servicenow,
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// How a Design activity adopts the recommended design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DesignAdoption {
    #[sea_orm(string_value = "AS_RECOMMENDED")]
    AsRecommended,
    #[sea_orm(string_value = "ADAPTED")]
    Adapted,
    #[sea_orm(string_value = "CUSTOMER_SOLUTION")]
    CustomerSolution,
}

/// How serious a deviation from the recommended design is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Severity {
    #[sea_orm(string_value = "LOW")]
    Low,
    #[sea_orm(string_value = "MEDIUM")]
    Medium,
    #[sea_orm(string_value = "HIGH")]
    High,
    #[sea_orm(string_value = "CRITICAL")]
    Critical,
}

/// Lifecycle of a deviation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DeviationStatus {
    /// Recorded; its risk is not yet accepted.
    #[sea_orm(string_value = "OPEN")]
    Open,
    /// The customer accepted the risk.
    #[sea_orm(string_value = "RISK_ACCEPTED")]
    RiskAccepted,
    /// No longer a deviation (aligned, or mitigated in full).
    #[sea_orm(string_value = "RESOLVED")]
    Resolved,
}

/// Lifecycle of a workshop session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SessionStatus {
    #[sea_orm(string_value = "PLANNED")]
    Planned,
    #[sea_orm(string_value = "HELD")]
    Held,
    #[sea_orm(string_value = "CANCELLED")]
    Cancelled,
}

/// Operational readiness of a capability (the Game Day's verdict).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReadinessLevel {
    #[sea_orm(string_value = "NOT_READY")]
    NotReady,
    #[sea_orm(string_value = "PARTIALLY_READY")]
    PartiallyReady,
    #[sea_orm(string_value = "READY")]
    Ready,
}

/// Responsible, Accountable, Consulted, Informed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum RaciRole {
    #[sea_orm(string_value = "R")]
    R,
    #[sea_orm(string_value = "A")]
    A,
    #[sea_orm(string_value = "C")]
    C,
    #[sea_orm(string_value = "I")]
    I,
}

/// Lifecycle of a runbook: Template → Draft → In Review → Baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RunbookStatus {
    #[sea_orm(string_value = "TEMPLATE")]
    Template,
    #[sea_orm(string_value = "DRAFT")]
    Draft,
    #[sea_orm(string_value = "IN_REVIEW")]
    InReview,
    #[sea_orm(string_value = "BASELINE")]
    Baseline,
    /// A core runbook set aside for the customer's own architecture.
    #[sea_orm(string_value = "RETIRED")]
    Retired,
}

/// Where a runbook comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RunbookKind {
    /// The kit's core runbook for the capability (reference architecture).
    #[sea_orm(string_value = "CORE")]
    Core,
    /// A customer-chosen architecture, captured as a runbook.
    #[sea_orm(string_value = "CUSTOM")]
    Custom,
}

/// A reviewer's verdict on a runbook revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReviewVerdict {
    #[sea_orm(string_value = "APPROVE")]
    Approve,
    #[sea_orm(string_value = "REQUEST_CHANGES")]
    RequestChanges,
}

/// Which side of the engagement a review speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReviewerSide {
    /// The delivery side: consultants (and admins).
    #[sea_orm(string_value = "CONSULTANT")]
    Consultant,
    /// The customer: stakeholders.
    #[sea_orm(string_value = "STAKEHOLDER")]
    Stakeholder,
}

/// What a delivery goes to: the kind of its target row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DeliveryTargetKind {
    /// A webhook endpoint (`webhook_endpoints`).
    #[sea_orm(string_value = "WEBHOOK")]
    Webhook,
    /// A tracker connection (`tracker_connections`): its tickets are moved.
    #[sea_orm(string_value = "TRACKER_CONNECTION")]
    TrackerConnection,
}

/// Where one delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DeliveryStatus {
    /// Waiting for its first attempt or a retry.
    #[sea_orm(string_value = "PENDING")]
    Pending,
    /// The target accepted it (2xx).
    #[sea_orm(string_value = "SUCCEEDED")]
    Succeeded,
    /// Given up: refused for good (4xx) or failing for longer than retries last.
    #[sea_orm(string_value = "FAILED")]
    Failed,
    /// Not sent: the target was disabled or removed before its turn.
    #[sea_orm(string_value = "CANCELLED")]
    Cancelled,
}

/// What one delivery attempt came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AttemptOutcome {
    /// A 2xx answer.
    #[sea_orm(string_value = "SUCCEEDED")]
    Succeeded,
    /// A timeout, a connection error, a 5xx or a 429: tried again later.
    #[sea_orm(string_value = "RETRY")]
    Retry,
    /// Refused for good: another 4xx, a target not allowed, or the last retry.
    #[sea_orm(string_value = "FAILED")]
    Failed,
}

/// What an API key may do in its engagement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ApiKeyRole {
    /// Reads the engagement, sets trackers, completes and reopens activities linked to a ticket.
    #[sea_orm(string_value = "INTEGRATION")]
    Integration,
    /// Reads the engagement and nothing more.
    #[sea_orm(string_value = "READ_ONLY")]
    ReadOnly,
}

/// What opskit did with a webhook a tracker connection received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InboundOutcome {
    /// The linked activity followed the ticket (completed or reopened).
    #[sea_orm(string_value = "APPLIED")]
    Applied,
    /// The activity's own rules refused: the ticket's status is recorded on it.
    #[sea_orm(string_value = "RECORDED")]
    Recorded,
    /// Nothing to do: no activity is linked to the ticket, or it is already where the ticket says.
    #[sea_orm(string_value = "IGNORED")]
    Ignored,
}
