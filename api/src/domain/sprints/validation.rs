//! Checking a sprint's input: its dates in order and not too far apart, no
//! overlap with the engagement's other sprints, the sessions scheduled in it
//! still inside it, a bounded goal, a bounded number of sprints. Pure
//! functions over [`Checks`], unit-tested here.

use chrono::{DateTime, NaiveDate, Utc};
use opskit_entity::sprint;

use super::name;
use crate::{
    domain::{validate::Checks, workshops},
    error::Code,
};

/// Longest accepted sprint goal, in characters.
pub const MAX_GOAL: usize = 2_000;
/// Most sprints one engagement may have.
pub const MAX_SPRINTS: usize = 100;
/// Longest accepted sprint, in days (the bound `createEngagement` puts on `sprintLengthDays`).
pub const MAX_SPRINT_DAYS: i64 = 90;

/// `LIMIT_REACHED` when the engagement has [`MAX_SPRINTS`] sprints already.
pub(super) fn room(checks: &mut Checks, sprints: usize) {
    if sprints >= MAX_SPRINTS {
        checks.push("engagementId", Code::LimitReached, format!("an engagement has at most {MAX_SPRINTS} sprints"));
    }
}

/// A sprint ends on or after its start (`INVALID_DATES`) and lasts at most
/// [`MAX_SPRINT_DAYS`] (`OUT_OF_RANGE`).
pub(super) fn dates(checks: &mut Checks, starts_on: NaiveDate, ends_on: NaiveDate) {
    if ends_on < starts_on {
        let message = format!("`endsOn` ({ends_on}) must not be before `startsOn` ({starts_on})");
        checks.push("endsOn", Code::InvalidDates, message);
    } else if (ends_on - starts_on).num_days() + 1 > MAX_SPRINT_DAYS {
        checks.push("endsOn", Code::OutOfRange, format!("a sprint lasts at most {MAX_SPRINT_DAYS} days"));
    }
}

/// `starts_on..=ends_on` overlaps none of `others` (the other sprints of the
/// engagement): `SPRINT_OVERLAP` on the field whose date falls inside the
/// other sprint (`startsOn` when the sprint swallows it whole).
pub(super) fn no_overlap(checks: &mut Checks, others: &[sprint::Model], starts_on: NaiveDate, ends_on: NaiveDate) {
    if ends_on < starts_on {
        return;
    }
    for other in others.iter().filter(|o| o.starts_on <= ends_on && starts_on <= o.ends_on) {
        let inside = |d: NaiveDate| other.starts_on <= d && d <= other.ends_on;
        let field = if !inside(starts_on) && inside(ends_on) { "endsOn" } else { "startsOn" };
        let message = format!(
            "{starts_on} – {ends_on} overlaps {} ({} – {})",
            name(other.number),
            other.starts_on,
            other.ends_on
        );
        checks.push(field, Code::SprintOverlap, message);
    }
}

/// The sessions scheduled in sprint `number` (title and start of those not
/// cancelled) still start inside its new dates: `OUTSIDE_SPRINT` on the date
/// that leaves one out.
pub(super) fn sessions_inside(
    checks: &mut Checks,
    number: i32,
    sessions: &[(String, DateTime<Utc>)],
    starts_on: NaiveDate,
    ends_on: NaiveDate,
) {
    if ends_on < starts_on {
        return;
    }
    for (title, starts_at) in sessions.iter().filter(|(_, at)| !workshops::starts_within(*at, starts_on, ends_on)) {
        let field = if starts_at.date_naive() < starts_on { "startsOn" } else { "endsOn" };
        let at = starts_at.format("%Y-%m-%d %H:%M UTC");
        let message = format!("\"{title}\" starts {at} and would fall outside {}: reschedule it first", name(number));
        checks.push(field, Code::OutsideSprint, message);
    }
}

/// A goal as stored: trimmed, blank is none, `TOO_LONG` past [`MAX_GOAL`].
pub(super) fn goal(checks: &mut Checks, value: Option<&str>) -> Option<Option<String>> {
    checks.optional("goal", value, MAX_GOAL)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::domain::validate::reported;

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

    fn codes(checks: Checks) -> Vec<(String, Code)> {
        reported(checks).into_iter().map(|(field, code, _)| (field, code)).collect()
    }

    #[test]
    fn dates_must_be_in_order_and_not_too_far_apart() {
        let mut checks = Checks::new();
        dates(&mut checks, day("2027-01-10"), day("2027-01-10"));
        assert!(checks.is_empty());
        dates(&mut checks, day("2027-01-10"), day("2027-01-09"));
        dates(&mut checks, day("2027-01-01"), day("2027-04-01"));
        assert_eq!(codes(checks), [("endsOn".into(), Code::InvalidDates), ("endsOn".into(), Code::OutOfRange)]);
    }

    #[test]
    fn sprints_may_touch_but_not_overlap() {
        let others = [sprint(1, "2027-01-01", "2027-01-14"), sprint(2, "2027-01-15", "2027-01-28")];
        let mut checks = Checks::new();
        no_overlap(&mut checks, &others, day("2027-01-29"), day("2027-02-11"));
        assert!(checks.is_empty());
        no_overlap(&mut checks, &others, day("2027-01-28"), day("2027-02-11"));
        no_overlap(&mut checks, &others, day("2026-12-20"), day("2027-01-01"));
        assert_eq!(codes(checks), [("startsOn".into(), Code::SprintOverlap), ("endsOn".into(), Code::SprintOverlap)]);
        let mut checks = Checks::new();
        no_overlap(&mut checks, &others, day("2026-12-01"), day("2027-02-01"));
        let found = reported(checks);
        assert_eq!(found.len(), 2, "swallowing both sprints names both");
        assert!(found[0].2.contains("Sprint 1"));
    }

    #[test]
    fn scheduled_sessions_keep_a_sprint_from_moving_away() {
        let at = |title: &str, d, h| {
            (title.to_owned(), Utc.with_ymd_and_hms(2027, 1, d, h, 0, 0).single().unwrap_or_default())
        };
        let sessions = [at("early", 5, 9), at("late", 16, 23)];
        let mut checks = Checks::new();
        sessions_inside(&mut checks, 3, &sessions, day("2027-01-05"), day("2027-01-16"));
        sessions_inside(&mut checks, 3, &sessions, day("2027-01-17"), day("2027-01-01"));
        assert!(checks.is_empty());
        sessions_inside(&mut checks, 3, &sessions, day("2027-01-06"), day("2027-01-15"));
        let found = reported(checks);
        let fields: Vec<_> = found.iter().map(|(field, code, _)| (field.as_str(), *code)).collect();
        assert_eq!(fields, [("startsOn", Code::OutsideSprint), ("endsOn", Code::OutsideSprint)]);
        assert!(found[0].2.contains("\"early\"") && found[0].2.contains("Sprint 3"), "{}", found[0].2);
    }

    #[test]
    fn goals_are_trimmed_and_bounded() {
        let mut checks = Checks::new();
        assert_eq!(goal(&mut checks, Some("  Ship it ")), Some(Some("Ship it".into())));
        assert_eq!(goal(&mut checks, Some("   ")), Some(None));
        room(&mut checks, MAX_SPRINTS - 1);
        assert!(checks.is_empty());
        assert_eq!(goal(&mut checks, Some(&"x".repeat(MAX_GOAL + 1))), None);
        room(&mut checks, MAX_SPRINTS);
        assert_eq!(codes(checks), [("goal".into(), Code::TooLong), ("engagementId".into(), Code::LimitReached)]);
    }
}
