//! RACI: setting, changing and removing a party's role per capability, the one
//! accountable party, and who may do it.

use serde_json::{Value, json};

use crate::common::{Team, TestApp, capability, error_code, foreign_capability};

const SET: &str = "mutation($input: SetRaciAssignmentInput!) { setRaciAssignment(input: $input) {
    raciAssignment { id party role updatedAt updatedBy { subject } capability { key } }
    userErrors { field code message } } }";
const REMOVE: &str = "mutation($input: RemoveRaciAssignmentInput!) { removeRaciAssignment(input: $input) {
    removedRaciAssignmentId engagement { raciParties } userErrors { field code message } } }";
const MATRIX: &str = "query($id: ID!) { engagement(id: $id) {
    raci { capability { key } accountable assignments { id party role } } raciParties } }";

fn set(engagement: &str, capability: &str, party: &str, role: &str) -> Value {
    json!({ "input": { "engagementId": engagement, "capabilityId": capability, "party": party, "role": role } })
}

fn remove(engagement: &str, capability: &str, party: &str) -> Value {
    json!({ "input": { "engagementId": engagement, "capabilityId": capability, "party": party } })
}

/// The matrix entry of one capability.
async fn row(app: &TestApp, token: &str, engagement: &str, key: &str) -> Value {
    let data = app.data(token, MATRIX, json!({ "id": engagement })).await;
    data["engagement"]["raci"].as_array().unwrap().iter().find(|r| r["capability"]["key"] == key).unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consultants_set_change_and_remove_roles() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "RACI").await;
    let patch = capability(&app, &owner, &id, "patch-management").await;

    let data = app.data(&owner, SET, set(&id, &patch, "  Customer   Cloud Ops ", "R")).await;
    let ops = &data["setRaciAssignment"]["raciAssignment"];
    assert_eq!(data["setRaciAssignment"]["userErrors"], json!([]));
    assert_eq!(ops["party"], "Customer Cloud Ops");
    assert_eq!(ops["role"], "R");
    assert_eq!(ops["updatedBy"]["subject"], "owner");
    assert_eq!(ops["capability"]["key"], "patch-management");
    let ops_id = ops["id"].as_str().unwrap().to_owned();
    let data = app.data(&owner, SET, set(&id, &patch, "AWS ProServe", "A")).await;
    assert_eq!(data["setRaciAssignment"]["raciAssignment"]["role"], "A");

    // Setting again changes the role of the same party, whatever the case it is typed in.
    let data = app.data(&owner, SET, set(&id, &patch, "customer cloud ops", "C")).await;
    let changed = &data["setRaciAssignment"]["raciAssignment"];
    assert_eq!(
        (changed["id"].as_str(), changed["party"].as_str()),
        (Some(ops_id.as_str()), Some("Customer Cloud Ops"))
    );
    assert_eq!(changed["role"], "C");
    assert_eq!(app.count_rows("raci_assignments").await, 2);
    // The same role again is a no-op: no new audit event.
    app.data(&owner, SET, set(&id, &patch, "Customer Cloud Ops", "C")).await;
    assert_eq!(app.count_rows("audit_events WHERE action = 'raci.set'").await, 3);

    let data = app.data(&owner, MATRIX, json!({ "id": id })).await;
    let raci = data["engagement"]["raci"].as_array().unwrap();
    let keys: Vec<_> = raci.iter().map(|r| r["capability"]["key"].as_str().unwrap()).collect();
    assert_eq!(keys[..2], ["change-management", "configuration-management"]);
    assert_eq!(raci.len(), 7, "one entry per capability of the kit");
    let patch_row = raci.iter().find(|r| r["capability"]["key"] == "patch-management").unwrap();
    assert_eq!(patch_row["accountable"], "AWS ProServe");
    let roles: Vec<_> =
        patch_row["assignments"].as_array().unwrap().iter().map(|a| (a["party"].clone(), a["role"].clone())).collect();
    assert_eq!(roles, [(json!("AWS ProServe"), json!("A")), (json!("Customer Cloud Ops"), json!("C"))]);
    assert!(
        raci.iter()
            .filter(|r| r["capability"]["key"] != "patch-management")
            .all(|r| r["assignments"] == json!([]) && r["accountable"].is_null())
    );
    assert_eq!(data["engagement"]["raciParties"], json!(["AWS ProServe", "Customer Cloud Ops"]));
    let data = app
        .data(
            &owner,
            "query($id: ID!) { node(id: $id) { ... on RaciAssignment { party role } } }",
            json!({ "id": ops_id }),
        )
        .await;
    assert_eq!(data["node"], json!({ "party": "Customer Cloud Ops", "role": "C" }));

    let data = app.data(&owner, REMOVE, remove(&id, &patch, " CUSTOMER CLOUD OPS")).await;
    assert_eq!(data["removeRaciAssignment"]["userErrors"], json!([]));
    assert_eq!(data["removeRaciAssignment"]["removedRaciAssignmentId"], ops_id.as_str());
    assert_eq!(data["removeRaciAssignment"]["engagement"]["raciParties"], json!(["AWS ProServe"]));
    let data = app.data(&owner, REMOVE, remove(&id, &patch, "Customer Cloud Ops")).await;
    assert_eq!(
        data["removeRaciAssignment"]["userErrors"][0],
        json!({ "field": ["input", "party"], "code": "NO_SUCH_ASSIGNMENT",
                "message": "Customer Cloud Ops has no RACI role for Patch Management" })
    );
    assert!(data["removeRaciAssignment"]["removedRaciAssignmentId"].is_null());
    let body = app.gql(&owner, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": ops_id })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    assert_eq!(app.count_rows("raci_assignments").await, 1);
    assert_eq!(app.count_rows("audit_events WHERE action = 'raci.removed'").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_capability_has_one_accountable_party() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Accountable").await;
    let patch = capability(&app, &owner, &id, "patch-management").await;
    let tags = capability(&app, &owner, &id, "tag-management").await;
    app.data(&owner, SET, set(&id, &patch, "Customer Cloud Ops", "A")).await;
    app.data(&owner, SET, set(&id, &patch, "AWS ProServe", "R")).await;
    let audit_before = app.count_rows("audit_events").await;

    // Neither a new party nor one already holding another role may take A.
    for party in ["Security Team", "AWS ProServe"] {
        let data = app.data(&owner, SET, set(&id, &patch, party, "A")).await;
        let payload = &data["setRaciAssignment"];
        assert!(payload["raciAssignment"].is_null());
        assert_eq!(payload["userErrors"][0]["field"], json!(["input", "role"]));
        assert_eq!(payload["userErrors"][0]["code"], "ACCOUNTABLE_EXISTS");
        assert!(payload["userErrors"][0]["message"].as_str().unwrap().contains("Customer Cloud Ops"), "{payload}");
    }
    assert_eq!(app.count_rows("raci_assignments").await, 2);
    assert_eq!(app.count_rows("audit_events").await, audit_before);
    let patch_row = row(&app, &owner, &id, "patch-management").await;
    assert_eq!(patch_row["accountable"], "Customer Cloud Ops");
    assert_eq!(patch_row["assignments"][0]["role"], "R", "AWS ProServe kept its role");

    // The holder may be set to A again; A for another capability is independent.
    let data = app.data(&owner, SET, set(&id, &patch, "Customer Cloud Ops", "A")).await;
    assert_eq!(data["setRaciAssignment"]["userErrors"], json!([]));
    let data = app.data(&owner, SET, set(&id, &tags, "AWS ProServe", "A")).await;
    assert_eq!(data["setRaciAssignment"]["raciAssignment"]["role"], "A");

    // Moving A: the holder becomes R first.
    let data = app.data(&owner, SET, set(&id, &patch, "Customer Cloud Ops", "R")).await;
    assert_eq!(data["setRaciAssignment"]["raciAssignment"]["role"], "R");
    assert!(row(&app, &owner, &id, "patch-management").await["accountable"].is_null());
    let data = app.data(&owner, SET, set(&id, &patch, "AWS ProServe", "A")).await;
    assert_eq!(data["setRaciAssignment"]["userErrors"], json!([]));
    assert_eq!(row(&app, &owner, &id, "patch-management").await["accountable"], "AWS ProServe");
    assert_eq!(app.count_rows("raci_assignments WHERE role = 'A'").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_accountable_assignments_cannot_both_win() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Race").await;
    let data = app
        .data(&owner, "query($id: ID!) { engagement(id: $id) { kit { capabilities { id } } } }", json!({ "id": id }))
        .await;
    let capabilities: Vec<String> = data["engagement"]["kit"]["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();

    // Six parties race for A on every capability at once.
    let parties = ["Team 1", "Team 2", "Team 3", "Team 4", "Team 5", "Team 6"];
    let attempts = capabilities
        .iter()
        .flat_map(|cap| parties.iter().map(move |party| (cap, party)))
        .map(|(cap, party)| app.data(&owner, SET, set(&id, cap, party, "A")));
    let results = futures::future::join_all(attempts).await;
    let won = results.iter().filter(|d| d["setRaciAssignment"]["userErrors"] == json!([])).count();
    let refused =
        results.iter().filter(|d| d["setRaciAssignment"]["userErrors"][0]["code"] == "ACCOUNTABLE_EXISTS").count();
    let n = capabilities.len();
    assert_eq!((won, refused), (n, n * (parties.len() - 1)), "{results:?}");
    assert_eq!(app.count_rows("raci_assignments WHERE role = 'A'").await, n as i64);
    assert_eq!(app.count_rows("raci_assignments").await, n as i64);
    assert_eq!(app.count_rows("audit_events WHERE action = 'raci.set'").await, n as i64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_and_roles_are_refused() {
    let Team { app, engagement: id, consultant: owner, .. } = Team::start("Roles", "owner").await;
    let patch = capability(&app, &owner, &id, "patch-management").await;
    let data = app.data(&owner, SET, set(&id, &patch, "Customer Cloud Ops", "A")).await;
    let assignment = data["setRaciAssignment"]["raciAssignment"]["id"].as_str().unwrap().to_owned();
    let audit_before = app.count_rows("audit_events").await;

    let data = app.data(&owner, SET, set(&id, &patch, "   ", "R")).await;
    assert_eq!(data["setRaciAssignment"]["userErrors"][0]["field"], json!(["input", "party"]), "{data}");
    assert_eq!(data["setRaciAssignment"]["userErrors"][0]["code"], "REQUIRED");
    let data = app.data(&owner, SET, set(&id, &patch, &"x".repeat(101), "R")).await;
    assert_eq!(data["setRaciAssignment"]["userErrors"][0]["code"], "TOO_LONG");
    let data = app.data(&owner, REMOVE, remove(&id, &patch, "")).await;
    assert_eq!(data["removeRaciAssignment"]["userErrors"][0]["code"], "REQUIRED");
    let foreign = foreign_capability(&app).await;
    let audit_before = audit_before + 1; // the import
    let body = app.gql(&owner, SET, set(&id, &foreign, "AWS ProServe", "R")).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let body = app.gql(&owner, REMOVE, remove(&id, &foreign, "Customer Cloud Ops")).await;
    assert_eq!(error_code(&body), "NOT_FOUND");

    for sub in ["wanda", "stan"] {
        let token = app.token(sub, &["consultant"]);
        let body = app.gql(&token, SET, set(&id, &patch, "AWS ProServe", "R")).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{sub} sets");
        let body = app.gql(&token, REMOVE, remove(&id, &patch, "Customer Cloud Ops")).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{sub} removes");
        // But every member reads the matrix.
        assert_eq!(row(&app, &token, &id, "patch-management").await["accountable"], "Customer Cloud Ops");
    }
    let stranger = app.token("stranger", &["consultant"]);
    for (query, vars) in [
        (SET, set(&id, &patch, "AWS ProServe", "R")),
        (REMOVE, remove(&id, &patch, "Customer Cloud Ops")),
        (MATRIX, json!({ "id": id })),
        ("query($id: ID!) { node(id: $id) { id } }", json!({ "id": assignment })),
    ] {
        let body = app.gql(&stranger, query, vars).await;
        assert_eq!(error_code(&body), "NOT_FOUND", "{query}");
    }
    assert_eq!(app.count_rows("raci_assignments").await, 1);
    assert_eq!(app.count_rows("audit_events").await, audit_before);

    // An admin manages RACI without being a member.
    let admin = app.token("root", &["admin"]);
    let data = app.data(&admin, REMOVE, remove(&id, &patch, "Customer Cloud Ops")).await;
    assert_eq!(data["removeRaciAssignment"]["removedRaciAssignmentId"], assignment.as_str());
    assert_eq!(app.count_rows("raci_assignments").await, 0);
}
