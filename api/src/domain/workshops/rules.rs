//! Bounds and checks on what callers write into a session. Pure functions.

use crate::error::Code;
use opskit_entity::sprint;

use crate::error::UserError;

/// Longest session accepted, in minutes: four weeks, the Game Day.
pub const MAX_DURATION_MINUTES: i32 = 40_320;
/// Longest title accepted, in characters.
pub const MAX_TITLE: usize = 200;
/// Longest notes accepted, in characters.
pub const MAX_NOTES: usize = 20_000;
/// Most outcomes one session records.
pub const MAX_OUTCOMES: usize = 50;
/// Longest outcome accepted, in characters.
pub const MAX_OUTCOME: usize = 1_000;
/// Longest cancellation reason accepted, in characters.
pub const MAX_REASON: usize = 2_000;
/// Most sessions one engagement may have.
pub const MAX_SESSIONS: usize = 500;

/// `OUT_OF_RANGE` unless `1 ≤ minutes ≤ MAX_DURATION_MINUTES`.
pub fn check_duration(errors: &mut Vec<UserError>, minutes: i32) {
    if !(1..=MAX_DURATION_MINUTES).contains(&minutes) {
        errors.push(UserError::new(
            "durationMinutes",
            Code::OutOfRange,
            format!("`durationMinutes` must be between 1 and {MAX_DURATION_MINUTES} (four weeks)"),
        ));
    }
}

/// A required title, trimmed: `REQUIRED` when blank, `TOO_LONG` past [`MAX_TITLE`].
pub fn title(errors: &mut Vec<UserError>, value: &str) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.push(UserError::new("title", Code::Required, "`title` must not be empty"));
    } else if value.chars().count() > MAX_TITLE {
        errors.push(UserError::new("title", Code::TooLong, format!("`title` must be at most {MAX_TITLE} characters")));
    }
    value.to_owned()
}

/// Optional free text, trimmed, `None` when blank; `TOO_LONG` past `max`.
pub fn text(errors: &mut Vec<UserError>, field: &str, value: Option<&str>, max: usize) -> Option<String> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    if value.chars().count() > max {
        errors.push(UserError::new(field, Code::TooLong, format!("`{field}` must be at most {max} characters")));
    }
    Some(value.to_owned())
}

/// Outcomes, trimmed: each must be non-blank and at most [`MAX_OUTCOME`]
/// characters, and there are at most [`MAX_OUTCOMES`].
pub fn outcomes(errors: &mut Vec<UserError>, values: &[String]) -> Vec<String> {
    if values.len() > MAX_OUTCOMES {
        errors.push(UserError::new("outcomes", Code::TooLong, format!("at most {MAX_OUTCOMES} outcomes")));
    }
    let trimmed: Vec<String> = values.iter().map(|v| v.trim().to_owned()).collect();
    if trimmed.iter().any(String::is_empty) {
        errors.push(UserError::new("outcomes", Code::Required, "an outcome must not be empty"));
    }
    if trimmed.iter().any(|v| v.chars().count() > MAX_OUTCOME) {
        errors.push(UserError::new(
            "outcomes",
            Code::TooLong,
            format!("an outcome must be at most {MAX_OUTCOME} characters"),
        ));
    }
    trimmed
}

/// `OUTSIDE_SPRINT` unless the session starts on one of the sprint's days.
pub fn check_starts_in(errors: &mut Vec<UserError>, starts_at: chrono::DateTime<chrono::Utc>, sprint: &sprint::Model) {
    if !super::starts_within(starts_at, sprint.starts_on, sprint.ends_on) {
        errors.push(UserError::new(
            "startsAt",
            Code::OutsideSprint,
            format!(
                "{} is outside {} ({} – {}, UTC days)",
                super::when(starts_at),
                crate::domain::sprints::name(sprint.number),
                sprint.starts_on,
                sprint.ends_on
            ),
        ));
    }
}

/// The distinct values of `ids`, in their first order.
pub fn distinct(ids: impl IntoIterator<Item = i64>) -> Vec<i64> {
    let mut seen = std::collections::HashSet::new();
    ids.into_iter().filter(|id| seen.insert(*id)).collect()
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;

    fn codes(errors: &[UserError]) -> Vec<(&str, Code)> {
        errors.iter().map(|e| (e.field[1].as_str(), e.code)).collect()
    }

    #[test]
    fn durations_run_from_a_minute_to_four_weeks() {
        let mut errors = Vec::new();
        for ok in [1, 90, MAX_DURATION_MINUTES] {
            check_duration(&mut errors, ok);
        }
        assert!(errors.is_empty());
        check_duration(&mut errors, 0);
        check_duration(&mut errors, MAX_DURATION_MINUTES + 1);
        assert_eq!(codes(&errors), [("durationMinutes", Code::OutOfRange), ("durationMinutes", Code::OutOfRange)]);
    }

    #[test]
    fn outcomes_are_trimmed_non_blank_and_bounded() {
        let mut errors = Vec::new();
        assert_eq!(outcomes(&mut errors, &[" Agree CAB ".into()]), ["Agree CAB"]);
        assert!(errors.is_empty());
        outcomes(&mut errors, &["ok".into(), " ".into()]);
        outcomes(&mut errors, &vec!["x".to_owned(); MAX_OUTCOMES + 1]);
        outcomes(&mut errors, &["y".repeat(MAX_OUTCOME + 1)]);
        assert_eq!(
            codes(&errors),
            [("outcomes", Code::Required), ("outcomes", Code::TooLong), ("outcomes", Code::TooLong)]
        );
    }

    #[test]
    fn text_is_trimmed_and_blank_is_none() {
        let mut errors = Vec::new();
        assert_eq!(text(&mut errors, "notes", Some("  "), 10), None);
        assert_eq!(text(&mut errors, "notes", Some(" a "), 10), Some("a".into()));
        assert!(errors.is_empty());
        text(&mut errors, "notes", Some("abc"), 2);
        assert_eq!(codes(&errors), [("notes", Code::TooLong)]);
        assert_eq!(title(&mut errors, "  Kickoff "), "Kickoff");
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
        let mut errors = Vec::new();
        check_starts_in(&mut errors, at(4, 0, 0), &sprint);
        check_starts_in(&mut errors, at(17, 23, 59), &sprint);
        assert!(errors.is_empty());
        check_starts_in(&mut errors, at(3, 23, 59), &sprint);
        check_starts_in(&mut errors, at(18, 0, 0), &sprint);
        assert_eq!(codes(&errors), [("startsAt", Code::OutsideSprint), ("startsAt", Code::OutsideSprint)]);
        assert!(errors[0].message.contains("Sprint 2"));
        assert_eq!(distinct([3, 1, 3, 2, 1]), [3, 1, 2]);
    }
}
