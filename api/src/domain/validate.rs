//! Checking inputs: one collector of `userErrors` for every mutation, so
//! that "required", "too long", "too many" and "not a URL" are decided in one
//! place. Text values come back trimmed; a blank optional value is absent.
//! Every String and list input has a maximum, defined here or beside its
//! area's other checks, and stated in its description in the schema ("At
//! most N characters." / "At most N items."); a test reads the schema and
//! holds the server to each.

use crate::error::{Code, Error, Result, UserError};

/// Longest accepted name, title or similar label.
pub const MAX_LABEL: usize = 200;
/// Longest accepted free text (descriptions, notes, findings).
pub const MAX_TEXT: usize = 20_000;
/// Longest accepted URL.
pub const MAX_URL: usize = 2_000;
/// Longest accepted identity provider subject (`sub`).
pub const MAX_SUBJECT: usize = 255;
/// Most entries in a list of short texts (criteria, outcomes, choices).
pub const MAX_ITEMS: usize = 50;
/// Most IDs in a list of IDs (attendees, linked activities).
pub const MAX_IDS: usize = 100;

/// Collects the `userErrors` of one input.
#[derive(Debug, Default)]
#[must_use = "call `finish` to report the errors"]
pub struct Checks {
    errors: Vec<UserError>,
}

impl Checks {
    pub fn new() -> Self {
        Self::default()
    }

    /// A broken rule on `field`.
    pub fn push(&mut self, field: &str, code: Code, message: impl Into<String>) {
        self.errors.push(UserError::new(field, code, message));
    }

    /// Adds an error found elsewhere, reported before those found so far.
    pub fn add_first(&mut self, error: Error) -> Result<()> {
        match error {
            Error::User(mut first) => {
                first.append(&mut self.errors);
                self.errors = first;
                Ok(())
            }
            other => Err(other),
        }
    }

    /// A required text: trimmed, `REQUIRED` when blank, `TOO_LONG` past `max` characters.
    pub fn required(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        let value = value.trim();
        if value.is_empty() {
            self.push(field, Code::Required, format!("`{field}` must not be empty"));
            return None;
        }
        self.capped(field, value, max)
    }

    /// A required label of at most [`MAX_LABEL`] characters.
    pub fn label(&mut self, field: &str, value: &str) -> Option<String> {
        self.required(field, value, MAX_LABEL)
    }

    /// An optional text: trimmed, blank means absent, `TOO_LONG` past `max`.
    /// The outer `None` means the value was refused.
    pub fn optional(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<Option<String>> {
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            None => Some(None),
            Some(v) => self.capped(field, v, max).map(Some),
        }
    }

    /// An absolute `http` or `https` URL with a host (`INVALID_URL`), trimmed,
    /// of at most [`MAX_URL`] characters.
    pub fn url(&mut self, field: &str, value: &str) -> Option<String> {
        let value = self.capped(field, value.trim(), MAX_URL)?;
        let value = value.as_str();
        let ok = url::Url::parse(value)
            .ok()
            .is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty()));
        if ok {
            Some(value.to_owned())
        } else {
            self.push(field, Code::InvalidUrl, format!("`{field}` must be an http or https URL"));
            None
        }
    }

    /// A text as given (not trimmed, may be blank), `TOO_LONG` past `max` characters.
    pub fn capped(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        if value.chars().count() > max {
            self.push(field, Code::TooLong, format!("`{field}` must be at most {max} characters"));
            None
        } else {
            Some(value.to_owned())
        }
    }

    /// A list of at most `max` entries (`TOO_MANY`).
    pub fn count<'a, T>(&mut self, field: &str, items: &'a [T], max: usize) -> Option<&'a [T]> {
        if items.len() > max {
            self.push(field, Code::TooMany, format!("`{field}` has at most {max} entries"));
            None
        } else {
            Some(items)
        }
    }

    /// Whether nothing was refused so far.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok` when nothing was refused; otherwise every error, in the order found.
    pub fn finish(self) -> Result<()> {
        if self.errors.is_empty() { Ok(()) } else { Err(Error::User(self.errors)) }
    }

    /// `Ok` unless a text is too long or a list too many (`TOO_LONG`,
    /// `TOO_MANY`, reported alone): the limits, checked before anything is
    /// read, while every other rule is reported with those that need stored data.
    pub fn finish_limits(self) -> Result<()> {
        let over: Vec<UserError> =
            self.errors.into_iter().filter(|e| matches!(e.code, Code::TooLong | Code::TooMany)).collect();
        if over.is_empty() { Ok(()) } else { Err(Error::User(over)) }
    }

    /// `value` when nothing was refused (and every checked value is present).
    pub fn done<T>(self, value: Option<T>) -> Result<T> {
        match (self.errors.is_empty(), value) {
            (true, Some(value)) => Ok(value),
            (_, _) if !self.errors.is_empty() => Err(Error::User(self.errors)),
            _ => Err(Error::internal(anyhow::anyhow!("a checked value is missing without an error"))),
        }
    }
}

/// Test support: field (below `input`), code and message of every error collected, in order.
#[cfg(test)]
pub(crate) fn reported(checks: Checks) -> Vec<(String, Code, String)> {
    checks.errors.into_iter().map(|e| (e.field.get(1).cloned().unwrap_or_default(), e.code, e.message)).collect()
}

/// Whether a stored optional text counts as given (not absent, not blank).
pub fn is_present(text: Option<&str>) -> bool {
    text.is_some_and(|t| !t.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(checks: Checks) -> Vec<Code> {
        match checks.finish() {
            Err(Error::User(errors)) => errors.iter().map(|e| e.code).collect(),
            _ => vec![],
        }
    }

    #[test]
    fn only_http_and_https_urls_pass() {
        for (url, ok) in [
            ("https://wiki.example.com/ops", true),
            (" http://intranet/page ", true),
            ("javascript:alert(1)", false),
            ("ftp://files.example.com/x", false),
            ("file:///etc/passwd", false),
            ("not a url", false),
            ("", false),
        ] {
            let mut checks = Checks::new();
            assert_eq!(checks.url("url", url).is_some(), ok, "{url}");
            assert_eq!(checks.is_empty(), ok, "{url}");
        }
    }

    #[test]
    fn required_texts_are_trimmed_and_capped() {
        let mut checks = Checks::new();
        assert_eq!(checks.required("title", "  Own patch tool ", MAX_LABEL).as_deref(), Some("Own patch tool"));
        assert_eq!(checks.required("title", " \n ", MAX_LABEL), None);
        assert_eq!(checks.label("title", &"x".repeat(MAX_LABEL + 1)), None);
        assert!(checks.label("title", &"é".repeat(MAX_LABEL)).is_some());
        assert_eq!(codes(checks), [Code::Required, Code::TooLong]);
    }

    #[test]
    fn limits_are_reported_alone() {
        let mut checks = Checks::new();
        let _ = checks.label("title", " ");
        assert!(checks.finish_limits().is_ok(), "a blank title waits for the rule's other checks");
        let mut checks = Checks::new();
        let _ = checks.label("title", " ");
        let _ = checks.label("name", &"n".repeat(MAX_LABEL + 1));
        let codes: Vec<Code> = match checks.finish_limits() {
            Err(Error::User(errors)) => errors.iter().map(|e| e.code).collect(),
            _ => vec![],
        };
        assert_eq!(codes, [Code::TooLong]);
    }

    #[test]
    fn lists_and_urls_are_capped() {
        let mut checks = Checks::new();
        assert_eq!(checks.count("outcomes", &[1; MAX_ITEMS], MAX_ITEMS).map(<[i32]>::len), Some(MAX_ITEMS));
        assert_eq!(checks.count("outcomes", &[1; MAX_ITEMS + 1], MAX_ITEMS), None);
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL));
        assert_eq!(checks.url("url", &long), None);
        assert_eq!(codes(checks), [Code::TooMany, Code::TooLong]);
    }

    #[test]
    fn blank_optional_texts_are_absent() {
        let mut checks = Checks::new();
        assert_eq!(checks.optional("owner", Some("  "), MAX_LABEL), Some(None));
        assert_eq!(checks.optional("owner", None, MAX_LABEL), Some(None));
        assert_eq!(checks.optional("owner", Some(" Ops lead "), MAX_LABEL), Some(Some("Ops lead".into())));
        assert_eq!(checks.optional("owner", Some(&"x".repeat(MAX_LABEL + 1)), MAX_LABEL), None);
        assert!(!is_present(Some(" ")) && !is_present(None) && is_present(Some("plan")));
        assert_eq!(codes(checks), [Code::TooLong]);
    }
}
