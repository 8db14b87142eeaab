//! What a GraphQL response says about the caller's budget: the `RateLimit-*`
//! headers (limit, points remaining, seconds until the window resets), 429
//! with `Retry-After` when an operation was refused for want of budget,
//! `Retry-After` on 503.

use actix_web::{
    HttpResponse,
    http::{
        StatusCode,
        header::{HeaderName, HeaderValue, RETRY_AFTER},
    },
};

use crate::limits::Report;

/// Seconds a client should wait before retrying after `UNAVAILABLE`.
const UNAVAILABLE_RETRY_AFTER: i64 = 1;

/// Adds the budget headers to `resp` and turns it into a 429 when an operation ran out of budget.
pub fn finish(mut resp: HttpResponse, reports: &[Report]) -> HttpResponse {
    if let Some(last) = reports.last() {
        let standing = last.standing;
        set(&mut resp, HeaderName::from_static("ratelimit-limit"), standing.limit);
        set(&mut resp, HeaderName::from_static("ratelimit-remaining"), standing.remaining);
        set(&mut resp, HeaderName::from_static("ratelimit-reset"), standing.seconds_to_reset());
    }
    if let Some(limited) = reports.iter().find(|r| r.limited) {
        *resp.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        set(&mut resp, RETRY_AFTER, limited.standing.seconds_to_reset());
    } else if resp.status() == StatusCode::SERVICE_UNAVAILABLE {
        set(&mut resp, RETRY_AFTER, UNAVAILABLE_RETRY_AFTER);
    }
    resp
}

fn set(resp: &mut HttpResponse, name: HeaderName, value: impl ToString) {
    if let Ok(value) = HeaderValue::from_str(&value.to_string()) {
        resp.headers_mut().insert(name, value);
    }
}
