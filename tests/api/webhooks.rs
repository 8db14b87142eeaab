//! Outbound webhooks: endpoints managed by consultants, every event of the
//! engagement POSTed to a receiver the test starts on loopback, signed per
//! Standard Webhooks 1.0, retried with backoff, logged, and delivered once per
//! endpoint even with two replicas.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::common::{Config, Team, TestApp, backend, codes, error_code, fast_deliveries, pair};

/// What the receiver answers to its `n`-th request (from 0): status and `Retry-After`.
type Script = Arc<dyn Fn(usize) -> (u16, Option<&'static str>) + Send + Sync>;

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Hit {
    at: Instant,
    id: String,
    timestamp: String,
    signature: String,
    raw: Vec<u8>,
    body: Value,
}

/// A webhook receiver on loopback that records what it gets.
struct Receiver {
    url: String,
    hits: Arc<Mutex<Vec<Hit>>>,
    handle: actix_web::dev::ServerHandle,
}

impl Receiver {
    async fn start(script: Script) -> Self {
        let hits: Arc<Mutex<Vec<Hit>>> = Arc::default();
        let state = (hits.clone(), script);
        let server = HttpServer::new(move || {
            App::new().app_data(web::Data::new(state.clone())).default_service(web::to(
                |req: HttpRequest, body: web::Bytes, state: web::Data<(Arc<Mutex<Vec<Hit>>>, Script)>| async move {
                    let header = |name: &str| {
                        req.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
                    };
                    let n = {
                        let mut hits = state.0.lock().unwrap();
                        hits.push(Hit {
                            at: Instant::now(),
                            id: header("webhook-id"),
                            timestamp: header("webhook-timestamp"),
                            signature: header("webhook-signature"),
                            raw: body.to_vec(),
                            body: serde_json::from_slice(&body).unwrap_or(Value::Null),
                        });
                        hits.len() - 1
                    };
                    let (status, retry_after) = (state.1)(n);
                    let mut reply = HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap());
                    if let Some(seconds) = retry_after {
                        reply.insert_header(("retry-after", seconds));
                    }
                    reply.body(format!("answer {n}"))
                },
            ))
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .unwrap();
        let addr = server.addrs()[0];
        let server = server.run();
        let handle = server.handle();
        tokio::spawn(server);
        Self { url: format!("http://{addr}/hook"), hits, handle }
    }

    /// A receiver that always answers 200.
    async fn ok() -> Self {
        Self::start(Arc::new(|_| (200, None))).await
    }

    fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }

    /// Waits until the receiver got a request for which `wanted` holds.
    async fn wait_for(&self, what: &str, wanted: impl Fn(&[Hit]) -> bool) -> Vec<Hit> {
        for _ in 0..600 {
            let hits = self.hits();
            if wanted(&hits) {
                return hits;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the receiver never got {what}: {:#?}", self.hits().iter().map(|h| &h.body).collect::<Vec<_>>());
    }

    /// Waits for a delivery of an event of type `kind`.
    async fn wait_for_type(&self, kind: &str) -> Vec<Hit> {
        self.wait_for(kind, |hits| hits.iter().any(|h| h.body["type"] == kind)).await
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

/// A team on a server with [`fast_deliveries`], tweaked further by `tweak`.
async fn team(tweak: impl FnOnce(&mut Config)) -> Team {
    let app = TestApp::start_with(|c| {
        fast_deliveries(c);
        tweak(c);
    })
    .await;
    Team::on(app, "Webhooks", "carla").await
}

const ENDPOINT: &str = "id url description eventTypes enabled disabledReason version previousSecretExpiresAt";

/// Creates an endpoint to `url`; returns its ID and secret.
async fn create(t: &Team, url: &str, types: Option<Vec<&str>>) -> (String, String) {
    let input = json!({ "engagementId": t.engagement, "url": url, "description": "CI", "eventTypes": types });
    let p = t
        .app
        .mutate_ok(&t.consultant, "createWebhookEndpoint", &format!("webhookEndpoint {{ {ENDPOINT} }} secret"), input)
        .await;
    (p["webhookEndpoint"]["id"].as_str().unwrap().to_owned(), p["secret"].as_str().unwrap().to_owned())
}

/// Renames the engagement: one `engagement.updated` event.
async fn rename(app: &TestApp, token: &str, engagement: &str, name: &str) {
    app.mutate_ok(token, "updateEngagement", "engagement { id }", json!({ "engagementId": engagement, "name": name }))
        .await;
}

const LOG: &str = "query($id: ID!) { node(id: $id) { ... on WebhookEndpoint { enabled disabledReason
    deliveries(first: 100) { totalCount nodes { webhookId eventType position status nextAttemptAt lastHttpStatus
      event { id action } attempts { number outcome httpStatus latencyMs responseExcerpt error } } } } } }";

/// The endpoint with its delivery log, newest event first.
async fn log(t: &Team, endpoint: &str) -> Value {
    t.app.data(&t.consultant, LOG, json!({ "id": endpoint })).await["node"].clone()
}

/// The delivery of the newest event of type `kind` in `log`.
fn delivery_of<'a>(log: &'a Value, kind: &str) -> &'a Value {
    log["deliveries"]["nodes"].as_array().unwrap().iter().find(|d| d["eventType"] == kind).unwrap()
}

/// How many of the hit's signatures verify with `secret` (Standard Webhooks: HMAC-SHA256 over id.timestamp.body).
fn verifying(secret: &str, hit: &Hit) -> usize {
    let key = STANDARD.decode(secret.strip_prefix("whsec_").unwrap()).unwrap();
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.", hit.id, hit.timestamp).as_bytes());
    mac.update(&hit.raw);
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    hit.signature.split(' ').filter(|s| *s == expected).count()
}

/// The stored signing secrets of every endpoint: (current, previous).
async fn stored_secrets(t: &Team) -> Vec<(String, Option<String>)> {
    use sea_orm::ConnectionTrait;
    let conn = t.app.db.connect().await;
    let sql = "SELECT secret, previous_secret FROM webhook_endpoints ORDER BY id";
    let rows = conn.query_all_raw(sea_orm::Statement::from_string(conn.get_database_backend(), sql)).await.unwrap();
    rows.iter().map(|row| (row.try_get("", "secret").unwrap(), row.try_get("", "previous_secret").unwrap())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_secrets_are_stored_sealed_and_plain_ones_still_sign() {
    let t = team(|_| {}).await;
    let receiver = Receiver::ok().await;
    let (endpoint, secret) = create(&t, &receiver.url, Some(vec!["engagement.updated"])).await;
    let (stored, _) = stored_secrets(&t).await.remove(0);
    assert!(stored.starts_with("v1:") && !stored.contains(&secret) && !stored.contains("whsec_"), "{stored}");
    rename(&t.app, &t.consultant, &t.engagement, "Sealed").await;
    let hits = receiver.wait_for_type("engagement.updated").await;
    assert_eq!(verifying(&secret, &hits[0]), 1, "the sealed secret signs");

    // A row from before secrets were sealed holds it plain: it still signs,
    // and a rotation seals it as the previous secret.
    let plain = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    t.app.db.execute(&format!("UPDATE webhook_endpoints SET secret = '{plain}'")).await;
    rename(&t.app, &t.consultant, &t.engagement, "Plain").await;
    let hits = receiver.wait_for("a second delivery", |hits| hits.len() >= 2).await;
    assert_eq!(verifying(plain, &hits[1]), 1, "{:?}", hits[1]);
    let input = json!({ "webhookEndpointId": endpoint, "overlapSeconds": 3600 });
    let rotated = t.app.mutate_ok(&t.consultant, "rotateWebhookSecret", "secret", input).await;
    let new_secret = rotated["secret"].as_str().unwrap();
    let (current, previous) = stored_secrets(&t).await.remove(0);
    let previous = previous.unwrap();
    for sealed in [&current, &previous] {
        assert!(sealed.starts_with("v1:") && !sealed.contains("whsec_"), "{sealed}");
    }
    rename(&t.app, &t.consultant, &t.engagement, "Rotated").await;
    let hits = receiver.wait_for("a third delivery", |hits| hits.len() >= 3).await;
    assert_eq!((verifying(new_secret, &hits[2]), verifying(plain, &hits[2])), (1, 1), "both sign during the overlap");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_are_delivered_signed_and_logged() {
    let t = team(|_| {}).await;
    let receiver = Receiver::ok().await;
    let (endpoint, secret) = create(&t, &receiver.url, None).await;
    assert!(secret.starts_with("whsec_"), "{secret}");
    rename(&t.app, &t.consultant, &t.engagement, "Webhooks renamed").await;

    let hits = receiver.wait_for_type("engagement.updated").await;
    // Its own creation is the endpoint's first event.
    let types: Vec<&Value> = hits.iter().map(|h| &h.body["type"]).collect();
    assert_eq!(types, [&json!("webhook_endpoint.created"), &json!("engagement.updated")]);
    let hit = &hits[1];
    assert_eq!(verifying(&secret, hit), 1, "{hit:?}");
    assert!(hit.id.starts_with("msg_"), "{}", hit.id);
    let sent_at: i64 = hit.timestamp.parse().unwrap();
    assert!((chrono::Utc::now().timestamp() - sent_at).abs() < 300);
    let data = &hit.body["data"];
    assert_eq!(data["engagement"], t.engagement.as_str());
    assert_eq!(data["object"], t.engagement.as_str());
    assert_eq!(data["objectType"], "Engagement");
    assert_eq!(data["summary"], "updated the engagement: name");
    let viewer = t.app.data(&t.consultant, "{ viewer { id } }", json!({})).await;
    assert_eq!(data["actor"], viewer["viewer"]["id"]);
    assert!(data["position"].as_i64().unwrap() > hits[0].body["data"]["position"].as_i64().unwrap());
    // The event in the payload is the audit trail's.
    let event = t
        .app
        .data(
            &t.consultant,
            "query($id: ID!) { node(id: $id) { ... on AuditEvent { action summary } } }",
            json!({ "id": data["event"] }),
        )
        .await;
    assert_eq!(event["node"]["action"], "engagement.updated");
    // A signature with another secret, or over another body, does not verify.
    assert_eq!(verifying("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", hit), 0);
    let tampered = Hit { raw: b"{}".to_vec(), ..hit.clone() };
    assert_eq!(verifying(&secret, &tampered), 0);

    // The delivery log says the same.
    let log = log(&t, &endpoint).await;
    let d = delivery_of(&log, "engagement.updated");
    assert_eq!(d["webhookId"], hit.id.as_str());
    assert_eq!(d["status"], "SUCCEEDED");
    assert_eq!(d["lastHttpStatus"], 200);
    assert_eq!(d["nextAttemptAt"], Value::Null);
    assert_eq!(d["position"], data["position"].as_i64().unwrap().to_string());
    assert_eq!(d["event"]["id"], data["event"]);
    let attempts = d["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0]["outcome"], "SUCCEEDED");
    assert_eq!(attempts[0]["responseExcerpt"], "answer 1");
    assert!(attempts[0]["latencyMs"].as_i64().unwrap() >= 0);

    // Listed on the engagement, without any secret.
    let listed = t
        .app
        .engagement(&t.consultant, &t.engagement, &format!("webhookEndpoints {{ totalCount nodes {{ {ENDPOINT} }} }}"))
        .await;
    assert_eq!(listed["webhookEndpoints"]["totalCount"], 1);
    assert_eq!(listed["webhookEndpoints"]["nodes"][0]["url"], receiver.url.as_str());
    assert!(!listed.to_string().contains(&secret));

    // Counted in /metrics.
    let metrics = t.app.http.get(t.app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(
        metrics.lines().any(|l| l.starts_with("opskit_deliveries_total{outcome=\"succeeded\",target=\"webhook\"}")),
        "{metrics}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_failing_twice_gets_the_same_message_until_it_succeeds_and_the_next_waits() {
    let t = team(|_| {}).await;
    // The creation event is answered 200; the rename fails twice (500, 503) first.
    let receiver = Receiver::start(Arc::new(|n| match n {
        1 => (500, None),
        2 => (503, None),
        _ => (200, None),
    }))
    .await;
    let (endpoint, _) = create(&t, &receiver.url, None).await;
    receiver.wait_for_type("webhook_endpoint.created").await;
    rename(&t.app, &t.consultant, &t.engagement, "First").await;
    rename(&t.app, &t.consultant, &t.engagement, "Second").await;

    let hits = receiver.wait_for("both renames", |h| h.len() >= 5).await;
    let renames: Vec<&Hit> = hits.iter().filter(|h| h.body["type"] == "engagement.updated").collect();
    // The first rename three times with one webhook-id, then the second: in order.
    assert_eq!(renames.len(), 4, "{renames:#?}");
    let position = |h: &Hit| h.body["data"]["position"].as_i64().unwrap();
    assert!(renames[..3].iter().all(|h| h.id == renames[0].id && h.raw == renames[0].raw));
    assert!(position(renames[3]) > position(renames[0]));
    assert_ne!(renames[3].id, renames[0].id);

    let log = log(&t, &endpoint).await;
    let nodes = log["deliveries"]["nodes"].as_array().unwrap();
    let first = nodes.iter().find(|d| d["webhookId"] == renames[0].id.as_str()).unwrap();
    assert_eq!(first["status"], "SUCCEEDED");
    let attempts: Vec<(i64, &str, i64)> = first["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["number"].as_i64().unwrap(), a["outcome"].as_str().unwrap(), a["httpStatus"].as_i64().unwrap()))
        .collect();
    assert_eq!(attempts, [(1, "RETRY", 500), (2, "RETRY", 503), (3, "SUCCEEDED", 200)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_is_honoured() {
    let t = team(|_| {}).await;
    let receiver = Receiver::start(Arc::new(|n| if n == 1 { (429, Some("2")) } else { (200, None) })).await;
    let (endpoint, _) = create(&t, &receiver.url, None).await;
    receiver.wait_for_type("webhook_endpoint.created").await;
    rename(&t.app, &t.consultant, &t.engagement, "Slow down").await;
    let hits = receiver.wait_for("the retry", |h| h.len() >= 3).await;
    // The backoff alone would retry after 20 ms: the receiver asked for 2 s.
    assert!(hits[2].at - hits[1].at >= Duration::from_secs(2), "{:?}", hits[2].at - hits[1].at);
    assert_eq!(hits[1].id, hits[2].id);
    let log = log(&t, &endpoint).await;
    let d = delivery_of(&log, "engagement.updated");
    let outcomes: Vec<&Value> = d["attempts"].as_array().unwrap().iter().map(|a| &a["httpStatus"]).collect();
    assert_eq!(outcomes, [&json!(429), &json!(200)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_failing_for_the_configured_day_is_disabled_with_an_event() {
    let t = team(|c| c.delivery.schedule.give_up_after = Duration::from_millis(600)).await;
    let receiver = Receiver::start(Arc::new(|_| (500, None))).await;
    let (endpoint, _) = create(&t, &receiver.url, None).await;
    let mut disabled = Value::Null;
    for _ in 0..400 {
        disabled = log(&t, &endpoint).await;
        if disabled["enabled"] == false {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(disabled["enabled"], false, "{disabled}");
    assert!(disabled["disabledReason"].as_str().unwrap().contains("failed"), "{disabled}");
    let d = delivery_of(&disabled, "webhook_endpoint.created");
    assert_eq!(d["status"], "FAILED");
    let attempts = d["attempts"].as_array().unwrap();
    assert!(attempts.len() >= 2, "{d}");
    assert_eq!(attempts.last().unwrap()["outcome"], "FAILED");
    assert!(attempts[..attempts.len() - 1].iter().all(|a| a["outcome"] == "RETRY"));

    // The audit trail says so, with no actor.
    let trail = t
        .app
        .engagement(&t.consultant, &t.engagement, r#"auditTrail(first: 5, filter: { actions: ["webhook_endpoint.disabled"] }) { nodes { objectId actor { id } summary } }"#)
        .await;
    let events = trail["auditTrail"]["nodes"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{trail}");
    assert_eq!(events[0]["objectId"], endpoint.as_str());
    assert_eq!(events[0]["actor"], Value::Null);

    // Nothing more is sent while it is disabled; enabling it starts at the newest event.
    let before = receiver.hits().len();
    rename(&t.app, &t.consultant, &t.engagement, "While disabled").await;
    let input = json!({ "webhookEndpointId": endpoint, "enabled": true });
    let p = t
        .app
        .mutate_ok(&t.consultant, "updateWebhookEndpoint", &format!("webhookEndpoint {{ {ENDPOINT} }}"), input)
        .await;
    assert_eq!(p["webhookEndpoint"]["enabled"], true);
    assert_eq!(p["webhookEndpoint"]["disabledReason"], Value::Null);
    let hits = receiver.wait_for_type("webhook_endpoint.updated").await;
    assert!(
        hits[before..].iter().all(|h| h.body["type"] != "engagement.updated"),
        "the event while disabled is not sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_gets_only_the_event_types_it_asked_for() {
    let t = team(|_| {}).await;
    let receiver = Receiver::ok().await;
    let (endpoint, _) = create(&t, &receiver.url, Some(vec!["sprint.added", "sprint.added"])).await;
    let types = t
        .app
        .data(
            &t.consultant,
            "query($id: ID!) { node(id: $id) { ... on WebhookEndpoint { eventTypes } } }",
            json!({ "id": endpoint }),
        )
        .await;
    assert_eq!(types["node"]["eventTypes"], json!(["sprint.added"]), "listed once");
    rename(&t.app, &t.consultant, &t.engagement, "Not sent").await;
    let input = json!({ "engagementId": t.engagement, "startsOn": "2031-01-06", "endsOn": "2031-01-19" });
    t.app.mutate_ok(&t.consultant, "addSprint", "sprint { id }", input).await;
    let hits = receiver.wait_for_type("sprint.added").await;
    // Events are considered in order: the rename before the sprint was skipped.
    assert_eq!(hits.iter().map(|h| h.body["type"].as_str().unwrap()).collect::<Vec<_>>(), ["sprint.added"]);
    let log = log(&t, &endpoint).await;
    assert_eq!(log["deliveries"]["totalCount"], 1);

    // Unknown types are refused.
    let input = json!({ "webhookEndpointId": endpoint, "eventTypes": ["sprint.added", "sprint.exploded"] });
    let p = t.app.mutate(&t.consultant, "updateWebhookEndpoint", "webhookEndpoint { id }", input).await;
    assert_eq!(codes(&p), [pair("eventTypes", "UNKNOWN_EVENT_TYPE")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_is_redelivered_with_the_same_webhook_id() {
    let t = team(|_| {}).await;
    let receiver = Receiver::ok().await;
    let (endpoint, secret) = create(&t, &receiver.url, None).await;
    let hits = receiver.wait_for_type("webhook_endpoint.created").await;
    let event = hits[0].body["data"]["event"].as_str().unwrap().to_owned();

    let input = json!({ "webhookEndpointId": endpoint, "eventId": event });
    let p = t.app.mutate_ok(&t.consultant, "redeliverWebhookEvent", "status", input).await;
    assert_eq!(p["status"], "PENDING");
    let hits = receiver
        .wait_for("the redelivery", |h| h.iter().filter(|h| h.body["type"] == "webhook_endpoint.created").count() == 2)
        .await;
    let again: Vec<&Hit> = hits.iter().filter(|h| h.body["type"] == "webhook_endpoint.created").collect();
    assert_eq!(again[0].id, again[1].id);
    assert_eq!(again[0].raw, again[1].raw, "the same body");
    assert_eq!(verifying(&secret, again[1]), 1);
    let log = log(&t, &endpoint).await;
    let d = delivery_of(&log, "webhook_endpoint.created");
    assert_eq!(d["attempts"].as_array().unwrap().len(), 2);
    assert_eq!(d["status"], "SUCCEEDED");

    // An event of another engagement is not found.
    let other = t.app.create_engagement(&t.consultant, "Elsewhere").await;
    let elsewhere = t.app.engagement(&t.consultant, &other, "auditTrail(first: 1) { nodes { id } }").await;
    let input = json!({ "webhookEndpointId": endpoint, "eventId": elsewhere["auditTrail"]["nodes"][0]["id"] });
    let p = t.app.mutate(&t.consultant, "redeliverWebhookEvent", "status", input).await;
    assert_eq!(codes(&p), [pair("eventId", "NOT_FOUND")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_secret_signs_beside_the_new_one_during_the_overlap() {
    let t = team(|_| {}).await;
    let receiver = Receiver::ok().await;
    let (endpoint, old) = create(&t, &receiver.url, Some(vec!["engagement.updated"])).await;
    let input = json!({ "webhookEndpointId": endpoint });
    let p = t
        .app
        .mutate_ok(&t.consultant, "rotateWebhookSecret", &format!("webhookEndpoint {{ {ENDPOINT} }} secret"), input)
        .await;
    let new = p["secret"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    assert!(p["webhookEndpoint"]["previousSecretExpiresAt"].is_string(), "{p}");
    rename(&t.app, &t.consultant, &t.engagement, "Rotated").await;
    let hits = receiver.wait_for_type("engagement.updated").await;
    assert_eq!(hits[0].signature.split(' ').count(), 2, "{}", hits[0].signature);
    assert_eq!((verifying(&old, &hits[0]), verifying(&new, &hits[0])), (1, 1));

    // Without an overlap the old secret stops at once.
    let input = json!({ "webhookEndpointId": endpoint, "overlapSeconds": 0 });
    let p = t.app.mutate_ok(&t.consultant, "rotateWebhookSecret", "secret", input).await;
    let newest = p["secret"].as_str().unwrap().to_owned();
    rename(&t.app, &t.consultant, &t.engagement, "Rotated again").await;
    let hits = receiver.wait_for("the second rename", |h| h.len() >= 2).await;
    assert_eq!(hits[1].signature.split(' ').count(), 1);
    assert_eq!((verifying(&new, &hits[1]), verifying(&newest, &hits[1])), (0, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loopback_private_and_link_local_targets_are_refused() {
    // The default configuration: only public targets.
    let t = Team::start("Strict webhooks", "carla").await;
    for url in [
        "http://127.0.0.1:9/hook",
        "http://localhost:9/hook",
        "http://10.0.0.7/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[fd00::1]/hook",
        "http://0.0.0.0/hook",
    ] {
        let input = json!({ "engagementId": t.engagement, "url": url });
        let p = t.app.mutate(&t.consultant, "createWebhookEndpoint", "webhookEndpoint { id } secret", input).await;
        assert_eq!(codes(&p), [pair("url", "URL_NOT_ALLOWED")], "{url}: {p}");
        assert_eq!(p["secret"], Value::Null);
    }
    let input = json!({ "engagementId": t.engagement, "url": "ftp://example.com/hook" });
    let p = t.app.mutate(&t.consultant, "createWebhookEndpoint", "webhookEndpoint { id }", input).await;
    assert_eq!(codes(&p), [pair("url", "INVALID_URL")]);
    assert_eq!(t.app.count_rows("webhook_endpoints").await, 0);

    // A public address is accepted; moving it to a private one is refused.
    let input = json!({ "engagementId": t.engagement, "url": "https://93.184.215.14/hook", "enabled": false });
    let p = t.app.mutate_ok(&t.consultant, "createWebhookEndpoint", "webhookEndpoint { id }", input).await;
    let id = p["webhookEndpoint"]["id"].clone();
    let input = json!({ "webhookEndpointId": id, "url": "http://172.16.0.1/" });
    let p = t.app.mutate(&t.consultant, "updateWebhookEndpoint", "webhookEndpoint { url }", input).await;
    assert_eq!(codes(&p), [pair("url", "URL_NOT_ALLOWED")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_consultants_and_admins_manage_endpoints() {
    let t = team(|_| {}).await;
    let (endpoint, _) = create(&t, "http://127.0.0.1:9/hook", None).await;
    let create_input = json!({ "engagementId": t.engagement, "url": "http://127.0.0.1:9/other" });
    let by_endpoint = [
        ("updateWebhookEndpoint", json!({ "webhookEndpointId": endpoint, "description": "mine" })),
        ("rotateWebhookSecret", json!({ "webhookEndpointId": endpoint })),
        ("deleteWebhookEndpoint", json!({ "webhookEndpointId": endpoint })),
    ];
    for (who, token, code) in [
        ("workstream", &t.workstream, "FORBIDDEN"),
        ("stakeholder", &t.stakeholder, "FORBIDDEN"),
        ("stranger", &t.stranger, "NOT_FOUND"),
    ] {
        let body = t.app.mutate(token, "createWebhookEndpoint", "webhookEndpoint { id }", create_input.clone()).await;
        assert_eq!(error_code(&body), code, "{who}: {body}");
        for (op, input) in &by_endpoint {
            let body = t.app.mutate(token, op, "__typename", input.clone()).await;
            assert_eq!(error_code(&body), code, "{who} {op}: {body}");
        }
        let read = t.app.gql(token, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": endpoint })).await;
        assert_eq!(error_code(&read), code, "{who} reads: {read}");
    }
    let listed = t
        .app
        .gql(
            &t.stakeholder,
            "query($id: ID!) { engagement(id: $id) { webhookEndpoints { totalCount } } }",
            json!({ "id": t.engagement }),
        )
        .await;
    assert_eq!(error_code(&listed), "FORBIDDEN", "{listed}");
    assert_eq!(t.app.count_rows("webhook_endpoints").await, 1);

    // An admin may; the consultant deletes it with its log.
    let admin = t.app.token("root", &["admin"]);
    let input = json!({ "webhookEndpointId": endpoint, "description": "by the admin" });
    t.app.mutate_ok(&admin, "updateWebhookEndpoint", "webhookEndpoint { id }", input).await;
    let input = json!({ "webhookEndpointId": endpoint });
    let p = t.app.mutate_ok(&t.consultant, "deleteWebhookEndpoint", "deletedWebhookEndpointId", input).await;
    assert_eq!(p["deletedWebhookEndpointId"], endpoint.as_str());
    assert_eq!(t.app.count_rows("webhook_endpoints").await, 0);
    let read = t.app.gql(&t.consultant, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": endpoint })).await;
    assert_eq!(error_code(&read), "NOT_FOUND");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_deliver_each_event_once_in_order() {
    let t = team(|_| {}).await;
    let (other, _pool) = TestApp::start_on_pool_of(&t.app, fast_deliveries).await;
    let receiver = Receiver::ok().await;
    let (endpoint, _) = create(&t, &receiver.url, Some(vec!["engagement.updated"])).await;
    const N: usize = 20;
    for i in 0..N {
        let app = if i % 2 == 0 { &t.app } else { &other };
        rename(app, &t.consultant, &t.engagement, &format!("Replica rename {i}")).await;
    }
    let hits = receiver.wait_for("every rename", |h| h.len() >= N).await;
    // Whatever is still in flight would arrive within a few rounds: wait for them.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let hits = if receiver.hits().len() > hits.len() { receiver.hits() } else { hits };
    let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(hits.len(), N, "each event once: {ids:#?}");
    let positions: Vec<i64> = hits.iter().map(|h| h.body["data"]["position"].as_i64().unwrap()).collect();
    let mut sorted = positions.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(positions, sorted, "in order, without duplicates");
    // They are the renames, in the order they were made.
    let trail = t
        .app
        .engagement(
            &t.consultant,
            &t.engagement,
            r#"auditTrail(first: 50, filter: { actions: ["engagement.updated"] }) { nodes { id } }"#,
        )
        .await;
    let mut made: Vec<&str> =
        trail["auditTrail"]["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
    let sent: Vec<&str> = hits.iter().map(|h| h.body["data"]["event"].as_str().unwrap()).collect();
    if made.len() == N && made != sent {
        made.reverse();
    }
    assert_eq!(sent, made);
    let log = log(&t, &endpoint).await;
    assert_eq!(log["deliveries"]["totalCount"], N);
    assert!(
        log["deliveries"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["status"] == "SUCCEEDED" && d["attempts"].as_array().unwrap().len() == 1)
    );
    let _ = backend();
}

/// Verifies deliveries with the Standard Webhooks reference library for
/// Python (`pip install standardwebhooks`, see `.ci/setup.d/50-standardwebhooks.sh`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs python3 with the standardwebhooks package"]
async fn the_standard_webhooks_library_verifies_deliveries() {
    let t = team(|_| {}).await;
    let receiver = Receiver::ok().await;
    let (endpoint, old) = create(&t, &receiver.url, Some(vec!["engagement.updated"])).await;
    rename(&t.app, &t.consultant, &t.engagement, "Verified").await;
    let first = receiver.wait_for_type("engagement.updated").await;
    let input = json!({ "webhookEndpointId": endpoint });
    let p = t.app.mutate_ok(&t.consultant, "rotateWebhookSecret", "secret", input).await;
    let new = p["secret"].as_str().unwrap().to_owned();
    rename(&t.app, &t.consultant, &t.engagement, "Verified after rotation").await;
    let hits = receiver.wait_for("the second rename", |h| h.len() >= 2).await;
    assert_eq!(first.len(), 1);

    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<Value> =
        [(&old, &hits[0], true), (&old, &hits[1], true), (&new, &hits[1], true), (&new, &hits[0], false)]
            .iter()
            .map(|(secret, hit, valid)| {
                json!({ "secret": secret, "id": hit.id, "timestamp": hit.timestamp, "signature": hit.signature,
                "body": String::from_utf8(hit.raw.clone()).unwrap(), "valid": valid })
            })
            .collect();
    let file = dir.path().join("cases.json");
    std::fs::write(&file, serde_json::to_vec(&cases).unwrap()).unwrap();
    let script = r#"
import json, sys
from standardwebhooks.webhooks import Webhook
for case in json.load(open(sys.argv[1])):
    headers = {"webhook-id": case["id"], "webhook-timestamp": case["timestamp"], "webhook-signature": case["signature"]}
    try:
        payload = Webhook(case["secret"]).verify(case["body"], headers)
        ok = payload["type"] == "engagement.updated"
    except Exception as e:
        ok = False
    if ok != case["valid"]:
        print("unexpected", ok, case); sys.exit(1)
print("verified")
"#;
    let out = std::process::Command::new("python3").arg("-c").arg(script).arg(&file).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && stdout.contains("verified"), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
}

/// Statements run through `db` by one delivery step: `enqueue`, then `claim`.
async fn counted_round(
    db: &mut sea_orm::DatabaseConnection,
    config: &opskit_api::delivery::DeliveryConfig,
) -> (usize, usize, Vec<opskit_api::entity::delivery::Model>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    opskit_api::delivery::enqueue(db).await.unwrap();
    let enqueued = count.swap(0, Ordering::SeqCst);
    let claimed = opskit_api::delivery::claim(db, config).await.unwrap();
    (enqueued, count.load(Ordering::SeqCst), claimed)
}

/// Records a 200 for every claimed delivery, as the worker would after sending.
async fn succeed(
    db: &sea_orm::DatabaseConnection,
    config: &opskit_api::delivery::DeliveryConfig,
    claimed: &[opskit_api::entity::delivery::Model],
) {
    let ok = opskit_api::delivery::Answer::Http {
        status: 200,
        retry_after: None,
        excerpt: String::new(),
        took: Duration::ZERO,
    };
    for delivery in claimed {
        opskit_api::delivery::record(db, config, delivery, chrono::Utc::now(), &ok).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_round_runs_as_many_statements_for_many_endpoints_as_for_one() {
    let t = team(|c| c.delivery.worker = false).await;
    let mut config = Config::for_database("sqlite::memory:", "unused");
    fast_deliveries(&mut config);
    let config = config.delivery;
    let receiver = Receiver::ok().await;
    let mut db = t.app.db.connect().await;
    let quiet = t.app.db.connect().await;

    create(&t, &receiver.url, None).await;
    let (_, _, claimed) = counted_round(&mut db, &config).await;
    succeed(&quiet, &config, &claimed).await;
    rename(&t.app, &t.consultant, &t.engagement, "One endpoint").await;
    let (enqueue_one, claim_one, claimed) = counted_round(&mut db, &config).await;
    assert_eq!(claimed.len(), 1);
    succeed(&quiet, &config, &claimed).await;
    let (idle_enqueue_one, idle_claim_one, _) = counted_round(&mut db, &config).await;

    for _ in 0..7 {
        create(&t, &receiver.url, None).await;
    }
    // Each new endpoint's own creation (and the later ones) first.
    for _ in 0..8 {
        let (_, _, claimed) = counted_round(&mut db, &config).await;
        succeed(&quiet, &config, &claimed).await;
    }
    rename(&t.app, &t.consultant, &t.engagement, "Eight endpoints").await;
    let (enqueue_eight, claim_eight, claimed) = counted_round(&mut db, &config).await;
    assert_eq!(claimed.len(), 8, "one delivery per endpoint");
    succeed(&quiet, &config, &claimed).await;
    let (idle_enqueue_eight, idle_claim_eight, claimed) = counted_round(&mut db, &config).await;
    assert!(claimed.is_empty());

    assert_eq!((enqueue_eight, claim_eight), (enqueue_one, claim_one), "a round with work");
    assert_eq!((idle_enqueue_eight, idle_claim_eight), (idle_enqueue_one, idle_claim_one), "an idle round");
}
