//! Deviations from the recommended design: who records, edits, accepts and
//! resolves them, the rules of their workflow, and the lists that show them.

use serde_json::{Value, json};

use crate::common::{Team, codes, error_code, merge, mutation, pair, raw_id};

const FIELDS: &str = "id title description risks severity mitigationPlan owner status hasMitigationPlan version
    riskAcceptedBy { subject } riskAcceptedAt resolvedBy { subject } resolvedAt createdBy { subject }
    createdAt updatedAt activity { id kind } capability { key }";

fn deviation_mutation(op: &str) -> String {
    mutation(op, &format!("deviation {{ {FIELDS} }} userErrors {{ field code message }}"))
}

fn record_q() -> String {
    deviation_mutation("recordDeviation")
}
fn update_q() -> String {
    deviation_mutation("updateDeviation")
}
fn accept_q() -> String {
    deviation_mutation("acceptDeviationRisk")
}
fn resolve_q() -> String {
    deviation_mutation("resolveDeviation")
}

/// The team every test here starts with, led by carla.
async fn team() -> Team {
    Team::start("Deviations", "carla").await
}

impl Team {
    /// The activity of `kind` for a capability.
    async fn activity(&self, kind: &str, capability: &str) -> String {
        let data = self
            .app
            .data(
                &self.consultant,
                "query($id: ID!, $kind: ArtifactKind, $cap: String) { engagement(id: $id) {
                    activities(filter: { kind: $kind, capability: $cap }) { nodes { id } } } }",
                json!({ "id": self.engagement, "kind": kind, "cap": capability }),
            )
            .await;
        let nodes = data["engagement"]["activities"]["nodes"].as_array().unwrap();
        assert_eq!(nodes.len(), 1, "{data}");
        nodes[0]["id"].as_str().unwrap().to_owned()
    }

    async fn design(&self) -> String {
        self.activity("DESIGN", "patch-management").await
    }

    /// Records a deviation as the consultant; returns it.
    async fn record(&self, activity: &str, extra: Value) -> Value {
        let data = self.app.data(&self.consultant, &record_q(), input(activity, extra)).await;
        assert_eq!(data["recordDeviation"]["userErrors"], json!([]), "{data}");
        data["recordDeviation"]["deviation"].clone()
    }

    async fn deviations(&self) -> i64 {
        self.app.count_rows("deviations").await
    }

    async fn audit(&self, action: &str) -> i64 {
        self.app.count_rows(&format!("audit_events WHERE action = '{action}'")).await
    }
}

fn input(activity: &str, extra: Value) -> Value {
    let input = json!({
        "activityId": activity,
        "title": "Third-party patch tool",
        "description": "Patching runs on the customer's COTS tool instead of Systems Manager Patch Manager.",
        "risks": "No patch compliance data in AWS Config; two consoles to watch.",
        "severity": "HIGH",
    });
    json!({ "input": merge(input, extra) })
}

fn one(id: &Value, extra: Value) -> Value {
    json!({ "input": merge(json!({ "deviationId": id }), extra) })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contributors_record_deviations_on_design_activities() {
    let s = team().await;
    let design = s.design().await;
    let deviation = s
        .record(&design, json!({ "title": "  Third-party patch tool ", "mitigationPlan": "Export compliance to Security Hub weekly.", "owner": "Ops lead" }))
        .await;
    assert_eq!(deviation["title"], "Third-party patch tool");
    assert_eq!(deviation["severity"], "HIGH");
    assert_eq!(deviation["status"], "OPEN");
    assert_eq!(deviation["version"], 1);
    assert_eq!(deviation["hasMitigationPlan"], true);
    assert_eq!(deviation["mitigationPlan"], "Export compliance to Security Hub weekly.");
    assert_eq!(deviation["owner"], "Ops lead");
    assert_eq!(deviation["createdBy"]["subject"], "carla");
    assert_eq!(deviation["activity"], json!({ "id": design, "kind": "DESIGN" }));
    assert_eq!(deviation["capability"]["key"], "patch-management");
    for unset in ["riskAcceptedBy", "riskAcceptedAt", "resolvedBy", "resolvedAt"] {
        assert!(deviation[unset].is_null(), "{unset}: {deviation}");
    }

    // A workstream member records one without a plan; a blank plan is no plan.
    let data = s
        .app
        .data(
            &s.workstream,
            &record_q(),
            input(&design, json!({ "severity": "LOW", "mitigationPlan": "   ", "owner": "" })),
        )
        .await;
    let second = &data["recordDeviation"]["deviation"];
    assert_eq!(second["createdBy"]["subject"], "wanda");
    assert!(second["mitigationPlan"].is_null() && second["owner"].is_null(), "{second}");
    assert_eq!(second["hasMitigationPlan"], false);

    // An admin who is not a member may record too.
    let admin = s.app.token("root", &["admin"]);
    let data = s.app.data(&admin, &record_q(), input(&design, json!({ "severity": "CRITICAL" }))).await;
    assert_eq!(data["recordDeviation"]["deviation"]["createdBy"]["subject"], "root");

    // A stakeholder may not.
    let body = s.app.gql(&s.stakeholder, &record_q(), input(&design, json!({}))).await;
    assert_eq!(error_code(&body), "FORBIDDEN");

    // Only on Design activities.
    let discovery = s.activity("DISCOVERY_AND_ANALYSIS", "patch-management").await;
    let data = s.app.data(&s.consultant, &record_q(), input(&discovery, json!({}))).await;
    assert!(data["recordDeviation"]["deviation"].is_null());
    assert_eq!(codes(&data["recordDeviation"]), [pair("activityId", "NOT_A_DESIGN_ACTIVITY")]);

    // The activity lists its deviations in the order they were recorded.
    let data = s
        .app
        .data(
            &s.stakeholder,
            "query($id: ID!) { node(id: $id) { ... on Activity { deviations { severity createdBy { subject } } } } }",
            json!({ "id": design }),
        )
        .await;
    let severities: Vec<_> =
        data["node"]["deviations"].as_array().unwrap().iter().map(|d| d["severity"].clone()).collect();
    assert_eq!(severities, [json!("HIGH"), json!("LOW"), json!("CRITICAL")]);
    assert_eq!(s.deviations().await, 3);
    assert_eq!(s.audit("deviation.recorded").await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_input_is_reported_and_nothing_is_written() {
    let s = team().await;
    let design = s.design().await;
    let discovery = s.activity("DISCOVERY_AND_ANALYSIS", "patch-management").await;

    let data = s
        .app
        .data(&s.consultant, &record_q(), input(&design, json!({ "title": " ", "description": "", "risks": "\n" })))
        .await;
    assert!(data["recordDeviation"]["deviation"].is_null());
    assert_eq!(
        codes(&data["recordDeviation"]),
        [pair("title", "REQUIRED"), pair("description", "REQUIRED"), pair("risks", "REQUIRED")]
    );
    let data = s
        .app
        .data(&s.consultant, &record_q(), input(&design, json!({ "title": "x".repeat(201), "owner": "o".repeat(201) })))
        .await;
    assert_eq!(codes(&data["recordDeviation"]), [pair("title", "TOO_LONG"), pair("owner", "TOO_LONG")]);
    // Several rules at once, the activity's kind first.
    let data = s.app.data(&s.consultant, &record_q(), input(&discovery, json!({ "title": "" }))).await;
    assert_eq!(
        codes(&data["recordDeviation"]),
        [pair("activityId", "NOT_A_DESIGN_ACTIVITY"), pair("title", "REQUIRED")]
    );
    // An unknown severity is refused by the schema.
    let body = s.app.gql(&s.consultant, &record_q(), input(&design, json!({ "severity": "SEVERE" }))).await;
    assert!(body["errors"].is_array(), "{body}");
    // An ID of another type does not name an activity.
    let body = s.app.gql(&s.consultant, &record_q(), input(&s.engagement, json!({}))).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    assert_eq!(s.deviations().await, 0);
    assert_eq!(s.app.count_rows("audit_events WHERE action LIKE 'deviation.%'").await, 0);

    // Exactly 200 characters is accepted.
    let data = s.app.data(&s.consultant, &record_q(), input(&design, json!({ "title": "é".repeat(200) }))).await;
    assert_eq!(data["recordDeviation"]["userErrors"], json!([]));
    assert_eq!(s.deviations().await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updates_change_only_the_given_fields() {
    let s = team().await;
    let design = s.design().await;
    let created = s.record(&design, json!({ "mitigationPlan": "Weekly export", "owner": "Ops lead" })).await;
    let id = &created["id"];

    let data = s
        .app
        .data(&s.workstream, &update_q(), one(id, json!({ "title": "COTS patch tool", "expectedVersion": 1 })))
        .await;
    let updated = &data["updateDeviation"]["deviation"];
    assert_eq!(data["updateDeviation"]["userErrors"], json!([]));
    assert_eq!(updated["title"], "COTS patch tool");
    assert_eq!(updated["version"], 2);
    for same in ["description", "risks", "severity", "mitigationPlan", "owner", "status", "createdAt"] {
        assert_eq!(updated[same], created[same], "{same}");
    }

    // A blank plan and a null owner remove them; the rest stays.
    let data = s.app.data(&s.consultant, &update_q(), one(id, json!({ "mitigationPlan": " ", "owner": null }))).await;
    let updated = &data["updateDeviation"]["deviation"];
    assert!(updated["mitigationPlan"].is_null() && updated["owner"].is_null(), "{updated}");
    assert_eq!(updated["hasMitigationPlan"], false);
    assert_eq!(updated["title"], "COTS patch tool");
    assert_eq!(updated["version"], 3);

    // Several fields at once.
    let data = s
        .app
        .data(
            &s.consultant,
            &update_q(),
            one(id, json!({ "severity": "MEDIUM", "risks": "Two consoles.", "mitigationPlan": "Dashboards" })),
        )
        .await;
    let updated = &data["updateDeviation"]["deviation"];
    assert_eq!(
        (&updated["severity"], &updated["risks"], &updated["mitigationPlan"]),
        (&json!("MEDIUM"), &json!("Two consoles."), &json!("Dashboards"))
    );
    assert_eq!(updated["version"], 4);

    // Nothing to change writes nothing.
    let data =
        s.app.data(&s.consultant, &update_q(), one(id, json!({ "severity": "MEDIUM", "expectedVersion": 4 }))).await;
    assert_eq!(data["updateDeviation"]["deviation"]["version"], 4);

    // Invalid edits are reported and change nothing.
    let data = s
        .app
        .data(&s.consultant, &update_q(), one(id, json!({ "risks": "", "title": "t".repeat(201), "severity": "LOW" })))
        .await;
    assert!(data["updateDeviation"]["deviation"].is_null());
    // Limits are checked before anything is read, and reported alone.
    assert_eq!(codes(&data["updateDeviation"]), [pair("title", "TOO_LONG")]);
    let data =
        s.app.data(&s.consultant, &update_q(), one(id, json!({ "risks": "", "title": " ", "severity": "LOW" }))).await;
    assert_eq!(codes(&data["updateDeviation"]), [pair("title", "REQUIRED"), pair("risks", "REQUIRED")]);
    let after = s
        .app
        .data(
            &s.consultant,
            "query($id: ID!) { node(id: $id) { ... on Deviation { severity version } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(after["node"], json!({ "severity": "MEDIUM", "version": 4 }));

    // Stakeholders do not edit.
    let body = s.app.gql(&s.stakeholder, &update_q(), one(id, json!({ "title": "Mine" }))).await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    assert_eq!(s.audit("deviation.updated").await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_version_is_a_conflict() {
    let s = team().await;
    let design = s.design().await;
    let id = s.record(&design, json!({ "mitigationPlan": "Weekly export" })).await["id"].clone();
    s.app.data(&s.consultant, &update_q(), one(&id, json!({ "owner": "Ops", "expectedVersion": 1 }))).await;

    let stale = [
        (&s.consultant, update_q(), json!({ "title": "Late", "expectedVersion": 1 })),
        (&s.stakeholder, accept_q(), json!({ "expectedVersion": 1 })),
        (&s.consultant, resolve_q(), json!({ "expectedVersion": 1 })),
    ];
    for (token, query, extra) in stale {
        let body = s.app.gql(token, &query, one(&id, extra)).await;
        assert_eq!(error_code(&body), "CONFLICT", "{query}");
        assert_eq!(body["errors"][0]["extensions"]["currentVersion"], 2);
    }
    let data = s.app.data(&s.stakeholder, &accept_q(), one(&id, json!({ "expectedVersion": 2 }))).await;
    assert_eq!(data["acceptDeviationRisk"]["deviation"]["status"], "RISK_ACCEPTED");
    assert_eq!(data["acceptDeviationRisk"]["deviation"]["version"], 3);
    assert_eq!(s.audit("deviation.updated").await, 1);
    assert_eq!(s.audit("deviation.risk_accepted").await, 1);
    assert_eq!(s.audit("deviation.resolved").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stakeholders_accept_a_mitigated_risk() {
    let s = team().await;
    let design = s.design().await;
    let id = s.record(&design, json!({})).await["id"].clone();

    // Consultants and workstream members cannot accept the customer's risk.
    for token in [&s.consultant, &s.workstream] {
        let body = s.app.gql(token, &accept_q(), one(&id, json!({}))).await;
        assert_eq!(error_code(&body), "FORBIDDEN");
    }
    // Without a mitigation plan there is nothing to accept.
    let data = s.app.data(&s.stakeholder, &accept_q(), one(&id, json!({}))).await;
    assert!(data["acceptDeviationRisk"]["deviation"].is_null());
    assert_eq!(codes(&data["acceptDeviationRisk"]), [pair("deviationId", "NO_MITIGATION_PLAN")]);
    assert_eq!(s.audit("deviation.risk_accepted").await, 0);

    s.app.data(&s.workstream, &update_q(), one(&id, json!({ "mitigationPlan": "Weekly compliance export" }))).await;
    let data = s.app.data(&s.stakeholder, &accept_q(), one(&id, json!({ "expectedVersion": 2 }))).await;
    let accepted = &data["acceptDeviationRisk"]["deviation"];
    assert_eq!(accepted["status"], "RISK_ACCEPTED");
    assert_eq!(accepted["riskAcceptedBy"]["subject"], "stan");
    assert!(accepted["riskAcceptedAt"].is_string(), "{accepted}");
    assert_eq!(accepted["version"], 3);

    let data = s.app.data(&s.stakeholder, &accept_q(), one(&id, json!({}))).await;
    assert_eq!(codes(&data["acceptDeviationRisk"]), [pair("deviationId", "ALREADY_ACCEPTED")]);
    // An admin may accept on the customer's behalf.
    let other = s.record(&design, json!({ "mitigationPlan": "Plan" })).await["id"].clone();
    let admin = s.app.token("root", &["admin"]);
    let data = s.app.data(&admin, &accept_q(), one(&other, json!({}))).await;
    assert_eq!(data["acceptDeviationRisk"]["deviation"]["riskAcceptedBy"]["subject"], "root");
    assert_eq!(s.audit("deviation.risk_accepted").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_an_accepted_risk_reopens_it() {
    let s = team().await;
    let design = s.design().await;
    let id = s.record(&design, json!({ "mitigationPlan": "Weekly export" })).await["id"].clone();
    s.app.data(&s.stakeholder, &accept_q(), one(&id, json!({}))).await;

    // The title and owner are not what the customer accepted.
    let data = s.app.data(&s.consultant, &update_q(), one(&id, json!({ "title": "Renamed", "owner": "Team B" }))).await;
    let kept = &data["updateDeviation"]["deviation"];
    assert_eq!(kept["status"], "RISK_ACCEPTED");
    assert_eq!(kept["riskAcceptedBy"]["subject"], "stan");

    // A different severity is a different risk: the acceptance is withdrawn.
    let data = s.app.data(&s.consultant, &update_q(), one(&id, json!({ "severity": "CRITICAL" }))).await;
    let reopened = &data["updateDeviation"]["deviation"];
    assert_eq!(reopened["status"], "OPEN");
    assert!(reopened["riskAcceptedBy"].is_null() && reopened["riskAcceptedAt"].is_null(), "{reopened}");

    // So are new risks, a new description, or removing the plan.
    for change in
        [json!({ "risks": "More risks" }), json!({ "description": "Other tool" }), json!({ "mitigationPlan": null })]
    {
        let data = s.app.data(&s.stakeholder, &accept_q(), one(&id, json!({}))).await;
        assert_eq!(data["acceptDeviationRisk"]["deviation"]["status"], "RISK_ACCEPTED", "{data}");
        let data = s.app.data(&s.workstream, &update_q(), one(&id, change.clone())).await;
        assert_eq!(data["updateDeviation"]["deviation"]["status"], "OPEN", "{change}");
    }
    let data = s.app.data(&s.stakeholder, &accept_q(), one(&id, json!({}))).await;
    assert_eq!(codes(&data["acceptDeviationRisk"]), [pair("deviationId", "NO_MITIGATION_PLAN")]);
    assert_eq!(s.audit("deviation.risk_accepted").await, 4);
    assert_eq!(s.audit("deviation.updated").await, 5);
    let summaries = s.app.count_rows("audit_events WHERE summary LIKE '%acceptance was withdrawn%'").await;
    assert_eq!(summaries, 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consultants_resolve_and_resolved_is_final() {
    let s = team().await;
    let design = s.design().await;
    let id = s.record(&design, json!({ "mitigationPlan": "Weekly export" })).await["id"].clone();
    s.app.data(&s.stakeholder, &accept_q(), one(&id, json!({}))).await;

    for token in [&s.workstream, &s.stakeholder] {
        let body = s.app.gql(token, &resolve_q(), one(&id, json!({}))).await;
        assert_eq!(error_code(&body), "FORBIDDEN");
    }
    let data = s.app.data(&s.consultant, &resolve_q(), one(&id, json!({ "expectedVersion": 2 }))).await;
    let resolved = &data["resolveDeviation"]["deviation"];
    assert_eq!(resolved["status"], "RESOLVED");
    assert_eq!(resolved["resolvedBy"]["subject"], "carla");
    assert!(resolved["resolvedAt"].is_string());
    // The acceptance stays on record.
    assert_eq!(resolved["riskAcceptedBy"]["subject"], "stan");
    assert_eq!(resolved["version"], 3);

    let data = s.app.data(&s.consultant, &resolve_q(), one(&id, json!({}))).await;
    assert_eq!(codes(&data["resolveDeviation"]), [pair("deviationId", "DEVIATION_RESOLVED")]);
    let data = s.app.data(&s.stakeholder, &accept_q(), one(&id, json!({}))).await;
    assert_eq!(codes(&data["acceptDeviationRisk"]), [pair("deviationId", "DEVIATION_RESOLVED")]);
    let data = s.app.data(&s.workstream, &update_q(), one(&id, json!({ "title": "Later" }))).await;
    assert_eq!(codes(&data["updateDeviation"]), [pair("deviationId", "DEVIATION_RESOLVED")]);
    let data = s
        .app
        .data(
            &s.consultant,
            "query($id: ID!) { node(id: $id) { ... on Deviation { title version } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(data["node"]["version"], 3);
    assert_eq!(s.audit("deviation.resolved").await, 1);
    assert_eq!(s.audit("deviation.updated").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strangers_cannot_tell_a_deviation_exists() {
    let s = team().await;
    let design = s.design().await;
    let id = s.record(&design, json!({ "mitigationPlan": "Plan" })).await["id"].clone();

    let body = s.app.gql(&s.stranger, &record_q(), input(&design, json!({}))).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    for (query, extra) in [(update_q(), json!({ "title": "Mine" })), (accept_q(), json!({})), (resolve_q(), json!({}))]
    {
        let body = s.app.gql(&s.stranger, &query, one(&id, extra)).await;
        assert_eq!(error_code(&body), "NOT_FOUND", "{query}");
        assert_eq!(body["errors"][0]["message"], "deviation not found");
    }
    let body = s.app.gql(&s.stranger, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": id })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let data = s.app.data(&s.stranger, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", json!({ "ids": [id] })).await;
    assert_eq!(data["nodes"], json!([null]));
    // Members refetch it by node.
    let data = s
        .app
        .data(
            &s.stakeholder,
            "query($id: ID!) { node(id: $id) { __typename id ... on Deviation { engagement { id } } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(data["node"], json!({ "__typename": "Deviation", "id": id, "engagement": { "id": s.engagement } }));

    // IDs of the wrong type or shape.
    let body = s.app.gql(&s.consultant, &resolve_q(), one(&json!(design), json!({}))).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let body = s.app.gql(&s.consultant, &resolve_q(), one(&json!("%%%"), json!({}))).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(s.deviations().await, 1);
    assert_eq!(s.app.count_rows("audit_events WHERE action LIKE 'deviation.%'").await, 1);
}

const LIST: &str =
    "query($id: ID!, $filter: DeviationFilter, $first: Int, $after: String, $last: Int, $before: String) {
    engagement(id: $id) { deviations(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor } nodes { title } } } }";

async fn titles(s: &Team, vars: Value) -> (Vec<String>, Value) {
    let mut vars = vars;
    vars["id"] = json!(s.engagement);
    let data = s.app.data(&s.stakeholder, LIST, vars).await;
    let conn = data["engagement"]["deviations"].clone();
    let titles = conn["nodes"].as_array().unwrap().iter().map(|n| n["title"].as_str().unwrap().to_owned()).collect();
    (titles, conn)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engagement_deviations_filter_and_page() {
    let s = team().await;
    let patch = s.design().await;
    let change = s.activity("DESIGN", "change-management").await;
    s.record(&patch, json!({ "title": "A", "severity": "LOW", "mitigationPlan": "Plan A" })).await;
    let b =
        s.record(&patch, json!({ "title": "B", "severity": "HIGH", "mitigationPlan": "Plan B" })).await["id"].clone();
    s.record(&change, json!({ "title": "C", "severity": "CRITICAL" })).await;
    let d = s.record(&change, json!({ "title": "D", "severity": "MEDIUM", "mitigationPlan": "Plan D" })).await["id"]
        .clone();
    s.record(&patch, json!({ "title": "E", "severity": "HIGH" })).await;
    s.app.data(&s.stakeholder, &accept_q(), one(&b, json!({}))).await;
    s.app.data(&s.consultant, &resolve_q(), one(&d, json!({}))).await;

    let (all, conn) = titles(&s, json!({})).await;
    assert_eq!(all, ["A", "B", "C", "D", "E"]);
    assert_eq!(conn["totalCount"], 5);
    let cases = [
        (json!({ "status": ["OPEN"] }), vec!["A", "C", "E"]),
        (json!({ "status": ["RISK_ACCEPTED", "RESOLVED"] }), vec!["B", "D"]),
        (json!({ "severity": ["HIGH", "CRITICAL"] }), vec!["B", "C", "E"]),
        (json!({ "capability": "patch-management" }), vec!["A", "B", "E"]),
        (json!({ "capability": "change-management", "severity": ["MEDIUM"] }), vec!["D"]),
        (json!({ "capability": "no-such-capability" }), vec![]),
        (json!({ "withoutMitigation": true }), vec!["C", "E"]),
        (json!({ "withoutMitigation": false }), vec!["A", "B", "D"]),
        (json!({ "withoutMitigation": true, "capability": "patch-management", "status": ["OPEN"] }), vec!["E"]),
        (json!({ "status": [] }), vec![]),
    ];
    for (filter, expected) in cases {
        let (found, conn) = titles(&s, json!({ "filter": filter })).await;
        assert_eq!(found, expected, "{filter}");
        assert_eq!(conn["totalCount"], expected.len(), "{filter}");
    }

    // Forward and backward pages meet.
    let (first, conn) = titles(&s, json!({ "first": 2 })).await;
    assert_eq!(first, ["A", "B"]);
    assert_eq!(conn["pageInfo"]["hasNextPage"], true);
    assert_eq!(conn["pageInfo"]["hasPreviousPage"], false);
    let (second, conn) = titles(&s, json!({ "first": 2, "after": conn["pageInfo"]["endCursor"] })).await;
    assert_eq!(second, ["C", "D"]);
    assert_eq!(conn["pageInfo"]["hasPreviousPage"], true);
    let (third, conn) = titles(&s, json!({ "first": 2, "after": conn["pageInfo"]["endCursor"] })).await;
    assert_eq!(third, ["E"]);
    assert_eq!(conn["pageInfo"]["hasNextPage"], false);
    let (last, conn) = titles(&s, json!({ "last": 2 })).await;
    assert_eq!(last, ["D", "E"]);
    assert_eq!(conn["pageInfo"]["hasPreviousPage"], true);
    let (before, _) = titles(&s, json!({ "last": 2, "before": conn["pageInfo"]["startCursor"] })).await;
    assert_eq!(before, ["B", "C"]);
    // Paging inside a filter.
    let (open, conn) = titles(&s, json!({ "first": 1, "filter": { "status": ["OPEN"] } })).await;
    assert_eq!(open, ["A"]);
    let (open, _) =
        titles(&s, json!({ "first": 5, "after": conn["pageInfo"]["endCursor"], "filter": { "status": ["OPEN"] } }))
            .await;
    assert_eq!(open, ["C", "E"]);

    let mut vars = json!({ "id": s.engagement, "first": 101 });
    let body = s.app.gql(&s.consultant, LIST, vars.clone()).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    vars = json!({ "id": s.engagement, "after": "not-a-cursor" });
    let body = s.app.gql(&s.consultant, LIST, vars).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");

    // Another engagement's deviations are not listed.
    let other = s.app.create_engagement(&s.consultant, "Other").await;
    let data = s
        .app
        .data(
            &s.consultant,
            "query($id: ID!) { engagement(id: $id) { deviations { totalCount } } }",
            json!({ "id": other }),
        )
        .await;
    assert_eq!(data["engagement"]["deviations"]["totalCount"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unmitigated_deviations_are_counted_per_activity() {
    let s = team().await;
    let patch = s.design().await;
    let change = s.activity("DESIGN", "change-management").await;
    s.record(&patch, json!({ "title": "Mitigated", "mitigationPlan": "Plan" })).await;
    s.record(&patch, json!({ "title": "Open, no plan" })).await;
    let resolved = s.record(&patch, json!({ "title": "Resolved, no plan" })).await["id"].clone();
    let blank = s.record(&patch, json!({ "title": "Blank plan", "mitigationPlan": "Plan" })).await["id"].clone();
    s.record(&change, json!({ "title": "Elsewhere" })).await;
    s.app.data(&s.consultant, &resolve_q(), one(&resolved, json!({}))).await;

    // A plan of only whitespace written behind the API's back still counts as none.
    let sql = format!("UPDATE deviations SET mitigation_plan = '  ' WHERE id = {}", raw_id(blank.as_str().unwrap()));
    s.app.db.execute(&sql).await;
    let conn = s.app.db.connect().await;
    let count = opskit_api::domain::deviations::unmitigated_count(&conn, raw_id(&patch)).await.unwrap();
    assert_eq!(count, 2);
    let count = opskit_api::domain::deviations::unmitigated_count(&conn, raw_id(&change)).await.unwrap();
    assert_eq!(count, 1);
    conn.close().await.ok();

    // The API agrees.
    let data = s
        .app
        .data(
            &s.consultant,
            "query($id: ID!) { node(id: $id) { ... on Activity { deviations { title hasMitigationPlan status } } } }",
            json!({ "id": patch }),
        )
        .await;
    let unmitigated: Vec<_> = data["node"]["deviations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["hasMitigationPlan"] == false && d["status"] != "RESOLVED")
        .map(|d| d["title"].as_str().unwrap())
        .collect();
    assert_eq!(unmitigated, ["Open, no plan", "Blank plan"]);
}
