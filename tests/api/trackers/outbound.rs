//! Outbound tracker updates: a fake Jira and ServiceNow on loopback receive
//! exactly the requests opskit makes when a linked activity completes or
//! reopens, through the delivery machinery (retried, logged, redeliverable),
//! and a change the tracker made itself is not sent back.

use std::sync::{
    Arc, Mutex,
    atomic::{AtomicUsize, Ordering},
};

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{JIRA_TOKEN, SN_PASSWORD, Setup, connect_jira, connect_servicenow, jira_body, jira_hook, setup_on, track};
use crate::common::{Loopback, Team, TestApp, fast_deliveries, transition};

/// One request a fake tracker received.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    method: String,
    /// Path and query.
    path: String,
    authorization: String,
    body: Value,
}

/// A fake Jira and ServiceNow on loopback: it answers the calls opskit makes
/// and keeps every request it received; the first `failing` requests get a 503.
struct FakeTracker {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    _server: Loopback,
}

impl FakeTracker {
    async fn start() -> Self {
        Self::failing(0).await
    }

    async fn failing(failing: usize) -> Self {
        use actix_web::HttpResponse;
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let log = seen.clone();
        let count = Arc::new(AtomicUsize::new(0));
        let server = Loopback::start(move |req, body| {
            let path = req.uri().path_and_query().map(|p| p.to_string()).unwrap_or_default();
            let authorization =
                req.headers().get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            let body = serde_json::from_slice(body).unwrap_or(Value::Null);
            let method = req.method().to_string();
            log.lock().unwrap().push(Seen { method: method.clone(), path: path.clone(), authorization, body });
            if count.fetch_add(1, Ordering::SeqCst) < failing {
                return HttpResponse::ServiceUnavailable().body("down for maintenance");
            }
            match (method.as_str(), path.as_str()) {
                ("GET", p) if p.ends_with("/transitions") => HttpResponse::Ok().json(json!({ "transitions": [
                    { "id": "11", "name": "To Do", "to": { "name": "To Do" } },
                    { "id": "21", "name": "In Progress", "to": { "name": "In Progress" } },
                    { "id": "31", "name": "Done", "to": { "name": "Done" } } ] })),
                ("POST", p) if p.ends_with("/transitions") => HttpResponse::NoContent().finish(),
                ("GET", p) if p.starts_with("/api/now/table/incident?") => {
                    HttpResponse::Ok().json(json!({ "result": [{ "sys_id": SYS_ID }] }))
                }
                ("PATCH", p) if p.starts_with("/api/now/table/incident/") => {
                    HttpResponse::Ok().json(json!({ "result": { "state": "7" } }))
                }
                _ => HttpResponse::NotFound().finish(),
            }
        });
        Self { base: server.base.clone(), seen, _server: server }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The requests received so far, once there are `n` of them (the worker delivers after commit).
    async fn wait_for(&self, n: usize) -> Vec<Seen> {
        for _ in 0..400 {
            let seen = self.seen();
            if seen.len() >= n {
                return seen;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("the fake tracker received {:?}, expected {n} requests", self.seen());
    }
}

/// The `sys_id` of the fake ServiceNow's record.
const SYS_ID: &str = "9d385017c611228701d22104cc95c371";

fn basic(user: &str, secret: &str) -> String {
    use base64::Engine;
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{secret}")))
}

/// [`super::setup`] on a server whose deliveries retry in milliseconds and may go to loopback.
async fn fast_setup() -> Setup {
    setup_on(TestApp::start_with(fast_deliveries).await).await
}

const LOG: &str = "query($id: ID!) { node(id: $id) { ... on TrackerConnection {
    deliveries(first: 20) { totalCount nodes { eventType status lastHttpStatus event { id }
      attempts { number outcome httpStatus responseExcerpt } } } } } }";

/// The connection's delivery log, newest event first.
async fn log(t: &Team, connection: &str) -> Vec<Value> {
    let data = t.app.data(&t.consultant, LOG, json!({ "id": connection })).await;
    data["node"]["deliveries"]["nodes"].as_array().unwrap().clone()
}

/// The log once its newest delivery is no longer pending.
async fn settled_log(t: &Team, connection: &str, count: usize) -> Vec<Value> {
    for _ in 0..400 {
        let log = log(t, connection).await;
        if log.len() >= count && log.iter().all(|d| d["status"] != "PENDING") {
            return log;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the deliveries never settled: {:?}", log(t, connection).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_completed_activity_transitions_its_jira_issue_and_reopening_reopens_it() {
    let Setup { t, dna } = fast_setup().await;
    let app = &t.app;
    let jira = FakeTracker::start().await;
    let (connection, _) = connect_jira(&t, &jira.base).await;
    transition(app, &t.consultant, "completeActivity", &dna, None).await;
    let seen = jira.wait_for(2).await;
    let auth = basic("ops@acme.test", JIRA_TOKEN);
    let path = "/rest/api/3/issue/OPS-1/transitions".to_owned();
    let lookup = Seen { method: "GET".into(), path: path.clone(), authorization: auth.clone(), body: Value::Null };
    assert_eq!(seen[0], lookup);
    let close = json!({ "transition": { "id": "31" } });
    let post = Seen { method: "POST".into(), path: path.clone(), authorization: auth.clone(), body: close.clone() };
    assert_eq!(seen[1], post);

    transition(app, &t.consultant, "reopenActivity", &dna, None).await;
    let seen = jira.wait_for(4).await;
    assert_eq!(seen[2], lookup);
    assert_eq!((seen[3].method.as_str(), &seen[3].body), ("POST", &json!({ "transition": { "id": "21" } })));

    // Both are in the connection's delivery log.
    let delivered = settled_log(&t, &connection, 2).await;
    let summary: Vec<(&str, &str, Option<i64>)> = delivered
        .iter()
        .map(|d| (d["eventType"].as_str().unwrap(), d["status"].as_str().unwrap(), d["lastHttpStatus"].as_i64()))
        .collect();
    assert_eq!(
        summary,
        [("activity.reopened", "SUCCEEDED", Some(204)), ("activity.completed", "SUCCEEDED", Some(204))]
    );

    // Sent again on request: the same two calls.
    let input = json!({ "trackerConnectionId": connection, "eventId": delivered[1]["event"]["id"] });
    let again = app.mutate_ok(&t.consultant, "redeliverTrackerUpdate", "status", input.clone()).await;
    assert_eq!(again["status"], "PENDING");
    let seen = jira.wait_for(6).await;
    assert_eq!((&seen[4], &seen[5]), (&lookup, &post));
    assert_eq!(seen.len(), 6, "nothing else was sent");
    let refused = app.mutate(&t.workstream, "redeliverTrackerUpdate", "status", input).await;
    assert_eq!(crate::common::error_code(&refused), "FORBIDDEN");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_servicenow_record_is_looked_up_by_number_and_closed() {
    let Setup { t, dna } = fast_setup().await;
    let app = &t.app;
    let servicenow = FakeTracker::start().await;
    connect_servicenow(&t, &servicenow.base).await;
    track(app, &t.consultant, "setActivityTracker", "activityId", &dna, "SERVICENOW", "INC0010023").await;
    transition(app, &t.consultant, "completeActivity", &dna, None).await;
    let seen = servicenow.wait_for(2).await;
    let auth = basic("opskit", SN_PASSWORD);
    let lookup = Seen {
        method: "GET".into(),
        path: "/api/now/table/incident?sysparm_query=number%3DINC0010023&sysparm_fields=sys_id&sysparm_limit=1".into(),
        authorization: auth.clone(),
        body: Value::Null,
    };
    assert_eq!(seen[0], lookup);
    assert_eq!(
        (seen[1].method.as_str(), seen[1].path.as_str()),
        ("PATCH", format!("/api/now/table/incident/{SYS_ID}").as_str())
    );
    assert_eq!((&seen[1].authorization, &seen[1].body["state"]), (&auth, &json!("7")));
    assert!(seen[1].body["work_notes"].as_str().unwrap().starts_with("opskit: "), "{:?}", seen[1]);

    transition(app, &t.consultant, "reopenActivity", &dna, None).await;
    let seen = servicenow.wait_for(4).await;
    assert_eq!((seen[3].method.as_str(), &seen[3].body["state"]), ("PATCH", &json!("2")));
    assert_eq!(seen.len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tracker_failing_twice_is_retried_and_each_attempt_logged() {
    let Setup { t, dna } = fast_setup().await;
    let jira = FakeTracker::failing(2).await;
    let (connection, _) = connect_jira(&t, &jira.base).await;
    transition(&t.app, &t.consultant, "completeActivity", &dna, None).await;
    let seen = jira.wait_for(4).await;
    let calls: Vec<&str> = seen.iter().map(|s| s.method.as_str()).collect();
    assert_eq!(calls, ["GET", "GET", "GET", "POST"], "the lookup failed twice, then the transition went through");
    let delivered = settled_log(&t, &connection, 1).await;
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0]["status"], "SUCCEEDED");
    let attempts: Vec<(i64, &str, i64)> = delivered[0]["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["number"].as_i64().unwrap(), a["outcome"].as_str().unwrap(), a["httpStatus"].as_i64().unwrap()))
        .collect();
    assert_eq!(attempts, [(1, "RETRY", 503), (2, "RETRY", 503), (3, "SUCCEEDED", 204)]);
    assert_eq!(delivered[0]["attempts"][0]["responseExcerpt"], "down for maintenance");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_the_tracker_made_is_not_sent_back() {
    let Setup { t, dna } = fast_setup().await;
    let app = &t.app;
    let jira = FakeTracker::start().await;
    let (connection, secret) = connect_jira(&t, &jira.base).await;
    // The ticket moved in Jira first: the activity follows, and Jira hears nothing.
    let (status, body) = jira_hook(app, &connection, &secret, "moved-1", jira_body("OPS-1", "Done", "done")).await;
    assert_eq!((status, body["outcome"].as_str()), (StatusCode::ACCEPTED, Some("APPLIED")), "{body}");
    let delivered = settled_log(&t, &connection, 1).await;
    assert_eq!(
        (&delivered[0]["eventType"], &delivered[0]["status"]),
        (&json!("activity.completed"), &json!("CANCELLED"))
    );
    assert_eq!(delivered[0]["attempts"], json!([]));
    assert_eq!(jira.seen(), [], "nothing went back to Jira");
    // A person reopening it here does move the ticket.
    transition(app, &t.consultant, "reopenActivity", &dna, None).await;
    let seen = jira.wait_for(2).await;
    assert_eq!((seen[1].method.as_str(), &seen[1].body), ("POST", &json!({ "transition": { "id": "21" } })));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_connection_acts_as_an_integration_of_its_engagement_only() {
    use opskit_api::{
        domain::{access::engagement_access, ids::EngagementId, permissions::Permission, trackers::inbound},
        entity::{engagement, tracker_connection},
    };
    use sea_orm::{EntityTrait, QueryOrder};
    let Setup { t, .. } = setup_on(TestApp::start().await).await;
    connect_jira(&t, "https://acme.atlassian.net").await;
    let other = t.app.create_engagement(&t.consultant, "Another customer").await;
    let db = t.app.db.connect().await;
    let connection = tracker_connection::Entity::find().one(&db).await.unwrap().unwrap();
    let actor = inbound::actor(&db, &connection).await.unwrap();
    assert!(!actor.is_admin() && actor.global_role().is_none(), "{actor:?}");

    let own = engagement_access(&db, &actor, EngagementId(connection.engagement_id)).await.unwrap();
    assert!(own.check(Permission::CompleteActivities).is_ok());
    for refused in [Permission::ManageMembers, Permission::ManageIntegrations, Permission::AnswerQuestions] {
        assert!(own.check(refused).is_err(), "{refused:?}");
    }
    let engagements = engagement::Entity::find().order_by_desc(engagement::Column::Id).all(&db).await.unwrap();
    let elsewhere = engagements.iter().find(|e| e.id != connection.engagement_id).unwrap();
    let stranger = engagement_access(&db, &actor, EngagementId(elsewhere.id)).await;
    assert!(matches!(stranger, Err(opskit_api::error::Error::NotFound(_))), "{other}: {stranger:?}");
}
