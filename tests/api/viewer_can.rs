//! `viewerCan`: for every role and every state, each flag is true exactly
//! when its mutation is accepted. Each case reads the flags, then runs the
//! real mutation as the same caller; an accepted mutation changes the object,
//! so the next case gets a fresh one in the same state.

use std::sync::Mutex;

use serde_json::{Value, json};

use crate::common::{Team, TestApp, activity_ids, agree_target, capability, merge, sprint_id};

/// The flags of `type_name` object `id` as `token` sees them.
async fn flags(app: &TestApp, token: &str, type_name: &str, id: &str, fields: &[&str]) -> Value {
    let query = format!(
        "query($id: ID!) {{ node(id: $id) {{ ... on {type_name} {{ viewerCan {{ {} }} }} }} }}",
        fields.join(" ")
    );
    app.data(token, &query, json!({ "id": id })).await["node"]["viewerCan"].clone()
}

/// Whether a mutation's answer (payload, or body with top-level errors) says it was accepted.
fn accepted(payload: &Value) -> bool {
    payload.get("errors").is_none() && payload["userErrors"] == json!([])
}

/// Runs mutation `op` and says whether it was accepted; `selection` is a field of its payload.
async fn attempt(app: &TestApp, token: &str, op: &str, selection: &str, input: Value) -> bool {
    accepted(&app.mutate(token, op, selection, input).await)
}

/// Tallies the cases, so that a test that checks nothing (or only one
/// answer) fails.
#[derive(Default)]
struct Tally {
    yes: usize,
    no: usize,
}

impl Tally {
    fn record(&mut self, flag: &Value, accepted: bool, case: &str) {
        let flag = flag.as_bool().unwrap_or_else(|| panic!("no flag for {case}"));
        assert_eq!(flag, accepted, "viewerCan says {flag} but the mutation was accepted: {accepted} — {case}");
        if accepted { self.yes += 1 } else { self.no += 1 }
    }

    fn finish(&self, cases: usize) {
        assert_eq!(self.yes + self.no, cases);
        assert!(self.yes > 0 && self.no > 0, "both answers occur ({} yes, {} no)", self.yes, self.no);
    }
}

/// The callers every test tries: an admin who is not a member, and the team's members.
fn callers(t: &Team, extra: &[(&'static str, String)]) -> Vec<(&'static str, String)> {
    let mut all = vec![
        ("admin", t.app.token("root", &["admin"])),
        ("consultant", t.consultant.clone()),
        ("workstream member", t.workstream.clone()),
        ("stakeholder", t.stakeholder.clone()),
    ];
    all.extend(extra.iter().cloned());
    all
}

const RUNBOOK_ACTIONS: [&str; 7] = ["start", "edit", "submit", "approve", "requestChanges", "baseline", "revise"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runbook_flags_match_the_mutations() {
    let t = Team::start("Can runbooks", "owner").await;
    let carl = t.join("carl", "CONSULTANT").await;
    let app = &t.app;
    let cap = capability(app, &t.consultant, &t.engagement, "patch-management").await;
    let data = app.engagement(&t.consultant, &t.engagement, "runbooks(filter: { kind: CORE }) { nodes { id } }").await;
    let templates: Vec<String> =
        data["runbooks"]["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap().to_owned()).collect();
    let templates = Mutex::new(templates);
    let go = async |token: &str, op: &str, id: &str, extra: Value| {
        let ok = attempt(app, token, op, "runbook { id }", merge(json!({ "runbookId": id }), extra)).await;
        assert!(ok, "setting up: {op}");
    };
    // A runbook in `state`, written by the owner (a consultant).
    let make = async |state: &str| -> String {
        if state == "TEMPLATE" {
            return templates.lock().unwrap().pop().expect("a core runbook left in TEMPLATE");
        }
        let input = json!({ "engagementId": t.engagement, "capabilityId": cap, "title": "Custom", "reason": "Chosen" });
        let created = app.mutate_ok(&t.consultant, "createCustomRunbook", "runbook { id }", input).await;
        let id = created["runbook"]["id"].as_str().unwrap().to_owned();
        if state == "DRAFT" {
            return id;
        }
        go(&t.consultant, "submitRunbookForReview", &id, json!({})).await;
        if state == "IN_REVIEW" {
            return id;
        }
        go(&carl, "reviewRunbook", &id, json!({ "verdict": "APPROVE" })).await;
        go(&t.stakeholder, "reviewRunbook", &id, json!({ "verdict": "APPROVE" })).await;
        if state == "SIGNED_OFF" {
            return id;
        }
        go(&t.consultant, "baselineRunbook", &id, json!({})).await;
        id
    };
    // The owner wrote every revision: as a reviewer they are refused, carl is not.
    let callers = callers(&t, &[("second consultant", carl.clone())]);
    let mut tally = Tally::default();
    for state in ["TEMPLATE", "DRAFT", "IN_REVIEW", "SIGNED_OFF", "BASELINE"] {
        let mut id = make(state).await;
        for (who, token) in &callers {
            for action in RUNBOOK_ACTIONS {
                let flag = flags(app, token, "Runbook", &id, &RUNBOOK_ACTIONS).await[action].clone();
                let (op, extra) = match action {
                    "start" => ("startRunbook", json!({})),
                    "edit" => ("editRunbook", json!({ "body": "# Runbook\n\nSteps.", "changeSummary": "steps" })),
                    "submit" => ("submitRunbookForReview", json!({})),
                    "approve" => ("reviewRunbook", json!({ "verdict": "APPROVE" })),
                    "requestChanges" => ("reviewRunbook", json!({ "verdict": "REQUEST_CHANGES", "comment": "More" })),
                    "baseline" => ("baselineRunbook", json!({})),
                    _ => ("reviseRunbook", json!({})),
                };
                let input = merge(json!({ "runbookId": id }), extra);
                let ok = attempt(app, token, op, "runbook { id }", input).await;
                tally.record(&flag, ok, &format!("{who} {action} on a {state} runbook"));
                if ok {
                    id = make(state).await;
                }
            }
        }
    }
    tally.finish(5 * 5 * 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deviation_flags_match_the_mutations() {
    let t = Team::start("Can deviations", "carla").await;
    let app = &t.app;
    let design = activity_ids(app, &t.consultant, &t.engagement).await["patch-management/DESIGN"].clone();
    let make = async |state: &str| -> String {
        let mut input = json!({ "activityId": design, "title": "Own tool", "description": "Another tool.",
            "risks": "Two consoles.", "severity": "HIGH" });
        if state != "OPEN_WITHOUT_PLAN" {
            input = merge(input, json!({ "mitigationPlan": "Export compliance data nightly." }));
        }
        let data = app.mutate_ok(&t.consultant, "recordDeviation", "deviation { id }", input).await;
        let id = data["deviation"]["id"].as_str().unwrap().to_owned();
        let decide = async |token: &str, op: &str| {
            app.mutate_ok(token, op, "deviation { id }", json!({ "deviationId": id })).await;
        };
        match state {
            "RISK_ACCEPTED" => decide(&t.stakeholder, "acceptDeviationRisk").await,
            "RESOLVED" => decide(&t.consultant, "resolveDeviation").await,
            _ => {}
        }
        id
    };
    let actions = ["edit", "acceptRisk", "resolve"];
    let mut tally = Tally::default();
    let callers = callers(&t, &[]);
    for state in ["OPEN_WITHOUT_PLAN", "OPEN", "RISK_ACCEPTED", "RESOLVED"] {
        let mut id = make(state).await;
        for (who, token) in &callers {
            for action in actions {
                let flag = flags(app, token, "Deviation", &id, &actions).await[action].clone();
                let (op, extra) = match action {
                    "edit" => ("updateDeviation", json!({ "title": "Renamed" })),
                    "acceptRisk" => ("acceptDeviationRisk", json!({})),
                    _ => ("resolveDeviation", json!({})),
                };
                let input = merge(json!({ "deviationId": id }), extra);
                let ok = attempt(app, token, op, "deviation { id }", input).await;
                tally.record(&flag, ok, &format!("{who} {action} on a {state} deviation"));
                if ok {
                    id = make(state).await;
                }
            }
        }
    }
    tally.finish(4 * 4 * 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workshop_session_flags_match_the_mutations() {
    let t = Team::start("Can sessions", "carla").await;
    let app = &t.app;
    let sprint = sprint_id(app, &t.consultant, &t.engagement, 1).await;
    let make = async |state: &str| -> String {
        let input = json!({ "engagementId": t.engagement, "title": "Deep dive", "phase": "DESIGN_REVIEW",
            "audience": "WORKSTREAM", "durationMinutes": 60 });
        let data = app.mutate_ok(&t.consultant, "addWorkshopSession", "session { id }", input).await;
        let id = data["session"]["id"].as_str().unwrap().to_owned();
        match state {
            "HELD" => {
                let input = json!({ "sessionId": id, "notes": "Held." });
                app.mutate_ok(&t.consultant, "recordWorkshopOutcome", "session { id }", input).await;
            }
            "CANCELLED" => {
                app.mutate_ok(&t.consultant, "cancelWorkshopSession", "session { id }", json!({ "sessionId": id }))
                    .await;
            }
            _ => {}
        }
        id
    };
    let actions = ["schedule", "recordOutcome", "cancel"];
    let mut tally = Tally::default();
    let callers = callers(&t, &[]);
    for state in ["PLANNED", "HELD", "CANCELLED"] {
        let mut id = make(state).await;
        for (who, token) in &callers {
            for action in actions {
                let flag = flags(app, token, "WorkshopSession", &id, &actions).await[action].clone();
                let (op, extra) = match action {
                    "schedule" => ("scheduleWorkshopSession", json!({ "sprintId": sprint })),
                    "recordOutcome" => ("recordWorkshopOutcome", json!({ "notes": "Notes." })),
                    _ => ("cancelWorkshopSession", json!({ "reason": "Moved." })),
                };
                let input = merge(json!({ "sessionId": id }), extra);
                let ok = attempt(app, token, op, "session { id }", input).await;
                tally.record(&flag, ok, &format!("{who} {action} on a {state} session"));
                if ok {
                    id = make(state).await;
                }
            }
        }
    }
    tally.finish(3 * 4 * 3);
}

const ACTIVITY_ACTIONS: [&str; 3] = ["start", "complete", "reopen"];

/// Runs `start`, `complete` or `reopen` on an activity; says whether it was accepted.
async fn move_activity(app: &TestApp, token: &str, action: &str, id: &str) -> bool {
    let op = format!("{action}Activity");
    attempt(app, token, &op, "activity { id }", json!({ "activityId": id })).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn activity_flags_match_the_mutations() {
    let t = Team::start("Can activities", "carla").await;
    let app = &t.app;
    // Discovery & Analysis and overview activities of two engagements with the same team.
    let second = app.create_engagement(&t.consultant, "Can activities 2").await;
    app.add_member(&t.consultant, &second, "wanda", "WORKSTREAM_MEMBER").await;
    app.add_member(&t.consultant, &second, "stan", "STAKEHOLDER").await;
    let mut pool = Vec::new();
    for engagement in [&t.engagement, &second] {
        let ids = activity_ids(app, &t.consultant, engagement).await;
        for (key, id) in &ids {
            if key.ends_with("/DISCOVERY_AND_ANALYSIS") {
                agree_target(app, &t.consultant, id).await;
            }
        }
        pool.extend(ids.into_iter().filter(|(key, _)| !key.ends_with("/DESIGN")).map(|(_, id)| id));
    }
    let pool = Mutex::new(pool);
    let make = async |state: &str| -> String {
        let id = pool.lock().unwrap().pop().expect("an activity left");
        for (step, reached) in [("start", "NOT_STARTED"), ("complete", "IN_PROGRESS")] {
            if state == reached {
                return id;
            }
            assert!(move_activity(app, &t.consultant, step, &id).await, "setting up: {step}");
        }
        id
    };
    let fields = [&ACTIVITY_ACTIONS[..], &["answer"]].concat();
    let mut tally = Tally::default();
    let callers = callers(&t, &[]);
    for state in ["NOT_STARTED", "IN_PROGRESS", "DONE"] {
        let mut id = make(state).await;
        for (who, token) in &callers {
            for action in ACTIVITY_ACTIONS {
                let flag = flags(app, token, "Activity", &id, &fields).await[action].clone();
                let ok = move_activity(app, token, action, &id).await;
                tally.record(&flag, ok, &format!("{who} {action} on a {state} activity"));
                if ok {
                    id = make(state).await;
                }
            }
        }
    }
    tally.finish(3 * 4 * 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn design_flags_follow_the_rules_across_activities() {
    let t = Team::start("Can designs", "carla").await;
    let app = &t.app;
    let ids = activity_ids(app, &t.consultant, &t.engagement).await;
    let (discovery, design) = (&ids["patch-management/DISCOVERY_AND_ANALYSIS"], &ids["patch-management/DESIGN"]);
    let can = async |id: &str, action: &str| {
        flags(app, &t.consultant, "Activity", id, &ACTIVITY_ACTIONS).await[action].as_bool().unwrap()
    };

    // The Design waits for its Discovery & Analysis.
    assert!(!can(design, "start").await);
    assert!(!move_activity(app, &t.consultant, "start", design).await, "DISCOVERY_NOT_DONE");
    agree_target(app, &t.consultant, discovery).await;
    for step in ["start", "complete"] {
        assert!(move_activity(app, &t.consultant, step, discovery).await);
    }
    assert!(can(design, "start").await);
    assert!(move_activity(app, &t.consultant, "start", design).await);

    // An unmitigated deviation keeps it from completing.
    let input = json!({ "activityId": design, "title": "Own tool", "description": "Another tool.",
        "risks": "Two consoles.", "severity": "LOW" });
    let deviation = app.mutate_ok(&t.consultant, "recordDeviation", "deviation { id }", input).await;
    assert!(!can(design, "complete").await);
    assert!(!move_activity(app, &t.consultant, "complete", design).await, "DEVIATION_WITHOUT_MITIGATION");
    let plan = json!({ "deviationId": deviation["deviation"]["id"], "mitigationPlan": "Nightly export." });
    app.mutate_ok(&t.consultant, "updateDeviation", "deviation { id }", plan).await;
    assert!(can(design, "complete").await);
    assert!(move_activity(app, &t.consultant, "complete", design).await);

    // Answers stop once an activity is done.
    let answer =
        async |token: &str| flags(app, token, "Activity", design, &["answer"]).await["answer"].as_bool().unwrap();
    assert!(!answer(&t.consultant).await);
    assert!(move_activity(app, &t.consultant, "reopen", design).await);
    assert!(answer(&t.consultant).await && answer(&t.workstream).await && !answer(&t.stakeholder).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engagement_flags_match_the_mutations() {
    let t = Team::start("Can engagements", "carla").await;
    let app = &t.app;
    let cap = capability(app, &t.consultant, &t.engagement, "patch-management").await;
    let fields = [
        "manageMembers",
        "manageSprints",
        "createCustomRunbook",
        "addWorkshopSession",
        "assessReadiness",
        "manageIntegrations",
    ];
    let mut tally = Tally::default();
    for (n, (who, token)) in callers(&t, &[]).iter().enumerate() {
        let flags = app.engagement(token, &t.engagement, &format!("viewerCan {{ {} }}", fields.join(" "))).await;
        let e = &t.engagement;
        let cases = [
            (
                "addEngagementMember",
                "member { id }",
                json!({ "engagementId": e, "subject": format!("new-{n}"), "role": "STAKEHOLDER" }),
            ),
            (
                "addSprint",
                "sprint { id }",
                json!({ "engagementId": e, "startsOn": format!("2028-0{}-01", n + 1), "endsOn": format!("2028-0{}-10", n + 1) }),
            ),
            (
                "createCustomRunbook",
                "runbook { id }",
                json!({ "engagementId": e, "capabilityId": cap, "title": "Custom", "reason": "Chosen" }),
            ),
            (
                "addWorkshopSession",
                "session { id }",
                json!({ "engagementId": e, "title": "Extra", "phase": "DESIGN_REVIEW", "audience": "WORKSTREAM", "durationMinutes": 30 }),
            ),
            (
                "recordReadinessAssessment",
                "readinessAssessment { id }",
                json!({ "engagementId": e, "capabilityId": cap, "level": "READY", "findings": format!("Round {n}.") }),
            ),
            (
                "createWebhookEndpoint",
                "webhookEndpoint { id }",
                json!({ "engagementId": e, "url": "https://93.184.215.14/hook", "enabled": false }),
            ),
        ];
        for (field, (op, selection, input)) in fields.iter().zip(cases) {
            let ok = attempt(app, token, op, selection, input).await;
            tally.record(&flags["viewerCan"][field], ok, &format!("{who} {op}"));
        }
    }
    tally.finish(4 * 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn link_flags_follow_the_kind_of_activity() {
    let t = Team::start("Can links", "carla").await;
    let app = &t.app;
    let ids = activity_ids(app, &t.consultant, &t.engagement).await;
    for (key, expected) in [("patch-management/DISCOVERY_AND_ANALYSIS", true), ("patch-management/DESIGN", false)] {
        let id = &ids[key];
        let flag = flags(app, &t.stakeholder, "Activity", id, &["linkDocuments"]).await["linkDocuments"].clone();
        let input = json!({ "activityId": id, "title": "Our wiki", "url": "https://wiki.example.com/patching" });
        let body = app.mutate(&t.stakeholder, "addDocumentLink", "documentLink { id }", input).await;
        let accepted = body["documentLink"]["id"].is_string();
        assert_eq!(flag, json!(expected), "stakeholder linkDocuments on {key}");
        assert_eq!(accepted, expected, "stakeholder addDocumentLink on {key}: {body}");
    }
}
