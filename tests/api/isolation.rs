//! Isolation between customers: nothing of engagement B — no object, list
//! entry, count, export or change — is reachable by a stakeholder, a
//! workstream member or a consultant of engagement A, and B's objects cannot
//! be smuggled into A's inputs. Every refusal must look exactly like the
//! refusal for an ID that does not exist, so it does not even tell B exists.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{
    TestApp, activity_ids, agree_target, bank, capability, core_runbook, first_of, global_id, kind_of, member_id,
    mutation, sprint_id, transition, valid_value, without_cost,
};

/// Node types of the shared kit catalog: readable by everyone, owned by no engagement.
const CATALOG: [&str; 6] = ["Kit", "Capability", "ArtifactTemplate", "Question", "RunbookTemplate", "WorkshopTemplate"];

/// An ID of the same type as `id` that names no object.
fn missing(id: &str) -> String {
    global_id(&kind_of(id), 999_999_937)
}

/// `value` with every ID of `ids` replaced by a missing ID of the same type.
fn with_missing(value: &Value, ids: &BTreeSet<String>) -> Value {
    match value {
        Value::String(s) if ids.contains(s) => Value::String(missing(s)),
        Value::Array(items) => Value::Array(items.iter().map(|v| with_missing(v, ids)).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), with_missing(v, ids))).collect()),
        other => other.clone(),
    }
}

/// Every `id` and `objectId` anywhere in a response.
fn collect_ids(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| collect_ids(v, out)),
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("id" | "objectId", Value::String(s)) => {
                        out.insert(s.clone());
                    }
                    _ => collect_ids(v, out),
                }
            }
        }
        _ => {}
    }
}

/// The top-level error code of a response; empty when it has none (so a
/// request that wrongly succeeds fails the assertion with the whole body).
fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"].as_str().unwrap_or_default()
}

/// Runs mutation `op`; returns the whole response body.
async fn call(app: &TestApp, token: &str, op: &str, input: &Value) -> Value {
    app.gql(token, &mutation(op, "__typename userErrors { field code }"), json!({ "input": input })).await
}

/// Runs mutation `op`, which must succeed.
async fn ok(app: &TestApp, token: &str, op: &str, input: Value) {
    app.mutate_ok(token, op, "__typename", input).await;
}

/// The detailed state of one engagement as its owner sees it: every object with
/// its version and status. Two snapshots are equal only if nothing was written.
async fn snapshot(app: &TestApp, token: &str, engagement: &str) -> Value {
    let queries = [
        "query($id: ID!) { engagement(id: $id) { id version name createdBy { id }
            members(first: 50) { totalCount nodes { id role version user { id } } }
            sprints { id number version startsOn endsOn goal }
            readinessAssessments { id level version assessedBy { id } }
            raci { assignments { id party role updatedBy { id } } } } }",
        "query($id: ID!) { engagement(id: $id) { activities(first: 20) { nodes { id status version
            assignee { id } documentLinks { id addedBy { id } }
            questions(answered: true) { answer { id version answeredBy { id } } }
            deviations { id status version createdBy { id } } } } } }",
        "query($id: ID!) { engagement(id: $id) {
            runbooks(first: 20) { totalCount nodes { id status version
              revisions { id author { id } } reviews { id reviewer { id } } } }
            knowledgeBase(first: 20) { totalCount nodes { id } }
            deviations(first: 20) { totalCount nodes { id status version } } } }",
        "query($id: ID!) { engagement(id: $id) { workshopSessions(first: 50) { totalCount nodes { id status version
            sprint { id } attendees { id } } } } }",
        "query($id: ID!) { engagement(id: $id) { trackerConnections { id version name baseUrl username
            inboundDeliveries(first: 20) { totalCount } } } }",
    ];
    let mut parts = Vec::new();
    for q in queries {
        parts.push(app.data(token, q, json!({ "id": engagement })).await);
    }
    let trail = "query($id: ID!, $after: String) { engagement(id: $id) { auditTrail(first: 50, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { id objectId actor { id } } } } }";
    let mut after = Value::Null;
    loop {
        let page = app.data(token, trail, json!({ "id": engagement, "after": after })).await;
        let info = page["engagement"]["auditTrail"]["pageInfo"].clone();
        parts.push(page);
        if info["hasNextPage"] != true {
            break;
        }
        after = info["endCursor"].clone();
    }
    Value::Array(parts)
}

/// Named objects of engagement B that the mutations below aim at.
struct Targets {
    cm_dna: String,
    pm_dna: String,
    cm_design: String,
    carl: String,
    wanda: String,
    link: String,
    deviation: String,
    sprint: String,
    planned_session: String,
    template_runbook: String,
    draft_runbook: String,
    review_runbook: String,
    baselined_runbook: String,
    revision: String,
    beth_user: String,
    text_question: String,
    hook: String,
    b_key: String,
    tracker_connection: String,
}

/// Engagement A (Acme Health) with an integration key, a read-only key, a
/// consultant, a workstream member and a stakeholder, and engagement B (Globex Bank, another consultant) holding one
/// object of every type that has an ID.
struct World {
    app: TestApp,
    a: String,
    /// A's keys, consultant, workstream member and stakeholder.
    a_roles: Vec<(&'static str, String)>,
    b: String,
    beth: String,
    cm: String,
    /// Every global ID of B's objects.
    ids: BTreeSet<String>,
    t: Targets,
}

/// Creates an API key with `role` in `engagement`; returns its ID and secret.
async fn api_key(app: &TestApp, token: &str, engagement: &str, role: &str) -> (String, String) {
    let input = json!({ "engagementId": engagement, "name": format!("{role} key"), "role": role });
    let created = app.mutate_ok(token, "createApiKey", "apiKey { id } secret", input).await;
    (created["apiKey"]["id"].as_str().unwrap().to_owned(), created["secret"].as_str().unwrap().to_owned())
}

async fn planned_sessions(app: &TestApp, token: &str, engagement: &str) -> Vec<String> {
    let data = app
        .data(
            token,
            "query($id: ID!) { engagement(id: $id) { workshopSessions(first: 50, filter: { status: PLANNED }) { nodes { id } } } }",
            json!({ "id": engagement }),
        )
        .await;
    let nodes = data["engagement"]["workshopSessions"]["nodes"].as_array().unwrap();
    nodes.iter().map(|n| n["id"].as_str().unwrap().to_owned()).collect()
}

impl World {
    async fn new() -> Self {
        let app = TestApp::start().await;
        let ada = app.token("ada", &["consultant"]);
        let a = app.create_engagement_for(&ada, "Acme operations", "Acme Health").await;
        app.add_member(&ada, &a, "amir", "WORKSTREAM_MEMBER").await;
        app.add_member(&ada, &a, "alma", "STAKEHOLDER").await;
        let a_roles = vec![
            ("integration key", api_key(&app, &ada, &a, "INTEGRATION").await.1),
            ("read-only key", api_key(&app, &ada, &a, "READ_ONLY").await.1),
            ("consultant", ada),
            ("workstream member", app.token("amir", &[])),
            ("stakeholder", app.token("alma", &[])),
        ];

        let beth = app.token("beth", &["consultant"]);
        let b = app.create_engagement_for(&beth, "Globex operations", "Globex Bank").await;
        let carl = app.add_member(&beth, &b, "bcarl", "CONSULTANT").await;
        let wanda = app.add_member(&beth, &b, "bwanda", "WORKSTREAM_MEMBER").await;
        app.add_member(&beth, &b, "bstan", "STAKEHOLDER").await;
        let (b_carl, b_wanda, b_stan) = (app.token("bcarl", &[]), app.token("bwanda", &[]), app.token("bstan", &[]));
        let cm = capability(&app, &beth, &b, "change-management").await;
        let acts = activity_ids(&app, &beth, &b).await;
        let cm_dna = acts["change-management/DISCOVERY_AND_ANALYSIS"].clone();
        let cm_design = acts["change-management/DESIGN"].clone();
        let pm_dna = acts["patch-management/DISCOVERY_AND_ANALYSIS"].clone();

        // Activities, answers with history, a document link, a deviation.
        ok(&app, &beth, "assignActivity", json!({ "activityId": cm_dna, "memberId": carl })).await;
        transition(&app, &beth, "startActivity", &cm_dna, None).await;
        let cm_bank = bank(&app, &beth, &cm_dna).await;
        for version in [None, Some(1)] {
            let q = &cm_bank[0];
            let input = json!({ "activityId": cm_dna, "questionId": q["id"], "value": valid_value(q, version.is_some()),
                "expectedVersion": version });
            ok(&app, &b_wanda, "answerQuestion", input).await;
        }
        let input =
            json!({ "activityId": cm_dna, "title": "Globex CAB charter", "url": "https://wiki.globex.test/cab" });
        ok(&app, &b_wanda, "addDocumentLink", input).await;
        agree_target(&app, &beth, &cm_dna).await;
        assert_eq!(transition(&app, &beth, "completeActivity", &cm_dna, None).await["activity"]["status"], "DONE");
        assert_eq!(
            transition(&app, &beth, "startActivity", &cm_design, None).await["activity"]["status"],
            "IN_PROGRESS"
        );
        let input = json!({ "activityId": cm_design, "title": "ServiceNow CAB", "description": "Changes are approved in ServiceNow.",
            "risks": "Two change calendars.", "severity": "MEDIUM", "mitigationPlan": "Sync the calendars nightly." });
        ok(&app, &b_wanda, "recordDeviation", input).await;

        // Sprints, sessions (scheduled, held, still planned), readiness, RACI.
        let sprint = sprint_id(&app, &beth, &b, 1).await;
        let input = json!({ "sprintId": sprint, "goal": "Globex current state" });
        ok(&app, &beth, "updateSprint", input).await;
        let sessions = planned_sessions(&app, &beth, &b).await;
        let input = json!({ "sessionId": sessions[0], "sprintId": sprint });
        ok(&app, &beth, "scheduleWorkshopSession", input).await;
        let input = json!({ "sessionId": sessions[1], "attendeeMemberIds": [carl, wanda], "notes": "Globex notes",
            "outcomes": ["Globex outcome"] });
        ok(&app, &b_wanda, "recordWorkshopOutcome", input).await;
        let input = json!({ "engagementId": b, "capabilityId": cm, "level": "READY", "findings": "Globex CAB works." });
        ok(&app, &beth, "recordReadinessAssessment", input).await;
        let input = json!({ "engagementId": b, "capabilityId": cm, "party": "Globex Ops", "role": "A" });
        ok(&app, &beth, "setRaciAssignment", input).await;

        // Runbooks: baselined (with revisions and both reviews), in review, draft, custom.
        let patch = core_runbook(&app, &beth, &b, "patch-management").await["id"].as_str().unwrap().to_owned();
        ok(&app, &b_wanda, "startRunbook", json!({ "runbookId": patch })).await;
        let input = json!({ "runbookId": patch, "body": "# Globex patching\n\nWSUS for Windows.\n", "changeSummary": "Globex" });
        ok(&app, &b_wanda, "editRunbook", input).await;
        ok(&app, &b_wanda, "submitRunbookForReview", json!({ "runbookId": patch })).await;
        for token in [&b_carl, &b_stan] {
            let input = json!({ "runbookId": patch, "verdict": "APPROVE" });
            ok(&app, token, "reviewRunbook", input).await;
        }
        ok(&app, &beth, "baselineRunbook", json!({ "runbookId": patch })).await;
        let tag = core_runbook(&app, &beth, &b, "tag-management").await["id"].as_str().unwrap().to_owned();
        ok(&app, &b_wanda, "startRunbook", json!({ "runbookId": tag })).await;
        ok(&app, &b_wanda, "submitRunbookForReview", json!({ "runbookId": tag })).await;
        let ami = core_runbook(&app, &beth, &b, "ami-management").await["id"].as_str().unwrap().to_owned();
        ok(&app, &b_wanda, "startRunbook", json!({ "runbookId": ami })).await;
        let template = core_runbook(&app, &beth, &b, "change-management").await["id"].as_str().unwrap().to_owned();
        let deviation = app
            .data(&beth, "query($id: ID!) { engagement(id: $id) { deviations { nodes { id } } } }", json!({ "id": b }))
            .await["engagement"]["deviations"]["nodes"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let input = json!({ "engagementId": b, "capabilityId": cm, "title": "Globex ServiceNow runbook",
            "reason": "Globex keeps ServiceNow.", "deviationId": deviation });
        ok(&app, &b_wanda, "createCustomRunbook", input).await;
        // A webhook endpoint (switched off: nothing is sent), which only consultants read.
        let input = json!({ "engagementId": b, "url": "https://93.184.215.14/globex", "enabled": false });
        let created = app
            .data(
                &beth,
                "mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { webhookEndpoint { id } } }",
                json!({ "input": input }),
            )
            .await;
        let hook = created["createWebhookEndpoint"]["webhookEndpoint"]["id"].as_str().unwrap().to_owned();

        let (b_key, _) = api_key(&app, &beth, &b, "INTEGRATION").await;
        let input = json!({ "engagementId": b, "system": "JIRA", "name": "Globex Jira", "baseUrl": "https://globex.atlassian.net",
            "credentials": { "email": "ops@globex.test", "apiToken": "globex-token" } });
        let tracker_connection = app
            .mutate_ok(&beth, "createTrackerConnection", "trackerConnection { id }", input)
            .await["trackerConnection"]["id"]
            .as_str()
            .unwrap()
            .to_owned();

        let mut ids = BTreeSet::new();
        collect_ids(&snapshot(&app, &beth, &b).await, &mut ids);
        ids.insert(hook.clone());
        ids.insert(b_key.clone());
        let link = app
            .data(
                &beth,
                "query($id: ID!) { node(id: $id) { ... on Activity { documentLinks { id } } } }",
                json!({ "id": cm_dna }),
            )
            .await["node"]["documentLinks"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let patch_rb = core_runbook(&app, &beth, &b, "patch-management").await;
        let beth_user =
            app.data(&beth, "{ viewer { id } }", json!({})).await["viewer"]["id"].as_str().unwrap().to_owned();
        let pm_bank = bank(&app, &beth, &pm_dna).await;
        let text_question = first_of(&pm_bank, "TEXT")["id"].as_str().unwrap().to_owned();
        let t = Targets {
            cm_dna,
            pm_dna,
            cm_design,
            carl,
            wanda,
            link,
            deviation,
            sprint,
            planned_session: sessions[2].clone(),
            template_runbook: template,
            draft_runbook: ami,
            review_runbook: tag,
            baselined_runbook: patch,
            revision: patch_rb["currentRevision"]["id"].as_str().unwrap().to_owned(),
            beth_user,
            text_question,
            hook,
            b_key,
            tracker_connection,
        };
        Self { app, a, a_roles, b, beth, cm, ids, t }
    }

    /// Row counts of every table an engagement writes to.
    async fn counts(&self) -> BTreeMap<&'static str, i64> {
        let mut out = BTreeMap::new();
        for table in [
            "audit_events",
            "engagements",
            "engagement_members",
            "activities",
            "answers",
            "answer_revisions",
            "document_links",
            "deviations",
            "sprints",
            "workshop_sessions",
            "readiness_assessments",
            "raci_assignments",
            "runbooks",
            "runbook_revisions",
            "runbook_reviews",
            "webhook_endpoints",
            "deliveries",
            "api_keys",
            "idempotency_keys",
            "tracker_connections",
        ] {
            out.insert(table, self.app.count_rows(table).await);
        }
        out
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_engagements_objects_cannot_be_read() {
    let w = World::new().await;
    let app = &w.app;

    // B holds an object of every type with an ID that is not shared catalog,
    // so a type added later without isolation fails here until it is covered.
    let node_types = app.data(&w.beth, r#"{ __type(name: "Node") { possibleTypes { name } } }"#, json!({})).await;
    let wanted: BTreeSet<String> = node_types["__type"]["possibleTypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .filter(|name| !CATALOG.contains(&name.as_str()))
        .collect();
    let found: BTreeSet<String> = w.ids.iter().map(|id| kind_of(id)).collect();
    assert_eq!(found, wanted, "B must hold an object of every engagement type");
    assert!(w.ids.len() > 60, "{}", w.ids.len());

    // They are real: B's owner reads every one of them.
    let ids: Vec<&String> = w.ids.iter().collect();
    const NODES: &str = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }";
    for chunk in ids.chunks(100) {
        let data = app.data(&w.beth, NODES, json!({ "ids": chunk })).await;
        let got: Vec<&str> = data["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
        assert_eq!(got, chunk.iter().map(|s| s.as_str()).collect::<Vec<_>>());
    }

    const NODE: &str = "query($id: ID!) { node(id: $id) { __typename id } }";
    for (role, token) in &w.a_roles {
        // Control: the same caller reads its own engagement, and nothing in
        // all of it (lists, knowledge base, audit trail) names one of B's objects.
        let own = app.data(token, NODE, json!({ "id": w.a })).await;
        assert_eq!(own["node"]["id"], w.a.as_str());
        let mut seen = BTreeSet::new();
        collect_ids(&snapshot(app, token, &w.a).await, &mut seen);
        assert!(seen.len() > 30, "{role} sees A: {}", seen.len());
        assert_eq!(seen.intersection(&w.ids).count(), 0, "{role} sees B's objects inside A");

        for id in &w.ids {
            let body = app.gql(token, NODE, json!({ "id": id })).await;
            assert_eq!(code(&body), "NOT_FOUND", "{role} reads {} {id}: {body}", kind_of(id));
            let absent = app.gql(token, NODE, json!({ "id": missing(id) })).await;
            assert_eq!(
                without_cost(&body),
                without_cost(&absent),
                "{role}: B's {} must look like a missing one",
                kind_of(id)
            );
        }
        for chunk in ids.chunks(100) {
            let data = app.data(token, NODES, json!({ "ids": chunk })).await;
            assert_eq!(data["nodes"], json!(vec![Value::Null; chunk.len()]), "{role}");
        }

        let one = "query($id: ID!) { engagement(id: $id) { id name } }";
        let body = app.gql(token, one, json!({ "id": w.b })).await;
        assert_eq!(code(&body), "NOT_FOUND", "{role}: {body}");
        assert_eq!(
            without_cost(&body),
            without_cost(&app.gql(token, one, json!({ "id": missing(&w.b) })).await),
            "{role}"
        );

        let lists = "query($filter: EngagementFilter) {
            engagements(first: 100, filter: $filter) { totalCount nodes { id } }
            viewer { engagements(first: 100, filter: $filter) { totalCount nodes { id } } } }";
        let data = app.data(token, lists, json!({})).await;
        let only_a = json!({ "totalCount": 1, "nodes": [{ "id": w.a }] });
        assert_eq!(data["engagements"], only_a, "{role}");
        assert_eq!(data["viewer"]["engagements"], only_a, "{role}");
        for filter in [json!({ "customerName": "Globex Bank" }), json!({ "search": "globex" })] {
            let data = app.data(token, lists, json!({ "filter": filter })).await;
            let none = json!({ "totalCount": 0, "nodes": [] });
            assert_eq!((&data["engagements"], &data["viewer"]["engagements"]), (&none, &none), "{role} {filter}");
        }

        let export =
            |id: &str| app.http.get(app.url(&format!("/engagements/{id}/knowledge-base.md"))).bearer_auth(token);
        let resp = export(&w.b).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{role}");
        let leaked = resp.text().await.unwrap();
        let resp = export(&missing(&w.b)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND);
        assert_eq!(leaked, resp.text().await.unwrap(), "{role}");
        assert!(!leaked.contains("Globex"), "{leaked}");
    }

    // Control: B's knowledge base exists and is exported to B's owner.
    let resp = app
        .http
        .get(app.url(&format!("/engagements/{}/knowledge-base.md", w.b)))
        .bearer_auth(&w.beth)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.text().await.unwrap().contains("WSUS for Windows"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_engagements_objects_cannot_be_changed() {
    let w = World::new().await;
    let app = &w.app;
    let t = &w.t;
    // Each mutation with inputs that would succeed for a member of B.
    let mutations = vec![
        (
            "answerQuestion",
            json!({ "activityId": t.pm_dna, "questionId": t.text_question, "value": { "text": "intruder" } }),
        ),
        ("addDocumentLink", json!({ "activityId": t.pm_dna, "title": "x", "url": "https://x.test" })),
        ("removeDocumentLink", json!({ "documentLinkId": t.link })),
        (
            "recordDeviation",
            json!({ "activityId": t.cm_design, "title": "x", "description": "x", "risks": "x", "severity": "LOW", "mitigationPlan": "x" }),
        ),
        ("updateDeviation", json!({ "deviationId": t.deviation, "title": "intruder" })),
        ("acceptDeviationRisk", json!({ "deviationId": t.deviation })),
        ("resolveDeviation", json!({ "deviationId": t.deviation })),
        ("startActivity", json!({ "activityId": t.pm_dna })),
        ("completeActivity", json!({ "activityId": t.cm_design })),
        ("reopenActivity", json!({ "activityId": t.cm_dna })),
        ("assignActivity", json!({ "activityId": t.pm_dna, "memberId": t.carl })),
        ("assignActivity", json!({ "activityId": t.cm_dna, "memberId": null })),
        ("setActivityTracker", json!({ "activityId": t.pm_dna, "system": "JIRA", "key": "X-1" })),
        ("setReadinessTarget", json!({ "activityId": t.pm_dna, "statement": "x", "criteria": ["x"] })),
        ("setDesignAdoption", json!({ "activityId": t.cm_design, "adoption": "AS_RECOMMENDED" })),
        ("scheduleWorkshopSession", json!({ "sessionId": t.planned_session, "sprintId": t.sprint })),
        (
            "addWorkshopSession",
            json!({ "engagementId": w.b, "title": "x", "phase": "CURRENT_STATE_REVIEW", "audience": "ALL", "durationMinutes": 60 }),
        ),
        ("recordWorkshopOutcome", json!({ "sessionId": t.planned_session, "notes": "intruder" })),
        ("cancelWorkshopSession", json!({ "sessionId": t.planned_session, "reason": "x" })),
        ("updateSprint", json!({ "sprintId": t.sprint, "goal": "intruder" })),
        ("addSprint", json!({ "engagementId": w.b, "startsOn": "2030-01-07", "endsOn": "2030-01-20" })),
        (
            "recordReadinessAssessment",
            json!({ "engagementId": w.b, "capabilityId": w.cm, "level": "NOT_READY", "findings": "x" }),
        ),
        ("setRaciAssignment", json!({ "engagementId": w.b, "capabilityId": w.cm, "party": "Intruders", "role": "I" })),
        ("removeRaciAssignment", json!({ "engagementId": w.b, "capabilityId": w.cm, "party": "Globex Ops" })),
        ("startRunbook", json!({ "runbookId": t.template_runbook })),
        ("editRunbook", json!({ "runbookId": t.draft_runbook, "body": "# x\n", "changeSummary": "x" })),
        ("submitRunbookForReview", json!({ "runbookId": t.draft_runbook })),
        ("reviewRunbook", json!({ "runbookId": t.review_runbook, "verdict": "REQUEST_CHANGES", "comment": "x" })),
        ("baselineRunbook", json!({ "runbookId": t.review_runbook })),
        ("reviseRunbook", json!({ "runbookId": t.baselined_runbook })),
        ("createCustomRunbook", json!({ "engagementId": w.b, "capabilityId": w.cm, "title": "x", "reason": "x" })),
        ("addEngagementMember", json!({ "engagementId": w.b, "subject": "intruder", "role": "CONSULTANT" })),
        ("changeEngagementMemberRole", json!({ "memberId": t.wanda, "role": "CONSULTANT" })),
        ("removeEngagementMember", json!({ "memberId": t.wanda })),
        ("startEngagement", json!({ "engagementId": w.b })),
        ("updateEngagement", json!({ "engagementId": w.b, "name": "intruder" })),
        ("closeEngagement", json!({ "engagementId": w.b, "force": true, "reason": "x" })),
        ("reopenEngagement", json!({ "engagementId": w.b })),
        ("retireRunbook", json!({ "runbookId": t.template_runbook, "reason": "x" })),
        ("createWebhookEndpoint", json!({ "engagementId": w.b, "url": "https://93.184.215.14/x" })),
        ("updateWebhookEndpoint", json!({ "webhookEndpointId": t.hook, "description": "intruder" })),
        ("rotateWebhookSecret", json!({ "webhookEndpointId": t.hook })),
        ("deleteWebhookEndpoint", json!({ "webhookEndpointId": t.hook })),
        ("createApiKey", json!({ "engagementId": w.b, "name": "x", "role": "READ_ONLY" })),
        ("revokeApiKey", json!({ "apiKeyId": t.b_key })),
        ("setDeviationTracker", json!({ "deviationId": t.deviation, "system": "JIRA", "key": "X-1" })),
        ("setRunbookTracker", json!({ "runbookId": t.template_runbook, "system": "JIRA", "key": "X-1" })),
        (
            "createTrackerConnection",
            json!({ "engagementId": w.b, "system": "SERVICENOW", "name": "x", "baseUrl": "https://x.test",
                "credentials": { "token": "x" } }),
        ),
        ("updateTrackerConnection", json!({ "trackerConnectionId": t.tracker_connection, "name": "intruder" })),
        ("rotateTrackerInboundSecret", json!({ "trackerConnectionId": t.tracker_connection })),
        ("deleteTrackerConnection", json!({ "trackerConnectionId": t.tracker_connection })),
    ];
    let before = (w.counts().await, snapshot(app, &w.beth, &w.b).await);
    for (role, token) in &w.a_roles {
        for (op, input) in &mutations {
            assert!(w.ids.iter().any(|id| input.to_string().contains(id.as_str())), "{op} names one of B's objects");
            let body = call(app, token, op, input).await;
            assert_eq!(code(&body), "NOT_FOUND", "{role} {op}: {body}");
            assert!(body["data"].is_null(), "{role} {op}: {body}");
            let absent = call(app, token, op, &with_missing(input, &w.ids)).await;
            assert_eq!(
                without_cost(&body),
                without_cost(&absent),
                "{role} {op}: B's objects must look like missing ones"
            );
        }
    }
    let after = (w.counts().await, snapshot(app, &w.beth, &w.b).await);
    assert_eq!(before.0, after.0, "no refusal wrote a row");
    assert_eq!(before.1, after.1, "B is unchanged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_engagements_objects_cannot_be_mixed_into_ones_own() {
    let w = World::new().await;
    let app = &w.app;
    let t = &w.t;
    let (ada, amir) = (&w.a_roles[2].1, &w.a_roles[3].1);
    // A's own objects, used with B's IDs inside.
    let a_acts = activity_ids(app, ada, &w.a).await;
    let a_dna = &a_acts["patch-management/DISCOVERY_AND_ANALYSIS"];
    let a_session = planned_sessions(app, ada, &w.a).await[0].clone();
    let a_runbook = core_runbook(app, ada, &w.a, "patch-management").await["id"].clone();
    ok(app, amir, "startRunbook", json!({ "runbookId": a_runbook })).await;
    let input = json!({ "runbookId": a_runbook, "body": "# Acme patching\n", "changeSummary": "Acme" });
    ok(app, amir, "editRunbook", input).await;
    let a_revision = core_runbook(app, ada, &w.a, "patch-management").await["currentRevision"]["id"].clone();
    let own_member = member_id(app, ada, &w.a, "ada").await;

    let custom = |deviation: &str| json!({ "engagementId": w.a, "capabilityId": w.cm, "title": "x", "reason": "x", "deviationId": deviation });
    // (who, mutation, input, the refusal: a top-level code or a userErrors code)
    let cases = vec![
        (ada, "scheduleWorkshopSession", json!({ "sessionId": a_session, "sprintId": t.sprint }), "NOT_FOUND"),
        (
            ada,
            "addWorkshopSession",
            json!({ "engagementId": w.a, "title": "x", "phase": "DESIGN_REVIEW", "audience": "ALL", "durationMinutes": 60, "activityIds": [a_dna, t.cm_dna] }),
            "NOT_FOUND",
        ),
        (
            ada,
            "addWorkshopSession",
            json!({ "engagementId": w.a, "title": "x", "phase": "DESIGN_REVIEW", "audience": "ALL", "durationMinutes": 60, "sprintId": t.sprint, "startsAt": "2026-12-08T09:00:00Z" }),
            "NOT_FOUND",
        ),
        (ada, "assignActivity", json!({ "activityId": a_dna, "memberId": t.carl }), "NOT_A_MEMBER"),
        (
            ada,
            "recordWorkshopOutcome",
            json!({ "sessionId": a_session, "attendeeMemberIds": [own_member, t.wanda], "notes": "x" }),
            "NOT_A_MEMBER",
        ),
        (
            amir,
            "recordWorkshopOutcome",
            json!({ "sessionId": a_session, "attendeeMemberIds": [t.carl] }),
            "NOT_A_MEMBER",
        ),
        (ada, "createCustomRunbook", custom(&t.deviation), "NOT_FOUND"),
        (amir, "createCustomRunbook", custom(&t.deviation), "NOT_FOUND"),
    ];
    let before = (w.counts().await, snapshot(app, &w.beth, &w.b).await, snapshot(app, ada, &w.a).await);
    for (token, op, input, want) in &cases {
        let body = call(app, token, op, input).await;
        let got = match body.get("errors") {
            Some(_) => code(&body).to_owned(),
            None => body["data"][op]["userErrors"][0]["code"].as_str().unwrap_or("accepted").to_owned(),
        };
        assert_eq!(&got, want, "{op}: {body}");
        let absent = call(app, token, op, &with_missing(input, &w.ids)).await;
        assert_eq!(without_cost(&body), without_cost(&absent), "{op}: B's objects must look like missing ones");
    }

    // Reads of A that name B's objects find nothing of B.
    let reads = [
        (
            "query($id: ID!, $sprint: ID) { engagement(id: $id) { workshopSessions(filter: { sprint: $sprint }) { totalCount nodes { id } } } }",
            json!({ "id": w.a, "sprint": t.sprint }),
        ),
        (
            "query($id: ID!, $actor: ID) { engagement(id: $id) { auditTrail(filter: { actorId: $actor }) { totalCount nodes { id } } } }",
            json!({ "id": w.a, "actor": t.beth_user }),
        ),
        (
            "query($id: ID!, $against: ID) { node(id: $id) { ... on RunbookRevision { diff(against: $against) } } }",
            json!({ "id": a_revision, "against": t.revision }),
        ),
    ];
    for (query, vars) in reads {
        let body = app.gql(ada, query, vars.clone()).await;
        let text = body.to_string();
        assert!(!text.contains("Globex") && !text.contains("WSUS"), "{text}");
        if body.get("errors").is_some() {
            assert_eq!(code(&body), "NOT_FOUND", "{body}");
        } else {
            assert_eq!(
                body["data"]["engagement"].as_object().unwrap().values().next().unwrap()["totalCount"],
                0,
                "{body}"
            );
        }
        assert_eq!(
            without_cost(&body),
            without_cost(&app.gql(ada, query, with_missing(&vars, &w.ids)).await),
            "{query}"
        );
    }

    let after = (w.counts().await, snapshot(app, &w.beth, &w.b).await, snapshot(app, ada, &w.a).await);
    assert_eq!(before.0, after.0, "no refusal wrote a row");
    assert_eq!(before.1, after.1, "B is unchanged");
    assert_eq!(before.2, after.2, "A is unchanged");
}
