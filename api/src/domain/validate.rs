//! Input checks shared by the mutations; each pushes a `userErrors` entry.

use crate::error::UserError;

/// Longest accepted name, title or similar label.
pub const MAX_LABEL: usize = 200;

/// A required label: not blank, at most [`MAX_LABEL`] characters.
pub fn check_label(errors: &mut Vec<UserError>, field: &str, value: &str) {
    if value.trim().is_empty() {
        errors.push(UserError::new(field, "REQUIRED", format!("`{field}` must not be empty")));
    } else if value.chars().count() > MAX_LABEL {
        errors.push(UserError::new(field, "TOO_LONG", format!("`{field}` must be at most {MAX_LABEL} characters")));
    }
}

/// An absolute `http` or `https` URL with a host.
pub fn check_url(errors: &mut Vec<UserError>, field: &str, value: &str) {
    let ok = url::Url::parse(value.trim())
        .ok()
        .is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty()));
    if !ok {
        errors.push(UserError::new(field, "INVALID_URL", format!("`{field}` must be an http or https URL")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_urls_pass() {
        for (url, ok) in [
            ("https://wiki.example.com/ops", true),
            ("http://intranet/page", true),
            ("javascript:alert(1)", false),
            ("ftp://files.example.com/x", false),
            ("file:///etc/passwd", false),
            ("not a url", false),
            ("", false),
        ] {
            let mut errors = Vec::new();
            check_url(&mut errors, "url", url);
            assert_eq!(errors.is_empty(), ok, "{url}");
        }
    }
}
