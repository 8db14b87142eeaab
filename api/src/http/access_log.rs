//! What a request leaves in the log, and what it never does. The request's
//! span carries its ID, method and path (never the query string: a GET
//! carries its variables there); each GraphQL request writes one info line
//! with its operation names, cost, duration and status. Query texts,
//! variables and headers (so tokens) are never logged.

use std::time::Duration;

use actix_web::{
    HttpMessage,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::StatusCode,
};
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};

use crate::limits::Report;

/// The request's span: ID, method and path; the status is recorded at the end.
pub struct PathOnly;

impl RootSpanBuilder for PathOnly {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let id = request.extensions().get::<RequestId>().map(ToString::to_string).unwrap_or_default();
        let span = tracing::info_span!(
            "HTTP request",
            otel.name = %format_args!("{} {}", request.method(), request.path()),
            otel.kind = "server",
            request_id = %id,
            http.method = %request.method(),
            http.path = %request.path(),
            http.status_code = tracing::field::Empty,
            graphql.operations = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        );
        crate::telemetry::continue_trace(&span, request.headers());
        span
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, actix_web::Error>) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

/// The GraphQL request's one info line; `requested` names the operations as the client selected them.
pub fn graphql(requested_names: &[Option<String>], reports: &[Report], elapsed: Duration, status: StatusCode) {
    let operations = requested_names
        .iter()
        .zip(reports)
        .map(|(requested, report)| report.operation.as_deref().or(requested.as_deref()).unwrap_or("-"))
        .collect::<Vec<_>>()
        .join(",");
    let requested: u64 = reports.iter().map(|r| r.requested).sum();
    let actual: u64 = reports.iter().map(|r| r.actual).sum();
    Span::current().record("graphql.operations", operations.as_str());
    tracing::info!(
        operations = %operations,
        cost.requested = requested,
        cost.actual = actual,
        duration_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
        status = status.as_u16(),
        "graphql request"
    );
}
