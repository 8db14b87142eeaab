//! Tracker connections as delivery targets: when an activity linked to a
//! ticket completes, its Jira issue is transitioned to done (or its
//! ServiceNow record closed); when it reopens, the ticket reopens. Each is a
//! delivery of the `activity.completed` / `activity.reopened` event, retried
//! and logged by the one delivery machinery ([`crate::delivery`]).
//!
//! - Jira: `POST {base}/rest/api/3/issue/{key}/transitions` with
//!   `{"transition":{"id":…}}`; a transition configured by name is looked up
//!   first with `GET …/transitions` (by its name or the status it leads to).
//! - ServiceNow: `PATCH {base}/api/now/table/{table}/{sys_id}` with the
//!   `state`; a key that is a record number is looked up first with
//!   `GET {base}/api/now/table/{table}?sysparm_query=number=…`.
//!
//! A change the connection itself made (a ticket moved in Jira first) is not
//! echoed back.

use opskit_entity::{activity, audit_event, delivery, delivery_cursor, enums::TrackerSystem, tracker_connection};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use super::connections;
use crate::{
    delivery::{Answer, Prepared, Request, Sender, Source, TargetKind},
    domain::{action::Action, ids::EngagementId},
    error::Result,
};

/// The events a connection takes.
pub const EVENTS: [Action; 2] = [Action::ActivityCompleted, Action::ActivityReopened];

/// Every connection, with its cursor, taking the activity events of its engagement.
pub async fn sources(db: &DatabaseConnection) -> Result<Vec<Source>> {
    let all = tracker_connection::Entity::find().all(db).await?;
    if all.is_empty() {
        return Ok(Vec::new());
    }
    let cursors = delivery_cursor::Entity::find()
        .filter(delivery_cursor::Column::TargetKind.eq(TargetKind::TrackerConnection))
        .filter(delivery_cursor::Column::TargetId.is_in(all.iter().map(|c| c.id)))
        .all(db)
        .await?;
    let types: Vec<String> = EVENTS.iter().map(|a| a.name().to_owned()).collect();
    Ok(all
        .iter()
        .filter_map(|c| {
            let cursor = cursors.iter().find(|k| k.target_id == c.id)?;
            Some(Source {
                target_id: c.id,
                position: cursor.position,
                engagement: Some(EngagementId(c.engagement_id)),
                types: Some(types.clone()),
            })
        })
        .collect())
}

/// The request that moves the ticket of `event`'s activity; cancelled when
/// the connection is gone, the activity is not linked to one of its tickets,
/// or the connection made the change itself.
pub async fn request(
    db: &DatabaseConnection,
    sender: &Sender,
    delivery: &delivery::Model,
    event: &audit_event::Model,
) -> Result<Prepared> {
    let Some(connection) = tracker_connection::Entity::find_by_id(delivery.target_id).one(db).await? else {
        return Ok(Prepared::Cancel);
    };
    let done = match Action::parse(&event.action) {
        Some(Action::ActivityCompleted) => true,
        Some(Action::ActivityReopened) => false,
        _ => return Ok(Prepared::Cancel),
    };
    if event.actor_id == Some(connection.actor_id) {
        return Ok(Prepared::Cancel);
    }
    let Some(activity) = activity::Entity::find_by_id(event.object_id).one(db).await? else {
        return Ok(Prepared::Cancel);
    };
    let key = match (&activity.tracker_system, &activity.tracker_key) {
        (Some(system), Some(key)) if *system == connection.system => key.clone(),
        _ => return Ok(Prepared::Cancel),
    };
    let Ok(authorization) = connections::authorization(&connection) else {
        let error = "the connection's credentials do not open with this server's key (OPSKIT_SECRETS_KEY)".to_owned();
        return Ok(Prepared::Failed(Answer::NoAnswer { error, took: std::time::Duration::ZERO, refused: true }));
    };
    let call = Call { base: connection.base_url.clone(), authorization };
    let target = if done { &connection.done_transition } else { &connection.reopen_transition };
    Ok(match connection.system {
        TrackerSystem::Jira => jira(sender, &call, &key, target).await,
        TrackerSystem::Servicenow => {
            let table = connection.table_name.as_deref().unwrap_or("incident");
            servicenow(sender, &call, table, &key, target, &event.summary).await
        }
        TrackerSystem::Other => Prepared::Cancel,
    })
}

/// Where and as whom requests go.
struct Call {
    base: String,
    authorization: String,
}

impl Call {
    fn request(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Request {
        let mut headers = vec![
            ("authorization".to_owned(), self.authorization.clone()),
            ("accept".to_owned(), "application/json".to_owned()),
        ];
        if body.is_some() {
            headers.push(("content-type".to_owned(), "application/json".to_owned()));
        }
        let body = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
        Request { method, url: format!("{}{path}", self.base), headers, body }
    }
}

/// A path segment as the URL needs it.
fn segment(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The transition of issue `key` that `target` names (an ID, a transition
/// name or the name of the status it leads to).
async fn jira(sender: &Sender, call: &Call, key: &str, target: &str) -> Prepared {
    let path = format!("/rest/api/3/issue/{}/transitions", segment(key));
    let id = if target.chars().all(|c| c.is_ascii_digit()) {
        target.to_owned()
    } else {
        let (answer, body) = sender.exchange(call.request(reqwest::Method::GET, &path, None)).await;
        let Some(found) = answered(&answer, &body).and_then(|v| transition_id(&v, target)) else {
            return Prepared::Failed(not_found(answer, &format!("no transition `{target}` from the issue's status")));
        };
        found
    };
    Prepared::Send(call.request(reqwest::Method::POST, &path, Some(json!({ "transition": { "id": id } }))))
}

/// The ID of the transition named `target` (or leading to a status so named).
fn transition_id(transitions: &Value, target: &str) -> Option<String> {
    let all = transitions["transitions"].as_array()?;
    let named = |t: &&Value, field: &Value| {
        field.as_str().is_some_and(|n| n.eq_ignore_ascii_case(target)) && t["id"].is_string()
    };
    let found =
        all.iter().find(|t| named(t, &t["name"])).or_else(|| all.iter().find(|t| named(t, &t["to"]["name"])))?;
    found["id"].as_str().map(str::to_owned)
}

/// The PATCH that sets the record's `state`.
async fn servicenow(sender: &Sender, call: &Call, table: &str, key: &str, state: &str, summary: &str) -> Prepared {
    let is_sys_id = key.len() == 32 && key.chars().all(|c| c.is_ascii_hexdigit());
    let sys_id = if is_sys_id {
        key.to_owned()
    } else {
        let path = format!(
            "/api/now/table/{table}?sysparm_query=number%3D{}&sysparm_fields=sys_id&sysparm_limit=1",
            segment(key)
        );
        let (answer, body) = sender.exchange(call.request(reqwest::Method::GET, &path, None)).await;
        let found = answered(&answer, &body).and_then(|v| v["result"][0]["sys_id"].as_str().map(str::to_owned));
        let Some(found) = found else {
            return Prepared::Failed(not_found(answer, &format!("no {table} record numbered {key}")));
        };
        found
    };
    let body = json!({ "state": state, "work_notes": format!("opskit: {summary}") });
    Prepared::Send(call.request(reqwest::Method::PATCH, &format!("/api/now/table/{table}/{sys_id}"), Some(body)))
}

/// The JSON of a successful answer.
fn answered(answer: &Answer, body: &[u8]) -> Option<Value> {
    match answer {
        Answer::Http { status, .. } if (200..300).contains(status) => serde_json::from_slice(body).ok(),
        _ => None,
    }
}

/// A lookup that found nothing: its answer, said so in the log when it was a success.
fn not_found(answer: Answer, what: &str) -> Answer {
    match answer {
        Answer::Http { status, retry_after, excerpt, took } if (200..300).contains(&status) => {
            Answer::Http { status: 404, retry_after, excerpt: format!("{what}: {excerpt}"), took }
        }
        other => other,
    }
}

/// A connection that failed for longer than retries last stays: its next deliveries are tried as usual.
pub async fn gave_up(_db: &DatabaseConnection, delivery: &delivery::Model) -> Result<()> {
    tracing::warn!(connection = delivery.target_id, delivery = delivery.id, "a tracker update was given up");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transition_is_found_by_its_name_or_its_status() {
        let transitions = json!({ "transitions": [
            { "id": "11", "name": "Start", "to": { "name": "In Progress" } },
            { "id": "31", "name": "Close", "to": { "name": "Done" } },
        ] });
        assert_eq!(transition_id(&transitions, "close").as_deref(), Some("31"));
        assert_eq!(transition_id(&transitions, "Done").as_deref(), Some("31"));
        assert_eq!(transition_id(&transitions, "in progress").as_deref(), Some("11"));
        assert_eq!(transition_id(&transitions, "Reopen"), None);
        assert_eq!(transition_id(&json!({}), "Done"), None);
    }
}
