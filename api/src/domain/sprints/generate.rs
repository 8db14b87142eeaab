//! The sprints an engagement starts with: back to back from its first day,
//! `sprintLengthDays` each, as many as its kit's workshop plan needs.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use opskit_entity::{engagement, enums::WorkshopPhase, sprint, workshop_template};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::{MAX_SPRINTS, row};
use crate::error::{Code, Error, Result};

const MINUTES_PER_DAY: i64 = 24 * 60;

/// How many sprints cover a kit's workshop plan, given each template's phase
/// and duration: one sprint per phase that has sessions, and as many as it
/// takes for a phase whose longest session outlasts a sprint (the four-week
/// Game Day needs two 14-day sprints). At least one, at most [`MAX_SPRINTS`].
pub fn sprint_count(plan: impl IntoIterator<Item = (WorkshopPhase, i32)>, sprint_length_days: i32) -> usize {
    let sprint_minutes = i64::from(sprint_length_days.max(1)) * MINUTES_PER_DAY;
    let mut longest: HashMap<WorkshopPhase, i64> = HashMap::new();
    for (phase, minutes) in plan {
        let entry = longest.entry(phase).or_default();
        *entry = (*entry).max(i64::from(minutes));
    }
    let count: i64 = longest.values().map(|minutes| ((minutes + sprint_minutes - 1) / sprint_minutes).max(1)).sum();
    usize::try_from(count).unwrap_or(MAX_SPRINTS).clamp(1, MAX_SPRINTS)
}

/// Creates the sprints of a new engagement inside its creation's transaction;
/// returns how many there are. Sprint `n` starts `(n - 1) × sprintLengthDays`
/// after the engagement and lasts `sprintLengthDays` days.
pub async fn generate<C: ConnectionTrait>(tx: &C, engagement: &engagement::Model) -> Result<usize> {
    let plan: Vec<(WorkshopPhase, i32)> = workshop_template::Entity::find()
        .select_only()
        .column(workshop_template::Column::Phase)
        .column(workshop_template::Column::DurationMinutes)
        .filter(workshop_template::Column::KitId.eq(engagement.kit_id))
        .into_tuple()
        .all(tx)
        .await?;
    let count = sprint_count(plan, engagement.sprint_length_days);
    let length = u64::try_from(engagement.sprint_length_days.max(1)).unwrap_or(1);
    let mut rows = Vec::with_capacity(count);
    for index in 0..count {
        let (starts_on, ends_on) = dates(engagement.starts_on, length, index as u64).ok_or_else(|| {
            Error::user(
                "startsOn",
                Code::OutOfRange,
                "the engagement's sprints would end after the last supported date",
            )
        })?;
        let number = i32::try_from(index + 1).unwrap_or(i32::MAX);
        rows.push(row(engagement.id, number, starts_on, ends_on, None));
    }
    sprint::Entity::insert_many(rows).exec(tx).await?;
    Ok(count)
}

/// First and last day of the sprint at `index` (from 0).
fn dates(first_day: NaiveDate, length: u64, index: u64) -> Option<(NaiveDate, NaiveDate)> {
    let starts_on = first_day.checked_add_days(Days::new(length.checked_mul(index)?))?;
    let ends_on = starts_on.checked_add_days(Days::new(length - 1))?;
    Some((starts_on, ends_on))
}

#[cfg(test)]
mod tests {
    use super::*;
    use WorkshopPhase::*;

    #[test]
    fn the_aws_plan_needs_six_two_week_sprints() {
        let plan = [
            (OperationsOverview, 90),
            (OperationsOverview, 60),
            (CurrentStateReview, 30),
            (ReadinessStateDefinition, 60),
            (DesignReview, 30),
            (ReadinessAssessment, 40_320),
        ];
        assert_eq!(sprint_count(plan, 14), 6);
        assert_eq!(sprint_count(plan, 7), 8);
        assert_eq!(sprint_count(plan, 28), 5);
        assert_eq!(sprint_count(plan, 90), 5);
        assert_eq!(sprint_count([], 14), 1);
        assert_eq!(sprint_count([(DesignReview, i32::MAX)], 1), MAX_SPRINTS);
    }

    #[test]
    fn sprints_follow_each_other_without_gaps() {
        let first = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap_or_default();
        let third = super::dates(first, 14, 2).map(|(s, e)| (s.to_string(), e.to_string()));
        assert_eq!(third, Some(("2027-01-04".into(), "2027-01-17".into())));
        assert_eq!(super::dates(chrono::NaiveDate::MAX, 14, 1), None);
    }
}
