// DRAFT, not yet declared in tests/api/main.rs: the outbound tests, to be appended to
// tests/api/trackers.rs once api/src/domain/trackers/outbound.rs is wired to the delivery machinery.


/// One request a fake tracker received.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    method: String,
    /// Path and query.
    path: String,
    authorization: String,
    body: Value,
}

/// A fake Jira and ServiceNow on loopback: it answers the calls opskit makes
/// and keeps every request it received.
struct FakeTracker {
    base: String,
    seen: std::sync::Arc<std::sync::Mutex<Vec<Seen>>>,
    _handle: actix_web::dev::ServerHandle,
}

impl FakeTracker {
    async fn start() -> Self {
        use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
        let seen: std::sync::Arc<std::sync::Mutex<Vec<Seen>>> = Default::default();
        let log = seen.clone();
        let server = HttpServer::new(move || {
            let log = log.clone();
            App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
                let log = log.clone();
                async move {
                    let path = req.uri().path_and_query().map(|p| p.to_string()).unwrap_or_default();
                    let authorization =
                        req.headers().get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                    let body_json = serde_json::from_slice(&body).unwrap_or(Value::Null);
                    let method = req.method().to_string();
                    log.lock().unwrap().push(Seen { method: method.clone(), path: path.clone(), authorization, body: body_json });
                    match (method.as_str(), path.as_str()) {
                        ("GET", p) if p.ends_with("/transitions") => HttpResponse::Ok().json(json!({ "transitions": [
                            { "id": "11", "name": "To Do", "to": { "name": "To Do" } },
                            { "id": "21", "name": "In Progress", "to": { "name": "In Progress" } },
                            { "id": "31", "name": "Done", "to": { "name": "Done" } } ] })),
                        ("POST", p) if p.ends_with("/transitions") => HttpResponse::NoContent().finish(),
                        ("GET", p) if p.starts_with("/api/now/table/incident?") => {
                            HttpResponse::Ok().json(json!({ "result": [{ "sys_id": "9d385017c611228701d22104cc95c371" }] }))
                        }
                        ("PATCH", p) if p.starts_with("/api/now/table/incident/") => {
                            HttpResponse::Ok().json(json!({ "result": { "state": "7" } }))
                        }
                        _ => HttpResponse::NotFound().finish(),
                    }
                }
            }))
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .unwrap();
        let base = format!("http://{}", server.addrs()[0]);
        let server = server.run();
        let handle = server.handle();
        tokio::spawn(server);
        Self { base, seen, _handle: handle }
    }

    /// The requests received so far, once there are `n` of them (the worker delivers after commit).
    async fn wait_for(&self, n: usize) -> Vec<Seen> {
        for _ in 0..400 {
            let seen = self.seen.lock().unwrap().clone();
            if seen.len() >= n {
                return seen;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("the fake tracker received {:?}, expected {n} requests", self.seen.lock().unwrap());
    }
}

fn basic(user: &str, secret: &str) -> String {
    use base64::Engine;
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{secret}")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_completed_activity_transitions_its_jira_issue_and_reopening_reopens_it() {
    let Setup { t, dna } = setup().await;
    let app = &t.app;
    let jira = FakeTracker::start().await;
    connect_jira(&t, &jira.base).await;
    transition(app, &t.consultant, "completeActivity", &dna, None).await;
    let seen = jira.wait_for(2).await;
    let auth = basic("ops@acme.test", JIRA_TOKEN);
    assert_eq!(seen[0], Seen { method: "GET".into(), path: "/rest/api/3/issue/OPS-1/transitions".into(), authorization: auth.clone(), body: Value::Null });
    assert_eq!(seen[1], Seen { method: "POST".into(), path: "/rest/api/3/issue/OPS-1/transitions".into(), authorization: auth.clone(), body: json!({ "transition": { "id": "31" } }) });
    transition(app, &t.consultant, "reopenActivity", &dna, None).await;
    let seen = jira.wait_for(4).await;
    assert_eq!((seen[3].method.as_str(), &seen[3].body), ("POST", &json!({ "transition": { "id": "21" } })));
    assert_eq!(seen.len(), 4);
}
