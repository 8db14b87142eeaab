//! Checking a deviation's text fields: required ones must not be blank, and
//! every field has a length cap. Values are stored trimmed; a blank optional
//! field is stored as absent.

use crate::error::UserError;

/// Longest title (and owner), in characters.
pub const MAX_TITLE: usize = 200;
/// Longest description, risks or mitigation plan, in characters.
pub const MAX_TEXT: usize = 20_000;

/// A required field, trimmed; `REQUIRED` when blank, `TOO_LONG` past `max`.
pub(super) fn required(errors: &mut Vec<UserError>, field: &str, value: &str, max: usize) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        errors.push(UserError::new(field, "REQUIRED", format!("`{field}` must not be empty")));
        return None;
    }
    capped(errors, field, value, max)
}

/// An optional field, trimmed; blank means absent. `TOO_LONG` past `max`.
/// The outer `None` means the field was invalid (an error was pushed).
pub(super) fn optional(
    errors: &mut Vec<UserError>,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Some(None),
        Some(v) => capped(errors, field, v, max).map(Some),
    }
}

fn capped(errors: &mut Vec<UserError>, field: &str, value: &str, max: usize) -> Option<String> {
    if value.chars().count() > max {
        errors.push(UserError::new(field, "TOO_LONG", format!("`{field}` must be at most {max} characters")));
        None
    } else {
        Some(value.to_owned())
    }
}

/// Whether a stored mitigation plan counts as one.
pub fn is_present(plan: Option<&str>) -> bool {
    plan.is_some_and(|p| !p.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_fields_are_trimmed_and_capped() {
        let mut errors = Vec::new();
        assert_eq!(required(&mut errors, "title", "  Own patch tool ", MAX_TITLE).as_deref(), Some("Own patch tool"));
        assert_eq!(required(&mut errors, "title", " \n ", MAX_TITLE), None);
        assert_eq!(required(&mut errors, "title", &"x".repeat(MAX_TITLE + 1), MAX_TITLE), None);
        assert!(required(&mut errors, "title", &"é".repeat(MAX_TITLE), MAX_TITLE).is_some());
        let codes: Vec<_> = errors.iter().map(|e| e.code).collect();
        assert_eq!(codes, ["REQUIRED", "TOO_LONG"]);
    }

    #[test]
    fn blank_optional_fields_are_absent() {
        let mut errors = Vec::new();
        assert_eq!(optional(&mut errors, "owner", Some("  "), MAX_TITLE), Some(None));
        assert_eq!(optional(&mut errors, "owner", None, MAX_TITLE), Some(None));
        assert_eq!(optional(&mut errors, "owner", Some(" Ops lead "), MAX_TITLE), Some(Some("Ops lead".into())));
        assert_eq!(optional(&mut errors, "owner", Some(&"x".repeat(MAX_TITLE + 1)), MAX_TITLE), None);
        assert_eq!(errors.len(), 1);
        assert!(!is_present(Some(" ")) && !is_present(None) && is_present(Some("plan")));
    }
}
