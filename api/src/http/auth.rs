//! Bearer authentication shared by every authenticated route: a person's
//! JWT, or a machine's API key (`opk_…`).

use actix_web::{HttpRequest, HttpResponse, http::header};

use super::server::App;
use crate::{
    auth::Identity,
    domain::{Viewer, api_keys, users},
    error::Error,
};

/// Who a bearer token says the caller is.
#[derive(Debug, Clone)]
pub enum Caller {
    /// A person with a verified token.
    Person(Identity),
    /// A machine with an API key in force.
    Key(api_keys::Authenticated),
}

/// How long a live connection of a key that never expires may last, in seconds (a year).
const KEY_CONNECTION_LIFETIME: i64 = 365 * 24 * 3600;

impl Caller {
    /// What budgets and live connections are counted under: the token's
    /// subject, or the key (each key has its own).
    pub fn subject(&self) -> &str {
        match self {
            Caller::Person(identity) => &identity.subject,
            Caller::Key(key) => &key.subject,
        }
    }

    /// When the credentials expire (seconds since the epoch): live subscriptions end then.
    pub fn expires_at(&self) -> i64 {
        match self {
            Caller::Person(identity) => identity.expires_at,
            Caller::Key(key) => key
                .expires_at
                .map_or_else(|| chrono::Utc::now().timestamp() + KEY_CONNECTION_LIFETIME, |at| at.timestamp()),
        }
    }

    /// The caller as the domain sees it (a person is found or created as a user).
    pub async fn viewer(self, app: &App) -> Result<Viewer, Error> {
        match self {
            Caller::Person(identity) => users::resolve_viewer(&app.db, identity, &app.access).await,
            Caller::Key(key) => Ok(key.viewer),
        }
    }
}

/// Verifies the request's `Authorization: Bearer <jwt or API key>`.
pub async fn authenticate(req: &HttpRequest, app: &App) -> Result<Caller, Error> {
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
    verify(app, token).await
}

/// Verifies a bearer token: an API key when it starts with `opk_`, else a JWT.
pub async fn verify(app: &App, token: &str) -> Result<Caller, Error> {
    if api_keys::is_key(token) {
        api_keys::authenticate(&app.db, token, &app.access).await.map(Caller::Key)
    } else {
        app.verifier.verify(token).await.map(Caller::Person)
    }
}

/// Marks a 401 response with the scheme to use.
pub fn unauthorized(mut resp: HttpResponse) -> HttpResponse {
    resp.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
    resp
}
