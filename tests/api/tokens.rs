//! Token rules beyond the signature: `nbf` and `iat`, the lifetime of
//! shared-secret tokens, the secret's length, and key sets fetched from the
//! identity provider's URL (refreshed, rate-limited, duplicate `kid` refused).

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use actix_web::{App, HttpResponse, HttpServer, dev::ServerHandle, web};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    auth::{ED25519_PRIVATE, ED25519_PUBLIC_X, VIEWER, assert_refused, claims, hs256},
    common::{Config, SECRET, TestApp, TestDb},
};

/// A second Ed25519 key pair (test-only key), for rotations.
const SECOND_PRIVATE: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEILJLZMOjdWAkCxeNnvAjSGWpHyBudiaRwPMhNUFZw8CY
-----END PRIVATE KEY-----
";
const SECOND_PUBLIC_X: &str = "iyyu0jIKzng29M-gsfO9_S2Hw5SeeM6TRGJAaooN8BQ";

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nbf_iat_and_lifetime_are_honoured() {
    let app = TestApp::start().await;
    let t = now();
    let early = hs256(&claims(json!({ "nbf": t + 3600 })), SECRET);
    assert_refused(&app, Some(&early), "nbf an hour ahead").await;
    let future = hs256(&claims(json!({ "iat": t + 3600, "exp": t + 4000 })), SECRET);
    assert_refused(&app, Some(&future), "iat an hour ahead").await;
    let long = hs256(&claims(json!({ "iat": t, "exp": t + 25 * 3600 })), SECRET);
    assert_refused(&app, Some(&long), "a shared-secret token living 25 hours").await;

    // Within the 30 s leeway, and at the maximum lifetime: accepted.
    let skewed = hs256(&claims(json!({ "nbf": t + 20, "iat": t + 20, "exp": t + 24 * 3600 })), SECRET);
    let (status, _, body) = app.post(Some(&skewed), VIEWER, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // The maximum is configurable.
    let strict = TestApp::start_with(|c| c.jwt_max_lifetime = Duration::from_secs(600)).await;
    let hour = hs256(&claims(json!({ "iat": t, "exp": t + 3600 })), SECRET);
    assert_refused(&strict, Some(&hour), "an hour over a 10-minute maximum").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_secret_refuses_to_start() {
    let db = TestDb::prepared().await;
    let config = crate::common::test_config(&db.url, "thirty-one-bytes-is-not-enough!");
    assert_eq!(config.jwt_secret.as_ref().map(String::len), Some(31));
    let err = opskit_api::http::start(&config, "127.0.0.1:0", 1).await.err().expect("the server refuses to start");
    assert!(err.to_string().contains("at least 32 bytes"), "{err}");
    let config = crate::common::test_config(&db.url, "thirty-two-bytes-is-just-enough!");
    let running = opskit_api::http::start(&config, "127.0.0.1:0", 1).await.expect("32 bytes start");
    drop(running.handle.stop(false));
}

/// A JWKS endpoint served by the test: the document it serves, and how often it was fetched.
struct Jwks {
    doc: Mutex<Value>,
    hits: AtomicUsize,
}

impl Jwks {
    async fn serve(keys: Value) -> (Arc<Self>, String, ServerHandle) {
        let state = Arc::new(Self { doc: Mutex::new(json!({ "keys": keys })), hits: AtomicUsize::new(0) });
        let data = web::Data::from(state.clone());
        let server = HttpServer::new(move || {
            App::new().app_data(data.clone()).route(
                "/jwks.json",
                web::get().to(|jwks: web::Data<Jwks>| async move {
                    jwks.hits.fetch_add(1, Ordering::SeqCst);
                    let doc = jwks.doc.lock().unwrap().clone();
                    HttpResponse::Ok().json(doc)
                }),
            )
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .unwrap();
        let url = format!("http://{}/jwks.json", server.addrs()[0]);
        let server = server.run();
        let handle = server.handle();
        tokio::spawn(server);
        (state, url, handle)
    }

    fn set(&self, keys: Value) {
        *self.doc.lock().unwrap() = json!({ "keys": keys });
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

/// A server whose only keys come from a JWKS URL served by the test (holding key `k1`).
async fn on_jwks_url(tweak: impl FnOnce(&mut Config)) -> (TestApp, Arc<Jwks>, ServerHandle) {
    let (jwks, url, handle) = Jwks::serve(json!([jwk("k1", ED25519_PUBLIC_X)])).await;
    let app = TestApp::start_with(|c| {
        c.jwt_secret = None;
        c.jwt_jwks_url = Some(url);
        tweak(c);
    })
    .await;
    (app, jwks, handle)
}

fn jwk(kid: &str, x: &str) -> Value {
    json!({ "kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid, "alg": "EdDSA", "use": "sig" })
}

fn signed(private: &str, kid: &str, sub: &str) -> String {
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(kid.to_owned());
    encode(&header, &claims(json!({ "sub": sub })), &EncodingKey::from_ed_pem(private.as_bytes()).unwrap()).unwrap()
}

async fn subject(app: &TestApp, token: &str) -> Value {
    let (status, _, body) = app.post(Some(token), VIEWER, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["data"]["viewer"]["subject"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jwks_url_is_fetched_and_refetched_for_an_unknown_kid() {
    let (app, jwks, handle) = on_jwks_url(|c| c.jwt_jwks_cooldown = Duration::ZERO).await;
    assert_eq!(jwks.hits(), 1, "fetched at start");
    assert_eq!(subject(&app, &signed(ED25519_PRIVATE, "k1", "idp-user")).await, "idp-user");
    assert_eq!(jwks.hits(), 1, "a known kid needs no fetch");

    // The provider rotates: a token with the new kid makes opskit fetch again.
    jwks.set(json!([jwk("k1", ED25519_PUBLIC_X), jwk("k2", SECOND_PUBLIC_X)]));
    assert_eq!(subject(&app, &signed(SECOND_PRIVATE, "k2", "rotated")).await, "rotated");
    assert_eq!(jwks.hits(), 2);

    // A refreshed set naming a kid twice is refused: the keys held stay.
    jwks.set(json!([jwk("k1", SECOND_PUBLIC_X), jwk("k1", ED25519_PUBLIC_X)]));
    assert_refused(&app, Some(&signed(SECOND_PRIVATE, "k3", "x")), "unknown kid").await;
    assert_eq!(jwks.hits(), 3);
    assert_eq!(subject(&app, &signed(ED25519_PRIVATE, "k1", "idp-user")).await, "idp-user");
    assert_refused(&app, Some(&signed(SECOND_PRIVATE, "k1", "forged")), "the other k1 is not taken").await;
    drop(handle.stop(false));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_kids_cannot_make_opskit_hammer_the_provider() {
    let (app, jwks, handle) = on_jwks_url(|_| {}).await;
    for i in 0..5 {
        assert_refused(&app, Some(&signed(SECOND_PRIVATE, &format!("made-up-{i}"), "x")), "unknown kid").await;
    }
    assert_eq!(jwks.hits(), 1, "within the cooldown (30 s by default) no fetch follows an unknown kid");
    drop(handle.stop(false));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_set_naming_a_kid_twice_refuses_to_start() {
    let (_jwks, url, handle) = Jwks::serve(json!([jwk("k1", ED25519_PUBLIC_X), jwk("k1", SECOND_PUBLIC_X)])).await;
    let db = TestDb::prepared().await;
    let mut config = crate::common::test_config(&db.url, SECRET);
    config.jwt_jwks_url = Some(url);
    let err = opskit_api::http::start(&config, "127.0.0.1:0", 1).await.err().expect("refused");
    assert!(err.to_string().contains("twice"), "{err}");
    drop(handle.stop(false));
}

#[test]
fn opskit_token_will_not_mint_what_the_server_refuses() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opskit"))
        .args(["token", "--sub", "script", "--ttl", "25h"])
        .env("OPSKIT_JWT_SECRET", SECRET)
        .env_remove("OPSKIT_JWT_MAX_LIFETIME")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("OPSKIT_JWT_MAX_LIFETIME"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jwks_url_is_refreshed_periodically() {
    let (app, jwks, handle) = on_jwks_url(|c| c.jwt_jwks_refresh = Duration::from_secs(1)).await;
    // The provider adds a key; within the cooldown no token can make opskit fetch it,
    // but the periodic refresh does.
    jwks.set(json!([jwk("k1", ED25519_PUBLIC_X), jwk("k2", SECOND_PUBLIC_X)]));
    let rotated = signed(SECOND_PRIVATE, "k2", "rotated");
    let mut accepted = false;
    for _ in 0..100 {
        if app.post(Some(&rotated), VIEWER, json!({})).await.0 == StatusCode::OK {
            accepted = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(accepted, "the new key is taken within seconds ({} fetches)", jwks.hits());
    assert!(jwks.hits() >= 2);
    drop(handle.stop(false));
}
