//! Logging setup: `tracing` with a text or JSON formatter on stderr. Each
//! request is one span carrying its request ID (every line logged inside it
//! shows the ID), and the span's close is the access-log line with status and
//! latency. Headers are not logged, so tokens never reach the logs; neither do
//! query texts, variables or audit summaries above debug (see `http::access_log`).

use tracing_subscriber::{EnvFilter, fmt, fmt::format::FmtSpan, prelude::*};

use crate::config::{Config, LogFormat};

/// Installs the global subscriber once; later calls are ignored (tests start many servers).
pub fn init(config: &Config) {
    let filter = EnvFilter::try_new(&config.log_filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let registry = tracing_subscriber::registry().with(filter);
    let _ = match config.log_format {
        LogFormat::Text => {
            registry.with(fmt::layer().with_span_events(FmtSpan::CLOSE).with_writer(std::io::stderr)).try_init()
        }
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_events(FmtSpan::CLOSE)
                    .with_writer(std::io::stderr),
            )
            .try_init(),
    };
}
