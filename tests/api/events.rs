//! Live events: `engagementEvents` over graphql-transport-ws and SSE — replay
//! after a cursor, live delivery, the type filter, access (strangers, removed
//! members, expired tokens), nothing from a rolled-back change, the limits,
//! and two server processes on one PostgreSQL database.

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{
    EVENTS, Replica, Sse, Team, TestApp, Ws, backend, capability, cursor_at, head_cursor, member_id, token_lasting,
};

/// Sets party `party` as `role` on capability `key`; returns the assignment's ID.
async fn set_raci(app: &TestApp, token: &str, engagement: &str, key: &str, party: &str, role: &str) -> String {
    let capability = capability(app, token, engagement, key).await;
    let input = json!({ "engagementId": engagement, "capabilityId": capability, "party": party, "role": role });
    let payload = app.mutate_ok(token, "setRaciAssignment", "raciAssignment { id }", input).await;
    payload["raciAssignment"]["id"].as_str().unwrap().to_owned()
}

/// Records a readiness assessment of capability `key`; returns its ID.
async fn assess(app: &TestApp, token: &str, engagement: &str, key: &str) -> String {
    let capability = capability(app, token, engagement, key).await;
    let input = json!({ "engagementId": engagement, "capabilityId": capability, "level": "READY", "findings": "Met." });
    let payload = app.mutate_ok(token, "recordReadinessAssessment", "readinessAssessment { id }", input).await;
    payload["readinessAssessment"]["id"].as_str().unwrap().to_owned()
}

fn vars(engagement: &str, after: Option<&str>, types: Option<&[&str]>) -> Value {
    json!({ "id": engagement, "after": after, "types": types })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_delivery_then_replay_after_a_cursor_without_gap_or_duplicate() {
    let team = Team::start("Live", "lead").await;
    let app = &team.app;
    let mut ws = Ws::connect(&app.base, &team.workstream).await;
    ws.subscribe("1", EVENTS, vars(&team.engagement, None, None)).await;
    ws.ping().await;
    assert_eq!(ws.next().await["type"], "pong");
    // Nothing from before the subscription is replayed without a cursor.
    ws.quiet_for(Duration::from_millis(300)).await;

    let raci = set_raci(app, &team.consultant, &team.engagement, "patch-management", "AWS ProServe", "A").await;
    let first = ws.next_event("1").await;
    assert_eq!(first["type"], "raci.set");
    assert_eq!(first["object"], json!({ "__typename": "RaciAssignment", "id": raci }));
    assert_eq!(first["event"]["action"], "raci.set");
    assert_eq!(first["event"]["objectId"], raci.as_str());
    assert_eq!(first["event"]["actor"]["subject"], "lead");
    assert!(first["event"]["summary"].as_str().is_some_and(|s| !s.is_empty()));

    let assessment = assess(app, &team.consultant, &team.engagement, "patch-management").await;
    let second = ws.next_event("1").await;
    assert_eq!(
        (second["type"].as_str(), second["object"]["id"].as_str()),
        (Some("readiness.assessed"), Some(assessment.as_str()))
    );
    let third_id = set_raci(app, &team.consultant, &team.engagement, "event-management", "Customer", "R").await;
    let third = ws.next_event("1").await;
    assert_eq!(third["object"]["id"], third_id.as_str());
    ws.complete("1").await;

    // A client that saw only the first event resumes after its cursor: the
    // second and third are replayed, once each, then new events arrive live.
    let mut again = Ws::connect(&app.base, &team.workstream).await;
    again.subscribe("r", EVENTS, vars(&team.engagement, first["cursor"].as_str(), None)).await;
    assert_eq!(again.next_event("r").await, second);
    assert_eq!(again.next_event("r").await, third);
    let fourth_id = assess(app, &team.consultant, &team.engagement, "event-management").await;
    let fourth = again.next_event("r").await;
    assert_eq!(fourth["object"]["id"], fourth_id.as_str());
    again.quiet_for(Duration::from_millis(300)).await;

    // Cursors are opaque but checked.
    again.subscribe("bad", EVENTS, vars(&team.engagement, Some("not-a-cursor"), None)).await;
    again.ends_with("bad", "BAD_USER_INPUT").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_type_filter_delivers_only_the_types_asked_for() {
    let team = Team::start("Filtered", "lead").await;
    let app = &team.app;
    let head = head_cursor(app, &team.consultant, &team.engagement).await;
    let mut ws = Ws::connect(&app.base, &team.stakeholder).await;
    ws.subscribe("f", EVENTS, vars(&team.engagement, Some(&head), Some(&["readiness.assessed"]))).await;
    set_raci(app, &team.consultant, &team.engagement, "patch-management", "AWS ProServe", "A").await;
    let assessment = assess(app, &team.consultant, &team.engagement, "patch-management").await;
    let event = ws.next_event("f").await;
    assert_eq!(
        (event["type"].as_str(), event["object"]["id"].as_str()),
        (Some("readiness.assessed"), Some(assessment.as_str()))
    );
    ws.quiet_for(Duration::from_millis(300)).await;

    ws.subscribe("u", EVENTS, vars(&team.engagement, None, Some(&["no.such_type"]))).await;
    ws.ends_with("u", "BAD_USER_INPUT").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strangers_and_bad_tokens_are_refused() {
    let team = Team::start("Private", "lead").await;
    let app = &team.app;
    let mut ws = Ws::connect(&app.base, &team.stranger).await;
    ws.subscribe("s", EVENTS, vars(&team.engagement, None, None)).await;
    ws.ends_with("s", "NOT_FOUND").await;

    // No token, or a bad one: the connection is closed, naming the code.
    let refused = Ws::init(&app.base, json!({})).await.err().expect("refused");
    assert_eq!(refused.code, 1002);
    assert!(refused.reason.contains("UNAUTHENTICATED"), "{refused:?}");
    let refused = Ws::init(&app.base, json!({ "authorization": "Bearer nonsense" })).await.err().expect("refused");
    assert!(refused.reason.contains("UNAUTHENTICATED"), "{refused:?}");

    // Over SSE too: a stranger's subscription is an error event, then the end.
    let mut sse = Sse::open(app, &team.stranger, EVENTS, vars(&team.engagement, None, None)).await;
    sse.ends_with("NOT_FOUND").await;
    let resp = app
        .http
        .post(app.url("/graphql"))
        .header("accept", "text/event-stream")
        .json(&json!({ "query": EVENTS, "variables": vars(&team.engagement, None, None) }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_member_is_cut_off() {
    let team = Team::start("Removal", "lead").await;
    let app = &team.app;
    let head = head_cursor(app, &team.consultant, &team.engagement).await;
    let mut ws = Ws::connect(&app.base, &team.workstream).await;
    ws.subscribe("m", EVENTS, vars(&team.engagement, Some(&head), None)).await;
    set_raci(app, &team.consultant, &team.engagement, "patch-management", "AWS ProServe", "A").await;
    assert_eq!(ws.next_event("m").await["type"], "raci.set");

    let wanda = member_id(app, &team.consultant, &team.engagement, "wanda").await;
    app.mutate_ok(&team.consultant, "removeEngagementMember", "__typename", json!({ "memberId": wanda })).await;
    ws.ends_with("m", "ACCESS_REVOKED").await;
    // Nothing of the engagement reaches her any more.
    set_raci(app, &team.consultant, &team.engagement, "event-management", "Customer", "R").await;
    ws.quiet_for(Duration::from_millis(500)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_ends_the_subscription() {
    let team = Team::start("Expiry", "lead").await;
    let app = &team.app;
    set_raci(app, &team.consultant, &team.engagement, "patch-management", "AWS ProServe", "A").await;
    let short = token_lasting("wanda", &[], Duration::from_secs(4));
    let mut ws = Ws::connect(&app.base, &short).await;
    // Live until the token expires: the replayed events arrive, then the end.
    ws.subscribe("e", EVENTS, vars(&team.engagement, Some(&cursor_at(0)), Some(&["raci.set"]))).await;
    assert_eq!(ws.next_event("e").await["type"], "raci.set");
    ws.ends_with("e", "TOKEN_EXPIRED").await;

    // Over SSE as well.
    let short = token_lasting("stan", &[], Duration::from_secs(3));
    let mut sse = Sse::open(app, &short, EVENTS, vars(&team.engagement, None, None)).await;
    sse.ends_with("TOKEN_EXPIRED").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_is_published_from_a_rolled_back_change() {
    let team = Team::start("Rollback", "lead").await;
    let app = &team.app;
    set_raci(app, &team.consultant, &team.engagement, "patch-management", "AWS ProServe", "A").await;
    let head = head_cursor(app, &team.consultant, &team.engagement).await;
    let mut sse = Sse::open(app, &team.workstream, EVENTS, vars(&team.engagement, Some(&head), None)).await;
    let events_before = app.count_rows("audit_events").await;

    // A second accountable party breaks a rule: the change rolls back.
    let capability = capability(app, &team.consultant, &team.engagement, "patch-management").await;
    let input =
        json!({ "engagementId": team.engagement, "capabilityId": capability, "party": "Customer", "role": "A" });
    let payload = app.mutate(&team.consultant, "setRaciAssignment", "raciAssignment { id }", input).await;
    assert_eq!(payload["userErrors"][0]["code"], "ACCOUNTABLE_EXISTS", "{payload}");
    assert_eq!(app.count_rows("audit_events").await, events_before);

    let assessment = assess(app, &team.consultant, &team.engagement, "patch-management").await;
    let event = sse.next_event().await;
    assert_eq!(
        (event["type"].as_str(), event["object"]["id"].as_str()),
        (Some("readiness.assessed"), Some(assessment.as_str()))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscriptions_and_connections_are_limited() {
    let app = TestApp::start_with(|config| {
        config.max_subscriptions_per_connection = 1;
        config.max_connections_per_identity = 2;
    })
    .await;
    let lead = app.token("lead", &["consultant"]);
    let engagement = app.create_engagement(&lead, "Limited").await;
    let mut ws = Ws::connect(&app.base, &lead).await;
    ws.subscribe("1", EVENTS, vars(&engagement, None, None)).await;
    ws.quiet_for(Duration::from_millis(300)).await;
    ws.subscribe("2", EVENTS, vars(&engagement, None, None)).await;
    ws.ends_with("2", "TOO_MANY_SUBSCRIPTIONS").await;
    // Ending the first frees its slot.
    ws.complete("1").await;
    assert_eq!(ws.next().await, json!({ "id": "1", "type": "complete" }));
    let head = head_cursor(&app, &lead, &engagement).await;
    ws.subscribe("3", EVENTS, vars(&engagement, Some(&head), None)).await;
    app.add_member(&lead, &engagement, "carl", "CONSULTANT").await;
    assert_eq!(ws.next_event("3").await["type"], "member.added");

    let _second = Ws::connect(&app.base, &lead).await;
    let refused = Ws::init(&app.base, json!({ "token": lead })).await.err().expect("third connection refused");
    assert!(refused.reason.contains("TOO_MANY_SUBSCRIPTIONS"), "{refused:?}");
    let mut sse = Sse::open(&app, &lead, EVENTS, vars(&engagement, None, None)).await;
    sse.ends_with("TOO_MANY_SUBSCRIPTIONS").await;
    // Another identity is not affected.
    let other = app.token("other", &["admin"]);
    let mut admin = Sse::open(&app, &other, EVENTS, vars(&engagement, Some(&cursor_at(0)), None)).await;
    assert_eq!(admin.next_event().await["type"], "engagement.created");
}

/// Two `opskit serve` processes on one database: an event of a change made on
/// B reaches a subscriber of A within a second on PostgreSQL (`NOTIFY`); on
/// SQLite, which has no notifications between processes, within the feed's
/// catch-up interval. A dies, and the subscriber resumes on B from its last
/// cursor with no gap and no duplicate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_share_one_event_log() {
    let app = TestApp::start().await;
    let lead = app.token("lead", &["consultant"]);
    let engagement = app.create_engagement(&lead, "Replicated").await;
    let mut a = Replica::spawn(&app.db.url);
    let b = Replica::spawn(&app.db.url);
    let bound = if backend() == "postgres" { Duration::from_secs(1) } else { Duration::from_secs(3) };
    a.ready(&app).await;
    b.ready(&app).await;

    let head = head_cursor(&app, &lead, &engagement).await;
    let mut ws = Ws::connect(&a.base, &lead).await;
    ws.subscribe("x", EVENTS, vars(&engagement, Some(&head), None)).await;
    ws.quiet_for(Duration::from_millis(300)).await;
    let started = std::time::Instant::now();
    let raci = set_raci_at(&app, &b.base, &lead, &engagement, "patch-management", "A").await;
    let first = ws.next_event("x").await;
    assert!(started.elapsed() < bound, "delivered after {:?}", started.elapsed());
    assert_eq!(first["object"]["id"], raci.as_str());

    // A dies; two more changes happen meanwhile; the client resumes on B.
    a.kill();
    let second = set_raci_at(&app, &b.base, &lead, &engagement, "event-management", "R").await;
    let third = set_raci_at(&app, &b.base, &lead, &engagement, "tag-management", "C").await;
    let mut resumed = Ws::connect(&b.base, &lead).await;
    resumed.subscribe("y", EVENTS, vars(&engagement, first["cursor"].as_str(), None)).await;
    assert_eq!(resumed.next_event("y").await["object"]["id"], second.as_str());
    assert_eq!(resumed.next_event("y").await["object"]["id"], third.as_str());
    resumed.quiet_for(Duration::from_millis(500)).await;
}

/// The RACI assignments' reads of the server's pool: resolving `object` of a
/// `raci.set` event is one of them per resolution.
fn counting_raci_reads(
    counter: std::sync::Arc<std::sync::atomic::AtomicU64>,
) -> impl FnOnce(&mut sea_orm::DatabaseConnection) {
    move |pool| {
        pool.set_metric_callback(move |info| {
            let sql = &info.statement.sql;
            if sql.starts_with("SELECT") && sql.contains("raci_assignments") {
                counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        })
    }
}

/// `subscriptions` (caller, selection) each on a connection of its own (so
/// no loader batches two of them), all after the engagement's newest event;
/// then one `raci.set`, received by every one: the RACI reads it took.
async fn raci_reads_for(
    team: &Team,
    reads: &std::sync::atomic::AtomicU64,
    capability: &str,
    subscriptions: &[(&str, &str)],
) -> u64 {
    let app = &team.app;
    let head = head_cursor(app, &team.consultant, &team.engagement).await;
    let mut clients = Vec::new();
    for (token, selection) in subscriptions {
        let mut ws = Ws::connect(&app.base, token).await;
        ws.subscribe("s", selection, vars(&team.engagement, Some(&head), None)).await;
        clients.push(ws);
    }
    let before = reads.load(std::sync::atomic::Ordering::Relaxed);
    let raci = set_raci(app, &team.consultant, &team.engagement, capability, "AWS ProServe", "A").await;
    for ws in &mut clients {
        let event = ws.next_event("s").await;
        assert_eq!(event["object"]["id"], raci.as_str(), "{event}");
        // Ended before the next change: the server has seen the end once it answers a ping.
        ws.complete("s").await;
        ws.ping().await;
        while ws.next().await["type"] != "pong" {}
    }
    reads.load(std::sync::atomic::Ordering::Relaxed) - before
}

/// Subscriptions of one caller with one selection share one resolution of
/// each event; another selection, or another caller, resolves its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identical_subscriptions_of_one_caller_share_one_resolution() {
    let reads = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let (app, _pool) = TestApp::start_on_pool(|_| {}, counting_raci_reads(reads.clone())).await;
    let team = Team::on(app, "Shared", "lead").await;
    let (wanda, stan) = (team.workstream.as_str(), team.stakeholder.as_str());
    let other = "subscription($id: ID!, $after: String, $types: [String!]) {
      engagementEvents(engagementId: $id, after: $after, types: $types) { kind: type object { id } } }";

    let one = raci_reads_for(&team, &reads, "change-management", &[(wanda, EVENTS)]).await;
    assert!(one >= 1, "resolving `object` reads the assignment");
    let same = raci_reads_for(&team, &reads, "configuration-management", &[(wanda, EVENTS); 4]).await;
    assert_eq!(same, one, "four identical subscriptions of one caller resolve the event once");
    let selections = raci_reads_for(
        &team,
        &reads,
        "patch-management",
        &[(wanda, EVENTS), (wanda, EVENTS), (wanda, other), (wanda, other)],
    )
    .await;
    assert_eq!(selections, one + 1, "two selections, two resolutions");
    let callers =
        raci_reads_for(&team, &reads, "tag-management", &[(wanda, EVENTS), (stan, EVENTS), (stan, EVENTS)]).await;
    assert_eq!(callers, one + 1, "two callers, two resolutions");
}

/// `setRaciAssignment` on the server at `base`; returns the assignment's ID.
async fn set_raci_at(app: &TestApp, base: &str, token: &str, engagement: &str, key: &str, role: &str) -> String {
    let capability = capability(app, token, engagement, key).await;
    let query = "mutation($input: SetRaciAssignmentInput!) { setRaciAssignment(input: $input) { raciAssignment { id } userErrors { code } } }";
    let input = json!({ "engagementId": engagement, "capabilityId": capability, "party": "Ops", "role": role });
    let body: Value = app
        .http
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": { "input": input } }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["data"]["setRaciAssignment"]["raciAssignment"]["id"].as_str().unwrap_or_else(|| panic!("{body}")).to_owned()
}

/// The real npm clients (`graphql-ws` over WebSocket, `graphql-sse` over SSE,
/// driven by `tests/clients/live.mjs`) replay an engagement's history from
/// the start of the log, then receive a live event.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs node and tests/clients/node_modules; .ci/run installs them"]
async fn npm_clients_receive_events() {
    use std::io::BufRead;

    let team = Team::start("Npm", "lead").await;
    let app = &team.app;
    let from_start = cursor_at(0);
    let mut child = std::process::Command::new("node")
        .arg("live.mjs")
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/clients"))
        .env("OPSKIT_URL", &app.base)
        .env("OPSKIT_TOKEN", &team.workstream)
        .env("ENGAGEMENT_ID", &team.engagement)
        .env("AFTER", &from_start)
        .env("REPLAY", "3")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("node runs");
    let stdout = child.stdout.take().unwrap();
    let (lines_tx, mut lines) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });
    let mut next_line = async || tokio::time::timeout(Duration::from_secs(30), lines.recv()).await.unwrap().unwrap();
    assert_eq!(next_line().await, "ready");
    set_raci(app, &team.consultant, &team.engagement, "patch-management", "AWS ProServe", "A").await;
    let received: Value = serde_json::from_str(&next_line().await).unwrap();
    assert!(child.wait().unwrap().success());
    let expected = json!(["engagement.created", "member.added", "member.added", "raci.set"]);
    assert_eq!(received, json!({ "ws": expected, "sse": expected }));
}
