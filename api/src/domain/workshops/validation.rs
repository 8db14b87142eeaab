//! Checking what callers write into a session: bounds on its title, duration,
//! notes, outcomes and cancellation reason, its start inside its sprint, and
//! the number of sessions. Pure functions over [`Checks`], unit-tested here.

use chrono::{DateTime, Utc};
use opskit_entity::sprint;

use super::when;
use crate::{
    domain::{
        sprints,
        validate::{Checks, MAX_IDS, MAX_LABEL, MAX_TEXT},
    },
    error::Code,
};

/// Longest session accepted, in minutes: four weeks, the Game Day.
pub const MAX_DURATION_MINUTES: i32 = 40_320;
/// Longest title accepted, in characters.
pub const MAX_TITLE: usize = MAX_LABEL;
/// Longest notes accepted, in characters.
pub const MAX_NOTES: usize = MAX_TEXT;
/// Most outcomes one session records.
pub const MAX_OUTCOMES: usize = 50;
/// Longest outcome accepted, in characters.
pub const MAX_OUTCOME: usize = 1_000;
/// Longest cancellation reason accepted, in characters.
pub const MAX_REASON: usize = 2_000;
/// Most sessions one engagement may have.
pub const MAX_SESSIONS: usize = 500;
/// Most IDs in a list of attendees or linked activities.
pub const MAX_LINKED: usize = MAX_IDS;

/// `LIMIT_REACHED` when the engagement has [`MAX_SESSIONS`] sessions already.
pub(super) fn room(checks: &mut Checks, sessions: usize) {
    if sessions >= MAX_SESSIONS {
        let message = format!("an engagement has at most {MAX_SESSIONS} workshop sessions");
        checks.push("engagementId", Code::LimitReached, message);
    }
}

/// A required title, trimmed, of at most [`MAX_TITLE`] characters.
pub(super) fn title(checks: &mut Checks, value: &str) -> Option<String> {
    checks.required("title", value, MAX_TITLE)
}

/// `OUT_OF_RANGE` unless `1 ≤ minutes ≤ MAX_DURATION_MINUTES`.
pub(super) fn duration(checks: &mut Checks, minutes: i32) {
    if !(1..=MAX_DURATION_MINUTES).contains(&minutes) {
        let message = format!("`durationMinutes` must be between 1 and {MAX_DURATION_MINUTES} (four weeks)");
        checks.push("durationMinutes", Code::OutOfRange, message);
    }
}

/// Notes, trimmed; blank clears them.
pub(super) fn notes(checks: &mut Checks, value: &str) -> Option<Option<String>> {
    checks.optional("notes", Some(value), MAX_NOTES)
}

/// Why a session is cancelled, trimmed; blank is none.
pub(super) fn reason(checks: &mut Checks, value: Option<&str>) -> Option<Option<String>> {
    checks.optional("reason", value, MAX_REASON)
}

/// Outcomes, trimmed: each must be non-blank and at most [`MAX_OUTCOME`]
/// characters, and there are at most [`MAX_OUTCOMES`].
pub(super) fn outcomes(checks: &mut Checks, values: &[String]) -> Vec<String> {
    let _ = checks.count("outcomes", values, MAX_OUTCOMES);
    let trimmed: Vec<String> = values.iter().map(|v| v.trim().to_owned()).collect();
    if trimmed.iter().any(String::is_empty) {
        checks.push("outcomes", Code::Required, "an outcome must not be empty");
    }
    if trimmed.iter().any(|v| v.chars().count() > MAX_OUTCOME) {
        checks.push("outcomes", Code::TooLong, format!("an outcome must be at most {MAX_OUTCOME} characters"));
    }
    trimmed
}

/// `NOT_A_MEMBER` unless every attendee named is a member of the engagement.
pub(super) fn attendees(checks: &mut Checks, wanted: usize, members: usize) {
    if members != wanted {
        checks.push("attendeeMemberIds", Code::NotAMember, "every attendee must be a member of the engagement");
    }
}

/// A session starting at `starts_at` needs a sprint (`REQUIRED` on
/// `sprintId`) and starts on one of its days (`OUTSIDE_SPRINT`).
pub(super) fn starts_in(checks: &mut Checks, starts_at: DateTime<Utc>, sprint: Option<&sprint::Model>) {
    let Some(sprint) = sprint else {
        checks.push("sprintId", Code::Required, "a session with `startsAt` needs a `sprintId`");
        return;
    };
    if !super::starts_within(starts_at, sprint.starts_on, sprint.ends_on) {
        let message = format!(
            "{} is outside {} ({} – {}, UTC days)",
            when(starts_at),
            sprints::name(sprint.number),
            sprint.starts_on,
            sprint.ends_on
        );
        checks.push("startsAt", Code::OutsideSprint, message);
    }
}

/// A list of IDs (`field`) of at most [`MAX_LINKED`] entries (`TOO_MANY`).
pub(super) fn linked<T>(checks: &mut Checks, field: &str, ids: &[T]) {
    let _ = checks.count(field, ids, MAX_LINKED);
}

/// The distinct values of `ids`, in their first order.
pub(super) fn distinct(ids: impl IntoIterator<Item = i64>) -> Vec<i64> {
    let mut seen = std::collections::HashSet::new();
    ids.into_iter().filter(|id| seen.insert(*id)).collect()
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone};

    use super::*;
    use crate::domain::validate::reported;

    fn codes(checks: Checks) -> Vec<(String, Code)> {
        reported(checks).into_iter().map(|(field, code, _)| (field, code)).collect()
    }

    #[test]
    fn durations_run_from_a_minute_to_four_weeks() {
        let mut checks = Checks::new();
        for ok in [1, 90, MAX_DURATION_MINUTES] {
            duration(&mut checks, ok);
        }
        assert!(checks.is_empty());
        duration(&mut checks, 0);
        duration(&mut checks, MAX_DURATION_MINUTES + 1);
        let out_of_range = ("durationMinutes".to_owned(), Code::OutOfRange);
        assert_eq!(codes(checks), [out_of_range.clone(), out_of_range]);
    }

    #[test]
    fn outcomes_are_trimmed_non_blank_and_bounded() {
        let mut checks = Checks::new();
        assert_eq!(outcomes(&mut checks, &[" Agree CAB ".into()]), ["Agree CAB"]);
        assert!(checks.is_empty());
        outcomes(&mut checks, &["ok".into(), " ".into()]);
        outcomes(&mut checks, &vec!["x".to_owned(); MAX_OUTCOMES + 1]);
        outcomes(&mut checks, &["y".repeat(MAX_OUTCOME + 1)]);
        let found: Vec<Code> = codes(checks).into_iter().map(|(_, code)| code).collect();
        assert_eq!(found, [Code::Required, Code::TooMany, Code::TooLong]);
    }

    #[test]
    fn texts_are_trimmed_and_blank_is_none() {
        let mut checks = Checks::new();
        assert_eq!(notes(&mut checks, "  "), Some(None));
        assert_eq!(notes(&mut checks, " a "), Some(Some("a".into())));
        assert_eq!(reason(&mut checks, None), Some(None));
        assert_eq!(title(&mut checks, "  Kickoff "), Some("Kickoff".into()));
        attendees(&mut checks, 2, 2);
        room(&mut checks, MAX_SESSIONS - 1);
        assert!(checks.is_empty());
        assert_eq!(reason(&mut checks, Some(&"r".repeat(MAX_REASON + 1))), None);
        assert_eq!(title(&mut checks, " "), None);
        attendees(&mut checks, 2, 1);
        room(&mut checks, MAX_SESSIONS);
        assert_eq!(
            codes(checks),
            [
                ("reason".into(), Code::TooLong),
                ("title".into(), Code::Required),
                ("attendeeMemberIds".into(), Code::NotAMember),
                ("engagementId".into(), Code::LimitReached)
            ]
        );
    }

    #[test]
    fn a_session_starts_on_one_of_its_sprints_days() {
        let day = |d| NaiveDate::from_ymd_opt(2027, 1, d).unwrap_or_default();
        let sprint = sprint::Model {
            id: 1,
            engagement_id: 1,
            number: 2,
            starts_on: day(4),
            ends_on: day(17),
            goal: None,
            version: 1,
        };
        let at = |d, h, m| Utc.with_ymd_and_hms(2027, 1, d, h, m, 0).single().unwrap_or_default();
        let mut checks = Checks::new();
        starts_in(&mut checks, at(4, 0, 0), Some(&sprint));
        starts_in(&mut checks, at(17, 23, 59), Some(&sprint));
        assert!(checks.is_empty());
        starts_in(&mut checks, at(3, 23, 59), Some(&sprint));
        starts_in(&mut checks, at(18, 0, 0), Some(&sprint));
        starts_in(&mut checks, at(18, 0, 0), None);
        let found = reported(checks);
        let fields: Vec<_> = found.iter().map(|(field, code, _)| (field.as_str(), *code)).collect();
        assert_eq!(
            fields,
            [("startsAt", Code::OutsideSprint), ("startsAt", Code::OutsideSprint), ("sprintId", Code::Required)]
        );
        assert!(found[0].2.contains("Sprint 2"));
        assert_eq!(distinct([3, 1, 3, 2, 1]), [3, 1, 2]);
    }
}
