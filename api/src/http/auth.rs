//! Bearer-token authentication shared by every authenticated route.

use actix_web::{HttpRequest, HttpResponse, http::header};

use super::server::App;
use crate::{auth::Identity, error::Error};

/// Verifies the request's `Authorization: Bearer <jwt>`.
pub async fn authenticate(req: &HttpRequest, app: &App) -> Result<Identity, Error> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| Error::Unauthenticated("missing `Authorization: Bearer <token>` header".into()))?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Error::Unauthenticated("the `Authorization` header must be `Bearer <token>`".into()))?;
    app.verifier.verify(token).await
}

/// Marks a 401 response with the scheme to use.
pub fn unauthorized(mut resp: HttpResponse) -> HttpResponse {
    resp.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
    resp
}
