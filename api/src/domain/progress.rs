//! Engagement progress, derived at read time from the stored work (never
//! stored twice), for many engagements at once in a fixed number of SQL
//! statements: engagements, activities with their answer counts, deviations, runbooks
//! and readiness assessments. Templates, capabilities and question banks
//! come from the kit [`Catalog`] (in memory).

use std::{collections::HashMap, sync::Arc};

use opskit_entity::{
    activity, answer, capability, deviation, engagement,
    enums::{ActivityStatus, ArtifactKind, DeviationStatus, ReadinessLevel, RunbookStatus},
    readiness_assessment, runbook,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Func, Query, SimpleExpr},
};

use super::{
    ids::{ArtifactTemplateId, EngagementId},
    kits::Catalog,
};
use crate::error::Result;

/// Progress of one capability.
#[derive(Debug, Clone)]
pub struct CapabilityProgress {
    pub capability: Arc<capability::Model>,
    pub discovery_status: Option<ActivityStatus>,
    pub design_status: Option<ActivityStatus>,
    pub questions_answered: i64,
    pub questions_total: i64,
    pub open_deviations: i64,
    pub deviations_without_mitigation: i64,
    pub readiness: Option<ReadinessLevel>,
    pub runbooks_baselined: i64,
    pub runbooks_planned: i64,
}

/// Progress of one engagement.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    pub activities_done: i64,
    pub activities_total: i64,
    pub questions_answered: i64,
    pub questions_total: i64,
    pub open_deviations: i64,
    pub deviations_without_mitigation: i64,
    pub runbooks_baselined: i64,
    pub runbooks_planned: i64,
    pub capabilities: Vec<CapabilityProgress>,
}

#[derive(FromQueryResult)]
struct RunbookRow {
    engagement_id: i64,
    capability_id: i64,
    baseline_revision_id: Option<i64>,
}

/// An activity with how many of its questions are answered.
#[derive(FromQueryResult)]
struct ActivityRow {
    #[sea_orm(nested)]
    activity: activity::Model,
    answered: i64,
}

/// Progress of each engagement in `wanted` (callers have checked access),
/// with their kits' templates from `catalog`.
pub async fn for_engagements<C: ConnectionTrait>(
    db: &C,
    catalog: &Catalog,
    wanted: &[EngagementId],
) -> Result<HashMap<EngagementId, Progress>> {
    let ids: Vec<i64> = wanted.iter().map(|e| e.0).collect();
    let engagements =
        engagement::Entity::find().filter(engagement::Column::Id.is_in(ids.iter().copied())).all(db).await?;
    let activities = activity::Entity::find()
        .column_as(answer_count(), "answered")
        .filter(activity::Column::EngagementId.is_in(ids.iter().copied()))
        .order_by_asc(activity::Column::Id)
        .into_model::<ActivityRow>()
        .all(db)
        .await?;
    let deviations = deviation::Entity::find()
        .filter(deviation::Column::EngagementId.is_in(ids.iter().copied()))
        .filter(deviation::Column::Status.ne(DeviationStatus::Resolved))
        .all(db)
        .await?;
    let runbooks = runbook::Entity::find()
        .select_only()
        .columns([runbook::Column::EngagementId, runbook::Column::CapabilityId, runbook::Column::BaselineRevisionId])
        .filter(runbook::Column::EngagementId.is_in(ids.iter().copied()))
        // A retired runbook is no longer planned.
        .filter(runbook::Column::Status.ne(RunbookStatus::Retired))
        .into_model::<RunbookRow>()
        .all(db)
        .await?;
    let assessments = readiness_assessment::Entity::find()
        .filter(readiness_assessment::Column::EngagementId.is_in(ids.iter().copied()))
        .all(db)
        .await?;

    let mut out = HashMap::new();
    for engagement in &engagements {
        let mut progress = Progress {
            capabilities: catalog
                .capabilities_of(engagement.kit_id)
                .iter()
                .map(|c| CapabilityProgress {
                    capability: c.clone(),
                    discovery_status: None,
                    design_status: None,
                    questions_answered: 0,
                    questions_total: 0,
                    open_deviations: 0,
                    deviations_without_mitigation: 0,
                    runbooks_baselined: 0,
                    runbooks_planned: 0,
                    readiness: assessments
                        .iter()
                        .find(|a| a.engagement_id == engagement.id && a.capability_id == c.id)
                        .map(|a| a.level),
                })
                .collect(),
            ..Progress::default()
        };
        let mut capability_of_activity = HashMap::new();
        for &ActivityRow { ref activity, answered } in
            activities.iter().filter(|a| a.activity.engagement_id == engagement.id)
        {
            progress.activities_total += 1;
            progress.activities_done += i64::from(activity.status == ActivityStatus::Done);
            let Some(template) = catalog.artifact(ArtifactTemplateId(activity.artifact_template_id)) else { continue };
            let total = i64::try_from(catalog.questions_of(template.id).len()).unwrap_or(i64::MAX);
            progress.questions_total += total;
            progress.questions_answered += answered;
            let Some(cap) = progress.capabilities.iter_mut().find(|c| Some(c.capability.id) == template.capability_id)
            else {
                continue;
            };
            capability_of_activity.insert(activity.id, cap.capability.id);
            cap.questions_total += total;
            cap.questions_answered += answered;
            match template.kind {
                ArtifactKind::DiscoveryAndAnalysis => cap.discovery_status = Some(activity.status),
                ArtifactKind::Design => cap.design_status = Some(activity.status),
                ArtifactKind::Overview => {}
            }
        }
        for deviation in deviations.iter().filter(|d| d.engagement_id == engagement.id) {
            let unmitigated = super::deviations::is_unmitigated(deviation);
            progress.open_deviations += 1;
            progress.deviations_without_mitigation += i64::from(unmitigated);
            let capability = capability_of_activity.get(&deviation.activity_id);
            if let Some(cap) = progress.capabilities.iter_mut().find(|c| Some(&c.capability.id) == capability) {
                cap.open_deviations += 1;
                cap.deviations_without_mitigation += i64::from(unmitigated);
            }
        }
        for runbook in runbooks.iter().filter(|r| r.engagement_id == engagement.id) {
            let baselined = i64::from(runbook.baseline_revision_id.is_some());
            progress.runbooks_planned += 1;
            progress.runbooks_baselined += baselined;
            if let Some(cap) = progress.capabilities.iter_mut().find(|c| c.capability.id == runbook.capability_id) {
                cap.runbooks_planned += 1;
                cap.runbooks_baselined += baselined;
            }
        }
        out.insert(EngagementId(engagement.id), progress);
    }
    Ok(out)
}

/// The number of the activity's answers, as a correlated subquery: counted
/// on their index, activity by activity. (A `GROUP BY` over the answers of
/// the page's activities made PostgreSQL scan every answer of every
/// engagement once there were thousands: 36 ms against 7.)
fn answer_count() -> SimpleExpr {
    let answered = Query::select()
        .expr(Func::count(Expr::col((answer::Entity, answer::Column::Id))))
        .from(answer::Entity)
        .and_where(
            Expr::col((answer::Entity, answer::Column::ActivityId)).equals((activity::Entity, activity::Column::Id)),
        )
        .to_owned();
    SimpleExpr::SubQuery(None, Box::new(answered.into()))
}
