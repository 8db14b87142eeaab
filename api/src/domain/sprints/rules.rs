//! The rules a sprint's dates and goal follow, and how many sprints a kit's
//! workshop plan needs. Pure functions, unit-tested here.

use crate::error::Code;
use std::collections::HashMap;

use chrono::NaiveDate;
use opskit_entity::{enums::WorkshopPhase, sprint};

use crate::error::UserError;

/// Longest accepted sprint goal, in characters.
pub const MAX_GOAL: usize = 2_000;
/// Most sprints one engagement may have.
pub const MAX_SPRINTS: usize = 100;
/// Longest accepted sprint, in days (the bound `createEngagement` puts on `sprintLengthDays`).
pub const MAX_SPRINT_DAYS: i64 = 90;

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

/// Checks that a sprint ends on or after its start and is not longer than
/// [`MAX_SPRINT_DAYS`].
pub fn check_dates(errors: &mut Vec<UserError>, starts_on: NaiveDate, ends_on: NaiveDate) {
    if ends_on < starts_on {
        errors.push(UserError::new(
            "endsOn",
            Code::InvalidDates,
            format!("`endsOn` ({ends_on}) must not be before `startsOn` ({starts_on})"),
        ));
    } else if (ends_on - starts_on).num_days() + 1 > MAX_SPRINT_DAYS {
        errors.push(UserError::new(
            "endsOn",
            Code::OutOfRange,
            format!("a sprint lasts at most {MAX_SPRINT_DAYS} days"),
        ));
    }
}

/// Checks that `starts_on..=ends_on` overlaps none of `others` (the other
/// sprints of the engagement). The error names the field whose date falls
/// inside the other sprint (`startsOn` when the new sprint swallows it whole).
pub fn check_overlap(errors: &mut Vec<UserError>, others: &[sprint::Model], starts_on: NaiveDate, ends_on: NaiveDate) {
    if ends_on < starts_on {
        return;
    }
    for other in others.iter().filter(|o| o.starts_on <= ends_on && starts_on <= o.ends_on) {
        let inside = |d: NaiveDate| other.starts_on <= d && d <= other.ends_on;
        let field = if !inside(starts_on) && inside(ends_on) { "endsOn" } else { "startsOn" };
        errors.push(UserError::new(
            field,
            Code::SprintOverlap,
            format!(
                "{starts_on} – {ends_on} overlaps {} ({} – {})",
                super::name(other.number),
                other.starts_on,
                other.ends_on
            ),
        ));
    }
}

/// A goal as stored: trimmed, and `None` when blank. Pushes `TOO_LONG` past [`MAX_GOAL`].
pub fn goal(errors: &mut Vec<UserError>, value: Option<String>) -> Option<String> {
    let value = value.map(|g| g.trim().to_owned()).filter(|g| !g.is_empty());
    if value.as_ref().is_some_and(|g| g.chars().count() > MAX_GOAL) {
        errors.push(UserError::new("goal", Code::TooLong, format!("`goal` must be at most {MAX_GOAL} characters")));
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use WorkshopPhase::*;

    fn day(d: &str) -> NaiveDate {
        NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap_or_else(|e| panic!("{e}"))
    }

    fn sprint(number: i32, starts: &str, ends: &str) -> sprint::Model {
        sprint::Model {
            id: i64::from(number),
            engagement_id: 1,
            number,
            starts_on: day(starts),
            ends_on: day(ends),
            goal: None,
            version: 1,
        }
    }

    fn codes(errors: &[UserError]) -> Vec<(&str, Code)> {
        errors.iter().map(|e| (e.field[1].as_str(), e.code)).collect()
    }

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
    fn dates_must_be_in_order_and_not_too_far_apart() {
        let mut errors = Vec::new();
        check_dates(&mut errors, day("2027-01-10"), day("2027-01-10"));
        assert!(errors.is_empty());
        check_dates(&mut errors, day("2027-01-10"), day("2027-01-09"));
        check_dates(&mut errors, day("2027-01-01"), day("2027-04-01"));
        assert_eq!(codes(&errors), [("endsOn", Code::InvalidDates), ("endsOn", Code::OutOfRange)]);
    }

    #[test]
    fn sprints_may_touch_but_not_overlap() {
        let others = [sprint(1, "2027-01-01", "2027-01-14"), sprint(2, "2027-01-15", "2027-01-28")];
        let mut errors = Vec::new();
        check_overlap(&mut errors, &others, day("2027-01-29"), day("2027-02-11"));
        assert!(errors.is_empty());
        check_overlap(&mut errors, &others, day("2027-01-28"), day("2027-02-11"));
        check_overlap(&mut errors, &others, day("2026-12-20"), day("2027-01-01"));
        assert_eq!(codes(&errors), [("startsOn", Code::SprintOverlap), ("endsOn", Code::SprintOverlap)]);
        errors.clear();
        check_overlap(&mut errors, &others, day("2026-12-01"), day("2027-02-01"));
        assert_eq!(errors.len(), 2, "swallowing both sprints names both");
        assert!(errors[0].message.contains("Sprint 1"));
    }

    #[test]
    fn goals_are_trimmed_and_bounded() {
        let mut errors = Vec::new();
        assert_eq!(goal(&mut errors, Some("  Ship it ".into())), Some("Ship it".into()));
        assert_eq!(goal(&mut errors, Some("   ".into())), None);
        assert!(errors.is_empty());
        goal(&mut errors, Some("x".repeat(MAX_GOAL + 1)));
        assert_eq!(codes(&errors), [("goal", Code::TooLong)]);
    }
}
