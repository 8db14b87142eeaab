//! GraphiQL works offline: headless Chromium, with every request blocked
//! except to the server, opens `/graphiql`, finds the bearer header offered,
//! runs `{ viewer { name } }` with a token and finds the name in the page.

use std::process::Command;

use reqwest::StatusCode;

use crate::common::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_and_its_assets_come_from_the_server() {
    let app = TestApp::start().await;
    let page = app.http.get(app.url("/graphiql")).send().await.unwrap().text().await.unwrap();
    let assets: Vec<&str> = page.split("\"/graphiql/assets/").skip(1).filter_map(|s| s.split('"').next()).collect();
    assert_eq!(assets.len(), 5, "{page}");
    assert!(!page.contains("https://"), "nothing from another host: {page}");
    for asset in assets {
        let resp = app.http.get(app.url(&format!("/graphiql/assets/{asset}"))).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{asset}");
        assert!(resp.bytes().await.unwrap().len() > 100, "{asset}");
    }
    let missing = app.http.get(app.url("/graphiql/assets/nope.js")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs node, chromium and tests/browser's npm packages; .ci/run installs them"]
async fn graphiql_runs_a_query_in_chromium_without_internet() {
    let app = TestApp::start().await;
    let token = app.token("gina", &[]);
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser/graphiql.mjs");
    let base = app.base.clone();
    let out =
        tokio::task::spawn_blocking(move || Command::new("node").args([script, &base, &token, "User gina"]).output())
            .await
            .unwrap()
            .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("\"prefilled\":true") && stdout.contains("User gina"), "{stdout}");
}
