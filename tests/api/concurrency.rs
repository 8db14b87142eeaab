//! Concurrent writers: on SQLite each write transaction takes the write lock
//! when it begins (`BEGIN IMMEDIATE`) and waits on the busy timeout, so a
//! busy team's writes all land; on PostgreSQL the same load passes too.

use std::time::Duration;

use serde_json::json;

use crate::common::{Team, activity_ids};

const WRITERS: usize = 16;
const WRITES: usize = 50;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_writers_times_fifty_mutations_all_land() {
    let team = Team::start("Mobilize", "lead").await;
    let activities = activity_ids(&team.app, &team.consultant, &team.engagement).await;
    let activity = activities["patch-management/DISCOVERY_AND_ANALYSIS"].clone();
    let mut tokens = Vec::new();
    for i in 0..WRITERS {
        tokens.push(team.join(&format!("writer-{i}"), "WORKSTREAM_MEMBER").await);
    }
    let before = team.app.count_rows("document_links").await;

    let add = "mutation($input: AddDocumentLinkInput!) { addDocumentLink(input: $input) {
        documentLink { id } userErrors { code } } }";
    let client = reqwest::Client::builder().timeout(Duration::from_secs(120)).build().unwrap();
    let writers = tokens.into_iter().enumerate().map(|(w, token)| {
        let client = client.clone();
        let url = team.app.url("/graphql");
        let activity = activity.clone();
        tokio::spawn(async move {
            let mut failures = Vec::new();
            for n in 0..WRITES {
                let input = json!({ "activityId": activity, "title": format!("Doc {w}-{n}"),
                    "url": format!("https://wiki.acme.test/{w}/{n}") });
                let resp = client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&json!({ "query": add, "variables": { "input": input } }))
                    .send()
                    .await;
                let body: serde_json::Value = match resp {
                    Ok(resp) => resp.json().await.unwrap_or_default(),
                    Err(err) => {
                        failures.push(err.to_string());
                        continue;
                    }
                };
                if body.get("errors").is_some() || body["data"]["addDocumentLink"]["documentLink"]["id"].is_null() {
                    failures.push(body.to_string());
                }
            }
            failures
        })
    });
    let failures: Vec<String> = futures::future::join_all(writers).await.into_iter().flat_map(Result::unwrap).collect();
    assert!(
        failures.is_empty(),
        "{} of {} writes failed, e.g. {:?}",
        failures.len(),
        WRITERS * WRITES,
        failures.first()
    );
    assert_eq!(team.app.count_rows("document_links").await, before + i64::try_from(WRITERS * WRITES).unwrap());
}
