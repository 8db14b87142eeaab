//! The audit trail: a scripted sequence of changes read back newest first,
//! filtered, paged both ways, refetched by ID, and hidden from strangers.

use serde_json::{Value, json};

use crate::common::{TestApp, capability, error_code, global_id, merge};

const TRAIL: &str =
    "query($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $filter: AuditEventFilter) {
  engagement(id: $id) { auditTrail(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { id action objectType objectId occurredAt summary actor { subject } engagement { id } } } } }";

const NODE: &str = "query($id: ID!) { node(id: $id) { __typename id } }";

/// What a test checks of one event: action, actor and object.
fn brief(event: &Value) -> (String, String, String) {
    (
        event["action"].as_str().unwrap().to_owned(),
        event["actor"]["subject"].as_str().unwrap_or("system").to_owned(),
        event["objectId"].as_str().unwrap().to_owned(),
    )
}

async fn trail(app: &TestApp, token: &str, id: &str, args: Value) -> Value {
    app.data(token, TRAIL, merge(json!({ "id": id }), args)).await["engagement"]["auditTrail"].clone()
}

fn actions(page: &Value) -> Vec<String> {
    page["nodes"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_is_in_the_trail_newest_first() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Audited").await;
    let wanda = app.add_member(&owner, &id, "wanda", "WORKSTREAM_MEMBER").await;
    let carl = app.add_member(&owner, &id, "carl", "CONSULTANT").await;
    app.data(
        &owner,
        "mutation($input: ChangeEngagementMemberRoleInput!) { changeEngagementMemberRole(input: $input) { member { id } } }",
        json!({ "input": { "memberId": wanda, "role": "STAKEHOLDER" } }),
    )
    .await;
    let carl_token = app.token("carl", &[]);
    let patch = capability(&app, &owner, &id, "patch-management").await;
    let input = json!({ "engagementId": id, "capabilityId": patch, "party": "AWS ProServe", "role": "A" });
    let payload = app.mutate_ok(&carl_token, "setRaciAssignment", "raciAssignment { id }", input).await;
    let raci = payload["raciAssignment"]["id"].as_str().unwrap().to_owned();
    let input = json!({ "engagementId": id, "capabilityId": patch, "level": "READY", "findings": "Met." });
    let payload = app.mutate_ok(&carl_token, "recordReadinessAssessment", "readinessAssessment { id }", input).await;
    let assessment = payload["readinessAssessment"]["id"].as_str().unwrap().to_owned();

    let page = trail(&app, &owner, &id, json!({})).await;
    assert_eq!(page["totalCount"], 6, "kit imports are not part of an engagement's trail");
    let events: Vec<_> = page["nodes"].as_array().unwrap().iter().map(brief).collect();
    let expected = [
        ("readiness.assessed", "carl", assessment.as_str()),
        ("raci.set", "carl", raci.as_str()),
        ("member.role_changed", "owner", wanda.as_str()),
        ("member.added", "owner", carl.as_str()),
        ("member.added", "owner", wanda.as_str()),
        ("engagement.created", "owner", id.as_str()),
    ];
    let expected: Vec<_> = expected.iter().map(|(a, s, o)| (a.to_string(), s.to_string(), o.to_string())).collect();
    assert_eq!(events, expected);
    let nodes = page["nodes"].as_array().unwrap();
    assert!(nodes.iter().all(|e| e["engagement"]["id"] == id.as_str()));
    assert_eq!(nodes[2]["objectType"], "EngagementMember");
    assert_eq!(nodes[2]["summary"], "changed wanda from workstream member to stakeholder");
    let times: Vec<_> = nodes.iter().map(|e| e["occurredAt"].as_str().unwrap().to_owned()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first: {times:?}");

    // Each object is refetchable by the ID the event names, and so is the event.
    for event in nodes {
        let data = app.data(&owner, NODE, json!({ "id": event["objectId"] })).await;
        assert_eq!(data["node"]["__typename"], event["objectType"]);
        assert_eq!(data["node"]["id"], event["objectId"]);
        let data = app
            .data(
                &owner,
                "query($id: ID!) { node(id: $id) { ... on AuditEvent { action objectId } } }",
                json!({ "id": event["id"] }),
            )
            .await;
        assert_eq!((&data["node"]["action"], &data["node"]["objectId"]), (&event["action"], &event["objectId"]));
    }
    // Any member reads the trail, a stakeholder too.
    let page = trail(&app, &app.token("wanda", &[]), &id, json!({ "first": 1 })).await;
    assert_eq!(actions(&page), ["readiness.assessed"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trail_filters_and_pages_both_ways() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Paged").await;
    let wanda = app.add_member(&owner, &id, "wanda", "WORKSTREAM_MEMBER").await;
    app.add_member(&owner, &id, "carl", "CONSULTANT").await;
    app.data(
        &owner,
        "mutation($input: ChangeEngagementMemberRoleInput!) { changeEngagementMemberRole(input: $input) { member { id } } }",
        json!({ "input": { "memberId": wanda, "role": "STAKEHOLDER" } }),
    )
    .await;
    let carl = app.token("carl", &[]);
    let patch = capability(&app, &owner, &id, "patch-management").await;
    for party in ["AWS ProServe", "Customer Cloud Ops"] {
        let input = json!({ "engagementId": id, "capabilityId": patch, "party": party, "role": "R" });
        app.mutate_ok(&carl, "setRaciAssignment", "raciAssignment { id }", input).await;
    }
    let all = trail(&app, &owner, &id, json!({})).await;
    let all_actions = actions(&all);
    assert_eq!(
        all_actions,
        ["raci.set", "raci.set", "member.role_changed", "member.added", "member.added", "engagement.created"]
    );

    // Filters.
    let filtered = |filter: Value| trail(&app, &owner, &id, json!({ "filter": filter }));
    let page = filtered(json!({ "actions": ["member.added", "member.role_changed"] })).await;
    assert_eq!((actions(&page).len(), page["totalCount"].as_i64()), (3, Some(3)));
    let page = filtered(json!({ "objectType": "EngagementMember" })).await;
    assert_eq!(actions(&page), ["member.role_changed", "member.added", "member.added"]);
    let carl_id = app.data(&carl, "{ viewer { id } }", json!({})).await["viewer"]["id"].clone();
    let page = filtered(json!({ "actorId": carl_id })).await;
    assert_eq!(actions(&page), ["raci.set", "raci.set"]);
    let role_changed_at = all["nodes"][2]["occurredAt"].clone();
    let page = filtered(json!({ "since": role_changed_at })).await;
    assert_eq!(actions(&page), ["raci.set", "raci.set", "member.role_changed"]);
    let page = filtered(json!({ "until": role_changed_at })).await;
    assert_eq!(actions(&page), ["member.added", "member.added", "engagement.created"]);
    let page = filtered(json!({ "since": role_changed_at, "actions": ["member.added"] })).await;
    assert_eq!(page["totalCount"], 0);
    let page = filtered(json!({ "actions": [] })).await;
    assert_eq!(page["totalCount"], 0, "an empty list matches nothing");
    let body = app.gql(&owner, TRAIL, json!({ "id": id, "filter": { "actorId": id } })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");

    // Forward: first/after.
    let p1 = trail(&app, &owner, &id, json!({ "first": 2 })).await;
    assert_eq!(actions(&p1), all_actions[0..2]);
    assert_eq!(p1["pageInfo"]["hasNextPage"], true);
    assert_eq!(p1["pageInfo"]["hasPreviousPage"], false);
    let p2 = trail(&app, &owner, &id, json!({ "first": 2, "after": p1["pageInfo"]["endCursor"] })).await;
    assert_eq!(actions(&p2), all_actions[2..4]);
    let p3 = trail(&app, &owner, &id, json!({ "first": 2, "after": p2["pageInfo"]["endCursor"] })).await;
    assert_eq!(actions(&p3), all_actions[4..6]);
    assert_eq!(p3["pageInfo"]["hasNextPage"], false);
    assert_eq!(p3["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(p3["totalCount"], 6);
    let ids = |p: &Value| p["nodes"].as_array().unwrap().iter().map(|e| e["id"].clone()).collect::<Vec<_>>();
    let forward: Vec<_> = [ids(&p1), ids(&p2), ids(&p3)].concat();
    assert_eq!(forward, ids(&all));

    // Backward: last/before meets the same pages.
    let b1 = trail(&app, &owner, &id, json!({ "last": 2 })).await;
    assert_eq!(ids(&b1), ids(&p3));
    assert_eq!(b1["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(b1["pageInfo"]["hasNextPage"], false);
    let b2 = trail(&app, &owner, &id, json!({ "last": 2, "before": b1["pageInfo"]["startCursor"] })).await;
    assert_eq!(ids(&b2), ids(&p2));
    let b3 = trail(&app, &owner, &id, json!({ "last": 3, "before": b2["pageInfo"]["startCursor"] })).await;
    assert_eq!(ids(&b3), ids(&p1));
    assert_eq!(b3["pageInfo"]["hasPreviousPage"], false);

    // Paging within a filter.
    let f1 = trail(&app, &owner, &id, json!({ "first": 1, "filter": { "objectType": "EngagementMember" } })).await;
    let f2 = trail(
        &app,
        &owner,
        &id,
        json!({ "first": 5, "after": f1["pageInfo"]["endCursor"], "filter": { "objectType": "EngagementMember" } }),
    )
    .await;
    assert_eq!(actions(&f2), ["member.added", "member.added"]);
    assert_eq!(f2["totalCount"], 3);
    let body = app.gql(&owner, TRAIL, json!({ "id": id, "first": 101 })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strangers_see_no_trail_and_no_event() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Private").await;
    let event = trail(&app, &owner, &id, json!({})).await["nodes"][0]["id"].as_str().unwrap().to_owned();

    let stranger = app.token("stranger", &["consultant"]);
    let body = app.gql(&stranger, TRAIL, json!({ "id": id })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let body = app.gql(&stranger, NODE, json!({ "id": event })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let data = app.data(&stranger, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", json!({ "ids": [event] })).await;
    assert_eq!(data["nodes"], json!([null]));
    let admin = app.token("root", &["admin"]);
    let data = app.data(&admin, NODE, json!({ "id": event })).await;
    assert_eq!(data["node"]["__typename"], "AuditEvent");

    // The bundled kit's import (the first event) belongs to no engagement: admins only.
    let import = global_id("AuditEvent", 1);
    let query =
        "query($id: ID!) { node(id: $id) { ... on AuditEvent { action objectType actor { id } engagement { id } } } }";
    let data = app.data(&admin, query, json!({ "id": import })).await;
    assert_eq!(
        data["node"],
        json!({ "action": "kit.imported", "objectType": "Kit", "actor": null, "engagement": null })
    );
    let body = app.gql(&owner, query, json!({ "id": import })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
}
