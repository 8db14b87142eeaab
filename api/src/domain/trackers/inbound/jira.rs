//! Jira's webhooks: `X-Hub-Signature: sha256=<hex>`, the HMAC-SHA256 of the
//! body with the connection's inbound secret; the delivery's ID in
//! `X-Atlassian-Webhook-Identifier`; the issue's key and status (with its
//! category: `done` is Jira's own notion of done) in the body.

use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::TicketMoved;

/// Whether `signature` (the `X-Hub-Signature` header) is the body's HMAC under `secret`.
pub fn verify(secret: &str, body: &[u8], signature: Option<&str>) -> bool {
    let Some(hex) = signature.and_then(|s| s.trim().strip_prefix("sha256=")) else { return false };
    let Some(expected) = from_hex(hex) else { return false };
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()) else { return false };
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

/// The signature Jira sends for `body` under `secret` (tests and tools).
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| unreachable_mac());
    mac.update(body);
    format!("sha256={}", hex(&mac.finalize().into_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// HMAC takes keys of any length: never reached.
fn unreachable_mac() -> Hmac<Sha256> {
    <Hmac<Sha256> as KeyInit>::new(&Default::default())
}

fn from_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect()
}

#[derive(Deserialize)]
struct Payload {
    issue: Option<Issue>,
}

#[derive(Deserialize)]
struct Issue {
    key: String,
    fields: Fields,
}

#[derive(Deserialize)]
struct Fields {
    status: Status,
}

#[derive(Deserialize)]
struct Status {
    name: String,
    #[serde(rename = "statusCategory")]
    category: Option<Category>,
}

#[derive(Deserialize)]
struct Category {
    key: String,
}

/// The ticket a webhook body is about; `None` when it is about no issue (a
/// project or a sprint event), `Err` when it is not a Jira webhook at all.
/// Without a delivery ID header, the body's digest stands for one.
pub fn parse(body: &[u8], delivery_id: Option<&str>) -> Result<Option<TicketMoved>, String> {
    let payload: Payload = serde_json::from_slice(body).map_err(|e| format!("not a Jira webhook: {e}"))?;
    let Some(issue) = payload.issue else { return Ok(None) };
    let delivery_id = match delivery_id.map(str::trim).filter(|d| !d.is_empty()) {
        Some(id) => id.to_owned(),
        None => format!("sha256:{}", hex(&Sha256::digest(body))),
    };
    let done = issue.fields.status.category.is_some_and(|c| c.key == "done");
    Ok(Some(TicketMoved { delivery_id, key: issue.key, status: issue.fields.status.name, done }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"webhookEvent":"jira:issue_updated","issue":{"key":"OPS-1","fields":{"status":{"name":"Done","statusCategory":{"key":"done"}}}}}"#;

    #[test]
    fn a_signature_verifies_only_its_body_under_its_secret() {
        let signature = sign("s3cret", BODY);
        assert!(verify("s3cret", BODY, Some(&signature)));
        assert!(!verify("other", BODY, Some(&signature)));
        assert!(!verify("s3cret", b"{}", Some(&signature)));
        assert!(!verify("s3cret", BODY, Some(signature.trim_start_matches("sha256="))));
        assert!(!verify("s3cret", BODY, None));
        assert!(!verify("s3cret", BODY, Some("sha256=zz")));
    }

    #[test]
    fn the_status_category_says_done() {
        let moved = parse(BODY, Some("d-1")).ok().flatten();
        let expected =
            TicketMoved { delivery_id: "d-1".into(), key: "OPS-1".into(), status: "Done".into(), done: true };
        assert_eq!(moved, Some(expected));
        let reopened = br#"{"issue":{"key":"OPS-1","fields":{"status":{"name":"In Progress","statusCategory":{"key":"indeterminate"}}}}}"#;
        assert_eq!(
            parse(reopened, None).ok().flatten().map(|m| (m.done, m.delivery_id.starts_with("sha256:"))),
            Some((false, true))
        );
        assert_eq!(parse(br#"{"webhookEvent":"project_created"}"#, None), Ok(None));
        assert!(parse(b"<xml/>", None).is_err());
    }
}
