//! Workshop sessions: the kit's sessions created with the engagement, custom
//! ones, scheduling into sprints, recording outcomes, cancelling, and who may
//! do each.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::common::{
    Team, TestApp, activity_ids, capability, codes, error_code, global_id, member_id, merge, mutation, pair, sprint_id,
};

const SESSION_FIELDS: &str = "id title phase audience durationMinutes status position startsAt endsAt notes outcomes
    cancelReason version sprint { number } capability { key } template { key }
    activities { title } attendees { user { subject } }";

fn sessions_query() -> String {
    format!(
        "query($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $filter: WorkshopSessionFilter) {{
          engagement(id: $id) {{ workshopSessions(first: $first, after: $after, last: $last, before: $before, filter: $filter) {{
            totalCount pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} nodes {{ {SESSION_FIELDS} }} }} }} }}"
    )
}

fn session_mutation(op: &str) -> String {
    mutation(op, &format!("session {{ {SESSION_FIELDS} }} userErrors {{ field code message }}"))
}

fn schedule() -> String {
    session_mutation("scheduleWorkshopSession")
}
fn add() -> String {
    session_mutation("addWorkshopSession")
}
fn record() -> String {
    session_mutation("recordWorkshopOutcome")
}
fn cancel() -> String {
    session_mutation("cancelWorkshopSession")
}

/// A page of sessions with `args` (`first`, `filter`, ...).
async fn page(app: &TestApp, token: &str, engagement: &str, args: Value) -> Value {
    let variables = merge(json!({ "id": engagement }), args);
    app.data(token, &sessions_query(), variables).await["engagement"]["workshopSessions"].clone()
}

fn titles(page: &Value) -> Vec<String> {
    page["nodes"].as_array().unwrap().iter().map(|n| n["title"].as_str().unwrap().to_owned()).collect()
}

/// Every session of the engagement by title.
async fn sessions(app: &TestApp, token: &str, engagement: &str) -> HashMap<String, Value> {
    let all = page(app, token, engagement, json!({ "first": 100 })).await;
    all["nodes"].as_array().unwrap().iter().map(|n| (n["title"].as_str().unwrap().to_owned(), n.clone())).collect()
}

async fn session_id(app: &TestApp, token: &str, engagement: &str, title: &str) -> String {
    let all = sessions(app, token, engagement).await;
    all.get(title).unwrap_or_else(|| panic!("no session {title}"))["id"].as_str().unwrap().to_owned()
}

async fn node(app: &TestApp, token: &str, id: &str) -> Value {
    let query = format!("query($id: ID!) {{ node(id: $id) {{ ... on WorkshopSession {{ {SESSION_FIELDS} }} }} }}");
    app.data(token, &query, json!({ "id": id })).await["node"].clone()
}

const PATCH_CSR: &str = "Patch Management Current State Review";
const CHANGE_CSR: &str = "Change Management Current State Review";
const TAG_DR: &str = "Tag Management Operational Readiness State Design Review";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_engagement_has_the_kits_26_sessions() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Plan").await;

    let all = page(&app, &owner, &id, json!({ "first": 100 })).await;
    assert_eq!(all["totalCount"], 26);
    let nodes = all["nodes"].as_array().unwrap();
    let positions: Vec<_> = nodes.iter().map(|n| n["position"].as_i64().unwrap()).collect();
    assert_eq!(positions, (0..26).collect::<Vec<_>>());
    assert!(nodes.iter().all(|n| n["status"] == "PLANNED"
        && n["sprint"].is_null()
        && n["startsAt"].is_null()
        && n["version"] == 1
        && n["attendees"] == json!([])
        && n["outcomes"] == json!([])
        && !n["template"]["key"].is_null()));
    let phases: Vec<&str> = nodes.iter().map(|n| n["phase"].as_str().unwrap()).collect();
    let count = |p: &str| phases.iter().filter(|x| **x == p).count();
    assert_eq!(
        [
            count("OPERATIONS_OVERVIEW"),
            count("CURRENT_STATE_REVIEW"),
            count("READINESS_STATE_DEFINITION"),
            count("DESIGN_REVIEW"),
            count("READINESS_ASSESSMENT")
        ],
        [4, 7, 7, 7, 1]
    );

    let by_title = sessions(&app, &owner, &id).await;
    let patch = &by_title[PATCH_CSR];
    assert_eq!(patch["phase"], "CURRENT_STATE_REVIEW");
    assert_eq!(patch["audience"], "WORKSTREAM");
    assert_eq!(patch["durationMinutes"], 30);
    assert_eq!(patch["capability"]["key"], "patch-management");
    assert_eq!(patch["template"]["key"], "patch-management-current-state-review");
    assert_eq!(patch["activities"], json!([{ "title": "Patch Management Discovery and Analysis" }]));
    let design = &by_title["Patch Management Operational Readiness State Design Review"];
    assert_eq!(design["activities"], json!([{ "title": "Patch Management Design" }]));
    let overview = &by_title["Operations Model Overview & Capability Model Review"];
    assert_eq!((overview["audience"].clone(), overview["capability"].clone()), (json!("ALL"), Value::Null));
    assert_eq!(overview["activities"], json!([{ "title": "Operational Capabilities & RACI" }]));
    assert_eq!(by_title["Operations Workstream Introduction"]["activities"], json!([]));
    let game_day = &by_title["Operations Game Day"];
    assert_eq!(
        (game_day["phase"].clone(), game_day["durationMinutes"].clone(), game_day["position"].clone()),
        (json!("READINESS_ASSESSMENT"), json!(40320), json!(25))
    );

    // Refetchable by node, by every member.
    let wanda_token = app.token("wanda", &[]);
    app.add_member(&owner, &id, "wanda", "WORKSTREAM_MEMBER").await;
    let fetched = node(&app, &wanda_token, patch["id"].as_str().unwrap()).await;
    assert_eq!(&fetched, patch);
    assert_eq!(app.count_rows("workshop_sessions").await, 26);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consultants_schedule_sessions_inside_a_sprint() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Schedule").await;
    let change = session_id(&app, &owner, &id, CHANGE_CSR).await;
    let sprint2 = sprint_id(&app, &owner, &id, 2).await;

    let data = app
        .data(
            &owner,
            &schedule(),
            json!({ "input": { "sessionId": change, "sprintId": sprint2, "startsAt": "2026-12-22T09:00:00Z",
                "expectedVersion": 1 } }),
        )
        .await;
    let payload = &data["scheduleWorkshopSession"];
    assert_eq!(payload["userErrors"], json!([]));
    let session = &payload["session"];
    assert_eq!(session["status"], "PLANNED");
    assert_eq!(session["sprint"], json!({ "number": 2 }));
    assert!(session["startsAt"].as_str().unwrap().starts_with("2026-12-22T09:00:00"), "{session}");
    assert!(session["endsAt"].as_str().unwrap().starts_with("2026-12-22T09:30:00"), "kept 30 minutes: {session}");
    assert_eq!(session["version"], 2);
    assert_eq!(
        app.count_rows("audit_events WHERE action = 'session.scheduled' AND object_type = 'WorkshopSession'").await,
        1
    );

    // The sprint lists it; a longer slot on the sprint's last day is fine.
    let data = app
        .data(
            &owner,
            &schedule(),
            json!({ "input": { "sessionId": change, "sprintId": sprint2, "startsAt": "2027-01-03T23:00:00Z", "durationMinutes": 45 } }),
        )
        .await;
    assert_eq!(data["scheduleWorkshopSession"]["session"]["durationMinutes"], 45);
    let data = app
        .data(
            &owner,
            "query($id: ID!) { node(id: $id) { ... on Sprint { workshopSessions { title } } } }",
            json!({ "id": sprint2 }),
        )
        .await;
    assert_eq!(data["node"]["workshopSessions"], json!([{ "title": CHANGE_CSR }]));

    // Refusals, several at once; they write nothing.
    let refused = [
        (json!({ "startsAt": "2027-01-04T00:00:00Z" }), vec![pair("startsAt", "OUTSIDE_SPRINT")]),
        (
            json!({ "startsAt": "2026-12-20T23:59:00Z", "durationMinutes": 0 }),
            vec![pair("durationMinutes", "OUT_OF_RANGE"), pair("startsAt", "OUTSIDE_SPRINT")],
        ),
        (json!({ "durationMinutes": 40321 }), vec![pair("durationMinutes", "OUT_OF_RANGE")]),
    ];
    for (fields, expected) in refused {
        let input = merge(json!({ "sessionId": change, "sprintId": sprint2 }), fields);
        let data = app.data(&owner, &schedule(), json!({ "input": input })).await;
        assert!(data["scheduleWorkshopSession"]["session"].is_null());
        assert_eq!(codes(&data["scheduleWorkshopSession"]), expected, "{input}");
    }
    let message = {
        let input = json!({ "sessionId": change, "sprintId": sprint2, "startsAt": "2027-01-04T00:00:00Z" });
        let data = app.data(&owner, &schedule(), json!({ "input": input })).await;
        data["scheduleWorkshopSession"]["userErrors"][0]["message"].as_str().unwrap().to_owned()
    };
    assert!(message.contains("Sprint 2"), "{message}");
    // Another engagement's sprint does not exist here.
    let other = app.create_engagement(&owner, "Other").await;
    let foreign = sprint_id(&app, &owner, &other, 2).await;
    let body = app
        .gql(
            &owner,
            &schedule(),
            json!({ "input": { "sessionId": change, "sprintId": foreign, "startsAt": "2026-12-22T09:00:00Z" } }),
        )
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    assert_eq!(body["errors"][0]["message"], "sprint not found");
    let now = node(&app, &owner, &change).await;
    assert_eq!((now["version"].clone(), now["durationMinutes"].clone()), (json!(3), json!(45)));
    assert_eq!(app.count_rows("audit_events WHERE action = 'session.scheduled'").await, 2);

    // Without a time, the session is planned into the sprint.
    let data = app.data(&owner, &schedule(), json!({ "input": { "sessionId": change, "sprintId": sprint2 } })).await;
    let session = &data["scheduleWorkshopSession"]["session"];
    assert_eq!((session["sprint"].clone(), session["startsAt"].clone()), (json!({ "number": 2 }), Value::Null));

    // A sprint cannot move away from a session scheduled in it.
    app.data(
        &owner,
        &schedule(),
        json!({ "input": { "sessionId": change, "sprintId": sprint2, "startsAt": "2026-12-22T09:00:00Z" } }),
    )
    .await;
    let data = app
        .data(
            &owner,
            "mutation($input: UpdateSprintInput!) { updateSprint(input: $input) { sprint { id } userErrors { field code message } } }",
            json!({ "input": { "sprintId": sprint2, "startsOn": "2026-12-23" } }),
        )
        .await;
    assert_eq!(codes(&data["updateSprint"]), [pair("startsOn", "OUTSIDE_SPRINT")]);
    assert!(data["updateSprint"]["userErrors"][0]["message"].as_str().unwrap().contains(CHANGE_CSR));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workstream_members_record_outcomes_and_held_sessions_stay_held() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Record").await;
    let wanda_member = app.add_member(&owner, &id, "wanda", "WORKSTREAM_MEMBER").await;
    app.add_member(&owner, &id, "stan", "STAKEHOLDER").await;
    let owner_member = member_id(&app, &owner, &id, "owner").await;
    let wanda = app.token("wanda", &[]);
    let stan = app.token("stan", &[]);
    let patch = session_id(&app, &owner, &id, PATCH_CSR).await;

    let input = json!({ "sessionId": patch, "attendeeMemberIds": [owner_member, wanda_member, wanda_member],
        "notes": " WSUS patches the Windows fleet today. ", "outcomes": ["Keep WSUS on premises", " Pilot Patch Manager "],
        "expectedVersion": 1 });
    let data = app.data(&wanda, &record(), json!({ "input": input })).await;
    let payload = &data["recordWorkshopOutcome"];
    assert_eq!(payload["userErrors"], json!([]));
    let session = &payload["session"];
    assert_eq!(session["status"], "HELD");
    assert_eq!(session["notes"], "WSUS patches the Windows fleet today.");
    assert_eq!(session["outcomes"], json!(["Keep WSUS on premises", "Pilot Patch Manager"]));
    assert_eq!(session["attendees"], json!([{ "user": { "subject": "owner" } }, { "user": { "subject": "wanda" } }]));
    assert_eq!(session["version"], 2);
    assert_eq!(
        app.count_rows("audit_events WHERE action = 'session.held' AND object_type = 'WorkshopSession'").await,
        1
    );

    // Stakeholders do not record notes.
    let body = app.gql(&stan, &record(), json!({ "input": { "sessionId": patch, "notes": "mine" } })).await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    // Attendees are members of this engagement.
    let other = app.create_engagement(&owner, "Other").await;
    let foreign_member = member_id(&app, &owner, &other, "owner").await;
    let data = app
        .data(&owner, &record(), json!({ "input": { "sessionId": patch, "attendeeMemberIds": [owner_member, foreign_member], "outcomes": [" "] } }))
        .await;
    assert_eq!(
        codes(&data["recordWorkshopOutcome"]),
        [pair("attendeeMemberIds", "NOT_A_MEMBER"), pair("outcomes", "REQUIRED")]
    );
    let data =
        app.data(&owner, &record(), json!({ "input": { "sessionId": patch, "notes": "n".repeat(20_001) } })).await;
    assert_eq!(codes(&data["recordWorkshopOutcome"]), [pair("notes", "TOO_LONG")]);
    assert_eq!(node(&app, &owner, &patch).await["version"], 2);

    // Recording again updates the record; omitted fields stay.
    let data = app
        .data(
            &wanda,
            &record(),
            json!({ "input": { "sessionId": patch, "notes": "WSUS and SCCM.", "expectedVersion": 2 } }),
        )
        .await;
    let session = &data["recordWorkshopOutcome"]["session"];
    assert_eq!(
        (session["status"].clone(), session["notes"].clone(), session["version"].clone()),
        (json!("HELD"), json!("WSUS and SCCM."), json!(3))
    );
    assert_eq!(session["outcomes"].as_array().unwrap().len(), 2);
    assert_eq!(session["attendees"].as_array().unwrap().len(), 2);
    assert_eq!(app.count_rows("audit_events WHERE action = 'session.outcome_updated'").await, 1);
    let data = app.data(&owner, &record(), json!({ "input": { "sessionId": patch, "notes": "" } })).await;
    assert_eq!(data["recordWorkshopOutcome"]["session"]["notes"], Value::Null);

    // A held session is neither rescheduled nor cancelled.
    let sprint1 = sprint_id(&app, &owner, &id, 1).await;
    let data = app.data(&owner, &schedule(), json!({ "input": { "sessionId": patch, "sprintId": sprint1 } })).await;
    assert_eq!(codes(&data["scheduleWorkshopSession"]), [pair("sessionId", "SESSION_CLOSED")]);
    let data = app.data(&owner, &cancel(), json!({ "input": { "sessionId": patch, "reason": "late" } })).await;
    assert_eq!(codes(&data["cancelWorkshopSession"]), [pair("sessionId", "SESSION_CLOSED")]);
    let now = node(&app, &owner, &patch).await;
    assert_eq!(
        (now["status"].clone(), now["sprint"].clone(), now["version"].clone()),
        (json!("HELD"), Value::Null, json!(4))
    );

    // A removed member no longer shows among the attendees.
    app.data(
        &owner,
        "mutation($input: RemoveEngagementMemberInput!) { removeEngagementMember(input: $input) { removedMemberId } }",
        json!({ "input": { "memberId": wanda_member } }),
    )
    .await;
    assert_eq!(node(&app, &owner, &patch).await["attendees"], json!([{ "user": { "subject": "owner" } }]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelled_sessions_are_closed() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Cancel").await;
    let tag = session_id(&app, &owner, &id, TAG_DR).await;
    let sprint5 = sprint_id(&app, &owner, &id, 5).await;
    app.data(
        &owner,
        &schedule(),
        json!({ "input": { "sessionId": tag, "sprintId": sprint5, "startsAt": "2027-02-02T10:00:00Z" } }),
    )
    .await;

    let data = app.data(&owner, &cancel(), json!({ "input": { "sessionId": tag, "reason": "x".repeat(2001) } })).await;
    assert_eq!(codes(&data["cancelWorkshopSession"]), [pair("reason", "TOO_LONG")]);
    let data = app
        .data(
            &owner,
            &cancel(),
            json!({ "input": { "sessionId": tag, "reason": " Covered with AMI ", "expectedVersion": 2 } }),
        )
        .await;
    let session = &data["cancelWorkshopSession"]["session"];
    assert_eq!(data["cancelWorkshopSession"]["userErrors"], json!([]));
    assert_eq!(
        (
            session["status"].clone(),
            session["cancelReason"].clone(),
            session["version"].clone(),
            session["sprint"].clone()
        ),
        (json!("CANCELLED"), json!("Covered with AMI"), json!(3), json!({ "number": 5 }))
    );
    assert_eq!(
        app.count_rows("audit_events WHERE action = 'session.cancelled' AND object_type = 'WorkshopSession'").await,
        1
    );

    let data = app.data(&owner, &schedule(), json!({ "input": { "sessionId": tag, "sprintId": sprint5 } })).await;
    assert_eq!(codes(&data["scheduleWorkshopSession"]), [pair("sessionId", "SESSION_CLOSED")]);
    let data = app.data(&owner, &record(), json!({ "input": { "sessionId": tag, "notes": "held anyway" } })).await;
    assert_eq!(codes(&data["recordWorkshopOutcome"]), [pair("sessionId", "SESSION_CLOSED")]);
    let data = app.data(&owner, &cancel(), json!({ "input": { "sessionId": tag } })).await;
    assert_eq!(codes(&data["cancelWorkshopSession"]), [pair("sessionId", "SESSION_CLOSED")]);
    let now = node(&app, &owner, &tag).await;
    assert_eq!(
        (now["status"].clone(), now["notes"].clone(), now["version"].clone()),
        (json!("CANCELLED"), Value::Null, json!(3))
    );
    assert_eq!(app.count_rows("audit_events WHERE action LIKE 'session.%'").await, 2);

    // A cancelled session does not hold its sprint to its dates.
    let data = app
        .data(
            &owner,
            "mutation($input: UpdateSprintInput!) { updateSprint(input: $input) { sprint { startsOn } userErrors { code } } }",
            json!({ "input": { "sprintId": sprint5, "startsOn": "2027-02-05" } }),
        )
        .await;
    assert_eq!(data["updateSprint"]["sprint"]["startsOn"], "2027-02-05");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consultants_add_custom_sessions() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Custom").await;
    let acts = activity_ids(&app, &owner, &id).await;
    let (patch_da, patch_design) = (&acts["patch-management/DISCOVERY_AND_ANALYSIS"], &acts["patch-management/DESIGN"]);
    let capability = capability(&app, &owner, &id, "patch-management").await;
    let sprint4 = sprint_id(&app, &owner, &id, 4).await;
    let other = app.create_engagement(&owner, "Other").await;
    let foreign_activity = activity_ids(&app, &owner, &other).await["patch-management/DESIGN"].clone();
    let foreign_sprint = sprint_id(&app, &owner, &other, 4).await;
    let before = app.count_rows("workshop_sessions").await;
    let base = json!({ "engagementId": id, "title": "Patch tooling deep dive", "phase": "DESIGN_REVIEW",
        "audience": "WORKSTREAM", "durationMinutes": 120 });
    let with = |extra: Value| json!({ "input": merge(base.clone(), extra) });

    let data = app
        .data(&owner, &add(), with(json!({ "title": "  ", "durationMinutes": 0, "startsAt": "2027-01-20T14:00:00Z" })))
        .await;
    assert_eq!(
        codes(&data["addWorkshopSession"]),
        [pair("title", "REQUIRED"), pair("durationMinutes", "OUT_OF_RANGE"), pair("sprintId", "REQUIRED")]
    );
    let data = app.data(&owner, &add(), with(json!({ "sprintId": sprint4, "startsAt": "2027-02-01T00:00:00Z" }))).await;
    assert_eq!(codes(&data["addWorkshopSession"]), [pair("startsAt", "OUTSIDE_SPRINT")]);
    let data = app.data(&owner, &add(), with(json!({ "title": "t".repeat(201) }))).await;
    assert_eq!(codes(&data["addWorkshopSession"]), [pair("title", "TOO_LONG")]);
    for (extra, what) in [
        (json!({ "activityIds": [patch_da, foreign_activity] }), "activity not found"),
        (json!({ "sprintId": foreign_sprint }), "sprint not found"),
        (json!({ "capabilityId": global_id("Capability", 99999) }), "capability not found"),
    ] {
        let body = app.gql(&owner, &add(), with(extra)).await;
        assert_eq!(error_code(&body), "NOT_FOUND");
        assert_eq!(body["errors"][0]["message"], what);
    }
    assert_eq!(app.count_rows("workshop_sessions").await, before);
    assert_eq!(app.count_rows("audit_events WHERE action = 'session.added'").await, 0);

    let data = app
        .data(
            &owner,
            &add(),
            with(json!({ "capabilityId": capability, "activityIds": [patch_design, patch_da, patch_design],
                "sprintId": sprint4, "startsAt": "2027-01-20T14:00:00Z" })),
        )
        .await;
    assert_eq!(data["addWorkshopSession"]["userErrors"], json!([]));
    let session = &data["addWorkshopSession"]["session"];
    assert_eq!(session["title"], "Patch tooling deep dive");
    assert_eq!(
        (session["position"].clone(), session["status"].clone(), session["version"].clone()),
        (json!(26), json!("PLANNED"), json!(1))
    );
    assert_eq!(
        (session["template"].clone(), session["capability"].clone(), session["sprint"].clone()),
        (Value::Null, json!({ "key": "patch-management" }), json!({ "number": 4 }))
    );
    assert_eq!(
        session["activities"],
        json!([{ "title": "Patch Management Design" }, { "title": "Patch Management Discovery and Analysis" }])
    );
    assert!(session["endsAt"].as_str().unwrap().starts_with("2027-01-20T16:00:00"));
    assert_eq!(
        app.count_rows("audit_events WHERE action = 'session.added' AND object_type = 'WorkshopSession'").await,
        1
    );

    // Comes last in the plan; a minimal one needs no sprint, capability or activities.
    let data = app
        .data(&owner, &add(), with(json!({ "title": "Retro", "phase": "OPERATIONS_OVERVIEW", "audience": "ALL" })))
        .await;
    assert_eq!(data["addWorkshopSession"]["session"]["position"], 27);
    let last = page(&app, &owner, &id, json!({ "last": 2 })).await;
    assert_eq!(titles(&last), ["Patch tooling deep dive", "Retro"]);
    assert_eq!(last["totalCount"], 28);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_may_schedule_record_and_cancel() {
    let Team { app, engagement: id, consultant: owner, .. } = Team::start("Roles", "owner").await;
    let change = session_id(&app, &owner, &id, CHANGE_CSR).await;
    let sprint1 = sprint_id(&app, &owner, &id, 1).await;
    let schedule_input =
        json!({ "input": { "sessionId": change, "sprintId": sprint1, "startsAt": "2026-12-08T09:00:00Z" } });
    let add_input = json!({ "input": { "engagementId": id, "title": "Extra", "phase": "DESIGN_REVIEW", "audience": "ALL", "durationMinutes": 30 } });
    let record_input = json!({ "input": { "sessionId": change, "notes": "Notes" } });
    let cancel_input = json!({ "input": { "sessionId": change } });

    for sub in ["wanda", "stan"] {
        let token = app.token(sub, &["consultant"]);
        for (query, input) in [(schedule(), &schedule_input), (add(), &add_input), (cancel(), &cancel_input)] {
            assert_eq!(error_code(&app.gql(&token, &query, input.clone()).await), "FORBIDDEN", "{sub}: {query}");
        }
    }
    let stan = app.token("stan", &[]);
    assert_eq!(error_code(&app.gql(&stan, &record(), record_input.clone()).await), "FORBIDDEN");
    assert_eq!(page(&app, &stan, &id, json!({})).await["totalCount"], 26, "stakeholders read sessions");

    // A stranger cannot tell the sessions exist.
    let stranger = app.token("stranger", &["consultant"]);
    for (query, input) in
        [(schedule(), &schedule_input), (add(), &add_input), (record(), &record_input), (cancel(), &cancel_input)]
    {
        assert_eq!(error_code(&app.gql(&stranger, &query, input.clone()).await), "NOT_FOUND", "{query}");
    }
    let body = app.gql(&stranger, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": change })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let missing = global_id("WorkshopSession", 999999);
    let nonexistent = app.gql(&stranger, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": missing })).await;
    assert_eq!(nonexistent["errors"][0]["message"], body["errors"][0]["message"]);
    assert_eq!(app.count_rows("audit_events WHERE action LIKE 'session.%'").await, 0);
    assert_eq!(app.count_rows("workshop_sessions").await, 26);

    // Workstream members record notes; admins do everything.
    let wanda = app.token("wanda", &[]);
    let data = app.data(&wanda, &record(), record_input).await;
    assert_eq!(data["recordWorkshopOutcome"]["session"]["status"], "HELD");
    let admin = app.token("root", &["admin"]);
    let other = session_id(&app, &owner, &id, PATCH_CSR).await;
    let data = app
        .data(
            &admin,
            &schedule(),
            json!({ "input": { "sessionId": other, "sprintId": sprint1, "startsAt": "2026-12-09T09:00:00Z" } }),
        )
        .await;
    assert_eq!(data["scheduleWorkshopSession"]["session"]["sprint"]["number"], 1);
    let data = app.data(&admin, &add(), add_input).await;
    assert_eq!(data["addWorkshopSession"]["session"]["title"], "Extra");
    let extra = data["addWorkshopSession"]["session"]["id"].clone();
    let data = app.data(&admin, &cancel(), json!({ "input": { "sessionId": extra } })).await;
    assert_eq!(data["cancelWorkshopSession"]["session"]["status"], "CANCELLED");
    let actions =
        "audit_events WHERE action IN ('session.held', 'session.scheduled', 'session.added', 'session.cancelled')";
    assert_eq!(app.count_rows(actions).await, 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_session_versions_are_conflicts() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Versions").await;
    let change = session_id(&app, &owner, &id, CHANGE_CSR).await;
    let sprint1 = sprint_id(&app, &owner, &id, 1).await;
    let data = app
        .data(
            &owner,
            &schedule(),
            json!({ "input": { "sessionId": change, "sprintId": sprint1, "expectedVersion": 1 } }),
        )
        .await;
    assert_eq!(data["scheduleWorkshopSession"]["session"]["version"], 2);
    for (query, input) in [
        (schedule(), json!({ "sessionId": change, "sprintId": sprint1, "expectedVersion": 1 })),
        (record(), json!({ "sessionId": change, "notes": "x", "expectedVersion": 1 })),
        (cancel(), json!({ "sessionId": change, "expectedVersion": 1 })),
    ] {
        let body = app.gql(&owner, &query, json!({ "input": input })).await;
        assert_eq!(error_code(&body), "CONFLICT", "{query}");
        assert_eq!(body["errors"][0]["extensions"]["currentVersion"], 2);
    }
    let now = node(&app, &owner, &change).await;
    assert_eq!(
        (now["status"].clone(), now["notes"].clone(), now["version"].clone()),
        (json!("PLANNED"), Value::Null, json!(2))
    );
    // IDs of the wrong type or shape.
    let body = app.gql(&owner, &cancel(), json!({ "input": { "sessionId": sprint1 } })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let body = app.gql(&owner, &cancel(), json!({ "input": { "sessionId": "%%%" } })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(app.count_rows("audit_events WHERE action LIKE 'session.%'").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_filter_and_page() {
    let app = TestApp::start().await;
    let owner = app.token("owner", &["consultant"]);
    let id = app.create_engagement(&owner, "Filters").await;
    let by_title = sessions(&app, &owner, &id).await;
    let sid = |title: &str| by_title[title]["id"].clone();
    let sprint3 = sprint_id(&app, &owner, &id, 3).await;
    let later = "Tag Management Operational Readiness State Definition";
    let earlier = "AMI Management Operational Readiness State Definition";
    app.data(
        &owner,
        &schedule(),
        json!({ "input": { "sessionId": sid(later), "sprintId": sprint3, "startsAt": "2027-01-05T09:00:00Z" } }),
    )
    .await;
    app.data(
        &owner,
        &schedule(),
        json!({ "input": { "sessionId": sid(earlier), "sprintId": sprint3, "startsAt": "2027-01-04T09:00:00Z" } }),
    )
    .await;
    app.data(&owner, &record(), json!({ "input": { "sessionId": sid(PATCH_CSR), "notes": "Held" } })).await;
    app.data(&owner, &cancel(), json!({ "input": { "sessionId": sid(TAG_DR) } })).await;

    let filtered = |filter: Value| page(&app, &owner, &id, json!({ "first": 100, "filter": filter }));
    let csr = filtered(json!({ "phase": "CURRENT_STATE_REVIEW" })).await;
    assert_eq!(csr["totalCount"], 7);
    assert!(titles(&csr).iter().all(|t| t.ends_with("Current State Review")));
    assert_eq!(
        titles(&filtered(json!({ "capability": "patch-management" })).await),
        [
            PATCH_CSR,
            "Patch Management Operational Readiness State Definition",
            "Patch Management Operational Readiness State Design Review"
        ]
    );
    assert_eq!(filtered(json!({ "capability": "nope" })).await["totalCount"], 0);
    // In plan order here; by time in the sprint itself.
    assert_eq!(titles(&filtered(json!({ "sprint": sprint3 })).await), [later, earlier]);
    let data = app
        .data(
            &owner,
            "query($id: ID!) { node(id: $id) { ... on Sprint { workshopSessions { title } } } }",
            json!({ "id": sprint3 }),
        )
        .await;
    assert_eq!(data["node"]["workshopSessions"], json!([{ "title": earlier }, { "title": later }]));
    assert_eq!(titles(&filtered(json!({ "status": "HELD" })).await), [PATCH_CSR]);
    assert_eq!(titles(&filtered(json!({ "status": "CANCELLED" })).await), [TAG_DR]);
    assert_eq!(filtered(json!({ "status": "PLANNED" })).await["totalCount"], 24);
    assert_eq!(filtered(json!({ "status": "PLANNED", "phase": "DESIGN_REVIEW" })).await["totalCount"], 6);
    assert_eq!(
        filtered(json!({ "status": "PLANNED", "capability": "tag-management", "sprint": sprint3 })).await["totalCount"],
        1
    );

    // Pages walk the plan forwards and backwards.
    let positions =
        |p: &Value| p["nodes"].as_array().unwrap().iter().map(|n| n["position"].as_i64().unwrap()).collect::<Vec<_>>();
    let first = page(&app, &owner, &id, json!({ "first": 10 })).await;
    assert_eq!(positions(&first), (0..10).collect::<Vec<_>>());
    assert_eq!(
        (first["pageInfo"]["hasNextPage"].clone(), first["pageInfo"]["hasPreviousPage"].clone()),
        (json!(true), json!(false))
    );
    let second = page(&app, &owner, &id, json!({ "first": 10, "after": first["pageInfo"]["endCursor"] })).await;
    assert_eq!(positions(&second), (10..20).collect::<Vec<_>>());
    let third = page(&app, &owner, &id, json!({ "first": 10, "after": second["pageInfo"]["endCursor"] })).await;
    assert_eq!(positions(&third), (20..26).collect::<Vec<_>>());
    assert_eq!(third["pageInfo"]["hasNextPage"], false);
    let back = page(&app, &owner, &id, json!({ "last": 3, "before": third["pageInfo"]["startCursor"] })).await;
    assert_eq!(positions(&back), [17, 18, 19]);
    assert_eq!(back["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(positions(&page(&app, &owner, &id, json!({})).await).len(), 20, "default page size");
    let filtered_page = page(&app, &owner, &id, json!({ "first": 2, "filter": { "phase": "DESIGN_REVIEW" } })).await;
    assert_eq!((filtered_page["totalCount"].clone(), positions(&filtered_page)), (json!(7), vec![18, 19]));

    let body = app.gql(&owner, &sessions_query(), json!({ "id": id, "first": 101 })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    let body = app.gql(&owner, &sessions_query(), json!({ "id": id, "filter": { "sprint": id } })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
}
