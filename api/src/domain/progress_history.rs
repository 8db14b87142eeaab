//! Progress over time, for burndown charts: every change in an engagement
//! stores the engagement's progress as that day's snapshot (UTC), so a day's
//! snapshot is its state at the end of the day. A day without a change has no
//! row of its own: it carries the last snapshot before it forward.

use chrono::{NaiveDate, Utc};
use opskit_entity::progress_snapshot;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, sea_query::OnConflict};

use super::{ids::EngagementId, kits::Catalog, progress};
use crate::error::{Error, Result};

/// Longest series one request may ask for, in days.
pub const MAX_DAYS: i64 = 366;

/// The engagement's progress on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressPoint {
    pub day: NaiveDate,
    pub activities_done: i64,
    pub activities_total: i64,
    pub questions_answered: i64,
    pub questions_total: i64,
    pub runbooks_baselined: i64,
    pub runbooks_planned: i64,
    pub open_deviations: i64,
    /// Whether something changed that day (otherwise the point carries an earlier day forward).
    pub changed: bool,
}

/// Stores the engagement's progress now as today's snapshot, in the change's transaction.
pub async fn snapshot<C: ConnectionTrait>(tx: &C, id: EngagementId) -> Result<()> {
    // The engagement's kit, read in the change's transaction: a write has no catalog at hand.
    let catalog = Catalog::load_for_engagement(tx, id).await?;
    let Some(now) = progress::for_engagements(tx, &catalog, &[id]).await?.remove(&id) else {
        return Ok(());
    };
    let taken_at = Utc::now();
    let row = progress_snapshot::ActiveModel {
        engagement_id: Set(id.0),
        day: Set(taken_at.date_naive()),
        activities_done: Set(now.activities_done),
        activities_total: Set(now.activities_total),
        questions_answered: Set(now.questions_answered),
        questions_total: Set(now.questions_total),
        runbooks_baselined: Set(now.runbooks_baselined),
        runbooks_planned: Set(now.runbooks_planned),
        open_deviations: Set(now.open_deviations),
        taken_at: Set(taken_at),
        ..Default::default()
    };
    use progress_snapshot::Column as C;
    let on_conflict = OnConflict::columns([C::EngagementId, C::Day])
        .update_columns([
            C::ActivitiesDone,
            C::ActivitiesTotal,
            C::QuestionsAnswered,
            C::QuestionsTotal,
            C::RunbooksBaselined,
            C::RunbooksPlanned,
            C::OpenDeviations,
            C::TakenAt,
        ])
        .to_owned();
    progress_snapshot::Entity::insert(row).on_conflict(on_conflict).exec_without_returning(tx).await?;
    Ok(())
}

/// One point per day from `from` to `to` (inclusive), from the first day
/// with a snapshot on (days before the engagement's first change have none).
/// The caller has checked access; a span past [`MAX_DAYS`] or reversed is `BAD_USER_INPUT`.
pub async fn history<C: ConnectionTrait>(
    db: &C,
    id: EngagementId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ProgressPoint>> {
    let days = (to - from).num_days() + 1;
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(Error::BadUserInput(format!(
            "`from` must not be after `to`, and the span at most {MAX_DAYS} days"
        )));
    }
    let mut stored = progress_snapshot::Entity::find()
        .filter(progress_snapshot::Column::EngagementId.eq(id.0))
        .filter(progress_snapshot::Column::Day.lte(to))
        .order_by_asc(progress_snapshot::Column::Day)
        .all(db)
        .await?
        .into_iter()
        .peekable();
    let mut last: Option<progress_snapshot::Model> = None;
    let mut points = Vec::new();
    for day in from.iter_days().take_while(|d| *d <= to) {
        let mut changed = false;
        while let Some(next) = stored.next_if(|s| s.day <= day) {
            changed = next.day == day;
            last = Some(next);
        }
        if let Some(s) = &last {
            points.push(point(day, s, changed));
        }
    }
    Ok(points)
}

fn point(day: NaiveDate, s: &progress_snapshot::Model, changed: bool) -> ProgressPoint {
    ProgressPoint {
        day,
        activities_done: s.activities_done,
        activities_total: s.activities_total,
        questions_answered: s.questions_answered,
        questions_total: s.questions_total,
        runbooks_baselined: s.runbooks_baselined,
        runbooks_planned: s.runbooks_planned,
        open_deviations: s.open_deviations,
        changed,
    }
}
