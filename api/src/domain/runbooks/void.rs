//! Voiding approvals: a member whose role changes, or who leaves, no longer
//! speaks for the side they approved for, so their approvals in the
//! engagement's open review rounds stop counting (design.md §4).

use chrono::Utc;
use opskit_entity::{
    enums::{ReviewVerdict, RunbookStatus},
    runbook, runbook_review,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait, sea_query::Expr};

use crate::{
    domain::ids::{EngagementId, UserId},
    error::Result,
};

/// Voids `user`'s approvals of runbooks in review in `engagement`; returns how many.
pub async fn void_approvals<C: ConnectionTrait>(tx: &C, engagement: EngagementId, user: UserId) -> Result<u64> {
    let in_review = runbook::Entity::find()
        .select_only()
        .column(runbook::Column::Id)
        .filter(runbook::Column::EngagementId.eq(engagement.0))
        .filter(runbook::Column::Status.eq(RunbookStatus::InReview))
        .into_query();
    let voided = runbook_review::Entity::update_many()
        .col_expr(runbook_review::Column::VoidedAt, Expr::value(Some(Utc::now())))
        .filter(runbook_review::Column::ReviewerId.eq(user.0))
        .filter(runbook_review::Column::Verdict.eq(ReviewVerdict::Approve))
        .filter(runbook_review::Column::VoidedAt.is_null())
        .filter(runbook_review::Column::RunbookId.in_subquery(in_review))
        .exec(tx)
        .await?;
    Ok(voided.rows_affected)
}
