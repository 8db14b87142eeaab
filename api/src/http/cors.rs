//! Cross-origin requests from browser pages (`OPSKIT_CORS_ORIGINS`). Only the
//! listed origins get `Access-Control-Allow-Origin`; a request from any other
//! origin is refused before it reaches a handler. Preflights are answered here
//! and may be cached by the browser for [`MAX_AGE_SECS`]. Credentials (cookies)
//! are never allowed: tokens travel in the `Authorization` header, so `*` is
//! safe to send and is sent only when the list is `*`.

use actix_cors::Cors;
use actix_web::http::header;

/// How long a browser may reuse a preflight's answer.
pub const MAX_AGE_SECS: usize = 3600;

/// Request headers a page may send besides the CORS-safelisted ones.
const ALLOWED_HEADERS: [&str; 4] =
    ["authorization", "content-type", "apollographql-client-name", "apollographql-client-version"];

/// The CORS middleware for `origins` (`*` for any origin).
pub fn middleware(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST"])
        .allowed_headers(ALLOWED_HEADERS)
        .allowed_header(header::ACCEPT)
        .expose_headers(["x-request-id"])
        .max_age(MAX_AGE_SECS)
        // A request from another origin is answered 400 before any handler runs.
        .block_on_origin_mismatch(true);
    for origin in origins {
        cors = if origin == "*" { cors.allow_any_origin().send_wildcard() } else { cors.allowed_origin(origin) };
    }
    cors
}
