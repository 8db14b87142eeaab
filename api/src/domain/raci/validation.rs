//! Checking a RACI party's name: a named team such as "Customer Cloud Ops".

use crate::domain::validate::Checks;

/// Longest accepted party name.
pub const MAX_PARTY: usize = 100;

/// The party name trimmed, with inner runs of whitespace collapsed:
/// `REQUIRED` when blank, `TOO_LONG` past [`MAX_PARTY`] characters.
pub(super) fn party(checks: &mut Checks, value: &str) -> Option<String> {
    let name = value.split_whitespace().collect::<Vec<_>>().join(" ");
    checks.required("party", &name, MAX_PARTY)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Code, Error};

    fn checked(value: &str) -> Result<String, Code> {
        let mut checks = Checks::new();
        let name = party(&mut checks, value);
        match checks.done(name) {
            Ok(name) => Ok(name),
            Err(Error::User(errors)) => Err(errors[0].code),
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn party_names_are_trimmed_required_and_bounded() {
        assert_eq!(checked("  AWS   ProServe ").as_deref(), Ok("AWS ProServe"));
        assert_eq!(checked(" \t"), Err(Code::Required));
        assert!(checked(&"x".repeat(MAX_PARTY)).is_ok());
        assert_eq!(checked(&"x".repeat(MAX_PARTY + 1)), Err(Code::TooLong));
    }
}
