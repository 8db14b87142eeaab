//! The customer's trackers: ticket references on activities, deviations and
//! runbooks and `trackedObject`; tracker connections (credentials sealed and
//! never readable); Jira and ServiceNow webhooks that complete, reopen or
//! record a status on the linked activity, idempotent by delivery ID; and
//! the updates opskit sends them (`outbound`).

mod outbound;

use opskit_api::domain::trackers::inbound::jira;
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::common::{Team, TestApp, activity_ids, agree_target, core_runbook, error_code, transition};

const JIRA_TOKEN: &str = "jira-api-token-0123456789";
const SN_PASSWORD: &str = "servicenow-password-0123456789";

/// A team whose consultant (cora) has one Discovery & Analysis activity in
/// progress, with its readiness target, tracked as `OPS-1` in Jira.
struct Setup {
    t: Team,
    dna: String,
}

async fn setup() -> Setup {
    setup_on(TestApp::start().await).await
}

/// [`setup`] on a server already started (with a configuration of the test's own).
async fn setup_on(app: TestApp) -> Setup {
    let t = Team::on(app, "Trackers", "cora").await;
    let ids = activity_ids(&t.app, &t.consultant, &t.engagement).await;
    let dna = ids["patch-management/DISCOVERY_AND_ANALYSIS"].clone();
    agree_target(&t.app, &t.consultant, &dna).await;
    transition(&t.app, &t.consultant, "startActivity", &dna, None).await;
    track(&t.app, &t.consultant, "setActivityTracker", "activityId", &dna, "JIRA", "OPS-1").await;
    Setup { t, dna }
}

/// Sets the tracker of an activity, deviation or runbook with mutation `op`; returns the payload.
async fn track(app: &TestApp, token: &str, op: &str, id_field: &str, id: &str, system: &str, key: &str) -> Value {
    let object = match op {
        "setActivityTracker" => "activity",
        "setDeviationTracker" => "deviation",
        _ => "runbook",
    };
    let input = json!({ id_field: id, "system": system, "key": key, "url": format!("https://acme.test/browse/{key}") });
    app.mutate(token, op, &format!("{object} {{ id version tracker {{ system key url }} }}"), input).await
}

/// Connects the engagement to Jira at `base`; returns (connection ID, inbound secret).
async fn connect_jira(t: &Team, base: &str) -> (String, String) {
    let input = json!({ "engagementId": t.engagement, "system": "JIRA", "name": "Acme Jira", "baseUrl": base,
        "credentials": { "email": "ops@acme.test", "apiToken": JIRA_TOKEN } });
    let payload = t
        .app
        .mutate_ok(&t.consultant, "createTrackerConnection", "trackerConnection { id } inboundSecret", input)
        .await;
    let secret = payload["inboundSecret"].as_str().unwrap().to_owned();
    (payload["trackerConnection"]["id"].as_str().unwrap().to_owned(), secret)
}

/// Connects the engagement to ServiceNow at `base`; returns the connection ID.
async fn connect_servicenow(t: &Team, base: &str) -> String {
    let input = json!({ "engagementId": t.engagement, "system": "SERVICENOW", "name": "Acme ServiceNow", "baseUrl": base,
        "credentials": { "username": "opskit", "password": SN_PASSWORD } });
    let payload = t.app.mutate_ok(&t.consultant, "createTrackerConnection", "trackerConnection { id }", input).await;
    payload["trackerConnection"]["id"].as_str().unwrap().to_owned()
}

/// A Jira `issue_updated` body moving `key` to `status` (of category `category`).
fn jira_body(key: &str, status: &str, category: &str) -> Vec<u8> {
    json!({ "webhookEvent": "jira:issue_updated", "issue": { "key": key, "fields": {
        "status": { "name": status, "statusCategory": { "key": category } } } } })
    .to_string()
    .into_bytes()
}

/// POSTs a Jira webhook for `connection`, signed with `secret`; returns status and body.
async fn jira_hook(
    app: &TestApp,
    connection: &str,
    secret: &str,
    delivery: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let signature = jira::sign(secret, &body);
    let resp = app
        .http
        .post(app.url(&format!("/hooks/jira/{connection}")))
        .header("content-type", "application/json")
        .header("x-hub-signature", signature)
        .header("x-atlassian-webhook-identifier", delivery)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// The activity's status, version and tracker status.
async fn activity(app: &TestApp, token: &str, id: &str) -> Value {
    let query = "query($id: ID!) { node(id: $id) { ... on Activity { status version completedAt
        trackerStatus { status reason } } } }";
    app.data(token, query, json!({ "id": id })).await["node"].clone()
}

/// The inbound log of a connection: `(deliveryId, ticketKey, outcome)` newest first.
async fn inbound_log(app: &TestApp, token: &str, connection: &str) -> Vec<(String, String, String)> {
    let query = "query($id: ID!) { node(id: $id) { ... on TrackerConnection {
        inboundDeliveries(first: 50) { nodes { deliveryId ticketKey outcome detail } } } } }";
    let data = app.data(token, query, json!({ "id": connection })).await;
    data["node"]["inboundDeliveries"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let text = |f: &str| d[f].as_str().unwrap_or_default().to_owned();
            (text("deliveryId"), text("ticketKey"), text("outcome"))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tickets_track_deviations_and_runbooks_and_find_what_they_are_linked_to() {
    let Setup { t, dna } = setup().await;
    let app = &t.app;
    let design = activity_ids(app, &t.consultant, &t.engagement).await["patch-management/DESIGN"].clone();
    let input =
        json!({ "activityId": design, "title": "WSUS kept", "description": "d", "risks": "r", "severity": "LOW" });
    let deviation = app.mutate_ok(&t.workstream, "recordDeviation", "deviation { id }", input).await["deviation"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let runbook =
        core_runbook(app, &t.consultant, &t.engagement, "patch-management").await["id"].as_str().unwrap().to_owned();

    let set = track(app, &t.consultant, "setDeviationTracker", "deviationId", &deviation, "JIRA", "OPS-1").await;
    assert_eq!(set["userErrors"], json!([]), "{set}");
    assert_eq!(
        set["deviation"]["tracker"],
        json!({ "system": "JIRA", "key": "OPS-1", "url": "https://acme.test/browse/OPS-1" })
    );
    let set = track(app, &t.consultant, "setRunbookTracker", "runbookId", &runbook, "JIRA", "OPS-1").await;
    assert_eq!(set["runbook"]["tracker"]["key"], "OPS-1", "{set}");

    // Who may: like an activity's tracker, consultants and admins.
    for (who, token) in [("workstream member", &t.workstream), ("stakeholder", &t.stakeholder)] {
        let refused = track(app, token, "setDeviationTracker", "deviationId", &deviation, "JIRA", "OPS-2").await;
        assert_eq!(error_code(&refused), "FORBIDDEN", "{who}");
    }
    let refused = track(app, &t.stranger, "setRunbookTracker", "runbookId", &runbook, "JIRA", "OPS-2").await;
    assert_eq!(error_code(&refused), "NOT_FOUND");
    // A stale version, a blank key.
    let input = json!({ "deviationId": deviation, "system": "JIRA", "key": "OPS-3", "expectedVersion": 1 });
    let stale = app.mutate(&t.consultant, "setDeviationTracker", "deviation { id }", input).await;
    assert_eq!(error_code(&stale), "CONFLICT", "{stale}");
    let input = json!({ "runbookId": runbook, "system": "JIRA", "key": " " });
    let blank = app.mutate(&t.consultant, "setRunbookTracker", "runbook { id }", input).await;
    assert_eq!(crate::common::codes(&blank), [crate::common::pair("key", "REQUIRED")]);

    // The ticket names the three objects, for everyone in the engagement and nobody else.
    const TRACKED: &str = "query($key: String!) { trackedObject(system: JIRA, key: $key) { __typename id } }";
    for token in [&t.consultant, &t.stakeholder, &app.token("root", &["admin"])] {
        let found = app.data(token, TRACKED, json!({ "key": "OPS-1" })).await["trackedObject"].clone();
        let expected = json!([
            { "__typename": "Activity", "id": dna },
            { "__typename": "Deviation", "id": deviation },
            { "__typename": "Runbook", "id": runbook },
        ]);
        assert_eq!(found, expected);
    }
    let none = app.data(&t.stranger, TRACKED, json!({ "key": "OPS-1" })).await;
    assert_eq!(none["trackedObject"], json!([]));
    let other_system =
        app.data(&t.consultant, "{ trackedObject(system: SERVICENOW, key: \"OPS-1\") { id } }", json!({})).await;
    assert_eq!(other_system["trackedObject"], json!([]));

    // Clearing: the ticket no longer names the deviation.
    let input = json!({ "deviationId": deviation, "system": null });
    let cleared = app.mutate_ok(&t.consultant, "setDeviationTracker", "deviation { tracker { key } }", input).await;
    assert_eq!(cleared["deviation"]["tracker"], Value::Null);
    let found = app.data(&t.consultant, TRACKED, json!({ "key": "OPS-1" })).await["trackedObject"].clone();
    assert_eq!(found.as_array().unwrap().len(), 2, "{found}");
    let trail = app
        .engagement(&t.consultant, &t.engagement, "auditTrail(first: 5) { nodes { action } }")
        .await["auditTrail"]["nodes"]
        .clone();
    assert_eq!(trail[0]["action"], "deviation.tracker_set");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_are_managed_by_consultants_and_never_show_their_credentials() {
    let Setup { t, .. } = setup().await;
    let app = &t.app;
    let (jira_id, secret) = connect_jira(&t, "https://acme.atlassian.net/").await;
    assert_eq!(secret.len(), 64, "32 random bytes, hex");
    let sn = connect_servicenow(&t, "https://acme.service-now.com").await;

    let fields = "id system name baseUrl username doneTransition reopenTransition table inboundPath version
        actor { subject name } createdBy { subject }";
    let data = app.engagement(&t.stakeholder, &t.engagement, &format!("trackerConnections {{ {fields} }}")).await;
    let connections = data["trackerConnections"].as_array().unwrap();
    assert_eq!(connections.len(), 2);
    let jira = &connections[0];
    assert_eq!(
        (&jira["id"], &jira["system"], &jira["baseUrl"], &jira["username"], &jira["doneTransition"], &jira["table"]),
        (
            &json!(jira_id),
            &json!("JIRA"),
            &json!("https://acme.atlassian.net"),
            &json!("ops@acme.test"),
            &json!("Done"),
            &Value::Null
        )
    );
    assert_eq!(jira["inboundPath"], format!("/hooks/jira/{jira_id}"));
    assert_eq!(jira["actor"]["name"], "Jira connection \"Acme Jira\"");
    assert_eq!(
        (&connections[1]["id"], &connections[1]["table"], &connections[1]["doneTransition"]),
        (&json!(sn), &json!("incident"), &json!("7"))
    );

    // Nothing readable holds a secret: every field of the type, and the rows themselves.
    let introspection = app
        .data(
            &t.consultant,
            r#"{ __type(name: "TrackerConnection") { fields { name type { kind ofType { kind } } } } }"#,
            json!({}),
        )
        .await;
    let scalars: Vec<String> = introspection["__type"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            let kind = f["type"]["kind"].as_str().unwrap();
            let inner = f["type"]["ofType"]["kind"].as_str().unwrap_or_default();
            matches!(kind, "SCALAR" | "ENUM") || matches!(inner, "SCALAR" | "ENUM")
        })
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(scalars.len() >= 10, "{scalars:?}");
    let everything =
        app.engagement(&t.consultant, &t.engagement, &format!("trackerConnections {{ {} }}", scalars.join(" "))).await;
    let text = everything.to_string();
    for hidden in [JIRA_TOKEN, SN_PASSWORD, secret.as_str()] {
        assert!(!text.contains(hidden), "{hidden} readable in {text}");
    }
    let conn = t.app.db.connect().await;
    let rows = conn
        .query_all_raw(sea_orm::Statement::from_string(
            conn.get_database_backend(),
            "SELECT credentials, inbound_secret FROM tracker_connections",
        ))
        .await
        .unwrap();
    for row in rows {
        let sealed: String = row.try_get("", "credentials").unwrap();
        assert!(sealed.starts_with("v1:") && !sealed.contains(JIRA_TOKEN) && !sealed.contains(SN_PASSWORD), "{sealed}");
    }

    // Who may, and the rules.
    let input = json!({ "engagementId": t.engagement, "system": "JIRA", "name": "Second", "baseUrl": "https://x.test",
        "credentials": { "email": "a@b.test", "apiToken": "t" } });
    for token in [&t.workstream, &t.stakeholder] {
        let body = app.mutate(token, "createTrackerConnection", "trackerConnection { id }", input.clone()).await;
        assert_eq!(error_code(&body), "FORBIDDEN");
    }
    let body = app.mutate(&t.stranger, "createTrackerConnection", "trackerConnection { id }", input.clone()).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let twice = app.mutate(&t.consultant, "createTrackerConnection", "trackerConnection { id }", input.clone()).await;
    assert_eq!(crate::common::codes(&twice), [crate::common::pair("system", "TRACKER_CONNECTED")]);
    let other = crate::common::merge(input.clone(), json!({ "system": "OTHER" }));
    let other = app.mutate(&t.consultant, "createTrackerConnection", "trackerConnection { id }", other).await;
    assert_eq!(crate::common::codes(&other), [crate::common::pair("system", "NOT_CONNECTABLE")]);
    let no_token = crate::common::merge(input, json!({ "credentials": { "email": "a@b.test" } }));
    let no_token = app.mutate(&t.consultant, "createTrackerConnection", "trackerConnection { id }", no_token).await;
    assert_eq!(no_token["userErrors"][0]["field"], json!(["input", "credentials", "apiToken"]), "{no_token}");
    assert_eq!(no_token["userErrors"][0]["code"], "REQUIRED");

    // Changing it: new credentials replace the old, a stale version conflicts.
    let input = json!({ "trackerConnectionId": jira_id, "name": "Acme Jira Cloud", "doneTransition": "31",
        "credentials": { "email": "bot@acme.test", "apiToken": "new-token" }, "expectedVersion": 1 });
    let updated = app
        .mutate_ok(
            &t.consultant,
            "updateTrackerConnection",
            "trackerConnection { name username doneTransition version }",
            input.clone(),
        )
        .await;
    assert_eq!(
        updated["trackerConnection"],
        json!({ "name": "Acme Jira Cloud", "username": "bot@acme.test", "doneTransition": "31", "version": 2 })
    );
    let stale = app.mutate(&t.consultant, "updateTrackerConnection", "trackerConnection { id }", input).await;
    assert_eq!(error_code(&stale), "CONFLICT");
    let input = json!({ "trackerConnectionId": jira_id });
    let rotated = app
        .mutate_ok(&t.consultant, "rotateTrackerInboundSecret", "inboundSecret trackerConnection { version }", input)
        .await;
    let new_secret = rotated["inboundSecret"].as_str().unwrap();
    assert!(new_secret.len() == 64 && new_secret != secret);
    let input = json!({ "trackerConnectionId": sn });
    let refused = app.mutate(&t.consultant, "rotateTrackerInboundSecret", "inboundSecret", input.clone()).await;
    assert_eq!(crate::common::codes(&refused), [crate::common::pair("trackerConnectionId", "NOT_CONNECTABLE")]);
    let deleted = app.mutate_ok(&t.consultant, "deleteTrackerConnection", "deletedTrackerConnectionId", input).await;
    assert_eq!(deleted["deletedTrackerConnectionId"], json!(sn));
    let data = app.engagement(&t.consultant, &t.engagement, "trackerConnections { id }").await;
    assert_eq!(data["trackerConnections"], json!([{ "id": jira_id }]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jira_ticket_done_completes_its_activity_once() {
    let Setup { t, dna } = setup().await;
    let app = &t.app;
    let (jira_id, secret) = connect_jira(&t, "https://acme.atlassian.net").await;
    let before = activity(app, &t.consultant, &dna).await;
    assert_eq!(before["status"], "IN_PROGRESS");

    let (status, body) = jira_hook(app, &jira_id, &secret, "delivery-1", jira_body("OPS-1", "Done", "done")).await;
    assert_eq!((status, body["outcome"].as_str()), (StatusCode::ACCEPTED, Some("APPLIED")), "{body}");
    let done = activity(app, &t.consultant, &dna).await;
    assert_eq!(done["status"], "DONE");
    assert_eq!(done["version"], before["version"].as_i64().unwrap() + 1);
    let trail = app
        .engagement(&t.consultant, &t.engagement, "auditTrail(first: 1) { nodes { action summary actor { name } } }")
        .await["auditTrail"]["nodes"][0]
        .clone();
    assert_eq!(trail["action"], "activity.completed");
    assert_eq!(trail["actor"]["name"], "Jira connection \"Acme Jira\"", "the connection acted: {trail}");
    assert!(trail["summary"].as_str().unwrap().contains("OPS-1 is Done"), "{trail}");

    // The same delivery again: nothing changes, nothing is logged twice.
    let events = app.count_rows("audit_events").await;
    let (status, body) = jira_hook(app, &jira_id, &secret, "delivery-1", jira_body("OPS-1", "Done", "done")).await;
    assert_eq!((status, body["outcome"].as_str()), (StatusCode::ACCEPTED, Some("REPLAYED")), "{body}");
    assert_eq!(activity(app, &t.consultant, &dna).await, done);
    assert_eq!(app.count_rows("audit_events").await, events);

    // Moved out of done: the activity reopens.
    let (_, body) =
        jira_hook(app, &jira_id, &secret, "delivery-2", jira_body("OPS-1", "In Progress", "indeterminate")).await;
    assert_eq!(body["outcome"], "APPLIED", "{body}");
    assert_eq!(activity(app, &t.consultant, &dna).await["status"], "IN_PROGRESS");
    // A move that changes nothing is logged as ignored.
    let (_, body) =
        jira_hook(app, &jira_id, &secret, "delivery-3", jira_body("OPS-1", "In Review", "indeterminate")).await;
    assert_eq!(body["outcome"], "IGNORED", "{body}");
    let log = inbound_log(app, &t.consultant, &jira_id).await;
    let outcomes: Vec<(&str, &str)> = log.iter().map(|(d, _, o)| (d.as_str(), o.as_str())).collect();
    assert_eq!(outcomes, [("delivery-3", "IGNORED"), ("delivery-2", "APPLIED"), ("delivery-1", "APPLIED")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_or_missing_signature_is_refused_and_changes_nothing() {
    let Setup { t, dna } = setup().await;
    let app = &t.app;
    let (jira_id, secret) = connect_jira(&t, "https://acme.atlassian.net").await;
    let before = activity(app, &t.consultant, &dna).await;
    let events = app.count_rows("audit_events").await;

    let (status, body) =
        jira_hook(app, &jira_id, "not-the-secret", "forged-1", jira_body("OPS-1", "Done", "done")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    // Signed, then altered.
    let signature = jira::sign(&secret, &jira_body("OPS-1", "To Do", "new"));
    let resp = app
        .http
        .post(app.url(&format!("/hooks/jira/{jira_id}")))
        .header("x-hub-signature", signature)
        .body(jira_body("OPS-1", "Done", "done"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let unsigned = app.http.post(app.url(&format!("/hooks/jira/{jira_id}"))).body(jira_body("OPS-1", "Done", "done"));
    assert_eq!(unsigned.send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    // An ID that names no connection (or not a Jira one).
    let (status, _) = jira_hook(app, &t.engagement, &secret, "x", jira_body("OPS-1", "Done", "done")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    assert_eq!(activity(app, &t.consultant, &dna).await, before);
    assert_eq!(app.count_rows("audit_events").await, events);
    assert_eq!(app.count_rows("tracker_inbound_deliveries").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_ticket_is_accepted_and_logged_as_ignored() {
    let Setup { t, .. } = setup().await;
    let app = &t.app;
    let (jira_id, secret) = connect_jira(&t, "https://acme.atlassian.net").await;
    let events = app.count_rows("audit_events").await;
    let (status, body) = jira_hook(app, &jira_id, &secret, "d-9", jira_body("OPS-999", "Done", "done")).await;
    assert_eq!((status, body["outcome"].as_str()), (StatusCode::ACCEPTED, Some("IGNORED")), "{body}");
    assert_eq!(inbound_log(app, &t.consultant, &jira_id).await, [("d-9".into(), "OPS-999".into(), "IGNORED".into())]);
    assert_eq!(app.count_rows("audit_events").await, events);
    let (_, body) = jira_hook(app, &jira_id, &secret, "d-9", jira_body("OPS-999", "Done", "done")).await;
    assert_eq!(body["outcome"], "REPLAYED");
    // Not about an issue at all.
    let (status, body) =
        jira_hook(app, &jira_id, &secret, "d-10", br#"{"webhookEvent":"project_created"}"#.to_vec()).await;
    assert_eq!((status, body["outcome"].as_str()), (StatusCode::ACCEPTED, Some("IGNORED")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_of_the_activity_is_recorded_as_the_tickets_status() {
    let Setup { t, dna } = setup().await;
    let app = &t.app;
    let (jira_id, secret) = connect_jira(&t, "https://acme.atlassian.net").await;
    transition(app, &t.consultant, "completeActivity", &dna, None).await;
    let design = activity_ids(app, &t.consultant, &t.engagement).await["patch-management/DESIGN"].clone();
    transition(app, &t.consultant, "startActivity", &design, None).await;
    let input =
        json!({ "activityId": design, "title": "WSUS kept", "description": "d", "risks": "r", "severity": "HIGH" });
    let deviation =
        app.mutate_ok(&t.consultant, "recordDeviation", "deviation { id }", input).await["deviation"]["id"].clone();
    track(app, &t.consultant, "setActivityTracker", "activityId", &design, "JIRA", "OPS-2").await;

    let (status, body) = jira_hook(app, &jira_id, &secret, "d-1", jira_body("OPS-2", "Done", "done")).await;
    assert_eq!((status, body["outcome"].as_str()), (StatusCode::ACCEPTED, Some("RECORDED")), "{body}");
    let recorded = activity(app, &t.consultant, &design).await;
    assert_eq!(recorded["status"], "IN_PROGRESS");
    assert_eq!(recorded["trackerStatus"]["status"], "Done");
    let reason = recorded["trackerStatus"]["reason"].as_str().unwrap();
    assert!(reason.contains("DEVIATION_WITHOUT_MITIGATION"), "{reason}");
    let trail = app.engagement(&t.consultant, &t.engagement, "auditTrail(first: 1) { nodes { action } }").await;
    assert_eq!(trail["auditTrail"]["nodes"][0]["action"], "activity.tracker_status_recorded");

    // Once the deviation is mitigated, completing the activity clears the recorded status.
    let input = json!({ "deviationId": deviation, "mitigationPlan": "Patch monthly" });
    app.mutate_ok(&t.consultant, "updateDeviation", "deviation { id }", input).await;
    transition(app, &t.consultant, "completeActivity", &design, None).await;
    let done = activity(app, &t.consultant, &design).await;
    assert_eq!((&done["status"], &done["trackerStatus"]), (&json!("DONE"), &Value::Null));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servicenow_webhooks_need_a_caller_who_may_complete_activities() {
    let Setup { t, dna } = setup().await;
    let app = &t.app;
    let sn = connect_servicenow(&t, "https://acme.service-now.com").await;
    track(app, &t.consultant, "setActivityTracker", "activityId", &dna, "SERVICENOW", "INC0010023").await;
    let body = json!({ "number": "INC0010023", "sys_id": "9d385017c611228701d22104cc95c371", "state": "7",
        "state_label": "Closed", "sys_updated_on": "2026-11-30 10:00:00" });
    let hook = |token: Option<String>| {
        let mut req = app.http.post(app.url(&format!("/hooks/servicenow/{sn}"))).json(&body);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req
    };
    let events = app.count_rows("audit_events").await;
    assert_eq!(hook(None).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(hook(Some(t.stakeholder.clone())).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(hook(Some(t.stranger.clone())).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(app.count_rows("audit_events").await, events);
    assert_eq!(app.count_rows("tracker_inbound_deliveries").await, 0);

    let resp = hook(Some(t.consultant.clone())).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    assert_eq!(resp.json::<Value>().await.unwrap()["outcome"], "APPLIED");
    assert_eq!(activity(app, &t.consultant, &dna).await["status"], "DONE");
    // sys_id and sys_updated_on make the delivery ID: the same record update is a replay.
    let resp = hook(Some(t.consultant.clone())).send().await.unwrap();
    assert_eq!(resp.json::<Value>().await.unwrap()["outcome"], "REPLAYED");
    let log = inbound_log(app, &t.consultant, &sn).await;
    assert_eq!(
        log,
        [("9d385017c611228701d22104cc95c371@2026-11-30 10:00:00".into(), "INC0010023".into(), "APPLIED".into())]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_delivery_sent_many_times_at_once_changes_the_activity_once() {
    let Setup { t, dna } = setup().await;
    let app = &t.app;
    let (jira_id, secret) = connect_jira(&t, "https://acme.atlassian.net").await;
    let before = activity(app, &t.consultant, &dna).await;
    let sends = (0..8).map(|_| jira_hook(app, &jira_id, &secret, "race-1", jira_body("OPS-1", "Done", "done")));
    let answers = futures::future::join_all(sends).await;
    let mut outcomes: Vec<String> = answers
        .iter()
        .map(|(status, body)| {
            assert_eq!(*status, StatusCode::ACCEPTED, "{body}");
            body["outcome"].as_str().unwrap().to_owned()
        })
        .collect();
    outcomes.sort();
    let expected: Vec<String> = std::iter::once("APPLIED").chain(["REPLAYED"; 7]).map(str::to_owned).collect();
    assert_eq!(outcomes, expected);
    let after = activity(app, &t.consultant, &dna).await;
    assert_eq!(
        (&after["status"], after["version"].as_i64()),
        (&json!("DONE"), Some(before["version"].as_i64().unwrap() + 1))
    );
    assert_eq!(app.count_rows("tracker_inbound_deliveries").await, 1);
}
