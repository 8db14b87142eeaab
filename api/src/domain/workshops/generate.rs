//! The sessions an engagement starts with: one per workshop template of its
//! kit version, planned, in no sprint yet, linked to the engagement's
//! activities for the template's artifacts.

use std::collections::HashMap;

use chrono::Utc;
use opskit_entity::{activity, engagement, enums::SessionStatus, workshop_session, workshop_template};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{Plan, ids_in};
use crate::error::Result;

/// Creates the sessions of a new engagement inside its creation's transaction
/// (after its activities); returns how many there are.
pub async fn generate<C: ConnectionTrait>(tx: &C, engagement: &engagement::Model) -> Result<usize> {
    let templates = workshop_template::Entity::find()
        .filter(workshop_template::Column::KitId.eq(engagement.kit_id))
        .order_by_asc(workshop_template::Column::Position)
        .all(tx)
        .await?;
    if templates.is_empty() {
        return Ok(0);
    }
    let activity_of: HashMap<i64, i64> = activity::Entity::find()
        .select_only()
        .column(activity::Column::ArtifactTemplateId)
        .column(activity::Column::Id)
        .filter(activity::Column::EngagementId.eq(engagement.id))
        .into_tuple::<(i64, i64)>()
        .all(tx)
        .await?
        .into_iter()
        .collect();
    let now = Utc::now();
    let rows = templates.iter().map(|t| {
        let plan = Plan {
            template_id: Some(t.id),
            position: t.position,
            phase: t.phase,
            title: t.title.clone(),
            audience: t.audience,
            duration_minutes: t.duration_minutes,
            capability_id: t.capability_id,
            activity_ids: ids_in(&t.artifact_template_ids).iter().filter_map(|a| activity_of.get(a).copied()).collect(),
            sprint_id: None,
            starts_at: None,
        };
        plan.row(engagement.id, SessionStatus::Planned, now)
    });
    workshop_session::Entity::insert_many(rows).exec(tx).await?;
    Ok(templates.len())
}
