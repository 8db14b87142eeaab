//! The close-out checks of an engagement: every activity done, every runbook
//! baselined or retired, every deviation resolved or its risk accepted. Each
//! unfinished object is one `userErrors` entry naming it.

use std::collections::HashMap;

use opskit_entity::{
    activity, artifact_template, deviation,
    enums::{ActivityStatus, DeviationStatus, RunbookStatus},
    runbook,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{
    domain::ids::{ActivityId, DeviationId, EngagementId, RunbookId},
    error::{Code, Result, UserError},
};

/// The input field every close-out entry points at.
const FIELD: &str = "engagementId";

/// What stands between the engagement and its close, in kit order: activities, runbooks, deviations.
pub async fn unfinished<C: ConnectionTrait>(db: &C, id: EngagementId) -> Result<Vec<UserError>> {
    let mut found = Vec::new();
    let activities = activity::Entity::find()
        .filter(activity::Column::EngagementId.eq(id.0))
        .filter(activity::Column::Status.ne(ActivityStatus::Done))
        .order_by_asc(activity::Column::Id)
        .all(db)
        .await?;
    let titles: HashMap<i64, String> = artifact_template::Entity::find()
        .filter(artifact_template::Column::Id.is_in(activities.iter().map(|a| a.artifact_template_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.title))
        .collect();
    for a in activities {
        let title = titles.get(&a.artifact_template_id).map_or("", String::as_str);
        let message = format!("activity \"{title}\" is not done");
        found.push(UserError::new(FIELD, Code::ActivityOpen, message).about(ActivityId(a.id)));
    }
    let runbooks = runbook::Entity::find()
        .filter(runbook::Column::EngagementId.eq(id.0))
        .filter(runbook::Column::BaselineRevisionId.is_null())
        .filter(runbook::Column::Status.ne(RunbookStatus::Retired))
        .order_by_asc(runbook::Column::Id)
        .all(db)
        .await?;
    for r in runbooks {
        let message = format!("runbook \"{}\" is neither baselined nor retired", r.title);
        found.push(UserError::new(FIELD, Code::RunbookOpen, message).about(RunbookId(r.id)));
    }
    let deviations = deviation::Entity::find()
        .filter(deviation::Column::EngagementId.eq(id.0))
        .filter(deviation::Column::Status.eq(DeviationStatus::Open))
        .order_by_asc(deviation::Column::Id)
        .all(db)
        .await?;
    for d in deviations {
        let message = format!("deviation \"{}\" is neither resolved nor its risk accepted", d.title);
        found.push(UserError::new(FIELD, Code::DeviationOpen, message).about(DeviationId(d.id)));
    }
    Ok(found)
}
