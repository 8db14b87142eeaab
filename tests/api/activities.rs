//! The activity lifecycle and what an activity holds, with every refusal.

use serde_json::{Value, json};

use crate::common::{Team, TestApp, activity_ids, agree_target, error_code, mutation, transition};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_before_design_and_the_status_machine() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Lifecycle").await;
    let acts = activity_ids(&app, &owner, &id).await;
    let (dna, design) = (&acts["patch-management/DISCOVERY_AND_ANALYSIS"], &acts["patch-management/DESIGN"]);

    let refused = transition(&app, &owner, "startActivity", design, None).await;
    assert_eq!(refused["userErrors"][0]["code"], "DISCOVERY_NOT_DONE", "{refused}");
    assert!(refused["activity"].is_null());

    let p = transition(&app, &owner, "completeActivity", dna, None).await;
    assert_eq!(p["userErrors"][0]["code"], "NOT_STARTED");
    let p = transition(&app, &owner, "reopenActivity", dna, None).await;
    assert_eq!(p["userErrors"][0]["code"], "NOT_DONE");

    let p = transition(&app, &owner, "startActivity", dna, Some(1)).await;
    assert_eq!(p["activity"]["status"], "IN_PROGRESS");
    assert_eq!(p["activity"]["version"], 2);
    assert!(p["activity"]["startedAt"].is_string());
    let p = transition(&app, &owner, "startActivity", dna, None).await;
    assert_eq!(p["userErrors"][0]["code"], "ALREADY_STARTED");
    let stale = transition(&app, &owner, "completeActivity", dna, Some(1)).await;
    assert_eq!(error_code(&stale), "CONFLICT");
    assert_eq!(stale["errors"][0]["extensions"]["currentVersion"], 2);

    // A discovery completes once its readiness target is agreed.
    let p = transition(&app, &owner, "completeActivity", dna, Some(2)).await;
    assert_eq!(p["userErrors"][0]["code"], "READINESS_TARGET_MISSING", "{p}");
    agree_target(&app, &owner, dna).await;
    let p = transition(&app, &owner, "completeActivity", dna, Some(3)).await;
    assert_eq!(p["activity"]["status"], "DONE");
    assert!(p["activity"]["completedAt"].is_string());
    let p = transition(&app, &owner, "completeActivity", dna, None).await;
    assert_eq!(p["userErrors"][0]["code"], "ALREADY_DONE");

    // Reopened while its Design has not started, then done again.
    let p = transition(&app, &owner, "reopenActivity", dna, None).await;
    assert_eq!(p["activity"]["status"], "IN_PROGRESS");
    assert!(p["activity"]["completedAt"].is_null());
    assert_eq!(transition(&app, &owner, "completeActivity", dna, None).await["activity"]["status"], "DONE");

    // Now the Design may start; another capability's Design still may not.
    let p = transition(&app, &owner, "startActivity", design, None).await;
    assert_eq!(p["activity"]["status"], "IN_PROGRESS", "{p}");
    let p = transition(&app, &owner, "startActivity", &acts["tag-management/DESIGN"], None).await;
    assert_eq!(p["userErrors"][0]["code"], "DISCOVERY_NOT_DONE");

    // Its Design has started: the discovery can no longer be reopened.
    let p = transition(&app, &owner, "reopenActivity", dna, None).await;
    assert_eq!(p["userErrors"][0]["code"], "DESIGN_IN_PROGRESS", "{p}");

    // Overview activities have no Discovery prerequisite.
    let p = transition(&app, &owner, "startActivity", &acts["Operational Capabilities & RACI"], None).await;
    assert_eq!(p["activity"]["status"], "IN_PROGRESS");

    let events = app
        .count_rows("audit_events WHERE action IN ('activity.started', 'activity.completed', 'activity.reopened')")
        .await;
    assert_eq!(events, 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_consultants_run_activities() {
    let Team { app, engagement: id, consultant: owner, .. } = Team::start("Roles", "owner").await;
    let acts = activity_ids(&app, &owner, &id).await;
    let dna = &acts["change-management/DISCOVERY_AND_ANALYSIS"];
    let design = &acts["change-management/DESIGN"];

    let mutations = [
        ("startActivity", json!({ "activityId": dna })),
        ("assignActivity", json!({ "activityId": dna, "memberId": null })),
        ("setActivityTracker", json!({ "activityId": dna, "system": "JIRA", "key": "OPS-1" })),
        ("setReadinessTarget", json!({ "activityId": dna, "statement": "s", "criteria": [] })),
        ("setDesignAdoption", json!({ "activityId": design, "adoption": "AS_RECOMMENDED" })),
    ];
    for (sub, expected) in [("wanda", "FORBIDDEN"), ("stan", "FORBIDDEN"), ("stranger", "NOT_FOUND")] {
        let token = app.token(sub, &["consultant"]);
        for (op, input) in &mutations {
            let body = app.gql(&token, &mutation(op, "userErrors { code }"), json!({ "input": input })).await;
            assert_eq!(error_code(&body), expected, "{sub} {op}");
        }
        let body = app.gql(&token, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": dna })).await;
        if expected == "NOT_FOUND" {
            assert_eq!(error_code(&body), "NOT_FOUND");
        } else {
            assert!(body.get("errors").is_none(), "members read activities");
        }
    }
    let data = app
        .data(
            &owner,
            "query($id: ID!) { node(id: $id) { ... on Activity { status version tracker { key } } } }",
            json!({ "id": dna }),
        )
        .await;
    assert_eq!(data["node"], json!({ "status": "NOT_STARTED", "version": 1, "tracker": null }), "nothing changed");
}

const ASSIGN: &str = "mutation($input: AssignActivityInput!) { assignActivity(input: $input) {
    activity { version assignee { role user { subject } } } userErrors { field code } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consultants_divide_the_work() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Divide").await;
    let second = app.add_member(&owner, &id, "second", "CONSULTANT").await;
    let wanda = app.add_member(&owner, &id, "wanda", "WORKSTREAM_MEMBER").await;
    let other = app.create_engagement(&owner, "Other").await;
    let foreign = app.add_member(&owner, &other, "foreign", "CONSULTANT").await;
    let acts = activity_ids(&app, &owner, &id).await;
    let dna = &acts["ami-management/DISCOVERY_AND_ANALYSIS"];

    let data = app.data(&owner, ASSIGN, json!({ "input": { "activityId": dna, "memberId": second } })).await;
    assert_eq!(data["assignActivity"]["activity"]["assignee"]["user"]["subject"], "second");
    let data = app.data(&owner, ASSIGN, json!({ "input": { "activityId": dna, "memberId": wanda } })).await;
    assert_eq!(
        data["assignActivity"]["userErrors"],
        json!([{ "field": ["input", "memberId"], "code": "NOT_A_CONSULTANT" }])
    );
    let data = app.data(&owner, ASSIGN, json!({ "input": { "activityId": dna, "memberId": foreign } })).await;
    assert_eq!(data["assignActivity"]["userErrors"][0]["code"], "NOT_A_MEMBER");

    // Removing the assignee puts the activity back in the pool.
    app.data(
        &owner,
        "mutation($input: RemoveEngagementMemberInput!) { removeEngagementMember(input: $input) { userErrors { code } } }",
        json!({ "input": { "memberId": second } }),
    )
    .await;
    let data = app
        .data(
            &owner,
            "query($id: ID!) { node(id: $id) { ... on Activity { assignee { id } version } } }",
            json!({ "id": dna }),
        )
        .await;
    assert_eq!(data["node"]["assignee"], Value::Null);
    assert_eq!(data["node"]["version"], 2, "only the successful assignment changed it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tracker_target_adoption_and_links() {
    let Team { app, engagement: id, consultant: owner, .. } = Team::start("Details", "owner").await;
    let acts = activity_ids(&app, &owner, &id).await;
    let dna = &acts["patch-management/DISCOVERY_AND_ANALYSIS"];
    let design = &acts["patch-management/DESIGN"];

    let tracker = "mutation($input: SetActivityTrackerInput!) { setActivityTracker(input: $input) {
        activity { tracker { system key url } version } userErrors { field code } } }";
    let data = app.data(&owner, tracker, json!({ "input": { "activityId": dna, "system": "JIRA", "key": "OPS-142", "url": "https://acme.atlassian.net/browse/OPS-142" } })).await;
    assert_eq!(
        data["setActivityTracker"]["activity"]["tracker"],
        json!({ "system": "JIRA", "key": "OPS-142", "url": "https://acme.atlassian.net/browse/OPS-142" })
    );
    let data = app
        .data(
            &owner,
            tracker,
            json!({ "input": { "activityId": dna, "system": "SERVICENOW", "key": "", "url": "javascript:alert(1)" } }),
        )
        .await;
    let codes: Vec<_> = data["setActivityTracker"]["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["REQUIRED", "INVALID_URL"]);
    let data = app.data(&owner, tracker, json!({ "input": { "activityId": dna, "system": null } })).await;
    assert_eq!(data["setActivityTracker"]["activity"]["tracker"], Value::Null);
    assert_eq!(data["setActivityTracker"]["activity"]["version"], 3);

    let target = "mutation($input: SetReadinessTargetInput!) { setReadinessTarget(input: $input) {
        activity { readinessTarget { statement criteria } } userErrors { field code } } }";
    let data = app.data(&owner, target, json!({ "input": { "activityId": dna, "statement": "All EC2 patched monthly via Patch Manager", "criteria": ["Baselines per OS", " Compliance report weekly "] } })).await;
    assert_eq!(
        data["setReadinessTarget"]["activity"]["readinessTarget"],
        json!({ "statement": "All EC2 patched monthly via Patch Manager", "criteria": ["Baselines per OS", "Compliance report weekly"] })
    );
    let data =
        app.data(&owner, target, json!({ "input": { "activityId": dna, "statement": "  ", "criteria": [""] } })).await;
    assert_eq!(data["setReadinessTarget"]["userErrors"].as_array().unwrap().len(), 2);

    let adoption = "mutation($input: SetDesignAdoptionInput!) { setDesignAdoption(input: $input) {
        activity { designAdoption { adoption solutionName } } userErrors { field code } } }";
    let data = app.data(&owner, adoption, json!({ "input": { "activityId": dna, "adoption": "ADAPTED" } })).await;
    assert_eq!(data["setDesignAdoption"]["userErrors"][0]["code"], "NOT_A_DESIGN_ACTIVITY");
    let data =
        app.data(&owner, adoption, json!({ "input": { "activityId": design, "adoption": "CUSTOMER_SOLUTION" } })).await;
    assert_eq!(
        data["setDesignAdoption"]["userErrors"],
        json!([{ "field": ["input", "solutionName"], "code": "REQUIRED" }])
    );
    let data = app.data(&owner, adoption, json!({ "input": { "activityId": design, "adoption": "CUSTOMER_SOLUTION", "solutionName": "Ivanti Patch" } })).await;
    assert_eq!(
        data["setDesignAdoption"]["activity"]["designAdoption"],
        json!({ "adoption": "CUSTOMER_SOLUTION", "solutionName": "Ivanti Patch" })
    );

    let add = "mutation($input: AddDocumentLinkInput!) { addDocumentLink(input: $input) {
        documentLink { id title url addedBy { subject } activity { id } } userErrors { field code } } }";
    let wanda = app.token("wanda", &[]);
    let data = app.data(&wanda, add, json!({ "input": { "activityId": dna, "title": "Patching SOP", "url": "https://wiki.acme.test/patching" } })).await;
    let link = data["addDocumentLink"]["documentLink"].clone();
    assert_eq!(link["addedBy"]["subject"], "wanda");
    assert_eq!(link["activity"]["id"], dna.as_str());
    for url in ["ftp://files.acme.test/sop.pdf", "file:///etc/passwd", "wiki/patching"] {
        let data = app.data(&wanda, add, json!({ "input": { "activityId": dna, "title": "x", "url": url } })).await;
        assert_eq!(data["addDocumentLink"]["userErrors"][0]["code"], "INVALID_URL", "{url}");
    }
    // Stakeholders link their own documentation to discovery activities only.
    let stan = app.token("stan", &[]);
    let body =
        app.gql(&stan, add, json!({ "input": { "activityId": design, "title": "x", "url": "https://x.test" } })).await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    let data = app
        .data(
            &stan,
            add,
            json!({ "input": { "activityId": dna, "title": "Acme CAB charter", "url": "https://wiki.acme.test/cab" } }),
        )
        .await;
    let stans = data["addDocumentLink"]["documentLink"].clone();
    assert_eq!(stans["addedBy"]["subject"], "stan");
    let stranger = app.token("stranger", &[]);
    let body = app.gql(&stranger, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": link["id"] })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    assert_eq!(app.count_rows("document_links").await, 2);

    let remove = "mutation($input: RemoveDocumentLinkInput!) { removeDocumentLink(input: $input) {
        removedDocumentLinkId activity { documentLinks { id } } userErrors { code } } }";
    let body = app.gql(&stranger, remove, json!({ "input": { "documentLinkId": link["id"] } })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let data = app.data(&stan, remove, json!({ "input": { "documentLinkId": stans["id"] } })).await;
    assert_eq!(data["removeDocumentLink"]["removedDocumentLinkId"], stans["id"]);
    let data = app.data(&owner, remove, json!({ "input": { "documentLinkId": link["id"] } })).await;
    assert_eq!(data["removeDocumentLink"]["removedDocumentLinkId"], link["id"]);
    assert_eq!(data["removeDocumentLink"]["activity"]["documentLinks"], json!([]));
    let events = app
        .count_rows("audit_events WHERE action IN ('activity.tracker_set', 'activity.readiness_target_set', 'activity.design_adoption_set', 'document_link.added', 'document_link.removed')")
        .await;
    assert_eq!(events, 8);
}
