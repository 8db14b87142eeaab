//! ServiceNow's webhooks (a business rule or flow that POSTs the record):
//! authenticated with an opskit API key of the engagement, they carry the
//! record's `number` (or `sys_id`), its `state` and `sys_updated_on`. A
//! record is done when its state is the connection's done state or one of
//! the closed states of the table; the delivery ID is the `X-Opskit-Delivery`
//! header, else the record's `sys_id` and `sys_updated_on`.

use serde::Deserialize;

use super::TicketMoved;

#[derive(Deserialize)]
struct Record {
    number: Option<String>,
    sys_id: Option<String>,
    state: serde_json::Value,
    /// The state's display value, e.g. `Closed`.
    state_label: Option<String>,
    sys_updated_on: Option<String>,
}

/// The states that count as done for `table`, beside the connection's own done state.
fn closed_states(table: &str) -> &'static [&'static str] {
    match table {
        // Resolved, Closed, Canceled.
        "incident" => &["6", "7", "8"],
        // Closed Complete, Closed Incomplete, Closed Skipped: every task table.
        _ => &["3", "4", "7"],
    }
}

/// The record a webhook body is about, or why it is not a ServiceNow record.
pub fn parse(body: &[u8], delivery_id: Option<&str>, table: &str, done_state: &str) -> Result<TicketMoved, String> {
    let record: Record = serde_json::from_slice(body).map_err(|e| format!("not a ServiceNow record: {e}"))?;
    let key = record
        .number
        .clone()
        .or(record.sys_id.clone())
        .filter(|k| !k.trim().is_empty())
        .ok_or("the record has neither `number` nor `sys_id`")?;
    let state = match &record.state {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => return Err("the record has no `state`".into()),
    };
    let done = state == done_state || closed_states(table).contains(&state.as_str());
    let delivery_id = match delivery_id.map(str::trim).filter(|d| !d.is_empty()) {
        Some(id) => id.to_owned(),
        None => format!(
            "{}@{}",
            record.sys_id.as_deref().unwrap_or(&key),
            record.sys_updated_on.as_deref().unwrap_or(&state)
        ),
    };
    let status = record.state_label.filter(|l| !l.trim().is_empty()).unwrap_or(state);
    Ok(TicketMoved { delivery_id, key, status, done })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_state_is_done() {
        let body = br#"{"number":"INC0010023","sys_id":"a1","state":"7","state_label":"Closed","sys_updated_on":"2026-11-30 10:00:00"}"#;
        let moved = parse(body, None, "incident", "7").ok();
        let expected = TicketMoved {
            delivery_id: "a1@2026-11-30 10:00:00".into(),
            key: "INC0010023".into(),
            status: "Closed".into(),
            done: true,
        };
        assert_eq!(moved, Some(expected));
        let reopened = parse(br#"{"number":"INC0010023","state":2}"#, Some("x-1"), "incident", "7").ok();
        assert_eq!(reopened.map(|m| (m.done, m.status, m.delivery_id)), Some((false, "2".into(), "x-1".into())));
        assert!(parse(br#"{"state":"7"}"#, None, "incident", "7").is_err());
        assert!(parse(b"nope", None, "incident", "7").is_err());
        assert_eq!(parse(br#"{"number":"SCTASK1","state":"3"}"#, None, "sc_task", "3").map(|m| m.done), Ok(true));
    }
}
