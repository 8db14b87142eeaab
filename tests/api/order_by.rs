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
            "auditTrail" => "AuditEvent",
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_trail_pages_under_every_order() {
    let t = Team::start("Order the trail", "carla").await;
    t.join("carl", "CONSULTANT").await;
    t.join("sue", "STAKEHOLDER").await;
    let same = |v: &Value| v.clone();
    for (field, key) in [("POSITION", "id"), ("OCCURRED_AT", "occurredAt"), ("ACTION", "action")] {
        for direction in ["ASC", "DESC"] {
            let order = json!({ "field": field, "direction": direction });
            let (walked, whole) = walk(&t, "auditTrail", &format!("id {key}"), &order, 2).await;
            assert_eq!(walked, whole, "{field} {direction}");
            assert!(whole.len() >= 5, "{whole:?}");
            if key == "id" {
                let ids: Vec<i64> = whole.iter().map(|n| crate::common::raw_id(n["id"].as_str().unwrap())).collect();
                let mut sorted = ids.clone();
                sorted.sort();
                if direction == "DESC" {
                    sorted.reverse();
                }
                assert_eq!(ids, sorted, "POSITION {direction}");
            } else {
                assert_sorted(&whole, key, direction, same);
            }
        }
    }
    // Without `orderBy`: newest first, as before.
    let data = t.app.engagement(&t.consultant, &t.engagement, "auditTrail(first: 100) { nodes { id } }").await;
    let default: Vec<i64> = data["auditTrail"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| crate::common::raw_id(n["id"].as_str().unwrap()))
        .collect();
    assert!(default.windows(2).all(|w| w[0] > w[1]), "{default:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kits_page_under_every_order() {
    let app = crate::common::TestApp::start().await;
    let admin = app.token("root", &["admin"]);
    let import = "mutation($input: ImportKitInput!) { importKit(input: $input) { created userErrors { code } } }";
    for (key, name) in
        [("zeta-ops", "Alpha operations"), ("alpha-ops", "Zeta operations"), ("mid-ops", "Mid operations")]
    {
        let doc = opskit_api::kit::BUNDLED_KIT.replacen("key: aws-operations", &format!("key: {key}"), 1).replacen(
            "name: AWS Operations",
            &format!("name: {name}"),
            1,
        );
        let data = app.data(&admin, import, json!({ "input": { "document": doc, "format": "YAML" } })).await;
        assert_eq!(data["importKit"]["created"], true, "{data}");
    }
    let q = "query($o: KitOrder, $after: String) { kits(first: 2, after: $after, orderBy: $o) {
        totalCount pageInfo { hasNextPage endCursor } nodes { id key name importedAt } } }";
    for (field, key) in [("KEY", "key"), ("NAME", "name"), ("IMPORTED_AT", "importedAt")] {
        for direction in ["ASC", "DESC"] {
            let order = json!({ "field": field, "direction": direction });
            let (mut seen, mut after) = (Vec::new(), Value::Null);
            loop {
                let kits = app.data(&admin, q, json!({ "o": order, "after": after })).await["kits"].clone();
                seen.extend(kits["nodes"].as_array().unwrap().iter().cloned());
                assert!(seen.len() <= 4, "{field} {direction}: paging does not end: {seen:?}");
                if kits["pageInfo"]["hasNextPage"] != true {
                    break;
                }
                after = kits["pageInfo"]["endCursor"].clone();
            }
            assert_eq!(seen.len(), 4, "{field} {direction}: {seen:?}");
            assert_sorted(&seen, key, direction, |v: &Value| v.clone());
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_connection_takes_an_order() {
    let app = crate::common::TestApp::start().await;
    let token = app.token("reader", &[]);
    let q = "{ __schema { types { name fields { name args { name } type { name kind ofType { name kind ofType { name kind ofType { name kind ofType { name } } } } } } } } }";
    let data = app.data(&token, q, json!({})).await;
    let mut unordered = Vec::new();
    let mut connections = 0;
    // Relay connections: the types with `pageInfo`.
    let relay: std::collections::HashSet<&str> = data["__schema"]["types"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["fields"].as_array().is_some_and(|f| f.iter().any(|f| f["name"] == "pageInfo")))
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    for t in data["__schema"]["types"].as_array().unwrap() {
        for field in t["fields"].as_array().into_iter().flatten() {
            let mut ty = &field["type"];
            while ty["name"].is_null() {
                assert!(!ty["ofType"].is_null(), "introspect deeper: {}", field["type"]);
                ty = &ty["ofType"];
            }
            if !relay.contains(ty["name"].as_str().unwrap()) {
                continue;
            }
            connections += 1;
            if !field["args"].as_array().unwrap().iter().any(|a| a["name"] == "orderBy") {
                unordered.push(format!("{}.{}", t["name"].as_str().unwrap(), field["name"].as_str().unwrap()));
            }
        }
    }
    assert!(connections >= 12, "{connections} connections found");
    assert!(unordered.is_empty(), "connections without `orderBy`: {unordered:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_like_lists_run_oldest_or_newest_first() {
    let t = Team::start("Order keys and endpoints", "carla").await;
    let mut made = Vec::new();
    for name in ["first", "second", "third"] {
        let input = json!({ "engagementId": t.engagement, "name": name, "role": "READ_ONLY" });
        made.push(t.app.mutate_ok(&t.consultant, "createApiKey", "apiKey { id }", input).await["apiKey"]["id"].clone());
    }
    let q = "query($id: ID!, $o: ChronologicalOrder, $after: String) { engagement(id: $id) {
        apiKeys(first: 2, after: $after, orderBy: $o) { pageInfo { hasNextPage endCursor } nodes { id } } } }";
    for direction in ["ASC", "DESC"] {
        let (mut seen, mut after) = (Vec::new(), Value::Null);
        loop {
            let vars =
                json!({ "id": t.engagement, "o": { "field": "CREATED_AT", "direction": direction }, "after": after });
            let keys = t.app.data(&t.consultant, q, vars).await["engagement"]["apiKeys"].clone();
            seen.extend(keys["nodes"].as_array().unwrap().iter().map(|n| n["id"].clone()));
            assert!(seen.len() <= 3, "paging does not end: {seen:?}");
            if keys["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = keys["pageInfo"]["endCursor"].clone();
        }
        let mut expected = made.clone();
        if direction == "DESC" {
            expected.reverse();
        }
        assert_eq!(seen, expected, "{direction}");
    }
}
