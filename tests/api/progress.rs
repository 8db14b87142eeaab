//! Engagement progress against a scripted engagement: every figure of
//! `engagement.progress` is worked out by hand from the script, at the start,
//! at an intermediate point and at the end, and a list of engagements gives
//! each its own figures.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::common::{
    TestApp, activity_ids, agree_target, bank, capability, core_runbook, member_id, transition, valid_value,
};

const PROGRESS: &str = "activitiesDone activitiesTotal questionsAnswered questionsTotal openDeviations
    deviationsWithoutMitigation runbooksBaselined runbooksPlanned
    capabilities { capability { key } discoveryStatus designStatus questionsAnswered questionsTotal
      openDeviations deviationsWithoutMitigation readinessLevel runbooksBaselined runbooksPlanned }";

async fn progress(app: &TestApp, token: &str, engagement: &str) -> Value {
    let query = format!("query($id: ID!) {{ engagement(id: $id) {{ progress {{ {PROGRESS} }} }} }}");
    app.data(token, &query, json!({ "id": engagement })).await["engagement"]["progress"].clone()
}

/// The kit's question bank sizes, read from the kit itself.
struct Banks {
    /// Questions per capability key (all its artifact templates).
    by_capability: HashMap<String, i64>,
    /// Questions of every artifact template of the kit.
    total: i64,
}

async fn banks(app: &TestApp, token: &str) -> Banks {
    let data = app
        .data(
            token,
            r#"{ kit(key: "aws-operations", version: "1.0.0") { artifactTemplates { capability { key } questions { id } } } }"#,
            json!({}),
        )
        .await;
    let mut by_capability = HashMap::new();
    let mut total = 0;
    for template in data["kit"]["artifactTemplates"].as_array().unwrap() {
        let n = template["questions"].as_array().unwrap().len() as i64;
        total += n;
        if let Some(key) = template["capability"]["key"].as_str() {
            *by_capability.entry(key.to_owned()).or_insert(0) += n;
        }
    }
    assert_eq!(by_capability.len(), 7, "{data}");
    assert!(by_capability.values().all(|&n| n >= 5), "every capability has a real bank: {by_capability:?}");
    Banks { by_capability, total }
}

/// One row of an expected table: capability key, discovery status, design
/// status, questions answered, open deviations, deviations without a
/// mitigation plan, readiness level, runbooks baselined, runbooks planned.
type Row = (&'static str, &'static str, &'static str, i64, i64, i64, Option<&'static str>, i64, i64);

/// A capability nobody has touched: one core runbook planned, nothing else.
fn untouched(key: &'static str) -> Row {
    (key, "NOT_STARTED", "NOT_STARTED", 0, 0, 0, None, 0, 1)
}

/// An expected `progress`, with the engagement-wide figures written out
/// separately from the rows (and checked against them, to catch slips in
/// the hand-worked table).
struct Expected {
    activities_done: i64,
    questions_answered: i64,
    open_deviations: i64,
    without_mitigation: i64,
    runbooks_baselined: i64,
    runbooks_planned: i64,
    /// In kit order.
    rows: [Row; 7],
}

impl Expected {
    fn json(&self, banks: &Banks) -> Value {
        let sum = |f: fn(&Row) -> i64| self.rows.iter().map(f).sum::<i64>();
        assert_eq!(sum(|r| r.3), self.questions_answered, "table: answers");
        assert_eq!(sum(|r| r.4), self.open_deviations, "table: open deviations");
        assert_eq!(sum(|r| r.5), self.without_mitigation, "table: without mitigation");
        assert_eq!(sum(|r| r.7), self.runbooks_baselined, "table: baselined");
        assert_eq!(sum(|r| r.8), self.runbooks_planned, "table: planned");
        let done = |s: &str| i64::from(s == "DONE");
        assert_eq!(
            self.rows.iter().map(|r| done(r.1) + done(r.2)).sum::<i64>(),
            self.activities_done,
            "table: no overview activity is done in these scripts"
        );
        json!({
            "activitiesDone": self.activities_done,
            // 7 capabilities x (Discovery & Analysis, Design) + 2 overview artifacts.
            "activitiesTotal": 16,
            "questionsAnswered": self.questions_answered,
            "questionsTotal": banks.total,
            "openDeviations": self.open_deviations,
            "deviationsWithoutMitigation": self.without_mitigation,
            "runbooksBaselined": self.runbooks_baselined,
            "runbooksPlanned": self.runbooks_planned,
            "capabilities": self.rows.iter().map(|r| json!({
                "capability": { "key": r.0 },
                "discoveryStatus": r.1,
                "designStatus": r.2,
                "questionsAnswered": r.3,
                "questionsTotal": banks.by_capability[r.0],
                "openDeviations": r.4,
                "deviationsWithoutMitigation": r.5,
                "readinessLevel": r.6,
                "runbooksBaselined": r.7,
                "runbooksPlanned": r.8,
            })).collect::<Vec<_>>(),
        })
    }
}

/// A fresh engagement: nothing done, the kit's 7 core runbooks planned.
fn fresh() -> Expected {
    Expected {
        activities_done: 0,
        questions_answered: 0,
        open_deviations: 0,
        without_mitigation: 0,
        runbooks_baselined: 0,
        runbooks_planned: 7,
        rows: [
            untouched("change-management"),
            untouched("configuration-management"),
            untouched("availability-continuity-management"),
            untouched("patch-management"),
            untouched("event-management"),
            untouched("tag-management"),
            untouched("ami-management"),
        ],
    }
}

async fn answer(app: &TestApp, token: &str, activity: &str, question: &Value, second: bool) -> Value {
    let input = json!({ "activityId": activity, "questionId": question["id"], "value": valid_value(question, second),
        "expectedVersion": if second { json!(1) } else { Value::Null } });
    let selection = "answer { id version history { answeredBy { subject } } }";
    app.mutate_ok(token, "answerQuestion", selection, input).await["answer"].clone()
}

async fn deviation(app: &TestApp, token: &str, activity: &str, title: &str, plan: Option<&str>) -> String {
    let input = json!({ "activityId": activity, "title": title, "description": "Differs from the recommended design.",
        "risks": "Audit findings.", "severity": "HIGH", "mitigationPlan": plan });
    let payload = app.mutate_ok(token, "recordDeviation", "deviation { id }", input).await;
    payload["deviation"]["id"].as_str().unwrap().to_owned()
}

async fn assess(app: &TestApp, token: &str, engagement: &str, key: &str, level: &str) {
    let capability = capability(app, token, engagement, key).await;
    let input =
        json!({ "engagementId": engagement, "capabilityId": capability, "level": level, "findings": "Game Day." });
    app.mutate_ok(token, "recordReadinessAssessment", "__typename", input).await;
}

async fn runbook_step(app: &TestApp, token: &str, op: &str, runbook: &Value) -> Value {
    let input = match op {
        "editRunbook" => {
            json!({ "runbookId": runbook, "body": "# Runbook\n\nThe procedure.\n", "changeSummary": "Procedure" })
        }
        "reviewRunbook" => json!({ "runbookId": runbook, "verdict": "APPROVE" }),
        _ => json!({ "runbookId": runbook }),
    };
    app.mutate_ok(token, op, "runbook { status }", input).await["runbook"].clone()
}

async fn custom_runbook(app: &TestApp, token: &str, engagement: &str, key: &str, deviation: Option<&str>) {
    let capability = capability(app, token, engagement, key).await;
    let input = json!({ "engagementId": engagement, "capabilityId": capability, "title": "Customer tooling",
        "reason": "The customer keeps its own tool.", "deviationId": deviation });
    let payload = app.mutate_ok(token, "createCustomRunbook", "runbook { status }", input).await;
    assert_eq!(payload["runbook"]["status"], "DRAFT");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_follows_a_scripted_engagement() {
    let app = TestApp::start().await;
    let olga = app.token("olga", &["consultant"]);
    let banks = banks(&app, &olga).await;
    let id = app.create_engagement_for(&olga, "Acme operations", "Acme Health").await;
    let carl_member = app.add_member(&olga, &id, "carl", "CONSULTANT").await;
    app.add_member(&olga, &id, "wanda", "WORKSTREAM_MEMBER").await;
    app.add_member(&olga, &id, "stan", "STAKEHOLDER").await;
    let (carl, wanda, stan) = (app.token("carl", &[]), app.token("wanda", &[]), app.token("stan", &[]));
    let olga_member = member_id(&app, &olga, &id, "olga").await;
    assert_eq!(progress(&app, &olga, &id).await, fresh().json(&banks), "a new engagement");

    let acts = activity_ids(&app, &olga, &id).await;
    let (cm_dna, cm_design) = (&acts["change-management/DISCOVERY_AND_ANALYSIS"], &acts["change-management/DESIGN"]);
    let pm_dna = &acts["patch-management/DISCOVERY_AND_ANALYSIS"];
    for (activity, member) in [(cm_dna, &carl_member), (pm_dna, &olga_member)] {
        let input = json!({ "activityId": activity, "memberId": member });
        app.mutate_ok(&olga, "assignActivity", "__typename", input).await;
    }

    // 5 answers in change management, 3 in patch management; one of the
    // latter answered a second time (its history has 2 entries, the count stays 3).
    let cm_bank = bank(&app, &olga, cm_dna).await;
    for (i, question) in cm_bank.iter().take(5).enumerate() {
        answer(&app, if i % 2 == 0 { &wanda } else { &carl }, cm_dna, question, false).await;
    }
    let pm_bank = bank(&app, &olga, pm_dna).await;
    for question in pm_bank.iter().take(3) {
        answer(&app, &wanda, pm_dna, question, false).await;
    }
    let again = answer(&app, &olga, pm_dna, &pm_bank[1], true).await;
    assert_eq!((again["version"].as_i64(), again["history"].as_array().unwrap().len()), (Some(2), 2));

    // Change management's discovery is done and its design started; patch
    // management's discovery is under way.
    agree_target(&app, &carl, cm_dna).await;
    for (token, op, activity) in [
        (&carl, "startActivity", cm_dna),
        (&carl, "completeActivity", cm_dna),
        (&olga, "startActivity", pm_dna),
        (&carl, "startActivity", cm_design),
    ] {
        let payload = transition(&app, token, op, activity, None).await;
        assert_eq!(payload["userErrors"], json!([]), "{op}: {payload}");
    }
    let mitigated =
        deviation(&app, &wanda, cm_design, "ServiceNow CAB", Some("Sync both change calendars nightly.")).await;
    let unmitigated = deviation(&app, &carl, cm_design, "No emergency path", None).await;

    // Intermediate point: 2 deviations on change management's design, 1 without a plan.
    let intermediate = Expected {
        // change-management D&A.
        activities_done: 1,
        // 5 (change) + 3 (patch); the second answer replaced the first.
        questions_answered: 8,
        // Both deviations are open.
        open_deviations: 2,
        // "No emergency path" has no plan.
        without_mitigation: 1,
        runbooks_baselined: 0,
        // The kit's 7 core runbooks.
        runbooks_planned: 7,
        rows: [
            ("change-management", "DONE", "IN_PROGRESS", 5, 2, 1, None, 0, 1),
            untouched("configuration-management"),
            untouched("availability-continuity-management"),
            ("patch-management", "IN_PROGRESS", "NOT_STARTED", 3, 0, 0, None, 0, 1),
            untouched("event-management"),
            untouched("tag-management"),
            untouched("ami-management"),
        ],
    }
    .json(&banks);
    assert_eq!(progress(&app, &stan, &id).await, intermediate, "after the deviations are recorded");

    // The design cannot be done while a deviation has no plan; nothing changes.
    let activity_q = "query($id: ID!) { node(id: $id) { ... on Activity { status version completedAt } } }";
    let design_before = app.data(&olga, activity_q, json!({ "id": cm_design })).await;
    let events = app.count_rows("audit_events").await;
    let refused = transition(&app, &carl, "completeActivity", cm_design, None).await;
    assert_eq!(refused["userErrors"][0]["code"], "DEVIATION_WITHOUT_MITIGATION", "{refused}");
    assert!(refused["activity"].is_null());
    assert_eq!(app.data(&olga, activity_q, json!({ "id": cm_design })).await, design_before);
    assert_eq!(design_before["node"]["status"], "IN_PROGRESS");
    assert_eq!(app.count_rows("audit_events").await, events);
    assert_eq!(progress(&app, &olga, &id).await, intermediate, "the refusal changed no figure");

    // The plan is written, the stakeholder accepts that risk, the other deviation is resolved.
    let input =
        json!({ "deviationId": unmitigated, "mitigationPlan": "Emergency changes approved by the on-call lead." });
    app.mutate_ok(&wanda, "updateDeviation", "__typename", input).await;
    let accepted = app
        .mutate_ok(&stan, "acceptDeviationRisk", "deviation { status }", json!({ "deviationId": unmitigated }))
        .await;
    assert_eq!(accepted["deviation"]["status"], "RISK_ACCEPTED");
    let resolved =
        app.mutate_ok(&olga, "resolveDeviation", "deviation { status }", json!({ "deviationId": mitigated })).await;
    assert_eq!(resolved["deviation"]["status"], "RESOLVED");
    let done = transition(&app, &carl, "completeActivity", cm_design, None).await;
    assert_eq!(done["activity"]["status"], "DONE", "{done}");

    // Game Day, the change management runbook baselined with both sign-offs,
    // the patch management one started, a custom runbook for the accepted deviation.
    assess(&app, &olga, &id, "change-management", "READY").await;
    assess(&app, &olga, &id, "patch-management", "PARTIALLY_READY").await;
    let cm_runbook = core_runbook(&app, &olga, &id, "change-management").await["id"].clone();
    for (token, op) in [
        (&wanda, "startRunbook"),
        (&wanda, "editRunbook"),
        (&wanda, "submitRunbookForReview"),
        (&carl, "reviewRunbook"),
        (&stan, "reviewRunbook"),
        (&olga, "baselineRunbook"),
    ] {
        runbook_step(&app, token, op, &cm_runbook).await;
    }
    let pm_runbook = core_runbook(&app, &olga, &id, "patch-management").await["id"].clone();
    assert_eq!(runbook_step(&app, &wanda, "startRunbook", &pm_runbook).await["status"], "DRAFT");
    custom_runbook(&app, &wanda, &id, "change-management", Some(&unmitigated)).await;

    let end = Expected {
        // Change management's D&A and Design; patch management's D&A is still in progress.
        activities_done: 2,
        // Unchanged since the intermediate point.
        questions_answered: 8,
        // "No emergency path" (risk accepted is still unresolved); "ServiceNow CAB" is resolved.
        open_deviations: 1,
        // Its plan was written.
        without_mitigation: 0,
        // Change management's core runbook.
        runbooks_baselined: 1,
        // 7 core + the custom one.
        runbooks_planned: 8,
        rows: [
            ("change-management", "DONE", "DONE", 5, 1, 0, Some("READY"), 1, 2),
            untouched("configuration-management"),
            untouched("availability-continuity-management"),
            // The started runbook is a draft: planned, not baselined.
            ("patch-management", "IN_PROGRESS", "NOT_STARTED", 3, 0, 0, Some("PARTIALLY_READY"), 0, 1),
            untouched("event-management"),
            untouched("tag-management"),
            untouched("ami-management"),
        ],
    }
    .json(&banks);
    for token in [&olga, &carl, &wanda, &stan] {
        assert_eq!(progress(&app, token, &id).await, end, "every member sees the same figures");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_of_engagements_gives_each_its_own_progress() {
    let app = TestApp::start().await;
    let olga = app.token("olga", &["consultant"]);
    let banks = banks(&app, &olga).await;

    // First: 2 change management answers, its D&A done, a runbook baselined (olga + stan).
    let first = app.create_engagement_for(&olga, "First", "Acme Health").await;
    app.add_member(&olga, &first, "carl", "CONSULTANT").await;
    app.add_member(&olga, &first, "stan", "STAKEHOLDER").await;
    let (carl, stan) = (app.token("carl", &[]), app.token("stan", &[]));
    let acts = activity_ids(&app, &olga, &first).await;
    let dna = &acts["change-management/DISCOVERY_AND_ANALYSIS"];
    for question in bank(&app, &olga, dna).await.iter().take(2) {
        answer(&app, &olga, dna, question, false).await;
    }
    agree_target(&app, &olga, dna).await;
    transition(&app, &olga, "startActivity", dna, None).await;
    assert_eq!(transition(&app, &olga, "completeActivity", dna, None).await["activity"]["status"], "DONE");
    let runbook = core_runbook(&app, &olga, &first, "event-management").await["id"].clone();
    for (token, op) in [
        (&olga, "startRunbook"),
        (&olga, "submitRunbookForReview"),
        (&carl, "reviewRunbook"),
        (&stan, "reviewRunbook"),
        (&olga, "baselineRunbook"),
    ] {
        runbook_step(&app, token, op, &runbook).await;
    }

    // Second: tag management's D&A done with 4 answers and its design started
    // with an unmitigated deviation; AMI assessed NOT_READY with a custom runbook.
    let second = app.create_engagement_for(&olga, "Second", "Initech").await;
    let acts = activity_ids(&app, &olga, &second).await;
    let (dna, design) = (&acts["tag-management/DISCOVERY_AND_ANALYSIS"], &acts["tag-management/DESIGN"]);
    for question in bank(&app, &olga, dna).await.iter().take(4) {
        answer(&app, &olga, dna, question, false).await;
    }
    agree_target(&app, &olga, dna).await;
    for op in ["startActivity", "completeActivity"] {
        transition(&app, &olga, op, dna, None).await;
    }
    transition(&app, &olga, "startActivity", design, None).await;
    deviation(&app, &olga, design, "Tags set by hand", None).await;
    assess(&app, &olga, &second, "ami-management", "NOT_READY").await;
    custom_runbook(&app, &olga, &second, "ami-management", None).await;

    // Third: untouched. Fourth: another consultant's, with work, not olga's to see.
    let third = app.create_engagement_for(&olga, "Third", "Umbrella").await;
    let other = app.token("otto", &["consultant"]);
    let hidden = app.create_engagement_for(&other, "Hidden", "Hooli").await;
    let acts = activity_ids(&app, &other, &hidden).await;
    let hidden_dna = &acts["change-management/DISCOVERY_AND_ANALYSIS"];
    answer(&app, &other, hidden_dna, &bank(&app, &other, hidden_dna).await[0], false).await;

    let mut expected = HashMap::new();
    expected.insert(
        first.clone(),
        Expected {
            // Change management's D&A.
            activities_done: 1,
            questions_answered: 2,
            open_deviations: 0,
            without_mitigation: 0,
            // Event management's core runbook.
            runbooks_baselined: 1,
            runbooks_planned: 7,
            rows: [
                ("change-management", "DONE", "NOT_STARTED", 2, 0, 0, None, 0, 1),
                untouched("configuration-management"),
                untouched("availability-continuity-management"),
                untouched("patch-management"),
                ("event-management", "NOT_STARTED", "NOT_STARTED", 0, 0, 0, None, 1, 1),
                untouched("tag-management"),
                untouched("ami-management"),
            ],
        }
        .json(&banks),
    );
    expected.insert(
        second.clone(),
        Expected {
            // Tag management's D&A.
            activities_done: 1,
            questions_answered: 4,
            // "Tags set by hand", without a plan.
            open_deviations: 1,
            without_mitigation: 1,
            runbooks_baselined: 0,
            // 7 core + the custom AMI runbook.
            runbooks_planned: 8,
            rows: [
                untouched("change-management"),
                untouched("configuration-management"),
                untouched("availability-continuity-management"),
                untouched("patch-management"),
                untouched("event-management"),
                ("tag-management", "DONE", "IN_PROGRESS", 4, 1, 1, None, 0, 1),
                ("ami-management", "NOT_STARTED", "NOT_STARTED", 0, 0, 0, Some("NOT_READY"), 0, 2),
            ],
        }
        .json(&banks),
    );
    expected.insert(third.clone(), fresh().json(&banks));

    let query = format!("{{ engagements(first: 20) {{ totalCount nodes {{ id progress {{ {PROGRESS} }} }} }} }}");
    let data = app.data(&olga, &query, json!({})).await;
    let nodes = data["engagements"]["nodes"].as_array().unwrap();
    assert_eq!(data["engagements"]["totalCount"], 3, "{data}");
    let listed: HashMap<String, Value> =
        nodes.iter().map(|n| (n["id"].as_str().unwrap().to_owned(), n["progress"].clone())).collect();
    assert_eq!(listed.len(), 3);
    for (engagement, want) in &expected {
        assert_eq!(&listed[engagement], want, "listed progress of {engagement}");
        assert_eq!(&progress(&app, &olga, engagement).await, want, "progress of {engagement} read alone");
    }

    // The hidden engagement has its own figures, seen by its own consultant.
    let mut hidden_want = fresh();
    hidden_want.questions_answered = 1;
    hidden_want.rows[0].3 = 1;
    let data = app.data(&other, &query, json!({})).await;
    assert_eq!(data["engagements"]["nodes"], json!([{ "id": hidden, "progress": hidden_want.json(&banks) }]));
}
