//! The `opskit` binary: `kit import`, `token`, `migrate`, and `serve` without a key.

use std::process::Command;

use crate::common::{ID_KEY, SECRET, TestDb};

fn opskit(db: &TestDb) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_opskit"));
    cmd.env("DATABASE_URL", &db.url).env("OPSKIT_LOG", "error");
    cmd.env_remove("OPSKIT_JWT_SECRET").env_remove("OPSKIT_JWT_PUBLIC_KEYS").env_remove("OPSKIT_ID_KEY");
    cmd
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kit_import_from_files() {
    let db = TestDb::empty().await;
    let out = opskit(&db).arg("migrate").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let dir = tempfile::tempdir().unwrap();
    let bundled = concat!(env!("CARGO_MANIFEST_DIR"), "/kits/aws-operations.yaml");
    let out = opskit(&db).args(["kit", "import", bundled]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported kit aws-operations 1.0.0"));
    let out = opskit(&db).args(["kit", "import", bundled]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("already imported"));
    assert_eq!(db.count_rows("kits").await, 1);

    // A malformed file: the field and line at fault, a failing exit code, nothing written.
    let text = std::fs::read_to_string(bundled).unwrap().replacen("version: 1.0.0", "version: 9.0.0", 1);
    let broken = text.replacen("audience: WORKSTREAM", "audience: EVERYONE", 1);
    let line = broken.lines().position(|l| l.contains("EVERYONE")).unwrap() + 1;
    let file = dir.path().join("broken.yaml");
    std::fs::write(&file, broken).unwrap();
    let out = opskit(&db).args(["kit", "import"]).arg(&file).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("workshops[") && stderr.contains("audience"), "{stderr}");
    assert!(stderr.contains(&format!("line {line}")), "line {line}: {stderr}");
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    assert_eq!(db.count_rows("kits").await, 1);
}

#[test]
fn token_is_signed_with_the_configured_secret() {
    let out = Command::new(env!("CARGO_BIN_EXE_opskit"))
        .args(["token", "--sub", "script", "--role", "consultant", "--ttl", "2h"])
        .env("OPSKIT_JWT_SECRET", SECRET)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = String::from_utf8(out.stdout).unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.set_audience(&["opskit"]);
    validation.set_issuer(&["opskit"]);
    let key = jsonwebtoken::DecodingKey::from_secret(SECRET.as_bytes()).unwrap();
    let data = jsonwebtoken::decode::<serde_json::Value>(token.trim(), &key, &validation).unwrap();
    assert_eq!(data.claims["sub"], "script");
    assert_eq!(data.claims["roles"], serde_json::json!(["consultant"]));
    let ttl = data.claims["exp"].as_i64().unwrap() - data.claims["iat"].as_i64().unwrap();
    assert_eq!(ttl, 7200);

    let out = Command::new(env!("CARGO_BIN_EXE_opskit"))
        .args(["token", "--sub", "x"])
        .env_remove("OPSKIT_JWT_SECRET")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("OPSKIT_JWT_SECRET"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_refuses_to_start_without_a_key() {
    let db = TestDb::empty().await;
    let out = opskit(&db).args(["serve", "--bind", "127.0.0.1:0"]).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("OPSKIT_JWT_SECRET") && stderr.contains("--dev"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_refuses_a_short_id_key_and_public_keys_without_one() {
    let db = TestDb::empty().await;
    let secret = "a-jwt-secret-that-is-long-enough-for-hs256";
    let out = opskit(&db)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("OPSKIT_JWT_SECRET", secret)
        .env("OPSKIT_ID_KEY", "too-short")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("OPSKIT_ID_KEY must be at least 32 bytes"), "{stderr}");

    let dir = tempfile::tempdir().unwrap();
    let jwks = dir.path().join("jwks.json");
    let jwk = serde_json::json!({ "kty": "OKP", "crv": "Ed25519", "x": "KdZk4PJLIskGMBocOAa1IYWUhrp-GU-GJKbKUiwPbZA", "kid": "k" });
    std::fs::write(&jwks, serde_json::json!({ "keys": [jwk] }).to_string()).unwrap();
    let out = opskit(&db)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("OPSKIT_JWT_PUBLIC_KEYS", &jwks)
        .env_remove("OPSKIT_ID_KEY")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("set OPSKIT_ID_KEY"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_dev_makes_up_a_secret_and_prints_an_admin_token() {
    use std::io::{BufRead, BufReader};
    let db = TestDb::empty().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = opskit(&db)
        .args(["serve", "--dev", "--workers", "1", "--bind", &format!("127.0.0.1:{port}")])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let mut banner = String::new();
    let mut token = None;
    while let Some(Ok(line)) = lines.next() {
        banner.push_str(&line);
        banner.push('\n');
        if banner.contains("Admin token") && line.trim().starts_with("eyJ") {
            token = Some(line.trim().to_owned());
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    assert!(banner.contains("DEVELOPMENT MODE"), "{banner}");
    let token = token.expect("a token is printed");

    let client = reqwest::Client::new();
    let mut body = serde_json::Value::Null;
    for _ in 0..100 {
        if let Ok(resp) = client
            .post(format!("http://127.0.0.1:{port}/graphql"))
            .bearer_auth(&token)
            .json(&serde_json::json!({ "query": "{ viewer { roles } kits { totalCount } }" }))
            .send()
            .await
            // While it migrates the server answers 503 `UNAVAILABLE`: retry, as clients do.
            && resp.status() != reqwest::StatusCode::SERVICE_UNAVAILABLE
        {
            body = resp.json().await.unwrap();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    child.kill().ok();
    child.wait().ok();
    assert_eq!(body["data"]["viewer"]["roles"], serde_json::json!(["ADMIN", "CONSULTANT"]), "{body}");
    assert_eq!(body["data"]["kits"]["totalCount"], 1, "the bundled kit is loaded on first start");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_seeds_an_engagement_in_flight_and_prints_a_token_per_role() {
    use crate::common::TestApp;
    use serde_json::json;
    use std::collections::HashMap;

    let db = TestDb::empty().await;
    let out = opskit(&db).arg("demo").env("OPSKIT_JWT_SECRET", SECRET).env("OPSKIT_ID_KEY", ID_KEY).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let vars: HashMap<&str, &str> =
        stdout.lines().filter(|l| !l.starts_with('#')).filter_map(|l| l.split_once('=')).collect();
    for name in ["ADMIN", "CONSULTANT", "WORKSTREAM_MEMBER", "STAKEHOLDER"] {
        assert!(vars.contains_key(format!("OPSKIT_{name}_TOKEN").as_str()), "{stdout}");
    }
    let (in_flight, closed) = (vars["OPSKIT_DEMO_ENGAGEMENT"], vars["OPSKIT_DEMO_CLOSED_ENGAGEMENT"]);

    let app = TestApp::start_on(db, |_| {}).await;
    let selection = "status viewerRole progress { activitiesDone questionsAnswered runbooksBaselined runbooksPlanned openDeviations }
        runbooks(first: 100) { nodes { status kind } } deviations(first: 10) { nodes { status } }
        workshopSessions(first: 100, filter: { status: HELD }) { totalCount }";
    for (role, expected) in
        [("CONSULTANT", "CONSULTANT"), ("WORKSTREAM_MEMBER", "WORKSTREAM_MEMBER"), ("STAKEHOLDER", "STAKEHOLDER")]
    {
        let token = vars[format!("OPSKIT_{role}_TOKEN").as_str()];
        let e = app.engagement(token, in_flight, "viewerRole").await;
        assert_eq!(e["viewerRole"], expected);
    }
    let e = app.engagement(vars["OPSKIT_CONSULTANT_TOKEN"], in_flight, selection).await;
    assert_eq!(e["status"], "ACTIVE");
    let mut states: Vec<&str> =
        e["runbooks"]["nodes"].as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap()).collect();
    states.sort_unstable();
    states.dedup();
    assert_eq!(states, ["BASELINE", "DRAFT", "IN_REVIEW", "RETIRED", "TEMPLATE"], "runbooks in every state");
    let deviations: Vec<&str> =
        e["deviations"]["nodes"].as_array().unwrap().iter().map(|d| d["status"].as_str().unwrap()).collect();
    assert_eq!(deviations, ["RISK_ACCEPTED", "OPEN"]);
    let p = &e["progress"];
    assert!(p["activitiesDone"].as_i64().unwrap() >= 2 && p["questionsAnswered"].as_i64().unwrap() >= 10, "{p}");
    assert_eq!(p["runbooksBaselined"], 1);
    assert!(e["workshopSessions"]["totalCount"].as_i64().unwrap() >= 1);
    let sessions = app
        .engagement(
            vars["OPSKIT_STAKEHOLDER_TOKEN"],
            in_flight,
            "workshopSessions(first: 100, filter: { status: PLANNED }) { nodes { startsAt } }",
        )
        .await;
    assert!(
        sessions["workshopSessions"]["nodes"].as_array().unwrap().iter().any(|s| s["startsAt"].is_string()),
        "a session is scheduled"
    );

    let c =
        app.engagement(vars["OPSKIT_ADMIN_TOKEN"], closed, "status progress { activitiesDone activitiesTotal }").await;
    assert_eq!(c, json!({ "status": "CLOSED", "progress": { "activitiesDone": 16, "activitiesTotal": 16 } }));
}
