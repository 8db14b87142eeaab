//! Token verification: every failure is 401 `UNAUTHENTICATED`, and a good
//! token makes its user known.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{SECRET, TestApp, error_code};

pub const VIEWER: &str = "{ viewer { id subject name email roles } }";

/// Claims with the defaults a valid token has, overridden by `changes`.
pub fn claims(changes: Value) -> Value {
    let now = chrono::Utc::now().timestamp();
    let mut claims = json!({ "sub": "u-1", "iss": "opskit", "aud": "opskit", "iat": now, "exp": now + 600 });
    if let (Value::Object(base), Value::Object(extra)) = (&mut claims, changes) {
        for (k, v) in extra {
            if v.is_null() {
                base.remove(&k);
            } else {
                base.insert(k, v);
            }
        }
    }
    claims
}

pub fn hs256(claims: &Value, secret: &str) -> String {
    encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret.as_bytes()).unwrap()).unwrap()
}

pub async fn assert_refused(app: &TestApp, token: Option<&str>, why: &str) {
    let (status, headers, body) = app.post(token, VIEWER, json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{why}: {body}");
    assert_eq!(error_code(&body), "UNAUTHENTICATED", "{why}");
    assert_eq!(headers.get("www-authenticate").and_then(|v| v.to_str().ok()), Some("Bearer"), "{why}");
    assert!(body.get("data").is_none(), "{why}: {body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_token_is_unauthenticated() {
    let app = TestApp::start().await;
    assert_refused(&app, None, "missing token").await;
    assert_refused(&app, Some("not-a-jwt"), "garbage").await;
    assert_refused(&app, Some(&hs256(&claims(json!({})), "another-secret-of-enough-length")), "bad signature").await;
    let past = chrono::Utc::now().timestamp() - 3600;
    assert_refused(&app, Some(&hs256(&claims(json!({ "exp": past })), SECRET)), "expired").await;
    assert_refused(&app, Some(&hs256(&claims(json!({ "aud": "someone-else" })), SECRET)), "wrong audience").await;
    assert_refused(&app, Some(&hs256(&claims(json!({ "iss": "https://evil.example" })), SECRET)), "wrong issuer").await;
    assert_refused(&app, Some(&hs256(&claims(json!({ "aud": null })), SECRET)), "no audience").await;
    assert_refused(&app, Some(&hs256(&claims(json!({ "exp": null })), SECRET)), "no expiry").await;
    assert_refused(&app, Some(&hs256(&claims(json!({ "iss": null })), SECRET)), "no issuer").await;

    // `alg: none`: a token with no signature at all.
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims(json!({ "roles": ["admin"] })).to_string());
    assert_refused(&app, Some(&format!("{header}.{payload}.")), "alg none").await;

    // A well-formed token in the wrong scheme.
    let good = hs256(&claims(json!({})), SECRET);
    let resp = app
        .http
        .post(app.url("/graphql"))
        .header("authorization", format!("Basic {good}"))
        .json(&json!({"query": VIEWER}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);

    // The same claims, correctly signed, pass.
    let (status, _, body) = app.post(Some(&good), VIEWER, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["viewer"]["subject"], "u-1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_are_created_on_first_sight_and_refreshed() {
    let app = TestApp::start().await;
    let first =
        claims(json!({ "sub": "ada", "name": "Ada", "email": "ada@example.com", "roles": ["consultant", "wizard"] }));
    let data = app.data(&hs256(&first, SECRET), VIEWER, json!({})).await;
    assert_eq!(data["viewer"]["name"], "Ada");
    assert_eq!(data["viewer"]["email"], "ada@example.com");
    assert_eq!(data["viewer"]["roles"], json!(["CONSULTANT"]), "unknown roles are ignored");
    let id = data["viewer"]["id"].clone();

    let renamed = claims(json!({ "sub": "ada", "name": "Ada Lovelace" }));
    let data = app.data(&hs256(&renamed, SECRET), VIEWER, json!({})).await;
    assert_eq!(data["viewer"]["id"], id, "same subject, same user");
    assert_eq!(data["viewer"]["name"], "Ada Lovelace");
    assert_eq!(data["viewer"]["roles"], json!([]), "roles come from the token, not the database");
    assert_eq!(app.count_rows("users").await, 1);
}

/// An Ed25519 key pair for the JWKS tests (test-only key).
pub const ED25519_PRIVATE: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIJM54vX8iWe4cLJnwWDT6Y//0OlWspR2cH+xdBKwQD8Y
-----END PRIVATE KEY-----
";
pub const ED25519_PUBLIC_X: &str = "KdZk4PJLIskGMBocOAa1IYWUhrp-GU-GJKbKUiwPbZA";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_keys_verify_by_kid_and_never_as_hmac_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let jwks = dir.path().join("jwks.json");
    let jwk =
        json!({ "kty": "OKP", "crv": "Ed25519", "x": ED25519_PUBLIC_X, "kid": "idp-1", "alg": "EdDSA", "use": "sig" });
    std::fs::write(&jwks, json!({ "keys": [jwk] }).to_string()).unwrap();
    let app = TestApp::start_with(|c| {
        c.jwt_secret = None;
        c.jwt_public_keys = Some(jwks.clone());
    })
    .await;

    let key = EncodingKey::from_ed_pem(ED25519_PRIVATE.as_bytes()).unwrap();
    let signed = |kid: Option<&str>| {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = kid.map(str::to_owned);
        encode(&header, &claims(json!({ "sub": "idp-user" })), &key).unwrap()
    };
    let (status, _, body) = app.post(Some(&signed(Some("idp-1"))), VIEWER, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["viewer"]["subject"], "idp-user");

    assert_refused(&app, Some(&signed(Some("unknown"))), "unknown kid").await;
    assert_refused(&app, Some(&signed(None)), "no kid").await;
    // Algorithm confusion: HS256 "signed" with the public key as the secret.
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some("idp-1".into());
    for secret in [ED25519_PUBLIC_X.as_bytes().to_vec(), URL_SAFE_NO_PAD.decode(ED25519_PUBLIC_X).unwrap()] {
        let forged = encode(&header, &claims(json!({})), &EncodingKey::from_secret(&secret).unwrap()).unwrap();
        assert_refused(&app, Some(&forged), "HS256 with the public key").await;
    }
    // And HS256 with the test suite's usual secret: not configured here.
    assert_refused(&app, Some(&hs256(&claims(json!({})), SECRET)), "HS256 without a secret").await;
}
