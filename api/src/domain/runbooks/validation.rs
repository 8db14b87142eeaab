//! Checking what people write into runbooks: a custom runbook's title and
//! reason, a revision's body and change summary, a review's comment. Texts are
//! stored trimmed, except a body, which is stored as written.

use opskit_entity::enums::ReviewVerdict;

use crate::{
    domain::validate::{Checks, MAX_TEXT},
    error::{Code, Result},
};

/// Longest accepted runbook body, in characters.
pub const MAX_BODY: usize = 500_000;

/// A custom runbook's title (a required label) and why the customer chose
/// another architecture (required).
pub(super) fn title_and_reason(title: &str, reason: &str) -> Result<(String, String)> {
    let mut checks = Checks::new();
    let title = checks.label("title", title);
    let reason = checks.required("reason", reason, MAX_TEXT);
    checks.done(title.zip(reason))
}

/// A revision's Markdown body (anything up to [`MAX_BODY`], as written) and
/// what it changes (required).
pub(super) fn body_and_summary(body: &str, change_summary: &str) -> Result<(String, String)> {
    let mut checks = Checks::new();
    let body = checks.capped("body", body, MAX_BODY);
    let change_summary = checks.required("changeSummary", change_summary, MAX_TEXT);
    checks.done(body.zip(change_summary))
}

/// A review's comment: optional, blank is none, but required to request changes.
pub(super) fn comment(verdict: ReviewVerdict, comment: Option<&str>) -> Result<Option<String>> {
    let mut checks = Checks::new();
    let comment = checks.optional("comment", comment, MAX_TEXT);
    if verdict == ReviewVerdict::RequestChanges && comment == Some(None) {
        checks.push("comment", Code::Required, "say what should change");
    }
    checks.done(comment)
}
