//! Logging and tracing: `tracing` with a text or JSON formatter on stderr,
//! and, when an OTLP endpoint is configured, every span exported to it as
//! OpenTelemetry traces (OTLP over HTTP, protobuf). Each request is one span
//! carrying its request ID (every line logged inside it shows the ID), and
//! the span's close is the access-log line with status and latency. Headers
//! are not logged, so tokens never reach the logs or the traces; neither do
//! query texts, variables or audit summaries above debug (see `http::access_log`).
//!
//! A request that carries a W3C `traceparent` header continues that trace:
//! its span is a child of the caller's.

use actix_web::http::header::HeaderMap;
use opentelemetry::{global, propagation::Extractor, trace::TracerProvider as _};
use opentelemetry_otlp::{WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::{Resource, propagation::TraceContextPropagator, trace::SdkTracerProvider};
use tracing::Span;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::{EnvFilter, Layer, Registry, filter::LevelFilter, fmt, fmt::format::FmtSpan, prelude::*};

use crate::config::{Config, LogFormat, TraceExport};

/// Keeps trace export running; dropping it sends the spans not yet exported.
#[must_use = "traces stop being exported when this is dropped"]
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

impl Drop for Telemetry {
    fn drop(&mut self) {
        if let Some(provider) = self.provider.take()
            && let Err(error) = provider.shutdown()
        {
            eprintln!("opskit: exporting the last traces failed: {error}");
        }
    }
}

/// Installs the global subscriber once; later calls are ignored (tests start many servers).
pub fn init(config: &Config) -> Telemetry {
    let filter = EnvFilter::try_new(&config.log_filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let log: Box<dyn Layer<Registry> + Send + Sync> = match config.log_format {
        LogFormat::Text => {
            fmt::layer().with_span_events(FmtSpan::CLOSE).with_writer(std::io::stderr).with_filter(filter).boxed()
        }
        LogFormat::Json => fmt::layer()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_events(FmtSpan::CLOSE)
            .with_writer(std::io::stderr)
            .with_filter(filter)
            .boxed(),
    };
    let provider = config.traces.as_ref().and_then(|export| match tracer_provider(export) {
        Ok(provider) => Some(provider),
        Err(error) => {
            eprintln!("opskit: traces are not exported: {error}");
            None
        }
    });
    // Traces take info spans whatever the log's filter: quiet logs, full traces.
    let traces = provider
        .as_ref()
        .map(|p| tracing_opentelemetry::layer().with_tracer(p.tracer("opskit")).with_filter(LevelFilter::INFO));
    let installed = tracing_subscriber::registry().with(log).with(traces).try_init().is_ok();
    if installed && provider.is_some() {
        global::set_text_map_propagator(TraceContextPropagator::new());
    }
    Telemetry { provider: provider.filter(|_| installed) }
}

/// A provider exporting spans in batches to the OTLP/HTTP endpoint of `export`.
fn tracer_provider(export: &TraceExport) -> anyhow::Result<SdkTracerProvider> {
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_endpoint(export.endpoint.clone())
        .with_headers(export.headers.iter().cloned().collect())
        .build()?;
    Ok(SdkTracerProvider::builder()
        .with_resource(Resource::builder().with_service_name(export.service_name.clone()).build())
        .with_batch_exporter(exporter)
        .build())
}

/// Makes `span` continue the trace named by the request's `traceparent`
/// header, when it has one and traces are exported.
pub fn continue_trace(span: &Span, headers: &HeaderMap) {
    let parent = global::get_text_map_propagator(|propagator| propagator.extract(&Headers(headers)));
    let _ = span.set_parent(parent);
}

/// Request headers as the propagator reads them.
struct Headers<'a>(&'a HeaderMap);

impl Extractor for Headers<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(|k| k.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use opentelemetry::propagation::TextMapPropagator;

    use super::*;

    #[test]
    fn only_the_trace_context_headers_are_read() {
        let mut headers = HeaderMap::new();
        headers.insert(
            actix_web::http::header::HeaderName::from_static("traceparent"),
            actix_web::http::header::HeaderValue::from_static(
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            ),
        );
        let context = TraceContextPropagator::new().extract(&Headers(&headers));
        use opentelemetry::trace::TraceContextExt;
        assert_eq!(context.span().span_context().trace_id().to_string(), "4bf92f3577b34da6a3ce929d0e0e4736");
        assert!(context.span().span_context().is_remote());
    }
}
