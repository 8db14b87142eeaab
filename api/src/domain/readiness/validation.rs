//! Checking an assessment's input: the findings are required and capped.

use crate::domain::validate::{Checks, MAX_TEXT};

/// Longest accepted findings text.
pub const MAX_FINDINGS: usize = MAX_TEXT;

/// What the Game Day showed: required, trimmed, at most [`MAX_FINDINGS`] characters.
pub(super) fn findings(checks: &mut Checks, value: &str) -> Option<String> {
    checks.required("findings", value, MAX_FINDINGS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Code, Error};

    fn code(value: &str) -> Option<Code> {
        let mut checks = Checks::new();
        let _ = findings(&mut checks, value);
        match checks.finish() {
            Err(Error::User(errors)) => Some(errors[0].code),
            _ => None,
        }
    }

    #[test]
    fn findings_are_required_and_bounded() {
        assert_eq!(code("  "), Some(Code::Required));
        assert_eq!(code(&"x".repeat(MAX_FINDINGS + 1)), Some(Code::TooLong));
        assert_eq!(code(&"x".repeat(MAX_FINDINGS)), None);
        let mut checks = Checks::new();
        assert_eq!(findings(&mut checks, " ok ").as_deref(), Some("ok"));
    }
}
