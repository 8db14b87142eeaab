//! `orderBy`: every field in both directions pages without a gap or a
//! duplicate, ties (same value) broken by ID, and the order is the field's.

use serde_json::{Value, json};

use crate::common::{Team, activity_ids};

/// Every node of `engagement.<list>` under `order`, paged `size` at a time
/// forward; and the same in one page, to compare with.
async fn walk(t: &Team, list: &str, selection: &str, order: &Value, size: i64) -> (Vec<Value>, Vec<Value>) {
    let query = format!(
        "query($id: ID!, $first: Int, $after: String, $order: {}Order) {{ engagement(id: $id) {{
            {list}(first: $first, after: $after, orderBy: $order) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {selection} }} }} }} }}",
        match list {
            "runbooks" => "Runbook",
            "deviations" => "Deviation",
            "activities" => "Activity",
            "members" => "Member",
            _ => "WorkshopSession",
        }
    );
    let page = async |first: i64, after: Value| {
        let vars = json!({ "id": t.engagement, "first": first, "after": after, "order": order });
        t.app.data(&t.consultant, &query, vars).await["engagement"][list].clone()
    };
    let whole = page(100, Value::Null).await["nodes"].as_array().unwrap().clone();
    let mut walked = Vec::new();
    let mut after = Value::Null;
    loop {
        let p = page(size, after).await;
        walked.extend(p["nodes"].as_array().unwrap().iter().cloned());
        if !p["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            break;
        }
        after = p["pageInfo"]["endCursor"].clone();
        assert!(walked.len() <= whole.len(), "paging does not end");
    }
    (walked, whole)
}

/// Checks that `nodes` are sorted by `key` (then by ID) in `direction`.
fn assert_sorted(nodes: &[Value], key: &str, direction: &str, rank: impl Fn(&Value) -> Value) {
    let keys: Vec<(String, i64)> =
        nodes.iter().map(|n| (rank(&n[key]).to_string(), crate::common::raw_id(n["id"].as_str().unwrap()))).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    if direction == "DESC" {
        sorted.reverse();
    }
    assert_eq!(keys, sorted, "{key} {direction}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runbooks_page_under_every_order() {
    let t = Team::start("Order runbooks", "carla").await;
    // Start a few so statuses and update times differ; the kit's runbooks share their creation time.
    let data = t.app.engagement(&t.consultant, &t.engagement, "runbooks { nodes { id } }").await;
    let ids: Vec<Value> = data["runbooks"]["nodes"].as_array().unwrap().iter().map(|n| n["id"].clone()).collect();
    for id in ids.iter().take(3) {
        t.app.mutate_ok(&t.consultant, "startRunbook", "runbook { id }", json!({ "runbookId": id })).await;
    }
    let rank = |field: &str| {
        let field = field.to_owned();
        move |v: &Value| match field.as_str() {
            "status" => json!(["TEMPLATE", "DRAFT", "IN_REVIEW", "BASELINE"].iter().position(|s| v == s)),
            _ => v.clone(),
        }
    };
    for (field, key) in
        [("CREATED_AT", "createdAt"), ("UPDATED_AT", "updatedAt"), ("TITLE", "title"), ("STATUS", "status")]
    {
        for direction in ["ASC", "DESC"] {
            let order = json!({ "field": field, "direction": direction });
            let (walked, whole) = walk(&t, "runbooks", &format!("id {key}"), &order, 2).await;
            assert_eq!(walked, whole, "{field} {direction}: pages of 2 add up to the whole list");
            assert_eq!(whole.len(), ids.len());
            assert_sorted(&whole, key, direction, rank(key));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deviations_page_under_every_order_with_ties() {
    let t = Team::start("Order deviations", "carla").await;
    let design = activity_ids(&t.app, &t.consultant, &t.engagement).await["patch-management/DESIGN"].clone();
    for (title, severity) in [("B", "HIGH"), ("A", "LOW"), ("B", "HIGH"), ("C", "LOW"), ("A", "HIGH")] {
        let input =
            json!({ "activityId": design, "title": title, "description": "d", "risks": "r", "severity": severity });
        t.app.mutate_ok(&t.consultant, "recordDeviation", "deviation { id }", input).await;
    }
    let rank = |key: &str| {
        let key = key.to_owned();
        move |v: &Value| match key.as_str() {
            "severity" => json!(["LOW", "MEDIUM", "HIGH", "CRITICAL"].iter().position(|s| v == s)),
            _ => v.clone(),
        }
    };
    for (field, key) in [("CREATED_AT", "createdAt"), ("TITLE", "title"), ("SEVERITY", "severity")] {
        for direction in ["ASC", "DESC"] {
            let order = json!({ "field": field, "direction": direction });
            let (walked, whole) = walk(&t, "deviations", &format!("id {key}"), &order, 2).await;
            assert_eq!(walked, whole, "{field} {direction}");
            assert_eq!(whole.len(), 5);
            assert_sorted(&whole, key, direction, rank(key));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn activities_members_and_sessions_page_under_every_order() {
    let t = Team::start("Order more", "carla").await;
    t.join("carl", "CONSULTANT").await;
    t.join("sue", "STAKEHOLDER").await;
    let acts = activity_ids(&t.app, &t.consultant, &t.engagement).await;
    for key in ["patch-management/DISCOVERY_AND_ANALYSIS", "tag-management/DISCOVERY_AND_ANALYSIS"] {
        t.app.mutate_ok(&t.consultant, "startActivity", "activity { id }", json!({ "activityId": acts[key] })).await;
    }
    let position = |values: &'static [&'static str]| move |v: &Value| json!(values.iter().position(|s| v == s));
    let same = |v: &Value| v.clone();
    let statuses: &'static [&'static str] = &["NOT_STARTED", "IN_PROGRESS", "DONE"];
    let roles: &'static [&'static str] = &["CONSULTANT", "WORKSTREAM_MEMBER", "STAKEHOLDER"];
    let session_statuses: &'static [&'static str] = &["PLANNED", "HELD", "CANCELLED"];
    for direction in ["ASC", "DESC"] {
        let order = |field: &str| json!({ "field": field, "direction": direction });
        let (walked, whole) = walk(&t, "activities", "id status", &order("STATUS"), 3).await;
        assert_eq!(walked, whole);
        assert_eq!(whole.len(), acts.len());
        assert_sorted(&whole, "status", direction, position(statuses));
        let (walked, whole) = walk(&t, "activities", "id updatedAt", &order("UPDATED_AT"), 4).await;
        assert_eq!(walked, whole);
        assert_sorted(&whole, "updatedAt", direction, same);
        let (walked, whole) = walk(&t, "members", "id role", &order("ROLE"), 2).await;
        assert_eq!(walked, whole);
        assert_eq!(whole.len(), 5);
        assert_sorted(&whole, "role", direction, position(roles));
        let (walked, whole) = walk(&t, "workshopSessions", "id status", &order("STATUS"), 5).await;
        assert_eq!(walked, whole);
        assert_sorted(&whole, "status", direction, position(session_statuses));
        let (walked, whole) = walk(&t, "workshopSessions", "id title", &order("TITLE"), 7).await;
        assert_eq!(walked, whole);
        assert_sorted(&whole, "title", direction, same);
    }
}
