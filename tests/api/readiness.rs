//! Readiness assessments: recording the Game Day's verdict per capability,
//! revising it, its target, and who may do it.

use serde_json::{Value, json};

use crate::common::{Team, TestApp, capability, error_code, foreign_capability, raw_id};

const RECORD: &str = "mutation($input: RecordReadinessAssessmentInput!) { recordReadinessAssessment(input: $input) {
    readinessAssessment { id level findings version assessedAt assessedBy { subject } capability { key }
      target { statement criteria } }
    userErrors { field code message } } }";

const LIST: &str =
    "query($id: ID!) { engagement(id: $id) { readinessAssessments { id level version capability { key } } } }";

fn input(engagement: &str, capability: &str, level: &str, findings: &str, version: Option<i32>) -> Value {
    json!({ "input": { "engagementId": engagement, "capabilityId": capability, "level": level,
        "findings": findings, "expectedVersion": version } })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consultants_record_and_revise_an_assessment() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Game Day").await;
    let patch = capability(&app, &owner, &id, "patch-management").await;
    let change = capability(&app, &owner, &id, "change-management").await;

    let data = app.data(&owner, RECORD, input(&id, &patch, "PARTIALLY_READY", "  Two AMIs unpatched. ", None)).await;
    let payload = &data["recordReadinessAssessment"];
    assert_eq!(payload["userErrors"], json!([]));
    let first = &payload["readinessAssessment"];
    assert_eq!(first["level"], "PARTIALLY_READY");
    assert_eq!(first["findings"], "Two AMIs unpatched.");
    assert_eq!(first["version"], 1);
    assert_eq!(first["assessedBy"]["subject"], "owner");
    assert_eq!(first["capability"]["key"], "patch-management");
    assert_eq!(first["target"], Value::Null, "no target agreed yet");
    let assessment = first["id"].as_str().unwrap().to_owned();

    // Recording again revises the same assessment, by another consultant.
    app.add_member(&owner, &id, "second", "CONSULTANT").await;
    let second = app.token("second", &[]);
    let data = app.data(&second, RECORD, input(&id, &patch, "READY", "All patched.", Some(1))).await;
    let revised = &data["recordReadinessAssessment"]["readinessAssessment"];
    assert_eq!(revised["id"], assessment.as_str());
    assert_eq!((revised["level"].as_str(), revised["version"].as_i64()), (Some("READY"), Some(2)));
    assert_eq!(revised["assessedBy"]["subject"], "second");
    assert_eq!(app.count_rows("readiness_assessments").await, 1);

    // A stale version is a conflict and changes nothing.
    let body = app.gql(&owner, RECORD, input(&id, &patch, "NOT_READY", "Stale view.", Some(1))).await;
    assert_eq!(error_code(&body), "CONFLICT");
    assert_eq!(body["errors"][0]["extensions"]["currentVersion"], 2);
    // `expectedVersion: 0` means "only if none exists yet".
    let body = app.gql(&owner, RECORD, input(&id, &patch, "NOT_READY", "Create only.", Some(0))).await;
    assert_eq!(error_code(&body), "CONFLICT");
    let data = app.data(&owner, RECORD, input(&id, &change, "NOT_READY", "No CAB yet.", Some(0))).await;
    assert_eq!(data["recordReadinessAssessment"]["readinessAssessment"]["version"], 1);

    let data = app
        .data(
            &owner,
            "query($id: ID!) { node(id: $id) { ... on ReadinessAssessment { level findings version } } }",
            json!({ "id": assessment }),
        )
        .await;
    assert_eq!(data["node"], json!({ "level": "READY", "findings": "All patched.", "version": 2 }));
    // Kit capability order, not recording order.
    let data = app.data(&owner, LIST, json!({ "id": id })).await;
    let keys: Vec<_> = data["engagement"]["readinessAssessments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["capability"]["key"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(keys, ["change-management", "patch-management"]);
    assert_eq!(app.count_rows("audit_events WHERE action = 'readiness.assessed'").await, 3);
    assert_eq!(
        app.count_rows(&format!(
            "audit_events WHERE action = 'readiness.assessed' AND object_type = 'ReadinessAssessment' AND object_id = {}",
            raw_id(&assessment)
        ))
        .await,
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_target_is_the_one_agreed_in_discovery_and_analysis() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Targets").await;
    let patch = capability(&app, &owner, &id, "patch-management").await;
    let tags = capability(&app, &owner, &id, "tag-management").await;
    // Stand-in for the mutation that agrees a target: write it on the D&A activity.
    app.db
        .execute(&format!(
            "UPDATE activities SET readiness_statement = 'Critical patches within 7 days',
           readiness_criteria = '[\"Patch baseline per OS\", \"Compliance report weekly\"]'
         WHERE engagement_id = {} AND artifact_template_id IN (SELECT id FROM artifact_templates
           WHERE capability_id = {} AND kind = 'DISCOVERY_AND_ANALYSIS')",
            raw_id(&id),
            raw_id(&patch)
        ))
        .await;

    let data = app.data(&owner, RECORD, input(&id, &patch, "READY", "Met.", None)).await;
    assert_eq!(
        data["recordReadinessAssessment"]["readinessAssessment"]["target"],
        json!({ "statement": "Critical patches within 7 days",
                "criteria": ["Patch baseline per OS", "Compliance report weekly"] })
    );
    let data = app.data(&owner, RECORD, input(&id, &tags, "NOT_READY", "No tag policy.", None)).await;
    assert_eq!(data["recordReadinessAssessment"]["readinessAssessment"]["target"], Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_and_writes_nothing() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Validation").await;
    let patch = capability(&app, &owner, &id, "patch-management").await;
    let audit_before = app.count_rows("audit_events").await;

    let data = app.data(&owner, RECORD, input(&id, &patch, "READY", " \n ", None)).await;
    assert_eq!(data["recordReadinessAssessment"]["readinessAssessment"], Value::Null);
    let errors = &data["recordReadinessAssessment"]["userErrors"];
    assert_eq!(errors[0]["field"], json!(["input", "findings"]));
    assert_eq!(errors[0]["code"], "REQUIRED");
    let long = "x".repeat(20_001);
    let data = app.data(&owner, RECORD, input(&id, &patch, "READY", &long, None)).await;
    assert_eq!(data["recordReadinessAssessment"]["userErrors"][0]["code"], "TOO_LONG");

    // A capability of another kit version, or an ID of another type, does not exist here.
    let foreign = foreign_capability(&app).await;
    let audit_before = audit_before + 1; // the import
    let body = app.gql(&owner, RECORD, input(&id, &foreign, "READY", "Fine.", None)).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let body = app.gql(&owner, RECORD, input(&id, &id, "READY", "Fine.", None)).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let body = app.gql(&owner, RECORD, input(&id, "not-an-id", "READY", "Fine.", None)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    let body = app.gql(&owner, RECORD, input(&id, &patch, "ALMOST", "Fine.", None)).await;
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("ALMOST"), "{body}");

    assert_eq!(app.count_rows("readiness_assessments").await, 0);
    assert_eq!(app.count_rows("audit_events").await, audit_before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_consultants_and_admins_record_and_strangers_see_nothing() {
    let Team { app, engagement: id, consultant: owner, .. } = Team::start("Roles", "owner").await;
    let patch = capability(&app, &owner, &id, "patch-management").await;

    for sub in ["wanda", "stan"] {
        let token = app.token(sub, &["consultant"]);
        let body = app.gql(&token, RECORD, input(&id, &patch, "READY", "Looks fine to me.", None)).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{sub}");
    }
    let stranger = app.token("stranger", &["consultant"]);
    let body = app.gql(&stranger, RECORD, input(&id, &patch, "READY", "Looks fine.", None)).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    assert_eq!(app.count_rows("readiness_assessments").await, 0);

    // An admin records without being a member; every member reads.
    let admin = app.token("root", &["admin"]);
    let data = app.data(&admin, RECORD, input(&id, &patch, "PARTIALLY_READY", "Gaps in reporting.", None)).await;
    let assessment = data["recordReadinessAssessment"]["readinessAssessment"]["id"].as_str().unwrap().to_owned();
    for sub in ["wanda", "stan"] {
        let data = app.data(&app.token(sub, &[]), LIST, json!({ "id": id })).await;
        assert_eq!(data["engagement"]["readinessAssessments"][0]["id"], assessment.as_str());
    }
    let body = app.gql(&stranger, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": assessment })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let body = app.gql(&stranger, LIST, json!({ "id": id })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    assert_eq!(app.count_rows("readiness_assessments").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_recordings_make_one_assessment() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Race").await;
    let patch = capability(&app, &owner, &id, "patch-management").await;
    let tags = capability(&app, &owner, &id, "tag-management").await;

    // Without an expected version, every recording lands, one after the other.
    let attempts =
        (0..6).map(|n| app.gql(&owner, RECORD, input(&id, &patch, "READY", &format!("Recording {n}"), None)));
    let results = futures::future::join_all(attempts).await;
    let mut versions: Vec<i64> = results
        .iter()
        .map(|b| b["data"]["recordReadinessAssessment"]["readinessAssessment"]["version"].as_i64().unwrap())
        .collect();
    versions.sort_unstable();
    assert_eq!(versions, [1, 2, 3, 4, 5, 6], "{results:?}");

    // "Only if none exists yet": exactly one wins.
    let attempts = (0..6).map(|n| app.gql(&owner, RECORD, input(&id, &tags, "READY", &format!("First {n}"), Some(0))));
    let results = futures::future::join_all(attempts).await;
    let conflicts = results.iter().filter(|b| b["errors"][0]["extensions"]["code"] == "CONFLICT").count();
    assert_eq!(conflicts, 5, "{results:?}");
    assert_eq!(app.count_rows("readiness_assessments").await, 2);
    assert_eq!(app.count_rows("audit_events WHERE action = 'readiness.assessed'").await, 7);
}
