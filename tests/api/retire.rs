//! Retiring a core runbook for the customer's own architecture, and the
//! progress history that burndown charts draw.

use serde_json::{Value, json};

use crate::common::{Team, capability, codes, core_runbook, error_code, pair};

const RUNBOOK: &str =
    "runbook { id status kind retiredAt retiredBy { subject } retiredReason replacedBy { id title } }";

async fn planned(t: &Team) -> (i64, i64) {
    let data = t.app.engagement(&t.consultant, &t.engagement, "progress { runbooksPlanned runbooksBaselined }").await;
    (data["progress"]["runbooksPlanned"].as_i64().unwrap(), data["progress"]["runbooksBaselined"].as_i64().unwrap())
}

async fn custom(t: &Team, key: &str) -> Value {
    let capability = capability(&t.app, &t.consultant, &t.engagement, key).await;
    let input = json!({ "engagementId": t.engagement, "capabilityId": capability, "title": "Ivanti patching",
        "reason": "The customer keeps Ivanti." });
    t.app.mutate_ok(&t.consultant, "createCustomRunbook", "runbook { id }", input).await["runbook"]["id"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_core_runbook_is_retired_for_a_custom_one_and_leaves_the_plan() {
    let t = Team::start("Retire", "carla").await;
    let app = &t.app;
    let core = core_runbook(app, &t.consultant, &t.engagement, "patch-management").await["id"].clone();
    assert_eq!(planned(&t).await, (7, 0));
    let replacement = custom(&t, "patch-management").await;
    assert_eq!(planned(&t).await, (8, 0));

    let retire = |runbook: &Value, extra: Value| {
        let mut input = json!({ "runbookId": runbook });
        input.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        input
    };
    for token in [&t.workstream, &t.stakeholder] {
        let body = app.mutate(token, "retireRunbook", RUNBOOK, retire(&core, json!({ "reason": "x" }))).await;
        assert_eq!(error_code(&body), "FORBIDDEN");
    }
    let body = app.mutate(&t.stranger, "retireRunbook", RUNBOOK, retire(&core, json!({ "reason": "x" }))).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let neither = app.mutate(&t.consultant, "retireRunbook", RUNBOOK, retire(&core, json!({ "reason": "  " }))).await;
    assert_eq!(codes(&neither), [pair("reason", "REQUIRED")]);
    let custom_one =
        app.mutate(&t.consultant, "retireRunbook", RUNBOOK, retire(&replacement, json!({ "reason": "x" }))).await;
    assert_eq!(codes(&custom_one), [pair("runbookId", "NOT_A_CORE_RUNBOOK")]);
    let other_core = core_runbook(app, &t.consultant, &t.engagement, "tag-management").await["id"].clone();
    let by_core =
        app.mutate(&t.consultant, "retireRunbook", RUNBOOK, retire(&core, json!({ "replacedBy": other_core }))).await;
    assert_eq!(codes(&by_core), [pair("replacedBy", "NOT_A_CUSTOM_RUNBOOK")]);
    assert_eq!(planned(&t).await, (8, 0), "no refusal changed anything");

    let retired = app
        .mutate_ok(&t.consultant, "retireRunbook", RUNBOOK, retire(&core, json!({ "replacedBy": replacement })))
        .await;
    let r = &retired["runbook"];
    assert_eq!((r["status"].as_str(), r["kind"].as_str()), (Some("RETIRED"), Some("CORE")));
    assert_eq!(r["replacedBy"], json!({ "id": replacement, "title": "Ivanti patching" }));
    assert_eq!(r["retiredBy"]["subject"], "carla");
    assert!(r["retiredAt"].is_string() && r["retiredReason"].is_null());
    assert_eq!(planned(&t).await, (7, 0), "the retired runbook left the plan");

    // Retired is final.
    let again = app.mutate(&t.consultant, "retireRunbook", RUNBOOK, retire(&core, json!({ "reason": "x" }))).await;
    assert_eq!(codes(&again), [pair("runbookId", "RETIRED")]);
    let start = app.mutate(&t.consultant, "startRunbook", RUNBOOK, json!({ "runbookId": core })).await;
    assert_eq!(codes(&start), [pair("runbookId", "RETIRED")]);
    let with_reason = app
        .mutate_ok(
            &t.consultant,
            "retireRunbook",
            RUNBOOK,
            retire(&other_core, json!({ "reason": "Tags come from Terraform" })),
        )
        .await;
    assert_eq!(with_reason["runbook"]["retiredReason"], "Tags come from Terraform");
    assert_eq!(app.count_rows("audit_events WHERE action = 'runbook.retired'").await, 2);
}

const HISTORY: &str = "query($id: ID!, $from: NaiveDate!, $to: NaiveDate!) { engagement(id: $id) {
    progressHistory(from: $from, to: $to) { day activitiesDone activitiesTotal runbooksPlanned openDeviations changed } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_history_is_one_point_per_day_carrying_quiet_days_forward() {
    let t = Team::start("Burndown", "carla").await;
    let app = &t.app;
    let today = chrono::Utc::now().date_naive();
    let day = |offset: i64| (today + chrono::Duration::days(offset)).to_string();
    let team = &t;
    let history = |from: String, to: String| async move {
        let vars = json!({ "id": team.engagement, "from": from, "to": to });
        app.data(&team.stakeholder, HISTORY, vars).await["engagement"]["progressHistory"].clone()
    };
    // Every change writes today's snapshot: the engagement as it is now.
    custom(&t, "patch-management").await;
    let points = history(day(-2), day(0)).await;
    assert_eq!(
        points,
        json!([{ "day": day(0), "activitiesDone": 0, "activitiesTotal": 16, "runbooksPlanned": 8, "openDeviations": 0, "changed": true }]),
        "no point before the engagement's first change"
    );

    // An earlier day (as written then), and a quiet day after it carrying it forward.
    let id = crate::common::raw_id(&t.engagement);
    let sql = format!(
        "INSERT INTO progress_snapshots (engagement_id, day, activities_done, activities_total, questions_answered,
         questions_total, runbooks_baselined, runbooks_planned, open_deviations, taken_at)
         VALUES ({id}, '{}', 0, 16, 0, 0, 0, 7, 0, '{}')",
        day(-3),
        chrono::Utc::now().to_rfc3339()
    );
    app.db.execute(&sql).await;
    let points = history(day(-4), day(1)).await;
    let summary: Vec<(String, i64, bool)> = points
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["day"].as_str().unwrap().to_owned(), p["runbooksPlanned"].as_i64().unwrap(), p["changed"] == true))
        .collect();
    assert_eq!(
        summary,
        [(day(-3), 7, true), (day(-2), 7, false), (day(-1), 7, false), (day(0), 8, true), (day(1), 8, false)]
    );

    let vars = json!({ "id": t.engagement, "from": day(0), "to": day(-1) });
    assert_eq!(error_code(&app.gql(&t.stakeholder, HISTORY, vars).await), "BAD_USER_INPUT");
    let vars = json!({ "id": t.engagement, "from": day(-400), "to": day(0) });
    assert_eq!(error_code(&app.gql(&t.stakeholder, HISTORY, vars).await), "BAD_USER_INPUT");
    let vars = json!({ "id": t.engagement, "from": day(0), "to": day(0) });
    assert_eq!(error_code(&app.gql(&t.stranger, HISTORY, vars).await), "NOT_FOUND");
}
