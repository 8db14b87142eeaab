//! The in-process caches (design.md §7): the kit catalog is in memory, and a
//! caller's user, API key and memberships are cached for a few seconds. These
//! tests run with an hour's cache lifetime, so what they see fresh is fresh
//! because the change cleared the cache, not because an entry expired.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use serde_json::{Value, json};

use crate::common::*;

/// Long enough that no entry expires during a test.
const HOUR: Duration = Duration::from_secs(3600);

/// The whole catalog of every kit, as deep as a portal reads it.
const CATALOG: &str = "{ kits(first: 10) { totalCount nodes { key version
    capabilities { key artifactTemplates { title questions { key text } }
        runbookTemplates { key skeleton } workshopTemplates { key } }
    artifactTemplates { key kind } workshopTemplates { key duration artifactTemplates { key } } } }
    kit(key: \"aws-operations\") { version } }";

/// A server with long-lived caches whose pool counts the statements requests
/// run (the event feed's reads of the event log left out).
async fn counted() -> (TestApp, Arc<AtomicU64>) {
    let statements = Arc::new(AtomicU64::new(0));
    let counter = statements.clone();
    let (app, _pool) = TestApp::start_on_pool(
        |config| config.access_cache_ttl = HOUR,
        |pool| {
            pool.set_metric_callback(move |info| {
                if !info.statement.sql.contains("audit_events") {
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            })
        },
    )
    .await;
    (app, statements)
}

/// The statements one request of `query` as `token` runs.
async fn statements_of(app: &TestApp, statements: &AtomicU64, token: &str, query: &str) -> (u64, Value) {
    let before = statements.load(Ordering::Relaxed);
    let data = app.data(token, query, json!({})).await;
    (statements.load(Ordering::Relaxed) - before, data)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kit_catalog_runs_no_sql_and_an_import_shows_on_the_next_query() {
    let (app, statements) = counted().await;
    let admin = app.token("root", &["admin"]);
    // The first request finds (creates) the caller; from then on the caller is cached.
    app.data(&admin, "{ viewer { id } }", json!({})).await;
    assert_eq!(statements_of(&app, &statements, &admin, "{ viewer { id } }").await.0, 0, "a cached caller");

    let (sql, data) = statements_of(&app, &statements, &admin, CATALOG).await;
    assert_eq!(sql, 0, "the catalog is in memory");
    assert_eq!(data["kits"]["totalCount"], 1);
    let kit = &data["kits"]["nodes"][0];
    assert_eq!(kit["capabilities"].as_array().unwrap().len(), 7);
    assert!(kit["capabilities"][0]["artifactTemplates"][0]["questions"].as_array().is_some_and(|q| !q.is_empty()));
    assert!(kit["capabilities"][0]["runbookTemplates"][0]["skeleton"].as_str().is_some_and(|s| !s.is_empty()));

    let next = BUNDLED_KIT.replacen("version: 1.0.0", "version: 1.1.0", 1);
    let import = "mutation($input: ImportKitInput!) { importKit(input: $input) { created kit { version } } }";
    let imported = app.data(&admin, import, json!({ "input": { "document": next, "format": "YAML" } })).await;
    assert_eq!(imported["importKit"]["created"], true);
    assert_eq!(imported["importKit"]["kit"]["version"], "1.1.0");

    let (sql, data) = statements_of(&app, &statements, &admin, CATALOG).await;
    assert_eq!(sql, 0);
    assert_eq!(data["kits"]["totalCount"], 2, "the import is in the catalog the next query reads");
    assert_eq!(data["kit"]["version"], "1.1.0", "the newest version of the key");
    let versions: Vec<&str> =
        data["kits"]["nodes"].as_array().unwrap().iter().map(|k| k["version"].as_str().unwrap()).collect();
    assert_eq!(versions, ["1.1.0", "1.0.0"], "newest first");

    // An engagement on the new version reads its templates from the new catalog.
    let lead = app.token("lead", &["consultant"]);
    let input = engagement_input(json!({ "kitVersion": "1.1.0" }));
    let created = app.mutate_ok(&lead, "createEngagement", "engagement { id }", input).await;
    let engagement = created["engagement"]["id"].as_str().unwrap();
    let read = app
        .engagement(&lead, engagement, "kit { version } activities(first: 100) { totalCount nodes { title } }")
        .await;
    assert_eq!(read["kit"]["version"], "1.1.0");
    assert!(read["activities"]["nodes"][0]["title"].as_str().is_some_and(|t| !t.is_empty()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statements_per_request_do_not_grow_with_the_result() {
    let (app, statements) = counted().await;
    let lead = app.token("lead", &["consultant"]);
    for name in ["One", "Two", "Three", "Four"] {
        let engagement = app.create_engagement(&lead, name).await;
        app.add_member(&lead, &engagement, &format!("m-{name}"), "WORKSTREAM_MEMBER").await;
    }
    // The writes' events clear cached callers as the feed reads them: wait
    // until the caller stays cached, so both pages below find it there.
    for _ in 0..250 {
        if statements_of(&app, &statements, &lead, "{ viewer { id } }").await.0 == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let page = |n: usize| {
        format!(
            "{{ engagements(first: {n}) {{ nodes {{ name kit {{ version }} progress {{ activitiesTotal questionsTotal }}
            members(first: 20) {{ nodes {{ role user {{ subject }} }} }}
            activities(first: 20) {{ nodes {{ title kind capability {{ key }} artifactTemplate {{ overview }}
                questionCoverage {{ total }} }} }} }} }} }}"
        )
    };
    let (one, data) = statements_of(&app, &statements, &lead, &page(1)).await;
    assert_eq!(data["engagements"]["nodes"].as_array().unwrap().len(), 1);
    let (four, data) = statements_of(&app, &statements, &lead, &page(4)).await;
    assert_eq!(data["engagements"]["nodes"].as_array().unwrap().len(), 4);
    assert_eq!(one, four, "the same statements for four engagements as for one");
    let activities = &data["engagements"]["nodes"][0]["activities"]["nodes"];
    assert!(activities[0]["artifactTemplate"]["overview"].as_str().is_some_and(|o| !o.is_empty()));
}

/// Waits until `token`'s caller stays cached (the writes' events clear cached
/// callers as the feed reads them).
async fn settle(app: &TestApp, statements: &AtomicU64, token: &str) {
    for _ in 0..250 {
        if statements_of(app, statements, token, "{ viewer { id } }").await.0 == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the caller never stayed cached");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_and_its_engagement_are_read_in_one_statement_and_strangers_are_still_refused() {
    let (app, statements) = counted().await;
    let lead = app.token("lead", &["consultant"]);
    let other = app.token("other", &["consultant"]);
    let engagement = app.create_engagement(&lead, "Node").await;
    app.create_engagement(&other, "Elsewhere").await;
    let acts = activity_ids(&app, &lead, &engagement).await;
    let activity = &acts["patch-management/DISCOVERY_AND_ANALYSIS"];
    let node = format!("{{ node(id: \"{activity}\") {{ id ... on Activity {{ status title }} }} }}");
    settle(&app, &statements, &lead).await;
    let (sql, data) = statements_of(&app, &statements, &lead, &node).await;
    assert_eq!(sql, 1, "the activity and its engagement in one statement: {data}");
    assert_eq!(data["node"]["id"], *activity);
    assert_eq!(data["node"]["status"], "NOT_STARTED");
    assert_eq!(data["node"]["title"], "Patch Management Discovery and Analysis");
    // A consultant of another engagement gets the same answer as for an ID that does not exist.
    settle(&app, &statements, &other).await;
    let refused = app.gql(&other, &node, json!({})).await;
    assert_eq!(error_code(&refused), "NOT_FOUND", "{refused}");
    assert_eq!(refused["errors"][0]["message"].as_str().unwrap(), "activity not found", "{refused}");
    let missing = global_id("Activity", raw_id(activity) + 100_000);
    let body = app.gql(&lead, &node.replace(activity.as_str(), &missing), json!({})).await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
    // Through the write path too: a stranger's change is refused and nothing is stored.
    let start = transition(&app, &other, "startActivity", activity, None).await;
    assert!(start.to_string().contains("NOT_FOUND"), "{start}");
    assert!(start["activity"].is_null(), "{start}");
    let data = app.data(&lead, &node, json!({})).await;
    assert_eq!(data["node"]["status"], "NOT_STARTED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_member_is_refused_and_a_new_role_applies_on_the_very_next_request() {
    let app = TestApp::start_with(|config| config.access_cache_ttl = HOUR).await;
    let t = Team::on(app, "Cached", "lead").await;
    let keys = "apiKeys(first: 5) { totalCount }";
    let read = |token: String| {
        let (app, engagement) = (&t.app, t.engagement.clone());
        async move {
            let query = format!("query($id: ID!) {{ engagement(id: $id) {{ name {keys} }} }}");
            app.gql(&token, &query, json!({ "id": engagement })).await
        }
    };

    // Wanda (workstream member) may read the engagement but not its API keys; both answers are now cached.
    let body = read(t.workstream.clone()).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    assert_eq!(body["data"]["engagement"]["name"], "Cached");
    let wanda = member_id(&t.app, &t.consultant, &t.engagement, "wanda").await;
    let set_role = |role: &'static str| {
        let input = json!({ "memberId": wanda, "role": role });
        t.app.mutate_ok(&t.consultant, "changeEngagementMemberRole", "member { role }", input)
    };
    set_role("CONSULTANT").await;
    let body = read(t.workstream.clone()).await;
    assert!(body.get("errors").is_none(), "a consultant now: {body}");
    assert_eq!(body["data"]["engagement"]["apiKeys"]["totalCount"], 0);
    set_role("STAKEHOLDER").await;
    assert_eq!(error_code(&read(t.workstream.clone()).await), "FORBIDDEN", "and demoted again");

    // Stan (stakeholder) reads it; once removed, the next request finds nothing.
    let engagement = json!({ "id": t.engagement });
    let name = "query($id: ID!) { engagement(id: $id) { name } }";
    assert_eq!(t.app.data(&t.stakeholder, name, engagement.clone()).await["engagement"]["name"], "Cached");
    let stan = member_id(&t.app, &t.consultant, &t.engagement, "stan").await;
    t.app.mutate_ok(&t.consultant, "removeEngagementMember", "__typename", json!({ "memberId": stan })).await;
    let body = t.app.gql(&t.stakeholder, name, engagement.clone()).await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body}");

    // Added back (an invitation for a known user): the next request sees the engagement again.
    t.app.add_member(&t.consultant, &t.engagement, "stan", "STAKEHOLDER").await;
    assert_eq!(t.app.data(&t.stakeholder, name, engagement).await["engagement"]["name"], "Cached");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_api_key_is_refused_on_the_next_request() {
    let app = TestApp::start_with(|config| config.access_cache_ttl = HOUR).await;
    let t = Team::on(app, "Keys", "lead").await;
    let input = json!({ "engagementId": t.engagement, "name": "bot", "role": "READ_ONLY" });
    let created = t.app.mutate_ok(&t.consultant, "createApiKey", "apiKey { id } secret", input).await;
    let secret = created["secret"].as_str().unwrap().to_owned();
    let query = "query($id: ID!) { engagement(id: $id) { name } }";
    let vars = json!({ "id": t.engagement });
    for _ in 0..2 {
        assert_eq!(
            t.app.data(&secret, query, vars.clone()).await["engagement"]["name"],
            "Keys",
            "cached after the first"
        );
    }
    t.app.mutate_ok(&t.consultant, "revokeApiKey", "__typename", json!({ "apiKeyId": created["apiKey"]["id"] })).await;
    let (status, _, body) = t.app.post(Some(&secret), query, vars).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_removed_on_one_replica_is_refused_on_another_within_a_second() {
    let app = TestApp::start().await;
    let lead = app.token("lead", &["consultant"]);
    let engagement = app.create_engagement(&lead, "Replicated").await;
    let member = app.add_member(&lead, &engagement, "stan", "STAKEHOLDER").await;
    let stan = app.token("stan", &[]);
    let a = Replica::spawn_with(&app.db.url, &[("OPSKIT_ACCESS_CACHE_TTL", "1h")]);
    let b = Replica::spawn_with(&app.db.url, &[("OPSKIT_ACCESS_CACHE_TTL", "1h")]);
    a.ready(&app).await;
    b.ready(&app).await;

    let query =
        json!({ "query": "query($id: ID!) { engagement(id: $id) { name } }", "variables": { "id": engagement } });
    let ask = |base: &str| {
        let request = app.http.post(format!("{base}/graphql")).bearer_auth(&stan).json(&query);
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    // B has stan's membership cached.
    assert_eq!(ask(&b.base).await["data"]["engagement"]["name"], "Replicated");
    assert_eq!(ask(&b.base).await["data"]["engagement"]["name"], "Replicated");

    let remove = json!({ "query": mutation("removeEngagementMember", "__typename"), "variables": { "input": { "memberId": member } } });
    let removed = app.http.post(format!("{}/graphql", a.base)).bearer_auth(&lead).json(&remove).send().await.unwrap();
    assert!(removed.status().is_success());
    let started = std::time::Instant::now();
    // PostgreSQL notifies B at once; SQLite has no notifications across processes: B's feed reads the log every 2 s.
    let bound = if backend() == "postgres" { Duration::from_secs(1) } else { Duration::from_secs(3) };
    loop {
        let body = ask(&b.base).await;
        if body["errors"][0]["extensions"]["code"] == "NOT_FOUND" {
            break;
        }
        assert!(started.elapsed() < bound, "still allowed on B after {:?}: {body}", started.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
