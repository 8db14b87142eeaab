//! Sprints: generated with the engagement, moved and added by consultants,
//! never overlapping.

use serde_json::{Value, json};

use crate::common::{Team, TestApp, codes, engagement_input, error_code, merge, pair, sprint_id};

const SPRINTS: &str = "query($id: ID!) { engagement(id: $id) { sprints {
    id number name startsOn endsOn goal version workshopSessions { id } } } }";
const UPDATE: &str = "mutation($input: UpdateSprintInput!) { updateSprint(input: $input) {
    sprint { id number name startsOn endsOn goal version } userErrors { field code message } } }";
const ADD: &str = "mutation($input: AddSprintInput!) { addSprint(input: $input) {
    sprint { id number name startsOn endsOn goal version } userErrors { field code message } } }";

/// The engagement's sprints, in number order.
async fn sprints(app: &TestApp, token: &str, engagement: &str) -> Vec<Value> {
    let data = app.data(token, SPRINTS, json!({ "id": engagement })).await;
    data["engagement"]["sprints"].as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_engagement_has_sprints_covering_the_workshop_plan() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Sprints").await;

    // Four phases of one sprint each, and two 14-day sprints for the four-week Game Day.
    let all = sprints(&app, &owner, &id).await;
    let dates: Vec<_> = all
        .iter()
        .map(|s| {
            (
                s["number"].as_i64().unwrap(),
                s["name"].as_str().unwrap(),
                s["startsOn"].as_str().unwrap(),
                s["endsOn"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        dates,
        [
            (1, "Sprint 1", "2026-12-07", "2026-12-20"),
            (2, "Sprint 2", "2026-12-21", "2027-01-03"),
            (3, "Sprint 3", "2027-01-04", "2027-01-17"),
            (4, "Sprint 4", "2027-01-18", "2027-01-31"),
            (5, "Sprint 5", "2027-02-01", "2027-02-14"),
            (6, "Sprint 6", "2027-02-15", "2027-02-28"),
        ]
    );
    assert!(all.iter().all(|s| s["goal"].is_null() && s["version"] == 1 && s["workshopSessions"] == json!([])));
    let summary =
        "audit_events WHERE action = 'engagement.created' AND summary LIKE '%6 sprints and 26 workshop sessions%'";
    assert_eq!(app.count_rows(summary).await, 1);

    // Shorter sprints: more of them, still back to back.
    let data = app
        .data(
            &owner,
            "mutation($input: CreateEngagementInput!) { createEngagement(input: $input) {
                engagement { sprints { number startsOn endsOn } } } }",
            json!({ "input": engagement_input(json!({ "name": "Weekly", "customerName": "Acme", "sprintLengthDays": 7 })) }),
        )
        .await;
    let weekly = data["createEngagement"]["engagement"]["sprints"].as_array().unwrap();
    assert_eq!(weekly.len(), 8);
    assert_eq!(weekly[7], json!({ "number": 8, "startsOn": "2027-01-25", "endsOn": "2027-01-31" }));
    assert_eq!(app.count_rows("sprints").await, 14);

    // Refetchable by node.
    let first = all[0]["id"].clone();
    let data = app
        .data(
            &owner,
            "query($id: ID!) { node(id: $id) { __typename ... on Sprint { number engagement { id } } } }",
            json!({ "id": first }),
        )
        .await;
    assert_eq!(data["node"], json!({ "__typename": "Sprint", "number": 1, "engagement": { "id": id } }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consultants_move_sprints_and_set_their_goals() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Moves").await;
    let third = sprint_id(&app, &owner, &id, 3).await;

    let data = app
        .data(
            &owner,
            UPDATE,
            json!({ "input": { "sprintId": third, "endsOn": "2027-01-15", "goal": "  Agree readiness targets ",
                "expectedVersion": 1 } }),
        )
        .await;
    let payload = &data["updateSprint"];
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(
        payload["sprint"],
        json!({ "id": third, "number": 3, "name": "Sprint 3", "startsOn": "2027-01-04", "endsOn": "2027-01-15",
            "goal": "Agree readiness targets", "version": 2 })
    );
    assert_eq!(app.count_rows("audit_events WHERE action = 'sprint.updated' AND object_type = 'Sprint'").await, 1);

    // Omitted fields stay; a null goal clears it.
    let data = app.data(&owner, UPDATE, json!({ "input": { "sprintId": third, "goal": null } })).await;
    let sprint = &data["updateSprint"]["sprint"];
    assert_eq!(
        (sprint["goal"].clone(), sprint["endsOn"].clone(), sprint["version"].clone()),
        (Value::Null, json!("2027-01-15"), json!(3))
    );

    // The freed days can start the next sprint earlier.
    let fourth = sprint_id(&app, &owner, &id, 4).await;
    let data = app.data(&owner, UPDATE, json!({ "input": { "sprintId": fourth, "startsOn": "2027-01-16" } })).await;
    assert_eq!(data["updateSprint"]["sprint"]["startsOn"], "2027-01-16");

    // Changing nothing writes nothing.
    let data = app
        .data(&owner, UPDATE, json!({ "input": { "sprintId": third, "startsOn": "2027-01-04", "expectedVersion": 3 } }))
        .await;
    assert_eq!(data["updateSprint"]["sprint"]["version"], 3);
    assert_eq!(app.count_rows("audit_events WHERE action = 'sprint.updated'").await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sprint_dates_are_checked_and_refusals_write_nothing() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Checks").await;
    let third = sprint_id(&app, &owner, &id, 3).await;

    let refused = [
        (json!({ "endsOn": "2027-01-03" }), vec![pair("endsOn", "INVALID_DATES")]),
        (json!({ "startsOn": "2027-01-03" }), vec![pair("startsOn", "SPRINT_OVERLAP")]),
        (json!({ "endsOn": "2027-01-18" }), vec![pair("endsOn", "SPRINT_OVERLAP")]),
        (json!({ "startsOn": "2027-01-20", "endsOn": "2027-01-19" }), vec![pair("endsOn", "INVALID_DATES")]),
        (json!({ "goal": "x".repeat(2001) }), vec![pair("goal", "TOO_LONG")]),
        (
            json!({ "startsOn": "2026-12-01", "endsOn": "2027-01-17" }),
            vec![pair("startsOn", "SPRINT_OVERLAP"), pair("startsOn", "SPRINT_OVERLAP")],
        ),
    ];
    for (changes, expected) in refused {
        let input = merge(json!({ "sprintId": third }), changes);
        let data = app.data(&owner, UPDATE, json!({ "input": input })).await;
        assert!(data["updateSprint"]["sprint"].is_null(), "{data}");
        assert_eq!(codes(&data["updateSprint"]), expected, "{input}");
    }
    let data = app.data(&owner, UPDATE, json!({ "input": { "sprintId": third, "endsOn": "2027-05-01" } })).await;
    assert!(codes(&data["updateSprint"]).contains(&pair("endsOn", "OUT_OF_RANGE")), "{data}");
    let message = data["updateSprint"]["userErrors"][1]["message"].as_str().unwrap();
    assert!(message.contains("Sprint 4"), "{message}");

    let add_refused = [
        (json!({ "startsOn": "2027-02-20", "endsOn": "2027-03-05" }), vec![pair("startsOn", "SPRINT_OVERLAP")]),
        (json!({ "startsOn": "2027-03-05", "endsOn": "2027-03-01" }), vec![pair("endsOn", "INVALID_DATES")]),
        (
            json!({ "startsOn": "2027-03-01", "endsOn": "2027-03-14", "goal": "y".repeat(2001) }),
            vec![pair("goal", "TOO_LONG")],
        ),
    ];
    for (fields, expected) in add_refused {
        let input = merge(json!({ "engagementId": id }), fields);
        let data = app.data(&owner, ADD, json!({ "input": input })).await;
        assert!(data["addSprint"]["sprint"].is_null());
        assert_eq!(codes(&data["addSprint"]), expected, "{input}");
    }

    assert_eq!(app.count_rows("sprints").await, 6);
    assert_eq!(app.count_rows("audit_events WHERE action LIKE 'sprint.%'").await, 0);
    let all = sprints(&app, &owner, &id).await;
    assert_eq!(
        (all[2]["startsOn"].clone(), all[2]["endsOn"].clone(), all[2]["version"].clone()),
        (json!("2027-01-04"), json!("2027-01-17"), json!(1))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn added_sprints_take_the_next_number() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Adds").await;

    let input = json!({ "engagementId": id, "startsOn": "2027-03-01", "endsOn": "2027-03-14", "goal": "Hypercare" });
    let data = app.data(&owner, ADD, json!({ "input": input })).await;
    let sprint = &data["addSprint"]["sprint"];
    assert_eq!(data["addSprint"]["userErrors"], json!([]));
    assert_eq!(
        (sprint["number"].clone(), sprint["name"].clone(), sprint["goal"].clone(), sprint["version"].clone()),
        (json!(7), json!("Sprint 7"), json!("Hypercare"), json!(1))
    );

    // Numbers follow creation, not dates: a sprint added before the first is number 8.
    let data = app
        .data(&owner, ADD, json!({ "input": { "engagementId": id, "startsOn": "2026-11-23", "endsOn": "2026-12-06" } }))
        .await;
    assert_eq!(data["addSprint"]["sprint"]["number"], 8);
    let numbers: Vec<_> = sprints(&app, &owner, &id).await.iter().map(|s| s["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(app.count_rows("audit_events WHERE action = 'sprint.added' AND object_type = 'Sprint'").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_consultants_and_admins_manage_sprints() {
    let Team { app, engagement: id, consultant: owner, .. } = Team::start("Roles", "owner").await;
    let first = sprint_id(&app, &owner, &id, 1).await;
    let update = json!({ "input": { "sprintId": first, "goal": "Mine" } });
    let add = json!({ "input": { "engagementId": id, "startsOn": "2027-03-01", "endsOn": "2027-03-14" } });

    for sub in ["wanda", "stan"] {
        let token = app.token(sub, &["consultant"]);
        assert_eq!(error_code(&app.gql(&token, UPDATE, update.clone()).await), "FORBIDDEN", "{sub} updates");
        assert_eq!(error_code(&app.gql(&token, ADD, add.clone()).await), "FORBIDDEN", "{sub} adds");
        // Members read the sprints all the same.
        assert_eq!(sprints(&app, &token, &id).await.len(), 6);
    }
    let stranger = app.token("stranger", &["consultant"]);
    for (query, variables) in [(UPDATE, &update), (ADD, &add)] {
        assert_eq!(error_code(&app.gql(&stranger, query, variables.clone()).await), "NOT_FOUND");
    }
    let body = app.gql(&stranger, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": first })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    assert_eq!(body["errors"][0]["message"], "sprint not found");
    assert_eq!(app.count_rows("sprints").await, 6);
    assert_eq!(app.count_rows("audit_events WHERE action LIKE 'sprint.%'").await, 0);

    let admin = app.token("root", &["admin"]);
    let data = app.data(&admin, UPDATE, update).await;
    assert_eq!(data["updateSprint"]["sprint"]["goal"], "Mine");
    let data = app.data(&admin, ADD, add).await;
    assert_eq!(data["addSprint"]["sprint"]["number"], 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_sprint_version_is_a_conflict() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Versions").await;
    let second = sprint_id(&app, &owner, &id, 2).await;
    let data =
        app.data(&owner, UPDATE, json!({ "input": { "sprintId": second, "goal": "One", "expectedVersion": 1 } })).await;
    assert_eq!(data["updateSprint"]["sprint"]["version"], 2);
    let body =
        app.gql(&owner, UPDATE, json!({ "input": { "sprintId": second, "goal": "Two", "expectedVersion": 1 } })).await;
    assert_eq!(error_code(&body), "CONFLICT");
    assert_eq!(body["errors"][0]["extensions"]["currentVersion"], 2);
    assert_eq!(sprints(&app, &owner, &id).await[1]["goal"], "One");

    // IDs of the wrong type or shape.
    let body = app.gql(&owner, UPDATE, json!({ "input": { "sprintId": id, "goal": "x" } })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let body = app.gql(&owner, UPDATE, json!({ "input": { "sprintId": "%%%", "goal": "x" } })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(app.count_rows("audit_events WHERE action = 'sprint.updated'").await, 1);
}
