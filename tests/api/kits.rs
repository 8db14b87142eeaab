//! The bundled kit, and importing kit versions over the API.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use crate::common::{BUNDLED_KIT, TestApp, error_code};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bundled_kit_is_served_with_its_full_catalog() {
    let app = TestApp::start().await;
    let token = app.token("reader", &[]);
    let data = app
        .data(
            &token,
            r#"{ kits { totalCount nodes { key version } }
                 kit(key: "aws-operations", version: "1.0.0") {
                   name
                   capabilities { key name
                     discoveryAndAnalysis { kind title questions { key category answerKind choices scale { min max } } }
                     design { kind recommendedDesign }
                     runbookTemplates { title sections { title } skeleton } }
                   overview: artifactTemplates(kind: OVERVIEW) { title capability { id } }
                   all: artifactTemplates { id }
                   workshopTemplates { title phase audience durationMinutes duration capability { key }
                     artifactTemplates { title kind } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["kits"]["totalCount"], 1);
    let kit = &data["kit"];
    let caps = kit["capabilities"].as_array().unwrap();
    let keys: Vec<_> = caps.iter().map(|c| c["key"].as_str().unwrap()).collect();
    assert_eq!(
        keys,
        [
            "change-management",
            "configuration-management",
            "availability-continuity-management",
            "patch-management",
            "event-management",
            "tag-management",
            "ami-management"
        ]
    );
    let mut total_questions = 0;
    for cap in caps {
        let questions = cap["discoveryAndAnalysis"]["questions"].as_array().unwrap();
        assert!(questions.len() >= 10, "{} has {} questions", cap["key"], questions.len());
        let categories: HashSet<_> = questions.iter().map(|q| q["category"].as_str().unwrap()).collect();
        assert_eq!(categories.len(), 3, "{} spans people, process and tools", cap["key"]);
        for q in questions {
            let choice = matches!(q["answerKind"].as_str(), Some("SINGLE_CHOICE" | "MULTIPLE_CHOICE"));
            assert_eq!(q["choices"].is_array(), choice, "{q}");
            assert_eq!(q["scale"].is_object(), q["answerKind"] == "SCALE", "{q}");
            if q["answerKind"] == "SCALE" {
                assert_eq!(q["scale"], json!({ "min": 1, "max": 5 }));
            }
        }
        total_questions += questions.len();
        assert_eq!(cap["design"]["kind"], "DESIGN");
        assert!(cap["design"]["recommendedDesign"].as_str().is_some_and(|d| d.len() > 100));
        let runbooks = cap["runbookTemplates"].as_array().unwrap();
        assert_eq!(runbooks.len(), 1);
        assert!(!runbooks[0]["sections"].as_array().unwrap().is_empty());
        assert!(runbooks[0]["skeleton"].as_str().unwrap().starts_with("# "));
    }
    assert!(total_questions >= 70, "{total_questions} questions");

    let overview: Vec<_> = kit["overview"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(overview, ["Operational Capabilities & RACI", "Monitoring Strategy & Operational Health"]);
    assert!(kit["overview"].as_array().unwrap().iter().all(|a| a["capability"].is_null()));
    assert_eq!(kit["all"].as_array().unwrap().len(), 16);

    let sessions = kit["workshopTemplates"].as_array().unwrap();
    assert_eq!(sessions.len(), 26);
    let mut phases: HashMap<&str, usize> = HashMap::new();
    for s in sessions {
        *phases.entry(s["phase"].as_str().unwrap()).or_default() += 1;
    }
    assert_eq!(phases["OPERATIONS_OVERVIEW"], 4);
    assert_eq!(phases["CURRENT_STATE_REVIEW"], 7);
    assert_eq!(phases["READINESS_STATE_DEFINITION"], 7);
    assert_eq!(phases["DESIGN_REVIEW"], 7);
    assert_eq!(phases["READINESS_ASSESSMENT"], 1);

    let by_title = |t: &str| sessions.iter().find(|s| s["title"] == t).unwrap_or_else(|| panic!("no session {t}"));
    let intro = by_title("Operations Workstream Introduction");
    assert_eq!((intro["audience"].as_str(), intro["durationMinutes"].as_i64()), (Some("ALL"), Some(90)));
    let game_day = by_title("Operations Game Day");
    assert_eq!(game_day["duration"], "P4W");
    assert_eq!(game_day["audience"], "WORKSTREAM");
    let patch_review = by_title("Patch Management Current State Review");
    assert_eq!(patch_review["durationMinutes"], 30);
    assert_eq!(patch_review["capability"]["key"], "patch-management");
    assert_eq!(
        patch_review["artifactTemplates"],
        json!([{ "title": "Patch Management Discovery and Analysis", "kind": "DISCOVERY_AND_ANALYSIS" }])
    );
    let raci = by_title("Operations Model Overview & Capability Model Review");
    assert_eq!(raci["artifactTemplates"][0]["title"], "Operational Capabilities & RACI");
    let design = by_title("Event and Incident Management Design Review");
    assert_eq!(design["artifactTemplates"][0]["title"], "Event & Incident Management Design");
    assert_eq!(by_title("Tag Management Operational Readiness State Definition")["durationMinutes"], 60);
}

const IMPORT: &str = "mutation($input: ImportKitInput!) { importKit(input: $input) {
    created kit { key version capabilities { key } } userErrors { field code message } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn importing_is_idempotent_and_adds_new_versions_beside_old_ones() {
    let app = TestApp::start().await;
    let admin = app.token("root", &["admin"]);
    let questions_before = app.count_rows("questions").await;

    let data = app.data(&admin, IMPORT, json!({ "input": { "document": BUNDLED_KIT, "format": "YAML" } })).await;
    assert_eq!(data["importKit"]["created"], false, "same version twice is a no-op");
    assert_eq!(data["importKit"]["kit"]["version"], "1.0.0");
    assert_eq!(app.count_rows("questions").await, questions_before);

    let next = BUNDLED_KIT.replacen("version: 1.0.0", "version: 1.1.0", 1);
    assert_ne!(next, BUNDLED_KIT);
    let data = app.data(&admin, IMPORT, json!({ "input": { "document": next, "format": "YAML" } })).await;
    assert_eq!(data["importKit"]["created"], true);
    assert_eq!(data["importKit"]["kit"]["capabilities"].as_array().unwrap().len(), 7);
    assert_eq!(app.count_rows("questions").await, questions_before * 2);

    let data = app
        .data(&admin, r#"{ kits { totalCount nodes { version } } kit(key: "aws-operations") { version } }"#, json!({}))
        .await;
    assert_eq!(data["kits"]["totalCount"], 2);
    assert_eq!(data["kits"]["nodes"], json!([{ "version": "1.1.0" }, { "version": "1.0.0" }]));
    assert_eq!(data["kit"]["version"], "1.1.0", "without a version, the newest");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_kits_are_refused_with_the_place_at_fault() {
    let app = TestApp::start().await;
    let admin = app.token("root", &["admin"]);
    let kits_before = app.count_rows("kits").await;

    let unknown_field =
        BUNDLED_KIT.replacen("version: 1.0.0", "version: 2.0.0", 1).replacen("    summary: >-", "    sumary: >-", 1);
    let data = app.data(&admin, IMPORT, json!({ "input": { "document": unknown_field, "format": "YAML" } })).await;
    let errors = data["importKit"]["userErrors"].as_array().unwrap();
    assert_eq!(errors[0]["code"], "INVALID_KIT");
    assert_eq!(errors[0]["field"], json!(["input", "document"]));
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("capabilities[0]") && message.contains("sumary") && message.contains("line"), "{message}");
    assert!(data["importKit"]["kit"].is_null());

    let bad_choice = json!({ "key": "k", "version": "1", "name": "n", "description": "d", "capabilities": [{
        "key": "c", "name": "C", "summary": "s",
        "discovery": { "key": "a", "title": "A", "overview": "o", "scope": { "people": "p", "processes": "p", "tools": "t" },
            "questions": [{ "key": "q1", "category": "PEOPLE", "text": "Who?", "guidance": "g", "answer_kind": "SINGLE_CHOICE", "choices": ["x"] }] },
        "design": { "key": "b", "title": "B", "overview": "o", "scope": { "people": "p", "processes": "p", "tools": "t" }, "recommended_design": "r" },
        "runbook": { "key": "r", "title": "R", "summary": "s", "sections": [{ "title": "t", "guidance": "g" }] } }],
        "workshops": [{ "key": "w", "phase": "DESIGN_REVIEW", "title": "W", "audience": "ALL", "duration_minutes": 30, "artifacts": ["missing"] }] });
    let data =
        app.data(&admin, IMPORT, json!({ "input": { "document": bad_choice.to_string(), "format": "JSON" } })).await;
    let messages: Vec<_> = data["importKit"]["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_owned())
        .collect();
    assert!(messages.iter().any(|m| m.contains("questions[0].choices")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("workshops[0].artifacts[0]")), "{messages:?}");

    let data = app.data(&admin, IMPORT, json!({ "input": { "document": "{ not json", "format": "JSON" } })).await;
    assert!(data["importKit"]["userErrors"][0]["message"].as_str().unwrap().contains("line 1"));

    assert_eq!(app.count_rows("kits").await, kits_before, "nothing was written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_admins_import_kits() {
    let app = TestApp::start().await;
    for roles in [&["consultant"][..], &[]] {
        let token = app.token("someone", roles);
        let body = app.gql(&token, IMPORT, json!({ "input": { "document": BUNDLED_KIT, "format": "YAML" } })).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{roles:?}");
        assert_eq!(body["data"], Value::Null);
    }
}
