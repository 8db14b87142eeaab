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
    #[sea_orm(string_value = "COMPLETED")]
    Completed,
    #[sea_orm(string_value = "ARCHIVED")]
    Archived,
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
