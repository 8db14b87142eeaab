//! Creating engagements, reading them, and what strangers see of them.

use serde_json::{Value, json};

use crate::common::{TestApp, codes, engagement_input, error_code, global_id, pair};

const CREATE: &str = "mutation($input: CreateEngagementInput!) { createEngagement(input: $input) {
    engagement { id name customerName status startsOn sprintLengthDays version viewerRole
      kit { key version } createdBy { subject }
      members { totalCount nodes { role user { subject name } } }
      activities(first: 100) { totalCount nodes { status kind title capability { key } } } }
    userErrors { field code message } } }";

fn input(changes: Value) -> Value {
    json!({ "input": engagement_input(changes) })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consultant_creates_an_engagement_with_its_activities() {
    let app = TestApp::start().await;
    let consultant = app.token("carla", &["consultant"]);
    let data = app.data(&consultant, CREATE, input(json!({}))).await;
    let payload = &data["createEngagement"];
    assert_eq!(payload["userErrors"], json!([]));
    let e = &payload["engagement"];
    assert_eq!(e["name"], "Mobilize");
    assert_eq!(e["status"], "PLANNED");
    assert_eq!(e["startsOn"], "2026-12-07");
    assert_eq!(e["version"], 1);
    assert_eq!(e["viewerRole"], "CONSULTANT");
    assert_eq!(e["kit"], json!({ "key": "aws-operations", "version": "1.0.0" }));
    assert_eq!(e["createdBy"]["subject"], "carla");
    assert_eq!(e["members"]["totalCount"], 1);
    assert_eq!(
        e["members"]["nodes"][0],
        json!({ "role": "CONSULTANT", "user": { "subject": "carla", "name": "User carla" } })
    );

    let activities = e["activities"]["nodes"].as_array().unwrap();
    assert_eq!(e["activities"]["totalCount"], 16);
    assert_eq!(activities.len(), 16);
    assert!(activities.iter().all(|a| a["status"] == "NOT_STARTED"));
    let count = |kind: &str| activities.iter().filter(|a| a["kind"] == kind).count();
    assert_eq!((count("DISCOVERY_AND_ANALYSIS"), count("DESIGN"), count("OVERVIEW")), (7, 7, 2));
    assert_eq!(activities[0]["title"], "Change Management Discovery and Analysis");
    assert_eq!(activities[0]["capability"]["key"], "change-management");

    // The change is in the audit trail, written with it.
    assert_eq!(app.count_rows("audit_events WHERE action = 'engagement.created'").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creating_needs_the_consultant_or_admin_claim() {
    let app = TestApp::start().await;
    let nobody = app.token("nobody", &[]);
    let body = app.gql(&nobody, CREATE, input(json!({}))).await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    let admin = app.token("root", &["admin"]);
    let data = app.data(&admin, CREATE, input(json!({}))).await;
    assert_eq!(data["createEngagement"]["engagement"]["viewerRole"], "CONSULTANT");
    assert_eq!(app.count_rows("engagements").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_reported_and_nothing_is_written() {
    let app = TestApp::start().await;
    let consultant = app.token("carla", &["consultant"]);
    let data = app
        .data(&consultant, CREATE, input(json!({ "name": "  ", "sprintLengthDays": 0, "kitVersion": "9.9.9" })))
        .await;
    let payload = &data["createEngagement"];
    assert!(payload["engagement"].is_null());
    assert_eq!(
        codes(payload),
        [pair("name", "REQUIRED"), pair("sprintLengthDays", "OUT_OF_RANGE"), pair("kitVersion", "KIT_NOT_FOUND")]
    );
    let too_long = "x".repeat(201);
    let data = app.data(&consultant, CREATE, input(json!({ "customerName": too_long }))).await;
    assert_eq!(data["createEngagement"]["userErrors"][0]["code"], "TOO_LONG");
    let body = app.gql(&consultant, CREATE, input(json!({ "startsOn": "not-a-date" }))).await;
    assert!(body["errors"].is_array(), "{body}");
    for table in ["engagements", "engagement_members", "activities", "audit_events WHERE engagement_id IS NOT NULL"] {
        assert_eq!(app.count_rows(table).await, 0, "{table}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strangers_cannot_tell_an_engagement_exists() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let stranger = app.token("stranger", &["consultant"]);
    let id = app.create_engagement(&owner, "Secret").await;
    let activity = app.data(&owner, "query($id: ID!) { engagement(id: $id) { activities(first: 1) { nodes { id } } members { nodes { id user { id } } } } }", json!({ "id": id })).await;
    let activity_id = activity["engagement"]["activities"]["nodes"][0]["id"].clone();
    let member_id = activity["engagement"]["members"]["nodes"][0]["id"].clone();
    let owner_user_id = activity["engagement"]["members"]["nodes"][0]["user"]["id"].clone();

    let missing = app.gql(&stranger, "query($id: ID!) { engagement(id: $id) { id } }", json!({ "id": id })).await;
    assert_eq!(error_code(&missing), "NOT_FOUND");
    // Indistinguishable from an ID that does not exist.
    let query = "query($id: ID!) { engagement(id: $id) { id } }";
    let nonexistent = app.gql(&stranger, query, json!({ "id": global_id("Engagement", 99_999) })).await;
    assert_eq!(nonexistent["errors"][0]["message"], missing["errors"][0]["message"]);

    for node in [
        &id,
        &activity_id.as_str().unwrap().to_owned(),
        &member_id.as_str().unwrap().to_owned(),
        &owner_user_id.as_str().unwrap().to_owned(),
    ] {
        let body = app.gql(&stranger, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": node })).await;
        assert_eq!(error_code(&body), "NOT_FOUND", "node {node}");
        let data =
            app.data(&stranger, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", json!({ "ids": [node] })).await;
        assert_eq!(data["nodes"], json!([null]));
    }
    let data =
        app.data(&stranger, "{ engagements { totalCount } viewer { engagements { totalCount } } }", json!({})).await;
    assert_eq!(data["engagements"]["totalCount"], 0);
    assert_eq!(data["viewer"]["engagements"]["totalCount"], 0);

    // The owner refetches everything by node.
    let data = app
        .data(
            &owner,
            "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }",
            json!({ "ids": [id, activity_id, member_id, owner_user_id] }),
        )
        .await;
    let types: Vec<_> = data["nodes"].as_array().unwrap().iter().map(|n| n["__typename"].as_str().unwrap()).collect();
    assert_eq!(types, ["Engagement", "Activity", "EngagementMember", "User"]);

    // An admin reads every engagement without being a member.
    let admin = app.token("root", &["admin"]);
    let data = app.data(&admin, "query($id: ID!) { engagement(id: $id) { name viewerRole } engagements { totalCount } viewer { engagements { totalCount } } }", json!({ "id": id })).await;
    assert_eq!(data["engagement"], json!({ "name": "Secret", "viewerRole": null }));
    assert_eq!(data["engagements"]["totalCount"], 1);
    assert_eq!(data["viewer"]["engagements"]["totalCount"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engagement_lists_page_filter_and_sort() {
    let app = TestApp::start().await;
    let me = app.token("pager", &["consultant"]);
    for name in ["Bravo", "Alpha", "Delta", "Charlie", "Echo"] {
        app.create_engagement(&me, name).await;
    }
    let list = "query($first: Int, $after: String, $last: Int, $before: String, $order: EngagementOrder, $filter: EngagementFilter) {
        engagements(first: $first, after: $after, last: $last, before: $before, orderBy: $order, filter: $filter) {
          totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { name } } }";
    let names = |d: &Value| {
        d["engagements"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };

    let by_name = json!({ "field": "NAME", "direction": "ASC" });
    let page1 = app.data(&me, list, json!({ "first": 2, "order": by_name })).await;
    assert_eq!(names(&page1), ["Alpha", "Bravo"]);
    assert_eq!(page1["engagements"]["totalCount"], 5);
    assert_eq!(page1["engagements"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(page1["engagements"]["pageInfo"]["hasPreviousPage"], false);
    let cursor = page1["engagements"]["pageInfo"]["endCursor"].clone();
    let page2 = app.data(&me, list, json!({ "first": 2, "after": cursor, "order": by_name })).await;
    assert_eq!(names(&page2), ["Charlie", "Delta"]);
    let page3 = app
        .data(
            &me,
            list,
            json!({ "first": 2, "after": page2["engagements"]["pageInfo"]["endCursor"], "order": by_name }),
        )
        .await;
    assert_eq!(names(&page3), ["Echo"]);
    assert_eq!(page3["engagements"]["pageInfo"]["hasNextPage"], false);
    let back = app
        .data(
            &me,
            list,
            json!({ "last": 2, "before": page3["engagements"]["pageInfo"]["startCursor"], "order": by_name }),
        )
        .await;
    assert_eq!(names(&back), ["Charlie", "Delta"]);
    assert_eq!(back["engagements"]["pageInfo"]["hasPreviousPage"], true);

    let desc = app.data(&me, list, json!({ "first": 2, "order": { "field": "NAME", "direction": "DESC" } })).await;
    assert_eq!(names(&desc), ["Echo", "Delta"]);
    let newest = app.data(&me, list, json!({ "first": 1 })).await;
    assert_eq!(names(&newest), ["Echo"], "default order: newest first");

    let found = app.data(&me, list, json!({ "filter": { "search": "alpha" } })).await;
    assert_eq!(names(&found), ["Alpha"]);
    let by_customer =
        app.data(&me, list, json!({ "filter": { "customerName": "Acme Health", "status": ["PLANNED"] } })).await;
    assert_eq!(by_customer["engagements"]["totalCount"], 5);
    let none = app.data(&me, list, json!({ "filter": { "status": ["ACTIVE"] } })).await;
    assert_eq!(none["engagements"]["totalCount"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn activities_filter_by_kind_and_capability() {
    let app = TestApp::start().await;
    let me = app.token("f", &["consultant"]);
    let id = app.create_engagement(&me, "Filters").await;
    let q = "query($id: ID!, $filter: ActivityFilter) { engagement(id: $id) { activities(filter: $filter) { totalCount nodes { title } } } }";
    let data = app.data(&me, q, json!({ "id": id, "filter": { "capability": "patch-management" } })).await;
    let titles: Vec<_> = data["engagement"]["activities"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Patch Management Discovery and Analysis", "Patch Management Design"]);
    let data = app.data(&me, q, json!({ "id": id, "filter": { "kind": "DESIGN", "status": "NOT_STARTED" } })).await;
    assert_eq!(data["engagement"]["activities"]["totalCount"], 7);
    let data = app.data(&me, q, json!({ "id": id, "filter": { "capability": "nope" } })).await;
    assert_eq!(data["engagement"]["activities"]["totalCount"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_counts_the_callers_engagements_and_no_others() {
    let app = TestApp::start().await;
    let me = app.token("counter", &["consultant"]);
    let other = app.token("other-counter", &["consultant"]);
    let admin = app.token("root", &["admin"]);
    for name in ["One", "Two"] {
        app.create_engagement(&me, name).await;
    }
    let theirs = app.create_engagement(&other, "Three").await;
    app.create_engagement(&other, "Four").await;
    let count = "query($filter: EngagementFilter) { engagements(filter: $filter) { totalCount nodes { name } }
        viewer { engagements(filter: $filter) { totalCount } } }";
    let totals = |d: &Value| {
        let nodes = d["engagements"]["nodes"].as_array().unwrap().len();
        (
            d["engagements"]["totalCount"].as_u64().unwrap(),
            nodes,
            d["viewer"]["engagements"]["totalCount"].as_u64().unwrap(),
        )
    };
    assert_eq!(totals(&app.data(&me, count, json!({})).await), (2, 2, 2));
    assert_eq!(totals(&app.data(&other, count, json!({})).await), (2, 2, 2));

    let member = app.add_member(&other, &theirs, "counter", "WORKSTREAM_MEMBER").await;
    assert_eq!(totals(&app.data(&me, count, json!({})).await), (3, 3, 3));
    let three = json!({ "filter": { "search": "three" } });
    assert_eq!(totals(&app.data(&me, count, three.clone()).await), (1, 1, 1));
    app.mutate_ok(&other, "removeEngagementMember", "__typename", json!({ "memberId": member })).await;
    assert_eq!(totals(&app.data(&me, count, json!({})).await), (2, 2, 2));
    assert_eq!(totals(&app.data(&me, count, three).await), (0, 0, 0));

    // An admin's list is every engagement; `viewer.engagements` their memberships: none.
    assert_eq!(totals(&app.data(&admin, count, json!({})).await), (4, 4, 0));
}
