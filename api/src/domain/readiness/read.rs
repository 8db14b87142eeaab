//! Reading assessments: one by ID (`NOT_FOUND` for strangers), an
//! engagement's in kit order, and the target an assessment is measured
//! against. The lists come from DataLoaders, so these are pure functions.

use std::{collections::HashMap, sync::Arc};

use opskit_entity::{activity, artifact_template, capability, enums::ArtifactKind, readiness_assessment as assessment};
use sea_orm::ConnectionTrait;

use super::{Target, target_of};
use crate::{
    domain::{Viewer, access::Access, ids::ReadinessAssessmentId, write::Scope},
    error::Result,
};

/// An assessment the caller may see (`NOT_FOUND` otherwise), with the caller's access.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: ReadinessAssessmentId,
) -> Result<(assessment::Model, Access)> {
    assessment::Model::load(db, viewer, id).await
}

/// An engagement's assessments in the order of its kit's `capabilities`
/// (not the order they were recorded in).
pub fn in_kit_order(
    mut rows: Vec<assessment::Model>,
    capabilities: &[Arc<capability::Model>],
) -> Vec<assessment::Model> {
    let position: HashMap<i64, i32> = capabilities.iter().map(|c| (c.id, c.position)).collect();
    rows.sort_by_key(|a| (position.get(&a.capability_id).copied().unwrap_or(i32::MAX), a.id));
    rows
}

/// The target an assessment is measured against: the one agreed in its
/// capability's Discovery & Analysis activity. `templates` are the
/// capability's artifact templates, `activities` the engagement's.
pub fn target_for(templates: &[Arc<artifact_template::Model>], activities: &[activity::Model]) -> Option<Target> {
    let discovery = templates.iter().find(|t| t.kind == ArtifactKind::DiscoveryAndAnalysis)?;
    activities.iter().find(|a| a.artifact_template_id == discovery.id).and_then(target_of)
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use opskit_entity::enums::ReadinessLevel;

    use super::*;

    fn capability(id: i64, position: i32) -> Arc<capability::Model> {
        let key = format!("c{id}");
        Arc::new(capability::Model { id, kit_id: 1, key: key.clone(), name: key, summary: String::new(), position })
    }

    fn assessed(id: i64, capability_id: i64) -> assessment::Model {
        assessment::Model {
            id,
            engagement_id: 1,
            capability_id,
            level: ReadinessLevel::Ready,
            findings: "ok".into(),
            assessed_by: 1,
            assessed_at: Utc::now(),
            version: 1,
        }
    }

    #[test]
    fn assessments_follow_the_kit_not_the_recording() {
        let kit = [capability(10, 2), capability(20, 0), capability(30, 1)];
        let rows = vec![assessed(1, 10), assessed(2, 30), assessed(3, 99), assessed(4, 20)];
        let ids: Vec<i64> = in_kit_order(rows, &kit).iter().map(|a| a.id).collect();
        assert_eq!(ids, [4, 2, 1, 3], "by capability position; an unknown capability last");
    }
}
