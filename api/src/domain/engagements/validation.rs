//! Checking the input of engagements and their members: names are required
//! labels, sprints last 1 to [`MAX_SPRINT_DAYS`] days, and a member is named
//! by a non-blank subject.

use crate::{
    domain::validate::{Checks, MAX_LABEL, MAX_SUBJECT},
    error::Code,
};

/// Longest accepted sprint, in days.
pub const MAX_SPRINT_DAYS: i32 = 90;

/// The engagement's name: a required label.
pub(super) fn name(checks: &mut Checks, value: &str) -> Option<String> {
    checks.label("name", value)
}

/// The customer's name: a required label.
pub(super) fn customer_name(checks: &mut Checks, value: &str) -> Option<String> {
    checks.label("customerName", value)
}

/// The length of the engagement's sprints: `OUT_OF_RANGE` outside 1 to [`MAX_SPRINT_DAYS`].
pub(super) fn sprint_length_days(checks: &mut Checks, days: i32) -> Option<i32> {
    if (1..=MAX_SPRINT_DAYS).contains(&days) {
        return Some(days);
    }
    let message = format!("`sprintLengthDays` must be between 1 and {MAX_SPRINT_DAYS}");
    checks.push("sprintLengthDays", Code::OutOfRange, message);
    None
}

/// A member's subject (the identity provider's `sub`): required, trimmed, at
/// most [`MAX_SUBJECT`] characters.
pub(super) fn subject(checks: &mut Checks, value: &str) -> Option<String> {
    checks.required("subject", value, MAX_SUBJECT)
}

/// The kit an engagement runs from: a key and a version of at most [`MAX_LABEL`] characters each.
pub(super) fn kit_version(checks: &mut Checks, key: &str, version: &str) -> Option<()> {
    let key = checks.capped("kitKey", key, MAX_LABEL);
    let version = checks.capped("kitVersion", version, MAX_LABEL);
    key.zip(version).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn sprints_last_one_to_ninety_days() {
        let mut checks = Checks::new();
        assert_eq!(sprint_length_days(&mut checks, 1), Some(1));
        assert_eq!(sprint_length_days(&mut checks, MAX_SPRINT_DAYS), Some(MAX_SPRINT_DAYS));
        assert!(checks.is_empty());
        assert_eq!(sprint_length_days(&mut checks, 0), None);
        assert_eq!(sprint_length_days(&mut checks, MAX_SPRINT_DAYS + 1), None);
        let codes: Vec<Code> = match checks.finish() {
            Err(Error::User(errors)) => errors.iter().map(|e| e.code).collect(),
            _ => vec![],
        };
        assert_eq!(codes, [Code::OutOfRange, Code::OutOfRange]);
    }

    #[test]
    fn names_and_subjects_are_required_and_trimmed() {
        let mut checks = Checks::new();
        assert_eq!(name(&mut checks, " Acme ops ").as_deref(), Some("Acme ops"));
        assert_eq!(subject(&mut checks, " auth0|42 ").as_deref(), Some("auth0|42"));
        assert!(checks.is_empty());
        assert_eq!(customer_name(&mut checks, "  "), None);
        assert_eq!(subject(&mut checks, ""), None);
        assert!(!checks.is_empty());
    }
}
