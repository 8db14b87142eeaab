//! Idempotent creates: a retry with the same `idempotencyKey` and input
//! returns the first result and writes nothing; the same key with another
//! input is `IDEMPOTENCY_KEY_REUSED`; concurrent retries create one object.

use serde_json::{Value, json};

use crate::common::{Team, activity_ids, capability, codes, pair};

/// Every create, with an input that succeeds once, and the payload field holding what it creates.
async fn creates(t: &Team) -> Vec<(&'static str, &'static str, Value)> {
    let acts = activity_ids(&t.app, &t.consultant, &t.engagement).await;
    let design = acts["patch-management/DESIGN"].clone();
    let dna = acts["patch-management/DISCOVERY_AND_ANALYSIS"].clone();
    let cap = capability(&t.app, &t.consultant, &t.engagement, "patch-management").await;
    let e = &t.engagement;
    vec![
        ("createEngagement", "engagement", crate::common::engagement_input(json!({ "name": "Retried" }))),
        ("addEngagementMember", "member", json!({ "engagementId": e, "subject": "newbie", "role": "STAKEHOLDER" })),
        (
            "recordDeviation",
            "deviation",
            json!({ "activityId": design, "title": "x", "description": "x", "risks": "x", "severity": "LOW" }),
        ),
        (
            "createCustomRunbook",
            "runbook",
            json!({ "engagementId": e, "capabilityId": cap, "title": "Own patching", "reason": "COTS tool" }),
        ),
        ("addSprint", "sprint", json!({ "engagementId": e, "startsOn": "2030-01-07", "endsOn": "2030-01-20" })),
        (
            "addWorkshopSession",
            "session",
            json!({ "engagementId": e, "title": "Extra", "phase": "CURRENT_STATE_REVIEW", "audience": "ALL", "durationMinutes": 60 }),
        ),
        (
            "addDocumentLink",
            "documentLink",
            json!({ "activityId": dna, "title": "Wiki", "url": "https://wiki.acme.test/patching" }),
        ),
        ("createApiKey", "apiKey", json!({ "engagementId": e, "name": "Retried bot", "role": "READ_ONLY" })),
        (
            "createWebhookEndpoint",
            "webhookEndpoint",
            json!({ "engagementId": e, "url": "https://93.184.215.14/hooks", "description": "Retried hook" }),
        ),
        (
            "createTrackerConnection",
            "trackerConnection",
            json!({ "engagementId": e, "system": "JIRA", "name": "Retried Jira", "baseUrl": "https://acme.atlassian.net",
                "credentials": { "email": "ops@acme.test", "apiToken": "jira-token" } }),
        ),
    ]
}

fn with_key(input: &Value, key: &str) -> Value {
    let mut input = input.clone();
    input["idempotencyKey"] = json!(key);
    input
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_returns_the_first_result_and_writes_nothing() {
    let t = Team::start("Retries", "carla").await;
    for (op, field, input) in creates(&t).await {
        let key = format!("retry-{op}");
        let first = t.app.mutate_ok(&t.consultant, op, &format!("{field} {{ id }}"), with_key(&input, &key)).await;
        let id = first[field]["id"].clone();
        assert!(id.is_string(), "{op}: {first}");
        let events = t.app.count_rows("audit_events").await;
        let again = t.app.mutate_ok(&t.consultant, op, &format!("{field} {{ id }}"), with_key(&input, &key)).await;
        assert_eq!(again[field]["id"], id, "{op}: the same object");
        assert_eq!(t.app.count_rows("audit_events").await, events, "{op}: no new audit event");

        // The same key with another input is refused, and writes nothing either.
        let mut other = with_key(&input, &key);
        let changed = ["name", "subject", "title", "startsOn", "description"]
            .into_iter()
            .find(|f| other.get(*f).is_some())
            .unwrap();
        other[changed] = match changed {
            "startsOn" => json!("2030-02-04"),
            _ => json!("something else"),
        };
        let body = t.app.mutate(&t.consultant, op, &format!("{field} {{ id }}"), other).await;
        assert_eq!(codes(&body), vec![pair("idempotencyKey", "IDEMPOTENCY_KEY_REUSED")], "{op}: {body}");
        assert_eq!(body[field], Value::Null, "{op}");
        assert_eq!(t.app.count_rows("audit_events").await, events, "{op}: nothing written");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_belong_to_their_caller_and_a_retried_api_key_hides_its_secret() {
    let t = Team::start("Key owners", "carla").await;
    let input = json!({ "engagementId": t.engagement, "startsOn": "2030-01-07", "endsOn": "2030-01-20", "idempotencyKey": "k" });
    let first = t.app.mutate_ok(&t.consultant, "addSprint", "sprint { id }", input.clone()).await;
    // Another consultant with the same key is another claim: a second sprint (here refused by its dates).
    let other = t.join("connie", "CONSULTANT").await;
    let body = t.app.mutate(&other, "addSprint", "sprint { id }", input).await;
    assert!(codes(&body).iter().any(|(_, code)| code == "SPRINT_OVERLAP"), "a new claim, a new sprint: {body}");
    assert!(first["sprint"]["id"].is_string());

    let input = json!({ "engagementId": t.engagement, "name": "bot", "role": "READ_ONLY", "idempotencyKey": "bot-1" });
    let created = t.app.mutate_ok(&t.consultant, "createApiKey", "apiKey { id } secret", input.clone()).await;
    assert!(created["secret"].as_str().unwrap().starts_with("opk_"));
    let again = t.app.mutate_ok(&t.consultant, "createApiKey", "apiKey { id } secret", input).await;
    assert_eq!(again["apiKey"]["id"], created["apiKey"]["id"]);
    assert_eq!(again["secret"], Value::Null, "the secret is shown once");

    let long =
        json!({ "engagementId": t.engagement, "name": "bot", "role": "READ_ONLY", "idempotencyKey": "k".repeat(101) });
    let body = t.app.mutate(&t.consultant, "createApiKey", "apiKey { id }", long).await;
    assert_eq!(codes(&body), vec![pair("idempotencyKey", "TOO_LONG")], "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retried_endpoint_or_connection_hides_its_secret() {
    let t = Team::start("Secrets once", "carla").await;
    let input =
        json!({ "engagementId": t.engagement, "url": "https://93.184.215.14/hooks", "idempotencyKey": "hook-1" });
    let op = "createWebhookEndpoint";
    let created = t.app.mutate_ok(&t.consultant, op, "webhookEndpoint { id } secret", input.clone()).await;
    assert!(created["secret"].as_str().unwrap().starts_with("whsec_"));
    let again = t.app.mutate_ok(&t.consultant, op, "webhookEndpoint { id } secret", input).await;
    assert_eq!((&again["webhookEndpoint"]["id"], &again["secret"]), (&created["webhookEndpoint"]["id"], &Value::Null));

    let input = json!({ "engagementId": t.engagement, "system": "JIRA", "name": "Jira", "baseUrl": "https://acme.atlassian.net",
        "credentials": { "email": "ops@acme.test", "apiToken": "jira-token" }, "idempotencyKey": "jira-1" });
    let op = "createTrackerConnection";
    let created = t.app.mutate_ok(&t.consultant, op, "trackerConnection { id } inboundSecret", input.clone()).await;
    assert_eq!(created["inboundSecret"].as_str().unwrap().len(), 64);
    let again = t.app.mutate_ok(&t.consultant, op, "trackerConnection { id } inboundSecret", input.clone()).await;
    let first = &created["trackerConnection"]["id"];
    assert_eq!((&again["trackerConnection"]["id"], &again["inboundSecret"]), (first, &Value::Null));
    // The credentials are part of the request, though never shown or logged.
    let mut other = input;
    other["credentials"]["apiToken"] = json!("another-token");
    let body = t.app.mutate(&t.consultant, op, "trackerConnection { id }", other).await;
    assert_eq!(codes(&body), vec![pair("idempotencyKey", "IDEMPOTENCY_KEY_REUSED")], "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_retries_create_one_object() {
    let t = Team::start("Races", "carla").await;
    let input = json!({ "engagementId": t.engagement, "title": "Raced", "phase": "CURRENT_STATE_REVIEW",
        "audience": "ALL", "durationMinutes": 60, "idempotencyKey": "race-1" });
    let sessions = t.app.count_rows("workshop_sessions").await;
    let events = t.app.count_rows("audit_events WHERE action = 'session.added'").await;
    let runs = (0..10).map(|_| t.app.mutate(&t.consultant, "addWorkshopSession", "session { id }", input.clone()));
    let results = futures::future::join_all(runs).await;
    let ids: std::collections::BTreeSet<String> = results
        .iter()
        .map(|r| {
            assert_eq!(r["userErrors"], json!([]), "{r}");
            r["session"]["id"].as_str().unwrap_or_else(|| panic!("{r}")).to_owned()
        })
        .collect();
    assert_eq!(ids.len(), 1, "every retry answers with the one session");
    assert_eq!(t.app.count_rows("workshop_sessions").await, sessions + 1);
    assert_eq!(t.app.count_rows("audit_events WHERE action = 'session.added'").await, events + 1);
}
