//! Global IDs and cursors are opaque: encrypted with the server's ID key,
//! they reveal no kind, row number or count, and an altered or made-up one
//! names nothing.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::json;

use crate::common::{TestApp, error_code, global_id};

const NODE: &str = "query($id: ID!) { node(id: $id) { id } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ids_reveal_no_counter_and_forged_ids_name_nothing() {
    let app = TestApp::start().await;
    let ada = app.token("ada", &["consultant"]);
    let mut ids = vec![];
    for n in 0..5 {
        ids.push(app.create_engagement(&ada, &format!("E{n}")).await);
    }
    for id in &ids {
        assert_eq!(id.len(), 22, "{id}");
        let bytes = URL_SAFE_NO_PAD.decode(id).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("Engagement") && !text.contains("ngagem"), "{id} reads as {text}");
        assert_eq!(app.data(&ada, NODE, json!({ "id": id })).await["node"]["id"], json!(id));
    }
    let distinct_prefixes: std::collections::BTreeSet<_> = ids.iter().map(|id| &id[..6]).collect();
    assert_eq!(distinct_prefixes.len(), ids.len(), "consecutive rows share nothing readable: {ids:?}");

    // Altered IDs, IDs in the old readable form and random ones name nothing.
    let mut forged = vec![];
    for (i, id) in ids.iter().enumerate() {
        let mut chars: Vec<char> = id.chars().collect();
        chars[i + 3] = if chars[i + 3] == 'A' { 'B' } else { 'A' };
        forged.push(chars.into_iter().collect::<String>());
    }
    forged.push(URL_SAFE_NO_PAD.encode([7u8; 16]));
    for id in &forged {
        let body = app.gql(&ada, NODE, json!({ "id": id })).await;
        assert_eq!(error_code(&body), "NOT_FOUND", "{id}: {body}");
    }
    for id in [URL_SAFE_NO_PAD.encode("Engagement:1"), "%%%".to_owned(), String::new()] {
        let body = app.gql(&ada, NODE, json!({ "id": id })).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{id}: {body}");
    }
    // An ID of another kind is NOT_FOUND where an engagement is expected.
    let engagement = app.engagement(&ada, &ids[0], "members { nodes { id } }").await;
    let member = engagement["members"]["nodes"][0]["id"].as_str().unwrap().to_owned();
    let body = app.gql(&ada, "query($id: ID!) { engagement(id: $id) { id } }", json!({ "id": member })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    // Cursors are sealed the same way: no sort value or row number to read, none to forge.
    let q = "query($after: String) { engagements(first: 2, after: $after) { edges { cursor node { id } } } }";
    let page = app.data(&ada, q, json!({})).await;
    let cursor = page["engagements"]["edges"][0]["cursor"].as_str().unwrap().to_owned();
    let bytes = URL_SAFE_NO_PAD.decode(&cursor).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let readable = serde_json::from_slice::<serde_json::Value>(&bytes).is_ok();
    assert!(!readable && !text.contains("2026"), "{cursor} reads as {text}");
    let next = app.data(&ada, q, json!({ "after": cursor })).await;
    assert_eq!(next["engagements"]["edges"][0]["node"]["id"], page["engagements"]["edges"][1]["node"]["id"]);
    let readable = URL_SAFE_NO_PAD.encode(r#"[{"I":1},1]"#);
    let body = app.gql(&ada, q, json!({ "after": readable })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    // The test helpers make the same IDs as the server.
    assert_eq!(global_id("Engagement", 1), ids[0], "the first engagement of this database is row 1");
}
