//! Engagement progress, derived at read time.

use async_graphql::{Object, SimpleObject};
use chrono::NaiveDate;

use super::{
    catalog::Capability,
    enums::{ActivityStatus, ReadinessLevel},
};
use crate::domain::{progress, progress_history};

/// How far an engagement has come.
pub struct EngagementProgress(pub progress::Progress);

fn int(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

#[Object]
impl EngagementProgress {
    async fn activities_done(&self) -> i32 {
        int(self.0.activities_done)
    }
    async fn activities_total(&self) -> i32 {
        int(self.0.activities_total)
    }
    /// Questions answered across all question banks.
    async fn questions_answered(&self) -> i32 {
        int(self.0.questions_answered)
    }
    async fn questions_total(&self) -> i32 {
        int(self.0.questions_total)
    }
    /// Deviations not resolved (open or with their risk accepted).
    async fn open_deviations(&self) -> i32 {
        int(self.0.open_deviations)
    }
    /// Unresolved deviations that have no mitigation plan.
    async fn deviations_without_mitigation(&self) -> i32 {
        int(self.0.deviations_without_mitigation)
    }
    /// Runbooks in the knowledge base (completed deliverables).
    async fn runbooks_baselined(&self) -> i32 {
        int(self.0.runbooks_baselined)
    }
    /// Runbooks planned: the kit's core runbooks and the custom ones.
    async fn runbooks_planned(&self) -> i32 {
        int(self.0.runbooks_planned)
    }
    /// One entry per capability, in kit order.
    async fn capabilities(&self) -> Vec<CapabilityProgress> {
        self.0
            .capabilities
            .iter()
            .map(|c| CapabilityProgress {
                capability: Capability(c.capability.clone()),
                discovery_status: c.discovery_status.map(Into::into),
                design_status: c.design_status.map(Into::into),
                questions_answered: int(c.questions_answered),
                questions_total: int(c.questions_total),
                open_deviations: int(c.open_deviations),
                deviations_without_mitigation: int(c.deviations_without_mitigation),
                readiness_level: c.readiness.map(Into::into),
                runbooks_baselined: int(c.runbooks_baselined),
                runbooks_planned: int(c.runbooks_planned),
            })
            .collect()
    }
}

/// How far one capability has come.
#[derive(SimpleObject)]
pub struct CapabilityProgress {
    pub capability: Capability,
    /// Status of the Discovery & Analysis activity.
    pub discovery_status: Option<ActivityStatus>,
    /// Status of the Design activity.
    pub design_status: Option<ActivityStatus>,
    pub questions_answered: i32,
    pub questions_total: i32,
    pub open_deviations: i32,
    pub deviations_without_mitigation: i32,
    /// The assessed readiness; null until assessed.
    pub readiness_level: Option<ReadinessLevel>,
    pub runbooks_baselined: i32,
    pub runbooks_planned: i32,
}

/// An engagement's progress at the end of one day (UTC): a point of a burndown chart.
pub struct ProgressPoint(pub progress_history::ProgressPoint);

/// An engagement's progress at the end of one day (UTC): a point of a burndown chart.
#[Object]
impl ProgressPoint {
    /// The day (UTC).
    async fn day(&self) -> NaiveDate {
        self.0.day
    }
    /// Activities done by the end of the day.
    async fn activities_done(&self) -> i32 {
        int(self.0.activities_done)
    }
    /// Activities of the engagement.
    async fn activities_total(&self) -> i32 {
        int(self.0.activities_total)
    }
    /// Questions answered across all question banks.
    async fn questions_answered(&self) -> i32 {
        int(self.0.questions_answered)
    }
    /// Questions in all question banks.
    async fn questions_total(&self) -> i32 {
        int(self.0.questions_total)
    }
    /// Runbooks with a baselined revision.
    async fn runbooks_baselined(&self) -> i32 {
        int(self.0.runbooks_baselined)
    }
    /// Runbooks planned that day (retired ones no longer count).
    async fn runbooks_planned(&self) -> i32 {
        int(self.0.runbooks_planned)
    }
    /// Deviations not resolved.
    async fn open_deviations(&self) -> i32 {
        int(self.0.open_deviations)
    }
    /// Whether anything changed that day; when false the point repeats the last day that changed.
    async fn changed(&self) -> bool {
        self.0.changed
    }
}
