//! GraphQL over HTTP (the GraphQL-over-HTTP spec): POST with a JSON body, or
//! GET with query parameters for queries only (a mutation over GET is 405).
//! Clients that accept `application/graphql-response+json` get it, with 400
//! for a document that does not parse or validate; others get
//! `application/json` with 200. A missing or bad token is 401 `UNAUTHENTICATED`.
//! A POST may carry a batch (a JSON array of operations), run in turn on one
//! budget. The whole request runs under the deadline (`TIMEOUT`, 504); see
//! [`limits`] for the cost headers and 429.

use std::{sync::Arc, time::Instant};

use actix_web::{
    HttpRequest, HttpResponse,
    http::{Method, StatusCode, header},
    web,
};
use async_graphql::{BatchRequest, parser::types::OperationType};
use serde_json::{Value, json};

use super::{
    access_log,
    apq::ApqError,
    auth::{Caller, authenticate, unauthorized},
    limits, live,
    server::App,
};
use crate::{
    error::{Error, ErrorCode},
    graphql::RequestData,
    limits::{Meter, Report},
    metrics,
};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// What the metrics say about a request: its operations and its errors' codes.
#[derive(Default)]
struct Outcome {
    operation: Option<String>,
    error_codes: Vec<String>,
}

/// `/graphql`, counted in the metrics.
pub async fn handle(req: HttpRequest, body: web::Bytes, app: web::Data<App>) -> HttpResponse {
    let started = Instant::now();
    let mut outcome = Outcome::default();
    let response = answer(req, body, app, &mut outcome).await;
    if let Some(metrics) = metrics::get() {
        let seconds = started.elapsed().as_secs_f64();
        metrics.request(outcome.operation.as_deref(), response.status().as_u16(), seconds, &outcome.error_codes);
    }
    response
}

async fn answer(req: HttpRequest, body: web::Bytes, app: web::Data<App>, outcome: &mut Outcome) -> HttpResponse {
    let modern = accepts_graphql_response(&req);
    let is_get = req.method() == Method::GET;
    if !is_get && req.method() != Method::POST {
        return error(modern, StatusCode::METHOD_NOT_ALLOWED, ErrorCode::BadRequest, "use GET or POST");
    }

    let caller = match authenticate(&req, &app).await {
        Ok(caller) => caller,
        Err(err) => {
            return unauthorized(error(modern, StatusCode::UNAUTHORIZED, err.code(), &err.to_string()));
        }
    };

    let parsed =
        if is_get { from_query_string(req.query_string()).map(BatchRequest::Single) } else { from_body(&req, &body) };
    let (requests, batched) = match parsed {
        Ok(BatchRequest::Single(request)) => (vec![request], false),
        Ok(BatchRequest::Batch(requests)) => (requests, true),
        Err(message) => return error(modern, StatusCode::BAD_REQUEST, ErrorCode::BadRequest, &message),
    };
    let requests = match requests.into_iter().map(|r| app.persisted_queries.resolve(r)).collect() {
        Ok(requests) => requests,
        Err(err) => return persisted_query_error(modern, &err),
    };
    let mut requests: Vec<async_graphql::Request> = requests;
    if requests.len() > app.limits.max_batch {
        let message =
            format!("a batch may hold at most {} operations; this one has {}", app.limits.max_batch, requests.len());
        return error(modern, StatusCode::BAD_REQUEST, ErrorCode::TooManyOperations, &message);
    }
    for request in &mut requests {
        app.documents.attach(request);
    }
    outcome.operation = operation_names(&mut requests);

    if !is_get && live::wants_sse(&req) {
        let mut requests = requests.into_iter();
        return match (requests.next(), requests.next(), batched) {
            (Some(request), None, false) => live::sse(&app, caller, request).await,
            _ => error(
                modern,
                StatusCode::BAD_REQUEST,
                ErrorCode::BadRequest,
                "a stream takes one operation, not a batch",
            ),
        };
    }

    if is_get && requests.iter_mut().any(is_mutation) {
        let mut resp =
            error(modern, StatusCode::METHOD_NOT_ALLOWED, ErrorCode::BadRequest, "mutations must be sent with POST");
        resp.headers_mut().insert(header::ALLOW, header::HeaderValue::from_static("POST"));
        return resp;
    }

    let started = Instant::now();
    let names: Vec<Option<String>> = requests.iter().map(|r| r.operation_name.clone()).collect();
    let meters: Vec<Arc<Meter>> =
        requests.iter().map(|_| Arc::new(Meter::new(caller.subject().to_owned(), app.budgets.clone()))).collect();
    let run = execute(&app, caller, requests, &meters);
    let outcome_of_run = tokio::time::timeout(app.limits.request_timeout, run).await;
    let reports: Vec<Report> = meters.iter().map(|m| m.finish()).collect();
    let resp = match outcome_of_run {
        Ok(Ok(responses)) => {
            outcome.error_codes = responses.iter().flat_map(|r| r.errors.iter()).map(error_code).collect();
            respond(modern, batched, responses, &reports)
        }
        Ok(Err(err)) => {
            let status = match err {
                Error::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
                Error::Timeout => StatusCode::GATEWAY_TIMEOUT,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            let code = err.code();
            let gql: async_graphql::Error = err.into();
            error(modern, status, code, &gql.message)
        }
        Err(_) => {
            let message = format!("the request ran past its deadline of {} ms", app.limits.request_timeout.as_millis());
            error(modern, StatusCode::GATEWAY_TIMEOUT, ErrorCode::Timeout, &message)
        }
    };
    let resp = limits::finish(resp, &reports);
    access_log::graphql(&names, &reports, started.elapsed(), resp.status());
    resp
}

/// Resolves the viewer and runs each operation in turn, each with its meter.
async fn execute(
    app: &App,
    caller: Caller,
    requests: Vec<async_graphql::Request>,
    meters: &[Arc<Meter>],
) -> Result<Vec<async_graphql::Response>, Error> {
    let viewer = caller.viewer(app).await?;
    let mut responses = Vec::with_capacity(requests.len());
    for (request, meter) in requests.into_iter().zip(meters) {
        let data = RequestData::new(app.db.clone(), viewer.clone(), app.catalog.clone());
        responses.push(app.schema.execute(request.data(data).data(meter.clone())).await);
        // What it did not use is back before the next operation of the batch spends.
        meter.finish();
    }
    Ok(responses)
}

/// The HTTP response for executed operations, each with its `extensions.cost`,
/// serialized straight from async-graphql's values (no JSON tree in between).
fn respond(modern: bool, batched: bool, responses: Vec<async_graphql::Response>, reports: &[Report]) -> HttpResponse {
    let mut any_request_error = false;
    let mut unavailable = false;
    let mut bodies: Vec<Body> = responses
        .into_iter()
        .zip(reports)
        .map(|(response, report)| {
            // A request error (the document did not parse or validate) has no data and no field paths.
            let request_error = response.data == async_graphql::Value::Null
                && !response.errors.is_empty()
                && response.errors.iter().all(|e| e.path.is_empty());
            any_request_error |= request_error;
            unavailable |= response.errors.iter().any(|e| {
                e.extensions.as_ref().and_then(|x| x.get("code"))
                    == Some(&async_graphql::Value::from(ErrorCode::Unavailable.as_str()))
            });
            let mut extensions = response.extensions;
            extensions.insert("cost".into(), report.to_value());
            Body { data: (!request_error).then_some(response.data), errors: response.errors, extensions }
        })
        .collect();
    let status = if unavailable {
        StatusCode::SERVICE_UNAVAILABLE
    } else if any_request_error && modern && !batched {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let mut reply = HttpResponse::build(status);
    reply.content_type(content_type(modern));
    if batched { reply.json(bodies) } else { reply.json(bodies.pop()) }
}

/// One operation's answer as the client reads it.
#[derive(serde::Serialize)]
struct Body {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<async_graphql::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<async_graphql::ServerError>,
    extensions: std::collections::BTreeMap<String, async_graphql::Value>,
}

fn accepts_graphql_response(req: &HttpRequest) -> bool {
    req.headers().get_all(header::ACCEPT).filter_map(|v| v.to_str().ok()).any(|v| v.contains(GRAPHQL_RESPONSE))
}

fn content_type(modern: bool) -> &'static str {
    if modern { GRAPHQL_RESPONSE } else { "application/json" }
}

/// A top-level error response with `extensions.code`.
fn error(modern: bool, status: StatusCode, code: ErrorCode, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(content_type(modern))
        .json(json!({ "errors": [{ "message": message, "extensions": { "code": code.as_str() } }] }))
}

/// The `code` of an error, for the metrics (`NONE` without one).
fn error_code(error: &async_graphql::ServerError) -> String {
    match error.extensions.as_ref().and_then(|x| x.get("code")) {
        Some(async_graphql::Value::String(code)) => code.clone(),
        _ => "NONE".to_owned(),
    }
}

/// The protocol's answer for a persisted query that cannot run: an unknown
/// hash is `PERSISTED_QUERY_NOT_FOUND` (HTTP 200: the client sends the text
/// again); a wrong hash or version is `BAD_REQUEST` (400).
fn persisted_query_error(modern: bool, err: &ApqError) -> HttpResponse {
    match err {
        ApqError::NotFound => error(modern, StatusCode::OK, ErrorCode::PersistedQueryNotFound, &err.to_string()),
        _ => error(modern, StatusCode::BAD_REQUEST, ErrorCode::BadRequest, &err.to_string()),
    }
}

/// One operation, or a batch (a JSON array of them).
fn from_body(req: &HttpRequest, body: &[u8]) -> Result<BatchRequest, String> {
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

/// The names of the operations the request runs (the one asked for, or the
/// document's only operation's), comma-separated for a batch.
fn operation_names(requests: &mut [async_graphql::Request]) -> Option<String> {
    let names: Vec<String> = requests.iter_mut().filter_map(operation_name).collect();
    (!names.is_empty()).then(|| names.join(","))
}

fn operation_name(request: &mut async_graphql::Request) -> Option<String> {
    if let Some(name) = &request.operation_name {
        return Some(name.clone());
    }
    let doc = request.parsed_query().ok()?;
    let mut names = doc.operations.iter().map(|(name, _)| name);
    match (names.next(), names.next()) {
        (Some(Some(name)), None) => Some(name.to_string()),
        _ => None,
    }
}

/// Whether the operation the request would run is a mutation (or subscription).
fn is_mutation(request: &mut async_graphql::Request) -> bool {
    let wanted = request.operation_name.clone();
    let wanted = wanted.as_deref();
    let Ok(doc) = request.parsed_query() else { return false };
    doc.operations.iter().any(|(name, op)| {
        let selected = wanted.is_none_or(|w| name.is_some_and(|n| n.as_str() == w));
        selected && op.node.ty != OperationType::Query
    })
}
