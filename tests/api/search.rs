//! Engagement search with the database's full-text engine: stemmed words in
//! the name and customer name, each edge with its rank and snippet, and the
//! limits on a search.

use serde_json::{Value, json};

use crate::common::{TestApp, error_code};

const SEARCH: &str = "query($s: String) { engagements(filter: { search: $s }) { totalCount
    edges { rank snippet node { name customerName } } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engagements_are_found_by_stemmed_words_with_a_snippet() {
    let app = TestApp::start().await;
    let ada = app.token("ada", &["consultant"]);
    let bob = app.token("bob", &["consultant"]);
    app.create_engagement_for(&ada, "Mobilizing operations", "Acme Health").await;
    app.create_engagement_for(&ada, "Migration wave", "Globex").await;
    app.create_engagement_for(&bob, "Mobilize", "Initech").await;

    let found = app.data(&ada, SEARCH, json!({ "s": "mobilize" })).await;
    let list = &found["engagements"];
    assert_eq!(list["totalCount"], 1, "only what the caller may read: {found}");
    let edge = &list["edges"][0];
    assert_eq!(edge["node"]["customerName"], "Acme Health");
    assert!(edge["rank"].as_f64().unwrap() > 0.0, "{edge}");
    assert!(edge["snippet"].as_str().unwrap().contains("<mark>Mobilizing</mark>"), "{edge}");

    let by_customer = app.data(&ada, SEARCH, json!({ "s": "globex" })).await;
    assert_eq!(by_customer["engagements"]["edges"][0]["node"]["name"], "Migration wave");
    let none = app.data(&ada, SEARCH, json!({ "s": "mobilize globex" })).await;
    assert_eq!(none["engagements"]["totalCount"], 0, "every word must match");
    let all = app.data(&ada, SEARCH, json!({ "s": null })).await;
    assert_eq!(all["engagements"]["totalCount"], 2);
    assert_eq!(all["engagements"]["edges"][0]["rank"], Value::Null);

    let long = vec!["acme"; 17].join(" ");
    assert_eq!(error_code(&app.gql(&ada, SEARCH, json!({ "s": long })).await), "QUERY_TOO_LONG");
}
