//! Deviations from a capability's recommended design.

use opskit_entity::{deviation, enums::DeviationStatus};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::error::Result;

/// How many unresolved deviations of an activity have no mitigation plan.
pub async fn unmitigated_count<C: ConnectionTrait>(db: &C, activity_id: i64) -> Result<u64> {
    Ok(deviation::Entity::find()
        .filter(deviation::Column::ActivityId.eq(activity_id))
        .filter(deviation::Column::Status.ne(DeviationStatus::Resolved))
        .filter(
            Condition::any()
                .add(deviation::Column::MitigationPlan.is_null())
                .add(deviation::Column::MitigationPlan.eq("")),
        )
        .count(db)
        .await?)
}
