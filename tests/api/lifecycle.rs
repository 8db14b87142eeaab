//! The engagement lifecycle: start, update, close with its close-out checks
//! (or forced by an admin with a reason), reopen; a closed engagement is
//! read-only for every mutation.

use serde_json::{Value, json};

use crate::common::{Team, activity_ids, codes, error_code, finish_all_work, pair, transition};

const ENGAGEMENT: &str = "engagement { id status version closedAt closedBy { subject } closeReason }";

async fn step(team: &Team, token: &str, op: &str, input: Value) -> Value {
    team.app.mutate(token, op, ENGAGEMENT, input).await
}

fn on(team: &Team) -> Value {
    json!({ "engagementId": team.engagement })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_engagement_starts_closes_once_its_work_is_done_and_reopens() {
    let t = Team::start("Handover", "carla").await;
    let app = &t.app;
    for (token, expected) in [(&t.workstream, "FORBIDDEN"), (&t.stakeholder, "FORBIDDEN"), (&t.stranger, "NOT_FOUND")] {
        assert_eq!(error_code(&step(&t, token, "startEngagement", on(&t)).await), expected);
    }
    let stale =
        step(&t, &t.consultant, "startEngagement", json!({ "engagementId": t.engagement, "expectedVersion": 7 })).await;
    assert_eq!(error_code(&stale), "CONFLICT");
    let closing_planned = step(&t, &t.consultant, "closeEngagement", on(&t)).await;
    assert_eq!(codes(&closing_planned), [pair("engagementId", "NOT_STARTED")]);
    let started = step(&t, &t.consultant, "startEngagement", on(&t)).await;
    assert_eq!(started["engagement"]["status"], "ACTIVE");
    assert_eq!(started["engagement"]["version"], 2);
    let again = step(&t, &t.consultant, "startEngagement", on(&t)).await;
    assert_eq!(codes(&again), [pair("engagementId", "ALREADY_STARTED")]);
    let filtered =
        app.data(&t.consultant, "{ engagements(filter: { status: [ACTIVE] }) { nodes { id } } }", json!({})).await;
    assert_eq!(filtered["engagements"]["nodes"], json!([{ "id": t.engagement }]));

    // A deviation whose risk is not accepted, and all the work still to do:
    // each unfinished object is one entry, naming it.
    let ids = activity_ids(app, &t.consultant, &t.engagement).await;
    let design = &ids["patch-management/DESIGN"];
    let deviation = app
        .mutate_ok(
            &t.consultant,
            "recordDeviation",
            "deviation { id }",
            json!({ "activityId": design, "title": "Third-party patch tool", "description": "Ivanti instead of Patch Manager",
                "risks": "Two consoles", "severity": "MEDIUM", "mitigationPlan": "Weekly compliance export" }),
        )
        .await["deviation"]["id"]
        .clone();
    let query = "mutation($input: CloseEngagementInput!) { closeEngagement(input: $input) {
        engagement { id } userErrors { field code message objectId } } }";
    let refused = app.data(&t.consultant, query, json!({ "input": on(&t) })).await["closeEngagement"].clone();
    assert!(refused["engagement"].is_null());
    let errors = refused["userErrors"].as_array().unwrap();
    let count = |code: &str| errors.iter().filter(|e| e["code"] == code).count();
    assert_eq!((count("ACTIVITY_OPEN"), count("RUNBOOK_OPEN"), count("DEVIATION_OPEN")), (16, 7, 1), "{refused}");
    assert!(errors.iter().all(|e| e["field"] == json!(["input", "engagementId"])));
    let about_design = errors.iter().find(|e| e["objectId"] == design.as_str()).expect("the design is named");
    assert_eq!(about_design["code"], "ACTIVITY_OPEN");
    assert!(about_design["message"].as_str().unwrap().contains("Patch Management Design"), "{about_design}");
    assert!(errors.iter().any(|e| e["objectId"] == deviation && e["code"] == "DEVIATION_OPEN"));

    finish_all_work(app, &t.consultant, &t.engagement).await;
    let accept = json!({ "deviationId": deviation });
    app.mutate_ok(&t.stakeholder, "acceptDeviationRisk", "deviation { status }", accept).await;
    let closed = step(&t, &t.consultant, "closeEngagement", on(&t)).await;
    assert_eq!(closed["userErrors"], json!([]), "{closed}");
    let e = &closed["engagement"];
    assert_eq!((e["status"].as_str(), e["closedBy"]["subject"].as_str()), (Some("CLOSED"), Some("carla")));
    assert!(e["closedAt"].is_string());
    assert!(e["closeReason"].is_null());

    // Read-only for every mutation, whoever asks; reads still work.
    let refusals = [
        ("updateEngagement", json!({ "engagementId": t.engagement, "name": "Later" })),
        ("reopenActivity", json!({ "activityId": design })),
        (
            "addDocumentLink",
            json!({ "activityId": ids["patch-management/DISCOVERY_AND_ANALYSIS"], "title": "SOP", "url": "https://wiki.acme.test/sop" }),
        ),
        ("addEngagementMember", json!({ "engagementId": t.engagement, "subject": "newbie", "role": "STAKEHOLDER" })),
        ("resolveDeviation", json!({ "deviationId": deviation })),
        ("startEngagement", on(&t)),
        ("closeEngagement", on(&t)),
    ];
    for (op, input) in refusals {
        let payload = app.mutate(&t.consultant, op, "__typename", input).await;
        assert_eq!(payload["userErrors"][0]["code"], "ENGAGEMENT_CLOSED", "{op}: {payload}");
    }
    let progress = app.engagement(&t.stakeholder, &t.engagement, "status progress { activitiesDone }").await;
    assert_eq!(progress, json!({ "status": "CLOSED", "progress": { "activitiesDone": 16 } }));

    assert_eq!(error_code(&step(&t, &t.workstream, "reopenEngagement", on(&t)).await), "FORBIDDEN");
    let reopened = step(&t, &t.consultant, "reopenEngagement", on(&t)).await;
    let e = &reopened["engagement"];
    assert_eq!((e["status"].as_str(), e["closedAt"].is_null()), (Some("ACTIVE"), true), "{reopened}");
    let again = step(&t, &t.consultant, "reopenEngagement", on(&t)).await;
    assert_eq!(codes(&again), [pair("engagementId", "NOT_CLOSED")]);
    let reopen_activity = transition(app, &t.consultant, "reopenActivity", design, None).await;
    assert_eq!(reopen_activity["activity"]["status"], "IN_PROGRESS");

    let events = "audit_events WHERE action IN ('engagement.started', 'engagement.closed', 'engagement.reopened')";
    assert_eq!(app.count_rows(events).await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_an_admin_closes_despite_the_checks_and_says_why() {
    let t = Team::start("Cut short", "carla").await;
    let app = &t.app;
    let admin = app.token("root", &["admin"]);
    step(&t, &t.consultant, "startEngagement", on(&t)).await;
    let forced = json!({ "engagementId": t.engagement, "force": true, "reason": "Contract ended early" });
    assert_eq!(error_code(&step(&t, &t.consultant, "closeEngagement", forced.clone()).await), "FORBIDDEN");
    let no_reason =
        step(&t, &admin, "closeEngagement", json!({ "engagementId": t.engagement, "force": true, "reason": " " }))
            .await;
    assert_eq!(codes(&no_reason), [pair("reason", "REQUIRED")]);
    let closed = step(&t, &admin, "closeEngagement", forced).await;
    assert_eq!(closed["userErrors"], json!([]), "{closed}");
    assert_eq!(closed["engagement"]["status"], "CLOSED");
    assert_eq!(closed["engagement"]["closeReason"], "Contract ended early");
    assert_eq!(closed["engagement"]["closedBy"]["subject"], "root");
    let trail = app
        .engagement(&t.consultant, &t.engagement, "auditTrail(first: 1) { nodes { action summary actor { subject } } }")
        .await;
    let event = &trail["auditTrail"]["nodes"][0];
    assert_eq!(event["action"], "engagement.force_closed");
    assert!(event["summary"].as_str().unwrap().contains("Contract ended early"), "{event}");
    // Admins are bound by the closed state too.
    let update = step(&t, &admin, "updateEngagement", json!({ "engagementId": t.engagement, "name": "x" })).await;
    assert_eq!(codes(&update), [pair("", "ENGAGEMENT_CLOSED")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consultants_update_an_engagement_as_they_last_read_it() {
    let t = Team::start("Mobilize", "carla").await;
    let app = &t.app;
    let selection = "engagement { name customerName startsOn endsOn sprintLengthDays version }";
    let input = json!({ "engagementId": t.engagement, "name": " Mobilize 2 ", "customerName": "Acme Clinics",
        "startsOn": "2026-12-14", "endsOn": "2027-03-31", "sprintLengthDays": 10, "expectedVersion": 1 });
    let updated = app.mutate_ok(&t.consultant, "updateEngagement", selection, input.clone()).await;
    assert_eq!(
        updated["engagement"],
        json!({ "name": "Mobilize 2", "customerName": "Acme Clinics", "startsOn": "2026-12-14", "endsOn": "2027-03-31",
            "sprintLengthDays": 10, "version": 2 })
    );
    let stale = app.mutate(&t.consultant, "updateEngagement", selection, input).await;
    assert_eq!(error_code(&stale), "CONFLICT");
    let bad = json!({ "engagementId": t.engagement, "name": "", "sprintLengthDays": 0, "endsOn": "2026-01-01" });
    let refused = app.mutate(&t.consultant, "updateEngagement", selection, bad).await;
    assert_eq!(
        codes(&refused),
        [pair("name", "REQUIRED"), pair("sprintLengthDays", "OUT_OF_RANGE"), pair("endsOn", "INVALID_DATES")]
    );
    let cleared = json!({ "engagementId": t.engagement, "endsOn": null });
    let updated = app.mutate_ok(&t.consultant, "updateEngagement", selection, cleared).await;
    assert_eq!((updated["engagement"]["endsOn"].is_null(), &updated["engagement"]["version"]), (true, &json!(3)));
    let unchanged = json!({ "engagementId": t.engagement, "name": "Mobilize 2" });
    let same = app.mutate_ok(&t.consultant, "updateEngagement", selection, unchanged).await;
    assert_eq!(same["engagement"]["version"], 3);
    let by_stakeholder =
        app.mutate(&t.stakeholder, "updateEngagement", selection, json!({ "engagementId": t.engagement })).await;
    assert_eq!(error_code(&by_stakeholder), "FORBIDDEN");
    assert_eq!(app.count_rows("audit_events WHERE action = 'engagement.updated'").await, 2);
}
