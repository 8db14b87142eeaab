//! Sending one request: no redirects, a timeout, no proxy, the guard's
//! resolver, and the answer's body read up to a cap.

use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode, header::RETRY_AFTER};

use super::guard::Guard;

/// Most of an answer's body read (the rest is dropped unread).
pub const MAX_READ: usize = 64 * 1024;
/// Most of an answer's body kept in the delivery log.
pub const MAX_EXCERPT: usize = 4 * 1024;

/// A request a target asks to send.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: reqwest::Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// What came back.
#[derive(Debug, Clone)]
pub enum Answer {
    /// An HTTP answer.
    Http {
        status: u16,
        /// `Retry-After`, in seconds or as a date.
        retry_after: Option<Duration>,
        excerpt: String,
        took: Duration,
    },
    /// No answer: a refused target, a timeout, a connection error.
    NoAnswer { error: String, took: Duration, refused: bool },
}

/// The client every delivery of a process goes through.
#[derive(Clone)]
pub struct Sender {
    client: Client,
    guard: Guard,
}

impl Sender {
    pub fn new(guard: Guard, timeout: Duration) -> anyhow::Result<Self> {
        let client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout)
            .no_proxy()
            .dns_resolver(guard.resolver())
            .user_agent(concat!("opskit-delivery/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { client, guard })
    }

    /// Sends `request` and reads the answer.
    pub async fn send(&self, request: Request) -> Answer {
        self.exchange(request).await.0
    }

    /// Sends `request` and reads the answer, with its body (up to [`MAX_READ`]
    /// bytes; empty without an answer): for a target that looks something up first.
    pub async fn exchange(&self, request: Request) -> (Answer, Vec<u8>) {
        let started = Instant::now();
        let refused = |error: String| (Answer::NoAnswer { error, took: started.elapsed(), refused: true }, Vec::new());
        let url = match url::Url::parse(&request.url) {
            Ok(url) => url,
            Err(err) => return refused(format!("not a URL: {err}")),
        };
        let literal = match url.host() {
            Some(url::Host::Ipv4(ip)) => Some(std::net::IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => Some(std::net::IpAddr::V6(ip)),
            _ => None,
        };
        if let Some(Err(err)) = literal.map(|ip| self.guard.check_ip(ip)) {
            return refused(format!("target not allowed: {err}"));
        }
        let mut builder = self.client.request(request.method, url).body(request.body);
        for (name, value) in request.headers {
            builder = builder.header(name, value);
        }
        let mut response = match builder.send().await {
            Ok(response) => response,
            Err(err) => {
                let not_allowed = source_chain(&err).contains("is not a public address");
                let error = if not_allowed {
                    format!("target not allowed: {}", source_chain(&err))
                } else if err.is_timeout() {
                    "timed out".to_owned()
                } else {
                    format!("no answer: {}", source_chain(&err))
                };
                return (Answer::NoAnswer { error, took: started.elapsed(), refused: not_allowed }, Vec::new());
            }
        };
        let status = response.status();
        let retry_after = retry_after(response.headers().get(RETRY_AFTER).and_then(|v| v.to_str().ok()));
        let mut body = Vec::new();
        while body.len() < MAX_READ {
            match response.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                _ => break,
            }
        }
        body.truncate(MAX_READ);
        let excerpt = String::from_utf8_lossy(&body[..body.len().min(MAX_EXCERPT)]).into_owned();
        (Answer::Http { status: status.as_u16(), retry_after, excerpt, took: started.elapsed() }, body)
    }
}

/// Whether an HTTP status is worth another attempt: 408, 429 and 5xx.
pub fn retryable(status: u16) -> bool {
    StatusCode::from_u16(status)
        .is_ok_and(|s| s.is_server_error() || s == StatusCode::TOO_MANY_REQUESTS || s == StatusCode::REQUEST_TIMEOUT)
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(value: Option<&str>) -> Option<Duration> {
    let value = value?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    (at.with_timezone(&chrono::Utc) - chrono::Utc::now()).to_std().ok()
}

/// An error with its causes, for the delivery log.
fn source_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(retry_after(Some("7")), Some(Duration::from_secs(7)));
        assert_eq!(retry_after(Some("soon")), None);
        let later = (chrono::Utc::now() + chrono::Duration::seconds(90)).to_rfc2822();
        let parsed = retry_after(Some(&later)).unwrap_or_default();
        assert!(parsed > Duration::from_secs(80) && parsed <= Duration::from_secs(90), "{parsed:?}");
        assert!(retryable(503) && retryable(429) && retryable(408) && !retryable(404) && !retryable(200));
    }
}
