//! Readiness assessments, the Game Day's verdict: consultants record, per
//! capability of an engagement, how ready operations are against the target
//! agreed in the capability's Discovery & Analysis activity. One assessment
//! per capability; recording again revises it.

mod read;
mod record;
mod validation;

pub use read::{get, in_kit_order, target_for};
pub use record::{Assessment, record};
pub use validation::MAX_FINDINGS;

use opskit_entity::activity;

/// The agreed readiness target of a capability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// What "ready" means; `None` when only criteria were agreed.
    pub statement: Option<String>,
    /// How readiness is checked, in the agreed order.
    pub criteria: Vec<String>,
}

/// The readiness target agreed in a capability's Discovery & Analysis
/// activity; `None` while neither a statement nor criteria are agreed.
pub fn target_of(activity: &activity::Model) -> Option<Target> {
    let statement = activity.readiness_statement.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let criteria: Vec<String> = match &activity.readiness_criteria {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(serde_json::Value::as_str)
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    if statement.is_none() && criteria.is_empty() {
        return None;
    }
    Some(Target { statement: statement.map(str::to_owned), criteria })
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use opskit_entity::enums::ActivityStatus;
    use serde_json::json;

    use super::*;

    fn activity(statement: Option<&str>, criteria: Option<serde_json::Value>) -> activity::Model {
        let now = Utc::now();
        activity::Model {
            id: 1,
            engagement_id: 1,
            artifact_template_id: 1,
            status: ActivityStatus::InProgress,
            created_at: now,
            updated_at: now,
            version: 1,
            assignee_member_id: None,
            started_at: None,
            completed_at: None,
            tracker_system: None,
            tracker_key: None,
            tracker_url: None,
            readiness_statement: statement.map(str::to_owned),
            readiness_criteria: criteria,
            design_adoption: None,
            adopted_solution: None,
            tracker_status: None,
            tracker_status_reason: None,
            tracker_status_at: None,
        }
    }

    #[test]
    fn no_target_until_one_is_agreed() {
        assert_eq!(target_of(&activity(None, None)), None);
        assert_eq!(target_of(&activity(Some("  "), Some(json!([])))), None);
    }

    #[test]
    fn the_target_is_the_statement_and_its_criteria() {
        let target = target_of(&activity(Some(" Patches within 14 days "), Some(json!(["SLA met", " ", 3])))).unwrap();
        assert_eq!(target.statement.as_deref(), Some("Patches within 14 days"));
        assert_eq!(target.criteria, ["SLA met"]);
        let criteria_only = target_of(&activity(None, Some(json!(["Runbook baselined"])))).unwrap();
        assert_eq!(criteria_only.statement, None);
    }
}
