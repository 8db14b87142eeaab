//! CORS: browser pages on the origins in `OPSKIT_CORS_ORIGINS` may call the
//! API; preflights are answered and cacheable; other origins get nothing.

use reqwest::{Method, StatusCode, header::HeaderMap};
use serde_json::json;

use crate::common::TestApp;

const PORTAL: &str = "https://portal.example.com";

async fn with_origins(origins: &[&str]) -> TestApp {
    let origins: Vec<String> = origins.iter().map(|o| (*o).to_owned()).collect();
    TestApp::start_with(|config| config.cors_origins = origins).await
}

/// A browser's preflight for a POST with a bearer token and JSON.
async fn preflight(app: &TestApp, origin: &str) -> (StatusCode, HeaderMap) {
    let resp = app
        .http
        .request(Method::OPTIONS, app.url("/graphql"))
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization,content-type")
        .send()
        .await
        .unwrap();
    (resp.status(), resp.headers().clone())
}

/// The POST the browser sends after the preflight.
async fn post_from(app: &TestApp, origin: &str) -> (StatusCode, HeaderMap, String) {
    let token = app.token("cors", &[]);
    let resp = app
        .http
        .post(app.url("/graphql"))
        .header("Origin", origin)
        .bearer_auth(token)
        .json(&json!({ "query": "{ viewer { subject } }" }))
        .send()
        .await
        .unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    (status, headers, resp.text().await.unwrap())
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_allowed_origin_gets_its_preflight_answered_and_cached() {
    let app = with_origins(&[PORTAL, "http://localhost:5173"]).await;
    let (status, headers) = preflight(&app, PORTAL).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&headers, "access-control-allow-origin"), Some(PORTAL), "the origin is echoed, not `*`");
    let methods = header(&headers, "access-control-allow-methods").unwrap();
    assert!(methods.contains("POST") && methods.contains("GET"), "{methods}");
    let allowed = header(&headers, "access-control-allow-headers").unwrap().to_lowercase();
    assert!(allowed.contains("authorization") && allowed.contains("content-type"), "{allowed}");
    assert_eq!(header(&headers, "access-control-max-age"), Some("3600"));
    assert_eq!(header(&headers, "access-control-allow-credentials"), None, "never credentials");
    assert!(header(&headers, "vary").unwrap().to_lowercase().contains("origin"));

    let (status, headers, body) = post_from(&app, PORTAL).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&headers, "access-control-allow-origin"), Some(PORTAL));
    assert!(header(&headers, "access-control-expose-headers").unwrap().contains("x-request-id"));
    assert!(body.contains("\"subject\":\"cors\""), "{body}");

    let (status, headers) = preflight(&app, "http://localhost:5173").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&headers, "access-control-allow-origin"), Some("http://localhost:5173"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_origin_is_refused() {
    let app = with_origins(&[PORTAL]).await;
    for origin in ["https://evil.example.com", "https://portal.example.com.evil.net", "http://portal.example.com"] {
        let (status, headers) = preflight(&app, origin).await;
        assert_eq!(header(&headers, "access-control-allow-origin"), None, "{origin}");
        assert_ne!(status, StatusCode::OK, "{origin}");
        let (_, headers, body) = post_from(&app, origin).await;
        assert_eq!(header(&headers, "access-control-allow-origin"), None, "{origin}");
        assert!(!body.contains("\"subject\""), "the request did not run: {body}");
    }
    // Clients that are not browsers send no Origin and are not affected.
    let token = app.token("cli", &[]);
    let data = app.data(&token, "{ viewer { subject } }", json!({})).await;
    assert_eq!(data["viewer"]["subject"], "cli");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_configuration_no_origin_is_allowed() {
    let app = TestApp::start().await;
    let (_, headers) = preflight(&app, PORTAL).await;
    assert_eq!(header(&headers, "access-control-allow-origin"), None);
    assert_eq!(header(&headers, "access-control-allow-methods"), None);
    let (_, headers, _) = post_from(&app, PORTAL).await;
    assert_eq!(header(&headers, "access-control-allow-origin"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wildcard_list_sends_a_wildcard_without_credentials() {
    let app = with_origins(&["*"]).await;
    let (status, headers) = preflight(&app, "https://anywhere.example.org").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&headers, "access-control-allow-origin"), Some("*"));
    assert_eq!(header(&headers, "access-control-allow-credentials"), None);
}
