//! Checking an endpoint's fields: an http(s) URL the SSRF guard allows, a
//! description, and event types that are actions.

use crate::{
    delivery::Guard,
    domain::{action::Action, validate::Checks},
    error::Code,
};

/// Longest description, in characters.
pub const MAX_DESCRIPTION: usize = 1_000;
/// Most event types in a filter.
pub const MAX_EVENT_TYPES: usize = 100;
/// Most endpoints per engagement.
pub const MAX_ENDPOINTS: usize = 20;

/// The URL: absolute http(s) (`INVALID_URL`), syntax only.
pub(super) fn url(checks: &mut Checks, value: &str) -> Option<String> {
    checks.url("url", value)
}

/// The URL's target, which the guard must allow (`URL_NOT_ALLOWED`).
pub(super) async fn target(checks: &mut Checks, guard: &Guard, value: &str) {
    if let Ok(parsed) = url::Url::parse(value)
        && let Err(refused) = guard.check_url(&parsed).await
    {
        checks.push("url", Code::UrlNotAllowed, format!("webhooks are not sent there: {refused}"));
    }
}

pub(super) fn description(checks: &mut Checks, value: Option<&str>) -> Option<Option<String>> {
    checks.optional("description", value, MAX_DESCRIPTION)
}

/// The event-type filter: `None` (or an empty list) for every type; each a
/// known dotted action name (`UNKNOWN_EVENT_TYPE`), listed once.
pub(super) fn event_types(checks: &mut Checks, value: Option<&[String]>) -> Option<Option<Vec<String>>> {
    let Some(types) = value else { return Some(None) };
    let types = checks.count("eventTypes", types, MAX_EVENT_TYPES)?;
    let mut kept: Vec<String> = Vec::new();
    let mut ok = true;
    for name in types.iter().map(|t| t.trim()) {
        if Action::parse(name).is_none() {
            checks.push("eventTypes", Code::UnknownEventType, format!("`{name}` is not an event type"));
            ok = false;
        } else if !kept.iter().any(|k| k == name) {
            kept.push(name.to_owned());
        }
    }
    if !ok {
        return None;
    }
    Some((!kept.is_empty()).then_some(kept))
}
