//! Shared setup: engagements and their members, a team with a member of every
//! role, and the IDs tests look up in an engagement (members, activities,
//! capabilities, sprints, questions, runbooks).

use std::collections::HashMap;

use serde_json::{Value, json};

use super::{graphql::merge, harness::TestApp};

/// The bundled kit's document, as shipped.
pub const BUNDLED_KIT: &str = include_str!("../../../kits/aws-operations.yaml");

/// A valid `CreateEngagementInput` (the bundled kit, two-week sprints) with `changes` set over it.
pub fn engagement_input(changes: Value) -> Value {
    let defaults = json!({ "name": "Mobilize", "customerName": "Acme Health", "kitKey": "aws-operations",
        "kitVersion": "1.0.0", "startsOn": "2026-12-07", "sprintLengthDays": 14 });
    merge(defaults, changes)
}

impl TestApp {
    /// Creates an engagement for Acme Health as `token`'s user and returns its ID.
    pub async fn create_engagement(&self, token: &str, name: &str) -> String {
        self.create_engagement_for(token, name, "Acme Health").await
    }

    /// Creates an engagement for `customer` as `token`'s user and returns its ID.
    pub async fn create_engagement_for(&self, token: &str, name: &str, customer: &str) -> String {
        let input = engagement_input(json!({ "name": name, "customerName": customer }));
        let payload = self.mutate_ok(token, "createEngagement", "engagement { id }", input).await;
        payload["engagement"]["id"].as_str().expect("engagement id").to_owned()
    }

    /// Adds `subject` to an engagement with `role`; returns the member ID.
    pub async fn add_member(&self, token: &str, engagement: &str, subject: &str, role: &str) -> String {
        let input = json!({ "engagementId": engagement, "subject": subject, "role": role });
        let payload = self.mutate_ok(token, "addEngagementMember", "member { id }", input).await;
        payload["member"]["id"].as_str().expect("member id").to_owned()
    }
}

/// A running server with an engagement that has a member of every role, and
/// a stranger; the strings are their tokens. The consultant created the
/// engagement; wanda is its workstream member, stan its stakeholder; the
/// stranger is a consultant who is not a member.
pub struct Team {
    pub app: TestApp,
    pub engagement: String,
    pub consultant: String,
    pub workstream: String,
    pub stakeholder: String,
    pub stranger: String,
}

impl Team {
    /// Starts a server and sets up the team on an engagement `name` created by consultant `lead`.
    pub async fn start(name: &str, lead: &str) -> Self {
        Self::on(TestApp::start().await, name, lead).await
    }

    /// The same team on a server already started (with a configuration of the test's own).
    pub async fn on(app: TestApp, name: &str, lead: &str) -> Self {
        let consultant = app.token(lead, &["consultant"]);
        let engagement = app.create_engagement(&consultant, name).await;
        app.add_member(&consultant, &engagement, "wanda", "WORKSTREAM_MEMBER").await;
        app.add_member(&consultant, &engagement, "stan", "STAKEHOLDER").await;
        Self {
            workstream: app.token("wanda", &[]),
            stakeholder: app.token("stan", &[]),
            stranger: app.token("stranger", &["consultant"]),
            consultant,
            engagement,
            app,
        }
    }

    /// Adds `subject` to the engagement with `role`; returns their token.
    pub async fn join(&self, subject: &str, role: &str) -> String {
        self.app.add_member(&self.consultant, &self.engagement, subject, role).await;
        self.app.token(subject, &[])
    }
}

/// The member ID of `subject` in an engagement.
pub async fn member_id(app: &TestApp, token: &str, engagement: &str, subject: &str) -> String {
    let data = app.engagement(token, engagement, "members(first: 50) { nodes { id user { subject } } }").await;
    let members = data["members"]["nodes"].as_array().unwrap();
    let member = members.iter().find(|m| m["user"]["subject"] == subject).unwrap_or_else(|| panic!("no {subject}"));
    member["id"].as_str().unwrap().to_owned()
}

/// `{ capability-key/KIND: activity id }` of an engagement; overview activities by title.
pub async fn activity_ids(app: &TestApp, token: &str, engagement: &str) -> HashMap<String, String> {
    let data = app
        .engagement(token, engagement, "activities(first: 100) { nodes { id kind capability { key } title } }")
        .await;
    data["activities"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let key = match a["capability"]["key"].as_str() {
                Some(cap) => format!("{cap}/{}", a["kind"].as_str().unwrap()),
                None => a["title"].as_str().unwrap().to_owned(),
            };
            (key, a["id"].as_str().unwrap().to_owned())
        })
        .collect()
}

/// Runs `startActivity`, `completeActivity` or `reopenActivity`; returns the
/// payload, or the whole body on a top-level error.
pub async fn transition(app: &TestApp, token: &str, op: &str, id: &str, version: Option<i64>) -> Value {
    let input = json!({ "activityId": id, "expectedVersion": version });
    app.mutate(token, op, "activity { status version startedAt completedAt }", input).await
}

/// The ID of capability `key` of an engagement's kit.
pub async fn capability(app: &TestApp, token: &str, engagement: &str, key: &str) -> String {
    let data = app.engagement(token, engagement, "kit { capabilities { id key } }").await;
    data["kit"]["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key)
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("no capability {key}"))
}

/// A capability of another kit version (1.1.0, imported here).
pub async fn foreign_capability(app: &TestApp) -> String {
    let admin = app.token("kit-admin", &["admin"]);
    let doc = BUNDLED_KIT.replacen("version: 1.0.0", "version: 1.1.0", 1);
    let input = json!({ "document": doc, "format": "YAML" });
    let payload = app.mutate_ok(&admin, "importKit", "kit { capabilities { id } }", input).await;
    payload["kit"]["capabilities"][0]["id"].as_str().unwrap().to_owned()
}

/// The ID of sprint `number` of an engagement.
pub async fn sprint_id(app: &TestApp, token: &str, engagement: &str, number: i64) -> String {
    let data = app.engagement(token, engagement, "sprints { id number }").await;
    let sprints = data["sprints"].as_array().unwrap();
    let found = sprints.iter().find(|s| s["number"] == number).unwrap_or_else(|| panic!("no sprint {number}"));
    found["id"].as_str().unwrap().to_owned()
}

/// The question bank of an activity, in bank order: `{ id key answerKind choices scale }`.
pub async fn bank(app: &TestApp, token: &str, activity: &str) -> Vec<Value> {
    let data = app
        .data(
            token,
            "query($id: ID!) { node(id: $id) { ... on Activity { questions {
                question { id key answerKind choices scale { min max } } } } } }",
            json!({ "id": activity }),
        )
        .await;
    data["node"]["questions"].as_array().unwrap().iter().map(|q| q["question"].clone()).collect()
}

/// The first question of `bank` answered with `kind` (`TEXT`, `SCALE`, ...).
pub fn first_of<'a>(bank: &'a [Value], kind: &str) -> &'a Value {
    bank.iter().find(|q| q["answerKind"] == kind).unwrap_or_else(|| panic!("no {kind} question"))
}

/// A value `question` accepts; `second` gives a different one (for re-answering).
pub fn valid_value(question: &Value, second: bool) -> Value {
    let pick = usize::from(second);
    match question["answerKind"].as_str().unwrap() {
        "TEXT" => json!({ "text": if second { "Second thoughts" } else { "First answer" } }),
        "YES_NO" => json!({ "yesNo": !second }),
        "SINGLE_CHOICE" => json!({ "choice": question["choices"][pick] }),
        "MULTIPLE_CHOICE" => json!({ "choices": [question["choices"][pick]] }),
        "SCALE" => json!({ "scale": if second { &question["scale"]["max"] } else { &question["scale"]["min"] } }),
        other => panic!("unknown answer kind {other}"),
    }
}

/// The core runbook of capability `key` in an engagement: `{ id status currentRevision { id } }`.
pub async fn core_runbook(app: &TestApp, token: &str, engagement: &str, key: &str) -> Value {
    let data = app
        .data(
            token,
            "query($id: ID!, $cap: String) { engagement(id: $id) { runbooks(filter: { capability: $cap, kind: CORE }) {
                nodes { id status currentRevision { id } } } } }",
            json!({ "id": engagement, "cap": key }),
        )
        .await;
    data["engagement"]["runbooks"]["nodes"][0].clone()
}

/// Agrees a readiness target on `activity` (a discovery activity completes only with one).
pub async fn agree_target(app: &TestApp, token: &str, activity: &str) {
    let input =
        json!({ "activityId": activity, "statement": "Every change approved by the CAB", "criteria": ["CAB weekly"] });
    app.mutate_ok(token, "setReadinessTarget", "activity { id }", input).await;
}

/// Finishes every piece of work in an engagement as consultant `token`: each
/// discovery gets a readiness target, every activity is started and completed
/// (discovery before design), and every core runbook is retired.
pub async fn finish_all_work(app: &TestApp, token: &str, engagement: &str) {
    let ids = activity_ids(app, token, engagement).await;
    let mut keys: Vec<&String> = ids.keys().collect();
    // Discovery before design: `…/DESIGN` sorts before `…/DISCOVERY_AND_ANALYSIS`, so order explicitly.
    keys.sort_by_key(|k| (k.ends_with("/DESIGN"), k.to_string()));
    for key in keys {
        let id = &ids[key];
        if key.ends_with("/DISCOVERY_AND_ANALYSIS") {
            agree_target(app, token, id).await;
        }
        for op in ["startActivity", "completeActivity"] {
            let payload = transition(app, token, op, id, None).await;
            assert_eq!(payload["userErrors"], json!([]), "{op} {key}: {payload}");
        }
    }
    let data = app.engagement(token, engagement, "runbooks(first: 100, filter: { kind: CORE }) { nodes { id } }").await;
    for runbook in data["runbooks"]["nodes"].as_array().unwrap() {
        let input = json!({ "runbookId": runbook["id"], "reason": "The customer keeps its own tooling" });
        app.mutate_ok(token, "retireRunbook", "runbook { status }", input).await;
    }
}
