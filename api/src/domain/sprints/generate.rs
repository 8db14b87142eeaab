//! The sprints an engagement starts with: back to back from its first day,
//! `sprintLengthDays` each, as many as its kit's workshop plan needs.

use crate::error::Code;
use chrono::{Days, NaiveDate};
use opskit_entity::{engagement, sprint, workshop_template};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};

use super::rules::sprint_count;
use crate::error::{Error, Result};

/// Creates the sprints of a new engagement inside its creation's transaction;
/// returns how many there are. Sprint `n` starts `(n - 1) × sprintLengthDays`
/// after the engagement and lasts `sprintLengthDays` days.
pub async fn generate<C: ConnectionTrait>(tx: &C, engagement: &engagement::Model) -> Result<usize> {
    let plan: Vec<(opskit_entity::enums::WorkshopPhase, i32)> = workshop_template::Entity::find()
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
        rows.push(sprint::ActiveModel {
            engagement_id: Set(engagement.id),
            number: Set(i32::try_from(index + 1).unwrap_or(i32::MAX)),
            starts_on: Set(starts_on),
            ends_on: Set(ends_on),
            goal: Set(None),
            version: Set(1),
            ..Default::default()
        });
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
    #[test]
    fn sprints_follow_each_other_without_gaps() {
        let first = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap_or_default();
        let third = super::dates(first, 14, 2).map(|(s, e)| (s.to_string(), e.to_string()));
        assert_eq!(third, Some(("2027-01-04".into(), "2027-01-17".into())));
        assert_eq!(super::dates(chrono::NaiveDate::MAX, 14, 1), None);
    }
}
