//! GraphQL over HTTP (the GraphQL-over-HTTP spec): POST with a JSON body, or
//! GET with query parameters for queries only (a mutation over GET is 405).
//! Clients that accept `application/graphql-response+json` get it, with 400
//! for a document that does not parse or validate; others get
//! `application/json` with 200. A missing or bad token is 401 `UNAUTHENTICATED`.

use crate::error::ErrorCode;
use actix_web::{
    HttpRequest, HttpResponse,
    http::{Method, StatusCode, header},
    web,
};
use async_graphql::parser::{parse_query, types::OperationType};
use serde_json::{Value, json};
use std::time::Instant;

use super::apq::ApqError;
use super::auth::{authenticate, unauthorized};
use super::server::App;
use crate::{domain::users, graphql::RequestData, metrics};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// How long a request waits for the database's migrations at start-up.
const STARTUP_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// What the metrics say about a request: its operation and its errors' codes.
#[derive(Default)]
struct Outcome {
    operation: Option<String>,
    error_codes: Vec<String>,
}

/// `/graphql`, counted in the metrics.
pub async fn handle(req: HttpRequest, body: web::Bytes, app: web::Data<App>) -> HttpResponse {
    let started = Instant::now();
    let mut outcome = Outcome::default();
    let response = answer(&req, &body, &app, &mut outcome).await;
    if let Some(metrics) = metrics::get() {
        let seconds = started.elapsed().as_secs_f64();
        metrics.request(outcome.operation.as_deref(), response.status().as_u16(), seconds, &outcome.error_codes);
    }
    response
}

async fn answer(req: &HttpRequest, body: &[u8], app: &App, outcome: &mut Outcome) -> HttpResponse {
    let modern = accepts_graphql_response(req);
    // A request that arrives while the server migrates its database at start-up waits for it.
    if !app.readiness.wait(STARTUP_WAIT).await {
        let message = "the server is still migrating its database: try again";
        return error(modern, StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Internal.as_str(), message);
    }
    let is_get = req.method() == Method::GET;
    if !is_get && req.method() != Method::POST {
        return error(modern, StatusCode::METHOD_NOT_ALLOWED, ErrorCode::BadRequest.as_str(), "use GET or POST");
    }

    let identity = match authenticate(req, app) {
        Ok(identity) => identity,
        Err(err) => {
            return unauthorized(error(modern, StatusCode::UNAUTHORIZED, err.code().as_str(), &err.to_string()));
        }
    };

    let request = match if is_get { from_query_string(req.query_string()) } else { from_body(req, body) } {
        Ok(request) => request,
        Err(message) => return error(modern, StatusCode::BAD_REQUEST, ErrorCode::BadRequest.as_str(), &message),
    };

    let request = match app.persisted_queries.resolve(request) {
        Ok(request) => request,
        Err(err) => return persisted_query_error(modern, &err),
    };

    outcome.operation = operation_name(&request);
    if is_get && is_mutation(&request) {
        let mut resp = error(
            modern,
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::BadRequest.as_str(),
            "mutations must be sent with POST",
        );
        resp.headers_mut().insert(header::ALLOW, header::HeaderValue::from_static("POST"));
        return resp;
    }

    let viewer = match users::resolve_viewer(&app.db, identity).await {
        Ok(viewer) => viewer,
        Err(err) => {
            let gql: async_graphql::Error = err.into();
            return error(modern, StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal.as_str(), &gql.message);
        }
    };

    let response = app.schema.execute(request.data(RequestData::new(app.db.clone(), viewer))).await;
    outcome.error_codes = response
        .errors
        .iter()
        .map(|e| match e.extensions.as_ref().and_then(|x| x.get("code")) {
            Some(async_graphql::Value::String(code)) => code.clone(),
            _ => "NONE".to_owned(),
        })
        .collect();
    // A request error (the document did not parse or validate) has no data and no field paths.
    let request_error = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    let mut body = serde_json::to_value(&response).unwrap_or_else(|_| json!({}));
    if request_error && let Value::Object(map) = &mut body {
        map.remove("data");
    }
    let status = if request_error && modern { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    HttpResponse::build(status).content_type(content_type(modern)).json(body)
}

fn accepts_graphql_response(req: &HttpRequest) -> bool {
    req.headers().get_all(header::ACCEPT).filter_map(|v| v.to_str().ok()).any(|v| v.contains(GRAPHQL_RESPONSE))
}

fn content_type(modern: bool) -> &'static str {
    if modern { GRAPHQL_RESPONSE } else { "application/json" }
}

/// A top-level error response with `extensions.code`.
fn error(modern: bool, status: StatusCode, code: &str, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(content_type(modern))
        .json(json!({ "errors": [{ "message": message, "extensions": { "code": code } }] }))
}

/// The protocol's answer for a persisted query that cannot run: an unknown
/// hash is `PERSISTED_QUERY_NOT_FOUND` (HTTP 200: the client sends the text
/// again); a wrong hash or version is `BAD_REQUEST` (400).
fn persisted_query_error(modern: bool, err: &ApqError) -> HttpResponse {
    match err {
        ApqError::NotFound => {
            error(modern, StatusCode::OK, ErrorCode::PersistedQueryNotFound.as_str(), &err.to_string())
        }
        _ => error(modern, StatusCode::BAD_REQUEST, ErrorCode::BadRequest.as_str(), &err.to_string()),
    }
}

fn from_body(req: &HttpRequest, body: &[u8]) -> Result<async_graphql::Request, String> {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !content_type.starts_with("application/json") {
        return Err("POST requests need `Content-Type: application/json`".into());
    }
    serde_json::from_slice(body).map_err(|e| format!("the body is not a GraphQL request: {e}"))
}

fn from_query_string(query: &str) -> Result<async_graphql::Request, String> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Params {
        /// Absent when a persisted query's hash stands for it.
        #[serde(default)]
        query: String,
        operation_name: Option<String>,
        variables: Option<String>,
        extensions: Option<String>,
    }
    let params: Params =
        web::Query::<Params>::from_query(query).map_err(|e| format!("bad query parameters: {e}"))?.into_inner();
    let mut request = async_graphql::Request::new(params.query);
    if let Some(name) = params.operation_name.filter(|n| !n.is_empty()) {
        request = request.operation_name(name);
    }
    if let Some(vars) = params.variables.filter(|v| !v.is_empty()) {
        let value: Value = serde_json::from_str(&vars).map_err(|e| format!("`variables` is not JSON: {e}"))?;
        request = request.variables(async_graphql::Variables::from_json(value));
    }
    if let Some(extensions) = params.extensions.filter(|e| !e.is_empty()) {
        request.extensions =
            serde_json::from_str(&extensions).map_err(|e| format!("`extensions` is not a JSON object: {e}"))?;
    }
    Ok(request)
}

/// The name of the operation the request runs: the one asked for, or the
/// document's only operation's.
fn operation_name(request: &async_graphql::Request) -> Option<String> {
    if let Some(name) = &request.operation_name {
        return Some(name.clone());
    }
    let doc = parse_query(&request.query).ok()?;
    let mut names = doc.operations.iter().map(|(name, _)| name);
    match (names.next(), names.next()) {
        (Some(Some(name)), None) => Some(name.to_string()),
        _ => None,
    }
}

/// Whether the operation the request would run is a mutation (or subscription).
fn is_mutation(request: &async_graphql::Request) -> bool {
    let Ok(doc) = parse_query(&request.query) else { return false };
    let wanted = request.operation_name.as_deref();
    doc.operations.iter().any(|(name, op)| {
        let selected = wanted.is_none_or(|w| name.is_some_and(|n| n.as_str() == w));
        selected && op.node.ty != OperationType::Query
    })
}
