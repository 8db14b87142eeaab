//! API keys: created by consultants with the secret shown once, listed without
//! it, revoked; a key signs requests in as its engagement's `INTEGRATION` or
//! `READ_ONLY` caller and nothing more. (Isolation from other engagements is
//! also walked, object by object, in `isolation.rs`.)

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{EVENTS, Sse, Team, Ws, activity_ids, agree_target, error_code, head_cursor, transition};

const KEY_FIELDS: &str = "id name role prefix createdAt lastUsedAt expiresAt revokedAt createdBy { subject } version";

impl Team {
    /// Creates a key as the consultant; returns the payload (`apiKey`, `secret`).
    async fn key(&self, role: &str, extra: Value) -> Value {
        let mut input = json!({ "engagementId": self.engagement, "name": format!("{role} bot"), "role": role });
        if let (Some(input), Value::Object(extra)) = (input.as_object_mut(), extra) {
            input.extend(extra);
        }
        self.app.mutate_ok(&self.consultant, "createApiKey", &format!("apiKey {{ {KEY_FIELDS} }} secret"), input).await
    }

    async fn keys(&self) -> Value {
        let selection = format!("apiKeys(first: 50) {{ totalCount nodes {{ {KEY_FIELDS} }} }}");
        self.app.engagement(&self.consultant, &self.engagement, &selection).await["apiKeys"].clone()
    }
}

fn secret(created: &Value) -> String {
    created["secret"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_is_created_listed_and_its_secret_shown_once() {
    let t = Team::start("Keys", "carla").await;
    let created = t.key("READ_ONLY", json!({ "expiresAt": "2099-01-01T00:00:00Z" })).await;
    let secret = secret(&created);
    assert!(secret.starts_with("opk_") && secret.len() == 47, "{secret}");
    let key = &created["apiKey"];
    assert_eq!(key["role"], "READ_ONLY");
    assert_eq!(key["createdBy"]["subject"], "carla");
    assert_eq!(key["prefix"].as_str().unwrap(), &secret[..12]);
    assert_eq!(key["lastUsedAt"], Value::Null);
    assert_eq!(key["expiresAt"], "2099-01-01T00:00:00+00:00");

    let list = t.keys().await;
    assert_eq!(list["totalCount"], 1);
    assert_eq!(list["nodes"][0]["id"], key["id"]);
    // The secret is stored only as its hash: it appears nowhere but in the create payload.
    assert!(!list.to_string().contains(&secret));
    let schema = t.app.data(&t.consultant, r#"{ __type(name: "ApiKey") { fields { name } } }"#, json!({})).await;
    assert!(!schema.to_string().contains("\"secret\""), "no field gives the secret back: {schema}");
    assert_eq!(t.app.count_rows(&format!("api_keys WHERE secret_hash LIKE '%{}%'", &secret[4..20])).await, 0);
    let audit = t.app.count_rows("audit_events WHERE action = 'api_key.created'").await;
    assert_eq!(audit, 1);

    // Used: the key reads its engagement, and `lastUsedAt` says so.
    let data = t.app.engagement(&secret, &t.engagement, "id name").await;
    assert_eq!(data["id"], t.engagement.as_str());
    assert_ne!(t.keys().await["nodes"][0]["lastUsedAt"], Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_those_who_manage_integrations_create_list_and_revoke_keys() {
    let t = Team::start("Key managers", "carla").await;
    let created = t.key("INTEGRATION", json!({})).await;
    let key_id = created["apiKey"]["id"].as_str().unwrap().to_owned();
    let reader = secret(&t.key("READ_ONLY", json!({})).await);
    let integration = secret(&created);
    let input = json!({ "engagementId": t.engagement, "name": "mine", "role": "READ_ONLY" });
    for (who, token) in [
        ("workstream", &t.workstream),
        ("stakeholder", &t.stakeholder),
        ("integration", &integration),
        ("read-only", &reader),
    ] {
        let body = t.app.mutate(token, "createApiKey", "apiKey { id }", input.clone()).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{who}: {body}");
        let body = t.app.mutate(token, "revokeApiKey", "apiKey { id }", json!({ "apiKeyId": key_id })).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{who}: {body}");
        let body = t
            .app
            .gql(
                token,
                "query($id: ID!) { engagement(id: $id) { apiKeys { totalCount } } }",
                json!({ "id": t.engagement }),
            )
            .await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{who}: {body}");
    }
    let body = t.app.mutate(&t.stranger, "createApiKey", "apiKey { id }", input).await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
    assert_eq!(t.app.count_rows("api_keys").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_expired_or_unknown_key_is_unauthenticated() {
    let t = Team::start("Key refusals", "carla").await;
    let created = t.key("READ_ONLY", json!({})).await;
    let revoked_secret = secret(&created);
    let query = "query($id: ID!) { engagement(id: $id) { id } }";
    let vars = json!({ "id": t.engagement });
    let (status, _, _) = t.app.post(Some(&revoked_secret), query, vars.clone()).await;
    assert_eq!(status, StatusCode::OK);

    let revoked = t
        .app
        .mutate_ok(
            &t.consultant,
            "revokeApiKey",
            "apiKey { revokedAt version }",
            json!({ "apiKeyId": created["apiKey"]["id"] }),
        )
        .await;
    assert_ne!(revoked["apiKey"]["revokedAt"], Value::Null);
    let (status, _, body) = t.app.post(Some(&revoked_secret), query, vars.clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("revoked"), "{body}");
    // Revoking again changes nothing (no second event).
    t.app
        .mutate_ok(&t.consultant, "revokeApiKey", "apiKey { id }", json!({ "apiKeyId": created["apiKey"]["id"] }))
        .await;
    assert_eq!(t.app.count_rows("audit_events WHERE action = 'api_key.revoked'").await, 1);

    // Expired: a key whose expiry has passed (set in the database: the API refuses a past expiry).
    let expiring = t.key("READ_ONLY", json!({ "expiresAt": "2099-01-01T00:00:00Z" })).await;
    let body = t.app.mutate(&t.consultant, "createApiKey", "apiKey { id }",
        json!({ "engagementId": t.engagement, "name": "old", "role": "READ_ONLY", "expiresAt": "2001-01-01T00:00:00Z" })).await;
    assert_eq!(body["userErrors"][0]["code"], "OUT_OF_RANGE", "{body}");
    let raw = crate::common::raw_id(expiring["apiKey"]["id"].as_str().unwrap());
    t.app.db.execute(&format!("UPDATE api_keys SET expires_at = created_at WHERE id = {raw}")).await;
    let (status, _, body) = t.app.post(Some(&secret(&expiring)), query, vars.clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("expired"), "{body}");

    let unknown = format!("opk_{}", "A".repeat(43));
    let (status, _, body) = t.app.post(Some(&unknown), query, vars).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_key_reads_and_is_refused_every_write() {
    let t = Team::start("Read-only", "carla").await;
    let reader = secret(&t.key("READ_ONLY", json!({})).await);
    let acts = activity_ids(&t.app, &t.consultant, &t.engagement).await;
    let dna = acts["patch-management/DISCOVERY_AND_ANALYSIS"].clone();
    let design = acts["patch-management/DESIGN"].clone();
    let data = t
        .app
        .engagement(&reader, &t.engagement, "name activities(first: 5) { nodes { id } } members { totalCount }")
        .await;
    assert_eq!(data["name"], "Read-only");
    assert_eq!(data["members"]["totalCount"], 3);

    let e = &t.engagement;
    let writes = [
        ("updateEngagement", json!({ "engagementId": e, "name": "x" })),
        ("startEngagement", json!({ "engagementId": e })),
        ("addEngagementMember", json!({ "engagementId": e, "subject": "x", "role": "STAKEHOLDER" })),
        ("addSprint", json!({ "engagementId": e, "startsOn": "2030-01-07", "endsOn": "2030-01-20" })),
        ("createApiKey", json!({ "engagementId": e, "name": "x", "role": "READ_ONLY" })),
        ("startActivity", json!({ "activityId": dna })),
        ("completeActivity", json!({ "activityId": dna })),
        ("reopenActivity", json!({ "activityId": dna })),
        ("setActivityTracker", json!({ "activityId": dna, "system": "JIRA", "key": "OPS-1" })),
        ("addDocumentLink", json!({ "activityId": dna, "title": "x", "url": "https://x.test" })),
        (
            "recordDeviation",
            json!({ "activityId": design, "title": "x", "description": "x", "risks": "x", "severity": "LOW" }),
        ),
        (
            "addWorkshopSession",
            json!({ "engagementId": e, "title": "x", "phase": "CURRENT_STATE_REVIEW", "audience": "ALL", "durationMinutes": 60 }),
        ),
        ("createEngagement", crate::common::engagement_input(json!({}))),
    ];
    let before = t.app.count_rows("audit_events").await;
    for (op, input) in writes {
        let body = t.app.mutate(&reader, op, "__typename", input).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{op}: {body}");
    }
    assert_eq!(t.app.count_rows("audit_events").await, before, "no refusal wrote");
    // What the UI asks agrees.
    let can = t.app.engagement(&reader, &t.engagement, "viewerCan { manageMembers }").await;
    assert_eq!(can["viewerCan"]["manageMembers"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_integration_key_sets_trackers_and_completes_linked_activities_only() {
    let t = Team::start("Integration", "carla").await;
    let bot = secret(&t.key("INTEGRATION", json!({})).await);
    let acts = activity_ids(&t.app, &t.consultant, &t.engagement).await;
    let linked = acts["patch-management/DISCOVERY_AND_ANALYSIS"].clone();
    let unlinked = acts["change-management/DISCOVERY_AND_ANALYSIS"].clone();
    for id in [&linked, &unlinked] {
        transition(&t.app, &t.consultant, "startActivity", id, None).await;
        agree_target(&t.app, &t.consultant, id).await;
    }

    // Allowed: the tracker, then completing and reopening the linked activity.
    let input = json!({ "activityId": linked, "system": "JIRA", "key": "OPS-7", "url": "https://acme.atlassian.net/browse/OPS-7" });
    t.app.mutate_ok(&bot, "setActivityTracker", "activity { tracker { key } }", input).await;
    let can = t
        .app
        .data(
            &bot,
            "query($id: ID!) { node(id: $id) { ... on Activity { viewerCan { complete start setTracker } } } }",
            json!({ "id": linked }),
        )
        .await;
    assert_eq!(can["node"]["viewerCan"], json!({ "complete": true, "start": false, "setTracker": true }));
    assert_eq!(transition(&t.app, &bot, "completeActivity", &linked, None).await["activity"]["status"], "DONE");
    assert_eq!(transition(&t.app, &bot, "reopenActivity", &linked, None).await["activity"]["status"], "IN_PROGRESS");

    // The audit trail names the key as the actor.
    let trail = t
        .app
        .engagement(&t.consultant, &t.engagement, "auditTrail(first: 3) { nodes { action actor { name subject } } }")
        .await;
    let last = &trail["auditTrail"]["nodes"][0];
    assert_eq!(last["action"], "activity.reopened", "{trail}");
    assert_eq!(last["actor"]["name"], "INTEGRATION bot (API key)", "{trail}");
    assert!(last["actor"]["subject"].as_str().unwrap().starts_with("api-key:"), "{trail}");

    // Refused: an activity without a ticket, starting work, and everything about members or sign-off.
    let body = transition(&t.app, &bot, "completeActivity", &unlinked, None).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let can = t
        .app
        .data(
            &bot,
            "query($id: ID!) { node(id: $id) { ... on Activity { viewerCan { complete } } } }",
            json!({ "id": unlinked }),
        )
        .await;
    assert_eq!(can["node"]["viewerCan"]["complete"], false);
    let design = acts["tag-management/DESIGN"].clone();
    let body = transition(&t.app, &bot, "startActivity", &design, None).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = t
        .app
        .mutate(
            &bot,
            "addEngagementMember",
            "__typename",
            json!({ "engagementId": t.engagement, "subject": "x", "role": "CONSULTANT" }),
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let runbook = crate::common::core_runbook(&t.app, &t.consultant, &t.engagement, "patch-management").await;
    let body = t
        .app
        .mutate(&bot, "reviewRunbook", "__typename", json!({ "runbookId": runbook["id"], "verdict": "APPROVE" }))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_sees_only_its_engagement() {
    let t = Team::start("Mine", "carla").await;
    let other = t.app.create_engagement(&t.consultant, "Theirs").await;
    let bot = secret(&t.key("READ_ONLY", json!({})).await);
    let lists =
        "{ engagements(first: 10) { totalCount nodes { id } } viewer { engagements(first: 10) { totalCount } } }";
    let data = t.app.data(&bot, lists, json!({})).await;
    assert_eq!(data["engagements"], json!({ "totalCount": 1, "nodes": [{ "id": t.engagement }] }));
    assert_eq!(data["viewer"]["engagements"]["totalCount"], 1);
    let body = t.app.gql(&bot, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": other })).await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_follows_live_events_until_it_is_revoked() {
    let t = Team::start("Live keys", "carla").await;
    let created = t.key("READ_ONLY", json!({})).await;
    let bot = secret(&created);
    let head = head_cursor(&t.app, &t.consultant, &t.engagement).await;
    let vars = json!({ "id": t.engagement, "after": head });
    let mut ws = Ws::connect(&t.app.base, &bot).await;
    ws.subscribe("k", EVENTS, vars.clone()).await;
    let mut sse = Sse::open(&t.app, &bot, EVENTS, vars).await;
    t.app
        .mutate_ok(
            &t.consultant,
            "updateEngagement",
            "__typename",
            json!({ "engagementId": t.engagement, "name": "Renamed" }),
        )
        .await;
    assert_eq!(ws.next_event("k").await["type"], "engagement.updated");
    let (event, data) = sse.next().await;
    assert_eq!((event.as_str(), &data["data"]["engagementEvents"]["type"]), ("next", &json!("engagement.updated")));

    t.app.mutate_ok(&t.consultant, "revokeApiKey", "__typename", json!({ "apiKeyId": created["apiKey"]["id"] })).await;
    ws.ends_with("k", "ACCESS_REVOKED").await;
    sse.ends_with("ACCESS_REVOKED").await;
    let refused = Ws::init(&t.app.base, json!({ "authorization": format!("Bearer {bot}") })).await;
    assert!(refused.is_err_and(|closed| closed.reason.contains("UNAUTHENTICATED")));
}
