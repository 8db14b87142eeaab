//! Checking a deviation's text fields: required ones must not be blank, and
//! every field has a length cap. Values are stored trimmed; a blank optional
//! field is stored as absent.

use crate::domain::validate::{Checks, MAX_LABEL, MAX_TEXT};

/// Longest title (and owner), in characters.
pub const MAX_TITLE: usize = MAX_LABEL;

/// A title, description or risks: required.
pub(super) fn title(checks: &mut Checks, value: &str) -> Option<String> {
    checks.required("title", value, MAX_TITLE)
}

pub(super) fn description(checks: &mut Checks, value: &str) -> Option<String> {
    checks.required("description", value, MAX_TEXT)
}

pub(super) fn risks(checks: &mut Checks, value: &str) -> Option<String> {
    checks.required("risks", value, MAX_TEXT)
}

/// The mitigation plan: optional, blank is none.
pub(super) fn mitigation_plan(checks: &mut Checks, value: Option<&str>) -> Option<Option<String>> {
    checks.optional("mitigationPlan", value, MAX_TEXT)
}

/// Who carries the mitigation: optional, blank is none.
pub(super) fn owner(checks: &mut Checks, value: Option<&str>) -> Option<Option<String>> {
    checks.optional("owner", value, MAX_TITLE)
}
