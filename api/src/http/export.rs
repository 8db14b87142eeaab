//! `GET /engagements/{id}/knowledge-base.md`: every baselined runbook of an
//! engagement in one Markdown document, for people who hand deliverables
//! over. Same authentication and access rules as GraphQL: a stranger gets 404;
//! the same deadline (504 `TIMEOUT`). The documents beside it (the reports)
//! answer errors the same way.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use async_graphql::ID;
use serde_json::json;

use super::{
    auth::{authenticate, unauthorized},
    server::App,
};
use crate::{
    domain::{Viewer, ids::EngagementId, runbooks},
    error::Error,
};

/// The knowledge base of engagement `{id}` (its GraphQL ID) as Markdown.
pub async fn knowledge_base(req: HttpRequest, path: web::Path<String>, app: web::Data<App>) -> HttpResponse {
    let rendered = tokio::time::timeout(app.limits.request_timeout, render(&req, &path, &app)).await;
    match rendered.unwrap_or(Err(Error::Timeout)) {
        Ok(markdown) => HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .insert_header(("content-disposition", "inline; filename=\"knowledge-base.md\""))
            .body(markdown),
        Err(err) => error_response(err),
    }
}

/// A document request that failed: the HTTP status of the error, and the
/// error as GraphQL would report it.
pub fn error_response(err: Error) -> HttpResponse {
    let status = match &err {
        Error::Unauthenticated(_) | Error::TokenExpired => StatusCode::UNAUTHORIZED,
        Error::Forbidden(_) | Error::AccessRevoked => StatusCode::FORBIDDEN,
        Error::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
        Error::NotFound(_) => StatusCode::NOT_FOUND,
        Error::BadUserInput(_) | Error::User(_) | Error::QueryTooLong(_) => StatusCode::BAD_REQUEST,
        Error::Conflict { .. } => StatusCode::CONFLICT,
        Error::Timeout => StatusCode::GATEWAY_TIMEOUT,
        Error::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let code = err.code();
    let message = async_graphql::Error::from(err).message;
    let resp = HttpResponse::build(status)
        .json(json!({ "errors": [{ "message": message, "extensions": { "code": code.as_str() } }] }));
    if status == StatusCode::UNAUTHORIZED { unauthorized(resp) } else { resp }
}

async fn render(req: &HttpRequest, id: &str, app: &App) -> Result<String, Error> {
    let (viewer, engagement) = caller_and_engagement(req, id, app).await?;
    runbooks::knowledge_base_markdown(&app.db, &viewer, engagement).await
}

/// The authenticated caller of a document request, and the engagement its path names.
pub async fn caller_and_engagement(req: &HttpRequest, id: &str, app: &App) -> Result<(Viewer, EngagementId), Error> {
    let caller = authenticate(req, app).await?;
    let engagement = crate::graphql::decode_id::<EngagementId>(&ID(id.to_owned()))?;
    let viewer = caller.viewer(app).await?;
    Ok((viewer, engagement))
}
