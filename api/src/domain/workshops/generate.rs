//! The sessions an engagement starts with: one per workshop template of its
//! kit version, planned, in no sprint yet, linked to the engagement's
//! activities for the template's artifacts.

use std::collections::HashMap;

use chrono::Utc;
use opskit_entity::{activity, engagement, enums::SessionStatus, workshop_session, workshop_template};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use super::ids_in;
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
        let activity_ids: Vec<i64> =
            ids_in(&t.artifact_template_ids).iter().filter_map(|a| activity_of.get(a).copied()).collect();
        workshop_session::ActiveModel {
            engagement_id: Set(engagement.id),
            workshop_template_id: Set(Some(t.id)),
            position: Set(t.position),
            phase: Set(t.phase),
            title: Set(t.title.clone()),
            audience: Set(t.audience),
            duration_minutes: Set(t.duration_minutes),
            capability_id: Set(t.capability_id),
            sprint_id: Set(None),
            starts_at: Set(None),
            status: Set(SessionStatus::Planned),
            notes: Set(None),
            outcomes: Set(serde_json::json!([])),
            attendee_member_ids: Set(serde_json::json!([])),
            activity_ids: Set(serde_json::json!(activity_ids)),
            cancel_reason: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
    });
    workshop_session::Entity::insert_many(rows).exec(tx).await?;
    Ok(templates.len())
}
