//! "My work" on `viewer`: assigned activities, runbooks waiting for the
//! caller's review, and open deviations, across the caller's engagements only.

use serde_json::{Value, json};

use crate::common::{Team, activity_ids, capability, member_id};

/// `viewer.<field>(…)` as `token`: the IDs of its nodes and its total.
async fn mine(t: &Team, token: &str, field: &str, args: Value) -> (Vec<String>, i64) {
    let query = format!(
        "query($first: Int, $after: String, $filter: {}) {{ viewer {{ {field}(first: $first, after: $after, filter: $filter) {{
            totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ id }} }} }} }}",
        match field {
            "assignedActivities" => "AssignedActivityFilter",
            "pendingReviews" => "PendingReviewFilter",
            _ => "OpenDeviationFilter",
        }
    );
    let data = t.app.data(token, &query, args).await;
    let conn = &data["viewer"][field];
    let ids = conn["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap().to_owned()).collect();
    (ids, conn["totalCount"].as_i64().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assigned_activities_across_my_engagements() {
    let t = Team::start("Mine", "carla").await;
    let app = &t.app;
    let carl = t.join("carl", "CONSULTANT").await;
    let other = app.create_engagement(&t.consultant, "Mine 2").await;
    let one = activity_ids(app, &t.consultant, &t.engagement).await;
    let two = activity_ids(app, &t.consultant, &other).await;
    let carla_here = member_id(app, &t.consultant, &t.engagement, "carla").await;
    let carla_there = member_id(app, &t.consultant, &other, "carla").await;
    let carl_here = member_id(app, &t.consultant, &t.engagement, "carl").await;
    let assign = async |activity: &str, member: &str| {
        let input = json!({ "activityId": activity, "memberId": member });
        app.mutate_ok(&t.consultant, "assignActivity", "activity { id }", input).await;
    };
    let mut expected = Vec::new();
    for key in
        ["patch-management/DISCOVERY_AND_ANALYSIS", "patch-management/DESIGN", "tag-management/DISCOVERY_AND_ANALYSIS"]
    {
        let id = one.get(key).unwrap_or_else(|| panic!("{key}: {one:?}"));
        assign(id, &carla_here).await;
        expected.push(id.clone());
    }
    assign(&two["patch-management/DESIGN"], &carla_there).await;
    expected.push(two["patch-management/DESIGN"].clone());
    let carls = &one["ami-management/DISCOVERY_AND_ANALYSIS"];
    assign(carls, &carl_here).await;
    let started = &one["patch-management/DISCOVERY_AND_ANALYSIS"];
    app.mutate_ok(&t.consultant, "startActivity", "activity { id }", json!({ "activityId": started })).await;

    // Two pages of two: every assignment once, in ID order.
    let (first, total) = mine(&t, &t.consultant, "assignedActivities", json!({ "first": 2 })).await;
    assert_eq!(total, 4);
    let data = app
        .data(&t.consultant, "{ viewer { assignedActivities(first: 2) { pageInfo { endCursor } } } }", json!({}))
        .await;
    let cursor = data["viewer"]["assignedActivities"]["pageInfo"]["endCursor"].clone();
    let (second, _) = mine(&t, &t.consultant, "assignedActivities", json!({ "first": 2, "after": cursor })).await;
    let mut all = [first, second].concat();
    let mut want = expected.clone();
    want.sort_by_key(|id| crate::common::raw_id(id));
    assert_eq!(all, want);
    all.dedup();
    assert_eq!(all.len(), 4);

    let (ids, _) = mine(&t, &t.consultant, "assignedActivities", json!({ "filter": { "engagementId": other } })).await;
    assert_eq!(ids, [two["patch-management/DESIGN"].clone()]);
    let (ids, _) =
        mine(&t, &t.consultant, "assignedActivities", json!({ "filter": { "status": ["IN_PROGRESS"] } })).await;
    assert_eq!(ids, [started.as_str()]);
    assert_eq!(mine(&t, &carl, "assignedActivities", json!({})).await.0, [carls.as_str()]);
    assert_eq!(mine(&t, &t.workstream, "assignedActivities", json!({})).await.1, 0);
    // Carl cannot look into carla's other engagement through the filter.
    assert_eq!(mine(&t, &carl, "assignedActivities", json!({ "filter": { "engagementId": other } })).await.1, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pending_reviews_wait_for_my_side() {
    let t = Team::start("Reviews", "carla").await;
    let app = &t.app;
    let carl = t.join("carl", "CONSULTANT").await;
    let cap = capability(app, &t.consultant, &t.engagement, "patch-management").await;
    let submitted = async |token: &str, engagement: &str| -> String {
        let input = json!({ "engagementId": engagement, "capabilityId": cap, "title": "Custom", "reason": "Chosen" });
        let created = app.mutate_ok(token, "createCustomRunbook", "runbook { id }", input).await;
        let id = created["runbook"]["id"].as_str().unwrap().to_owned();
        app.mutate_ok(token, "submitRunbookForReview", "runbook { id }", json!({ "runbookId": id })).await;
        id
    };
    let runbook = submitted(&t.consultant, &t.engagement).await;
    // An engagement stan is not a member of.
    let elsewhere_lead = app.token("erin", &["consultant"]);
    let elsewhere = app.create_engagement(&elsewhere_lead, "Elsewhere").await;
    submitted(&elsewhere_lead, &elsewhere).await;

    let pending = async |token: &str| mine(&t, token, "pendingReviews", json!({})).await.0;
    assert_eq!(pending(&carl).await, [runbook.as_str()], "the other consultant reviews");
    assert_eq!(pending(&t.stakeholder).await, [runbook.as_str()], "and the customer's side");
    assert!(pending(&t.consultant).await.is_empty(), "not the author");
    assert!(pending(&t.workstream).await.is_empty(), "workstream members do not review");
    assert!(pending(&elsewhere_lead).await.is_empty(), "erin wrote hers and is not in carla's engagement");

    let approve = json!({ "runbookId": runbook, "verdict": "APPROVE" });
    app.mutate_ok(&carl, "reviewRunbook", "runbook { id }", approve.clone()).await;
    assert!(pending(&carl).await.is_empty(), "the consultants' side approved");
    assert_eq!(pending(&t.stakeholder).await, [runbook.as_str()]);
    let filtered = mine(&t, &t.stakeholder, "pendingReviews", json!({ "filter": { "engagementId": elsewhere } })).await;
    assert_eq!(filtered.1, 0);
    app.mutate_ok(&t.stakeholder, "reviewRunbook", "runbook { id }", approve).await;
    assert!(pending(&t.stakeholder).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_deviations_of_my_engagements() {
    let t = Team::start("Open deviations", "carla").await;
    let app = &t.app;
    let record = async |token: &str, engagement: &str, severity: &str| -> String {
        let design = activity_ids(app, token, engagement).await["patch-management/DESIGN"].clone();
        let input = json!({ "activityId": design, "title": "Own tool", "description": "Another tool.",
            "risks": "Two consoles.", "severity": severity });
        let data = app.mutate_ok(token, "recordDeviation", "deviation { id }", input).await;
        data["deviation"]["id"].as_str().unwrap().to_owned()
    };
    let high = record(&t.consultant, &t.engagement, "HIGH").await;
    let low = record(&t.consultant, &t.engagement, "LOW").await;
    let resolved = record(&t.consultant, &t.engagement, "LOW").await;
    app.mutate_ok(&t.consultant, "resolveDeviation", "deviation { id }", json!({ "deviationId": resolved })).await;
    let erin = app.token("erin", &["consultant"]);
    let elsewhere = app.create_engagement(&erin, "Elsewhere").await;
    let theirs = record(&erin, &elsewhere, "HIGH").await;

    let open = async |token: &str, filter: Value| mine(&t, token, "openDeviations", json!({ "filter": filter })).await;
    assert_eq!(open(&t.stakeholder, json!(null)).await, (vec![high.clone(), low.clone()], 2));
    assert_eq!(open(&t.workstream, json!({ "severity": ["HIGH"] })).await.0, [high.as_str()]);
    assert_eq!(open(&erin, json!(null)).await.0, [theirs]);
    assert_eq!(open(&t.stranger, json!(null)).await.1, 0);
    assert_eq!(open(&t.stakeholder, json!({ "engagementId": elsewhere })).await.1, 0, "not a member there");
}
