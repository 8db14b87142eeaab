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
    Planned,
    Active,
    Completed,
    Archived,
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
