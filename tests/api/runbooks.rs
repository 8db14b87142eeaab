//! The runbook workflow to baseline with the two-sided sign-off, every
//! refusal per state and role, concurrent edits, and the knowledge base.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{Team, error_code, member_id};

const RUNBOOK: &str = "id status version kind title
    currentRevision { id number body author { subject } }
    baselineRevision { id number }
    signOff { consultantApproved stakeholderApproved complete }";

/// The common team (owner leads it), and carl's token: a second consultant,
/// for the sign-off by a consultant who did not write the revision.
async fn team() -> (Team, String) {
    let t = Team::start("Runbooks", "owner").await;
    let carl = t.join("carl", "CONSULTANT").await;
    (t, carl)
}

impl Team {
    /// The engagement's core runbook for a capability key.
    async fn runbook(&self, capability: &str) -> Value {
        let q = format!(
            "query($id: ID!, $cap: String) {{ engagement(id: $id) {{ runbooks(filter: {{capability: $cap}}) {{ nodes {{ {RUNBOOK} }} }} }} }}"
        );
        let data = self.app.data(&self.consultant, &q, json!({ "id": self.engagement, "cap": capability })).await;
        data["engagement"]["runbooks"]["nodes"][0].clone()
    }

    /// Calls a runbook mutation; returns its payload, or the whole body on a top-level error.
    async fn call(&self, token: &str, op: &str, input: Value) -> Value {
        self.app.mutate(token, op, &format!("runbook {{ {RUNBOOK} }}"), input).await
    }

    async fn go(&self, token: &str, op: &str, id: &Value) -> Value {
        self.call(token, op, json!({ "runbookId": id })).await
    }

    async fn edit(&self, token: &str, id: &Value, body: &str) -> Value {
        self.call(token, "editRunbook", json!({ "runbookId": id, "body": body, "changeSummary": "update" })).await
    }

    async fn review(&self, token: &str, id: &Value, verdict: &str) -> Value {
        self.call(token, "reviewRunbook", json!({ "runbookId": id, "verdict": verdict, "comment": "see notes" })).await
    }

    async fn progress(&self) -> Value {
        let q = "query($id: ID!) { engagement(id: $id) { progress { runbooksBaselined runbooksPlanned
            capabilities { capability { key } runbooksBaselined runbooksPlanned } } } }";
        self.app.data(&self.consultant, q, json!({ "id": self.engagement })).await["engagement"]["progress"].clone()
    }
}

fn ok(payload: &Value) -> &Value {
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    &payload["runbook"]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn template_to_baseline_with_two_sided_sign_off_and_a_revision_after() {
    let (t, carl) = team().await;
    let rb = t.runbook("patch-management").await;
    assert_eq!((rb["status"].as_str(), rb["kind"].as_str()), (Some("TEMPLATE"), Some("CORE")));
    assert_eq!(rb["currentRevision"], Value::Null);
    let id = rb["id"].clone();
    let progress = t.progress().await;
    assert_eq!((progress["runbooksBaselined"].as_i64(), progress["runbooksPlanned"].as_i64()), (Some(0), Some(7)));

    let started = t.go(&t.workstream, "startRunbook", &id).await;
    let r = ok(&started);
    assert_eq!(r["status"], "DRAFT");
    assert_eq!(r["currentRevision"]["number"], 1);
    assert!(r["currentRevision"]["body"].as_str().unwrap().starts_with("# Patch Management Runbook"), "{r}");

    let edited = t
        .edit(&t.workstream, &id, "# Patch Management Runbook\n\n## Baselines\n\nAWS-DefaultPatchBaseline for Linux.\n")
        .await;
    assert_eq!(ok(&edited)["currentRevision"]["number"], 2);
    assert_eq!(ok(&t.go(&t.workstream, "submitRunbookForReview", &id).await)["status"], "IN_REVIEW");

    let approved = t.review(&carl, &id, "APPROVE").await;
    assert_eq!(
        ok(&approved)["signOff"],
        json!({ "consultantApproved": true, "stakeholderApproved": false, "complete": false })
    );
    let early = t.go(&t.consultant, "baselineRunbook", &id).await;
    assert_eq!(early["userErrors"][0]["code"], "APPROVALS_MISSING", "{early}");
    assert!(early["userErrors"][0]["message"].as_str().unwrap().contains("stakeholder"));
    ok(&t.review(&t.stakeholder, &id, "APPROVE").await);
    let baselined = t.go(&t.consultant, "baselineRunbook", &id).await;
    let r = ok(&baselined);
    assert_eq!(r["status"], "BASELINE");
    assert_eq!(r["baselineRevision"]["number"], 2);

    let progress = t.progress().await;
    assert_eq!(progress["runbooksBaselined"], 1);
    let patch = progress["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["capability"]["key"] == "patch-management")
        .unwrap()
        .clone();
    assert_eq!((patch["runbooksBaselined"].as_i64(), patch["runbooksPlanned"].as_i64()), (Some(1), Some(1)));

    // The next version: a new draft; the baseline stays in the knowledge base.
    let revised = t.go(&t.consultant, "reviseRunbook", &id).await;
    let r = ok(&revised);
    assert_eq!(r["status"], "DRAFT");
    assert_eq!(r["currentRevision"]["number"], 3);
    assert_eq!(r["baselineRevision"]["number"], 2);
    ok(&t.edit(&carl, &id, "# Patch Management Runbook\n\n## Baselines\n\nCustom baselines per OS.\n").await);
    let kb = t.app.data(&t.stakeholder, "query($id: ID!) { engagement(id: $id) { knowledgeBase { totalCount nodes { title baselineRevision { number body } } } } }", json!({ "id": t.engagement })).await;
    assert_eq!(kb["engagement"]["knowledgeBase"]["totalCount"], 1);
    assert!(
        kb["engagement"]["knowledgeBase"]["nodes"][0]["baselineRevision"]["body"]
            .as_str()
            .unwrap()
            .contains("AWS-DefaultPatchBaseline")
    );
    assert_eq!(t.progress().await["runbooksBaselined"], 1, "still a completed deliverable while revised");

    // Revisions, diffs and reviews are all readable.
    let q = "query($id: ID!) { node(id: $id) { ... on Runbook { revisions { number diff author { subject } }
        reviews { verdict side reviewer { subject } revision { number } } } } }";
    let data = t.app.data(&t.workstream, q, json!({ "id": id })).await;
    let revisions = data["node"]["revisions"].as_array().unwrap();
    assert_eq!(revisions.iter().map(|r| r["number"].as_i64().unwrap()).collect::<Vec<_>>(), [4, 3, 2, 1]);
    let diff = revisions[0]["diff"].as_str().unwrap();
    assert!(
        diff.contains("-AWS-DefaultPatchBaseline for Linux.") && diff.contains("+Custom baselines per OS."),
        "{diff}"
    );
    assert!(diff.starts_with("--- revision 3"), "{diff}");
    assert_eq!(revisions[3]["diff"], "", "the first revision has nothing to compare with");
    let sides: Vec<_> =
        data["node"]["reviews"].as_array().unwrap().iter().map(|r| r["side"].as_str().unwrap()).collect();
    assert_eq!(sides, ["STAKEHOLDER", "CONSULTANT"]);

    let events = t.app.count_rows("audit_events WHERE object_type = 'Runbook'").await;
    assert_eq!(events, 8, "started, 2 edits, submitted, 2 approvals, baselined, revised");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approvals_of_an_earlier_revision_do_not_count() {
    let (t, carl) = team().await;
    let id = t.runbook("tag-management").await["id"].clone();
    ok(&t.go(&t.workstream, "startRunbook", &id).await);
    ok(&t.go(&t.workstream, "submitRunbookForReview", &id).await);
    ok(&t.review(&carl, &id, "APPROVE").await);
    let back = t.review(&t.stakeholder, &id, "REQUEST_CHANGES").await;
    assert_eq!(ok(&back)["status"], "DRAFT");
    let no_comment =
        t.call(&t.stakeholder, "reviewRunbook", json!({ "runbookId": id, "verdict": "REQUEST_CHANGES" })).await;
    assert_eq!(no_comment["userErrors"][0]["code"], "REQUIRED");

    ok(&t.edit(&t.workstream, &id, "# Tag Management Runbook\n\nMandatory tags: CostCenter, Owner.\n").await);
    ok(&t.go(&t.workstream, "submitRunbookForReview", &id).await);
    let r = t.runbook("tag-management").await;
    assert_eq!(r["signOff"], json!({ "consultantApproved": false, "stakeholderApproved": false, "complete": false }));
    ok(&t.review(&t.stakeholder, &id, "APPROVE").await);
    let refused = t.go(&t.consultant, "baselineRunbook", &id).await;
    assert_eq!(refused["userErrors"][0]["code"], "APPROVALS_MISSING", "the consultant approved an earlier revision");
    ok(&t.review(&carl, &id, "APPROVE").await);
    assert_eq!(ok(&t.go(&t.consultant, "baselineRunbook", &id).await)["status"], "BASELINE");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_approves_their_own_revision() {
    let (t, carl) = team().await;
    let id = t.runbook("ami-management").await["id"].clone();
    ok(&t.go(&t.consultant, "startRunbook", &id).await);
    ok(&t.edit(&t.consultant, &id, "# AMI Management Runbook\n\nEC2 Image Builder pipeline.\n").await);
    ok(&t.go(&t.consultant, "submitRunbookForReview", &id).await);
    for verdict in ["APPROVE", "REQUEST_CHANGES"] {
        let own = t.review(&t.consultant, &id, verdict).await;
        assert_eq!(own["userErrors"][0]["code"], "OWN_REVISION", "{verdict}");
    }
    assert_eq!(t.app.count_rows("runbook_reviews").await, 0);
    ok(&t.review(&carl, &id, "APPROVE").await);
}

/// The spec, independent of the code: which roles may call each mutation, and
/// from which state it is legal.
fn allowed(op: &str, role: &str) -> bool {
    match op {
        "startRunbook" | "editRunbook" | "submitRunbookForReview" => matches!(role, "owner" | "carl" | "wanda"),
        "reviewRunbook" => matches!(role, "owner" | "carl" | "stan"),
        "baselineRunbook" | "reviseRunbook" => matches!(role, "owner" | "carl"),
        _ => false,
    }
}

fn legal_from(op: &str) -> &'static str {
    match op {
        "startRunbook" => "TEMPLATE",
        "editRunbook" | "submitRunbookForReview" => "DRAFT",
        "reviewRunbook" | "baselineRunbook" => "IN_REVIEW",
        _ => "BASELINE",
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_illegal_transition_per_state_and_role() {
    let (t, carl) = team().await;
    // One runbook in each state, all written by wanda.
    let template = t.runbook("change-management").await["id"].clone();
    let draft = t.runbook("configuration-management").await["id"].clone();
    ok(&t.go(&t.workstream, "startRunbook", &draft).await);
    let review = t.runbook("availability-continuity-management").await["id"].clone();
    ok(&t.go(&t.workstream, "startRunbook", &review).await);
    ok(&t.go(&t.workstream, "submitRunbookForReview", &review).await);
    let baseline = t.runbook("event-management").await["id"].clone();
    ok(&t.go(&t.workstream, "startRunbook", &baseline).await);
    ok(&t.go(&t.workstream, "submitRunbookForReview", &baseline).await);
    ok(&t.review(&carl, &baseline, "APPROVE").await);
    ok(&t.review(&t.stakeholder, &baseline, "APPROVE").await);
    ok(&t.go(&t.consultant, "baselineRunbook", &baseline).await);
    let before = t.app.count_rows("audit_events").await;

    let ops =
        ["startRunbook", "editRunbook", "submitRunbookForReview", "reviewRunbook", "baselineRunbook", "reviseRunbook"];
    let roles = [
        ("owner", &t.consultant),
        ("carl", &carl),
        ("wanda", &t.workstream),
        ("stan", &t.stakeholder),
        ("stranger", &t.stranger),
    ];
    let mut refusals = 0;
    for (state, id) in [("TEMPLATE", &template), ("DRAFT", &draft), ("IN_REVIEW", &review), ("BASELINE", &baseline)] {
        for op in ops {
            for (role, token) in roles {
                let legal = allowed(op, role) && legal_from(op) == state;
                if legal {
                    continue; // successes are walked in the happy-path tests
                }
                let input = match op {
                    "editRunbook" => json!({ "runbookId": id, "body": "x", "changeSummary": "x" }),
                    "reviewRunbook" => json!({ "runbookId": id, "verdict": "APPROVE" }),
                    _ => json!({ "runbookId": id }),
                };
                let result = t.call(token, op, input).await;
                let what = format!("{op} on {state} by {role}: {result}");
                if role == "stranger" {
                    assert_eq!(error_code(&result), "NOT_FOUND", "{what}");
                } else if !allowed(op, role) {
                    assert_eq!(error_code(&result), "FORBIDDEN", "{what}");
                } else {
                    let code = result["userErrors"][0]["code"].as_str().unwrap_or_else(|| panic!("{what}"));
                    assert!(!code.is_empty(), "{what}");
                    assert!(result["runbook"].is_null(), "{what}");
                }
                refusals += 1;
            }
        }
    }
    assert!(refusals > 100, "{refusals}");
    assert_eq!(t.app.count_rows("audit_events").await, before, "no refusal wrote anything");
    let statuses = [t.runbook("change-management").await, t.runbook("configuration-management").await];
    assert_eq!((statuses[0]["status"].as_str(), statuses[1]["status"].as_str()), (Some("TEMPLATE"), Some("DRAFT")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_edits_never_lose_an_edit_silently() {
    let (t, _) = team().await;
    let rb = t.runbook("event-management").await;
    let id = rb["id"].clone();
    let started = t.go(&t.workstream, "startRunbook", &id).await;
    let version = ok(&started)["version"].as_i64().unwrap();
    let revisions_before = t.app.count_rows("runbook_revisions").await;

    let edits = (0..20).map(|i| {
        let (app, token, id) = (&t.app, if i % 2 == 0 { &t.workstream } else { &t.consultant }, &id);
        async move {
            let q = "mutation($input: EditRunbookInput!) { editRunbook(input: $input) { runbook { version } revision { number } userErrors { code } } }";
            let input = json!({ "input": { "runbookId": id, "body": format!("# Event runbook\n\nEditor {i}\n"), "changeSummary": format!("edit {i}"), "expectedVersion": version } });
            app.gql(token, q, input).await
        }
    });
    let results = futures::future::join_all(edits).await;
    let winners: Vec<_> = results.iter().filter(|r| r.get("errors").is_none()).collect();
    let conflicts: Vec<_> = results.iter().filter(|r| r.get("errors").is_some()).collect();
    assert_eq!(winners.len(), 1, "{results:?}");
    assert_eq!(conflicts.len(), 19);
    for c in &conflicts {
        assert_eq!(error_code(c), "CONFLICT", "{c}");
        assert_eq!(c["errors"][0]["extensions"]["currentVersion"], version + 1);
    }
    assert_eq!(t.app.count_rows("runbook_revisions").await, revisions_before + 1);
    let now = t.runbook("event-management").await;
    assert_eq!(now["version"], version + 1);
    assert_eq!(now["currentRevision"]["number"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn knowledge_base_search_and_markdown_export() {
    let (t, carl) = team().await;
    for (cap, body) in [
        ("patch-management", "Maintenance windows every second Tuesday via Systems Manager."),
        ("tag-management", "Tag policies enforced through AWS Organizations."),
    ] {
        let id = t.runbook(cap).await["id"].clone();
        ok(&t.go(&t.workstream, "startRunbook", &id).await);
        ok(&t.edit(&t.workstream, &id, &format!("# Runbook\n\n## Procedure\n\n{body}\n")).await);
        ok(&t.go(&t.workstream, "submitRunbookForReview", &id).await);
        ok(&t.review(&carl, &id, "APPROVE").await);
        ok(&t.review(&t.stakeholder, &id, "APPROVE").await);
        ok(&t.go(&t.consultant, "baselineRunbook", &id).await);
    }
    let search = "query($id: ID!, $s: String) { engagement(id: $id) { knowledgeBase(search: $s) { totalCount nodes { title } } } }";
    let titles = |d: &Value| {
        d["engagement"]["knowledgeBase"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["title"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let all = t.app.data(&t.stakeholder, search, json!({ "id": t.engagement })).await;
    assert_eq!(all["engagement"]["knowledgeBase"]["totalCount"], 2);
    let found = t.app.data(&t.stakeholder, search, json!({ "id": t.engagement, "s": "tuesday SYSTEMS" })).await;
    assert_eq!(titles(&found), ["Patch Management Runbook"]);
    let by_title = t.app.data(&t.stakeholder, search, json!({ "id": t.engagement, "s": "tag runbook" })).await;
    assert_eq!(titles(&by_title), ["Tag Management Runbook"]);
    let none = t.app.data(&t.stakeholder, search, json!({ "id": t.engagement, "s": "tuesday organizations" })).await;
    assert_eq!(none["engagement"]["knowledgeBase"]["totalCount"], 0);
    let body = t.app.gql(&t.stranger, search, json!({ "id": t.engagement })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");

    // The same document over HTTP, for handing over.
    let url = t.app.url(&format!("/engagements/{}/knowledge-base.md", t.engagement));
    let resp = t.app.http.get(&url).bearer_auth(&t.stakeholder).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/markdown"));
    let doc = resp.text().await.unwrap();
    assert!(doc.starts_with("# Runbooks — Knowledge base"), "{doc}");
    assert!(doc.contains("## Patch Management Runbook") && doc.contains("## Tag Management Runbook"), "{doc}");
    assert!(doc.contains("Maintenance windows every second Tuesday") && doc.contains("#### Procedure"), "{doc}");
    assert!(!doc.contains("Change Management Runbook"), "only baselined runbooks");
    let resp = t.app.http.get(&url).bearer_auth(&t.stranger).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let resp = t.app.http.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let resp = t
        .app
        .http
        .get(t.app.url("/engagements/not-an-id/knowledge-base.md"))
        .bearer_auth(&t.stakeholder)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);

    let md = t
        .app
        .data(
            &t.workstream,
            "query($id: ID!) { engagement(id: $id) { runbooks(filter: {status: BASELINE}) { nodes { markdown } } } }",
            json!({ "id": t.engagement }),
        )
        .await;
    let first = md["engagement"]["runbooks"]["nodes"][0]["markdown"].as_str().unwrap();
    assert!(first.starts_with("# Patch Management Runbook\n") && first.contains("- Status: Baseline"), "{first}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_runbooks_capture_the_customers_architecture() {
    let (t, _) = team().await;
    let caps = t
        .app
        .data(
            &t.consultant,
            r#"{ kit(key: "aws-operations") { capability(key: "patch-management") { id } } }"#,
            json!({}),
        )
        .await;
    let capability = caps["kit"]["capability"]["id"].clone();
    let input = json!({ "engagementId": t.engagement, "capabilityId": capability, "title": "Ivanti patching", "reason": "The customer keeps Ivanti for Windows patching." });
    let created = t.call(&t.workstream, "createCustomRunbook", input.clone()).await;
    let r = ok(&created);
    assert_eq!((r["status"].as_str(), r["kind"].as_str()), (Some("DRAFT"), Some("CUSTOM")));
    assert_eq!(r["currentRevision"]["number"], 1);
    let body = t.call(&t.stakeholder, "createCustomRunbook", input.clone()).await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    let body = t.call(&t.stranger, "createCustomRunbook", input.clone()).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let mut blank = input.clone();
    blank["title"] = json!(" ");
    blank["reason"] = json!("");
    let refused = t.call(&t.consultant, "createCustomRunbook", blank).await;
    assert_eq!(refused["userErrors"].as_array().unwrap().len(), 2);
    let mut wrong = input;
    wrong["capabilityId"] = t.runbook("patch-management").await["id"].clone();
    let body = t.call(&t.consultant, "createCustomRunbook", wrong).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let progress = t.progress().await;
    assert_eq!(progress["runbooksPlanned"], 8, "7 core + 1 custom");
    assert_eq!(t.app.count_rows("runbooks WHERE kind = 'CUSTOM'").await, 1);
}

/// A runbook of `capability` written by wanda and submitted for review; returns its ID.
async fn in_review(t: &Team, capability: &str) -> Value {
    let id = t.runbook(capability).await["id"].clone();
    ok(&t.go(&t.workstream, "startRunbook", &id).await);
    ok(&t.go(&t.workstream, "submitRunbookForReview", &id).await);
    id
}

/// Changes `subject`'s role as `token`; returns the payload.
async fn change_role(t: &Team, token: &str, subject: &str, role: &str) -> Value {
    let member = member_id(&t.app, &t.consultant, &t.engagement, subject).await;
    t.app
        .mutate(token, "changeEngagementMemberRole", "member { role }", json!({ "memberId": member, "role": role }))
        .await
}

fn sign_off(payload: &Value) -> (bool, bool, bool) {
    let s = &ok(payload)["signOff"];
    (s["consultantApproved"] == true, s["stakeholderApproved"] == true, s["complete"] == true)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_for_changes_ends_the_round_and_its_approvals() {
    let (t, carl) = team().await;
    let id = in_review(&t, "patch-management").await;
    ok(&t.review(&carl, &id, "APPROVE").await);
    assert_eq!(sign_off(&t.review(&t.stakeholder, &id, "APPROVE").await), (true, true, true));
    // The stakeholder withdraws with REQUEST_CHANGES; the same revision is resubmitted without an edit.
    ok(&t.review(&t.stakeholder, &id, "REQUEST_CHANGES").await);
    let resubmitted = t.go(&t.workstream, "submitRunbookForReview", &id).await;
    assert_eq!(sign_off(&resubmitted), (false, false, false), "a new round starts empty");
    let refused = t.go(&t.consultant, "baselineRunbook", &id).await;
    assert_eq!(refused["userErrors"][0]["code"], "APPROVALS_MISSING", "{refused}");
    assert_eq!(t.runbook("patch-management").await["status"], "IN_REVIEW");
    // Approvals given in the new round count.
    ok(&t.review(&carl, &id, "APPROVE").await);
    ok(&t.review(&t.stakeholder, &id, "APPROVE").await);
    assert_eq!(ok(&t.go(&t.consultant, "baselineRunbook", &id).await)["status"], "BASELINE");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_person_never_signs_for_both_sides() {
    let (t, carl) = team().await;
    let id = in_review(&t, "change-management").await;
    assert_eq!(sign_off(&t.review(&carl, &id, "APPROVE").await), (true, false, false));
    let twice = t.review(&carl, &id, "APPROVE").await;
    assert_eq!(twice["userErrors"][0]["code"], "ALREADY_APPROVED", "{twice}");

    // Carl cannot make himself a stakeholder.
    let own = change_role(&t, &carl, "carl", "STAKEHOLDER").await;
    assert_eq!(own["userErrors"][0]["code"], "OWN_ROLE", "{own}");

    // Made a stakeholder by the owner, his consultant approval no longer counts.
    let changed = change_role(&t, &t.consultant, "carl", "STAKEHOLDER").await;
    assert_eq!(changed["member"]["role"], "STAKEHOLDER", "{changed}");
    let now = t.runbook("change-management").await;
    assert_eq!(now["signOff"], json!({ "consultantApproved": false, "stakeholderApproved": false, "complete": false }));
    // He approves again, now for the customer; the delivery side still owes an approval.
    assert_eq!(sign_off(&t.review(&carl, &id, "APPROVE").await), (false, true, false));
    let refused = t.go(&t.consultant, "baselineRunbook", &id).await;
    assert_eq!(refused["userErrors"][0]["code"], "APPROVALS_MISSING", "{refused}");
    // Another person approves for delivery: two people, two sides.
    assert_eq!(sign_off(&t.review(&t.consultant, &id, "APPROVE").await), (true, true, true));
    assert_eq!(ok(&t.go(&t.consultant, "baselineRunbook", &id).await)["status"], "BASELINE");
    let voided = t.app.count_rows("runbook_reviews WHERE voided_at IS NOT NULL").await;
    assert_eq!(voided, 1);
    let trail = t
        .app
        .count_rows("audit_events WHERE action = 'member.role_changed' AND summary LIKE '%no longer counts%'")
        .await;
    assert_eq!(trail, 1, "the audit trail says the approval was voided");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leaving_and_rejoining_voids_an_approval() {
    let (t, carl) = team().await;
    let id = in_review(&t, "tag-management").await;
    ok(&t.review(&carl, &id, "APPROVE").await);
    let carl_member = member_id(&t.app, &t.consultant, &t.engagement, "carl").await;
    let removed = t
        .app
        .mutate(&t.consultant, "removeEngagementMember", "removedMemberId", json!({ "memberId": carl_member }))
        .await;
    assert_eq!(removed["userErrors"], json!([]), "{removed}");
    t.join("carl", "STAKEHOLDER").await;
    assert_eq!(sign_off(&t.review(&carl, &id, "APPROVE").await), (false, true, false));
    let refused = t.go(&t.consultant, "baselineRunbook", &id).await;
    assert_eq!(refused["userErrors"][0]["code"], "APPROVALS_MISSING", "{refused}");
    // Voiding touches only open rounds of this engagement: a baselined runbook keeps its sign-off.
    ok(&t.review(&t.consultant, &id, "APPROVE").await);
    ok(&t.go(&t.consultant, "baselineRunbook", &id).await);
    change_role(&t, &t.consultant, "carl", "CONSULTANT").await;
    let baselined = t.runbook("tag-management").await;
    assert_eq!(baselined["signOff"]["complete"], true, "{baselined}");
}

/// Baselines the core runbook of `capability` with `body` (written by wanda, approved by carl and stan).
async fn baseline_with(t: &Team, carl: &str, capability: &str, body: &str) {
    let id = t.runbook(capability).await["id"].clone();
    ok(&t.go(&t.workstream, "startRunbook", &id).await);
    ok(&t.edit(&t.workstream, &id, body).await);
    ok(&t.go(&t.workstream, "submitRunbookForReview", &id).await);
    ok(&t.review(carl, &id, "APPROVE").await);
    ok(&t.review(&t.stakeholder, &id, "APPROVE").await);
    ok(&t.go(&t.consultant, "baselineRunbook", &id).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_knowledge_base_pages_in_the_order_asked_with_and_without_a_search() {
    let (t, carl) = team().await;
    for (capability, body) in [
        ("tag-management", "# Tags\n\nTags are checked in every window.\n"),
        ("patch-management", "# Patching\n\nInstances are patched in a window.\n"),
        ("change-management", "# Changes\n\nA change in a window needs a ticket.\n"),
    ] {
        baseline_with(&t, &carl, capability, body).await;
    }
    let q = "query($id: ID!, $s: String, $o: KnowledgeBaseOrder, $after: String) { engagement(id: $id) {
        knowledgeBase(search: $s, orderBy: $o, first: 2, after: $after) {
          totalCount pageInfo { hasNextPage endCursor } nodes { title baselinedAt } } } }";
    for search in [None, Some("window")] {
        for (field, key) in [("TITLE", "title"), ("BASELINED_AT", "baselinedAt"), ("CREATED_AT", "title")] {
            for direction in ["ASC", "DESC"] {
                let order = json!({ "field": field, "direction": direction });
                let (mut seen, mut after) = (Vec::new(), Value::Null);
                loop {
                    let vars = json!({ "id": t.engagement, "s": search, "o": order, "after": after });
                    let kb = t.app.data(&t.stakeholder, q, vars).await["engagement"]["knowledgeBase"].clone();
                    assert_eq!(kb["totalCount"], 3, "{search:?} {field}: {kb}");
                    seen.extend(kb["nodes"].as_array().unwrap().iter().map(|n| n[key].as_str().unwrap().to_owned()));
                    assert!(seen.len() <= 3, "{search:?} {field} {direction}: paging does not end: {seen:?}");
                    if kb["pageInfo"]["hasNextPage"] != true {
                        break;
                    }
                    after = kb["pageInfo"]["endCursor"].clone();
                }
                assert_eq!(seen.len(), 3, "{search:?} {field} {direction}: no gap, no duplicate: {seen:?}");
                if field != "CREATED_AT" {
                    let mut sorted = seen.clone();
                    sorted.sort();
                    if direction == "DESC" {
                        sorted.reverse();
                    }
                    assert_eq!(seen, sorted, "{search:?} {field} {direction}");
                }
            }
        }
    }
    // Without an order a search ranks; with one, the order wins over the rank.
    let vars = json!({ "id": t.engagement, "s": "window", "o": { "field": "TITLE", "direction": "DESC" } });
    let kb = t.app.data(&t.stakeholder, q, vars).await["engagement"]["knowledgeBase"].clone();
    assert_eq!(kb["nodes"][0]["title"], "Tag Management Runbook", "{kb}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_knowledge_base_is_searched_with_ranks_and_snippets() {
    let (t, carl) = team().await;
    baseline_with(
        &t,
        &carl,
        "patch-management",
        "# Patching\n\nPatch windows: instances are patched in maintenance windows, every window on Tuesday.\n",
    )
    .await;
    baseline_with(&t, &carl, "change-management", "# Changes\n\nA change in a patch window needs a ticket.\n").await;
    baseline_with(&t, &carl, "tag-management", "# Tags\n\nTag policies enforced through AWS Organizations.\n").await;
    let q = "query($id: ID!, $s: String) { engagement(id: $id) { knowledgeBase(search: $s) { totalCount
        edges { rank snippet node { title } } } } }";
    let search = |s: Option<&str>| {
        let (app, token, id) = (&t.app, &t.stakeholder, &t.engagement);
        let s = s.map(str::to_owned);
        async move { app.gql(token, q, json!({ "id": id, "s": s })).await }
    };

    // Stemmed words ("patching windows" finds "patch window"), best match first.
    let found = search(Some("patching windows")).await;
    let edges = found["data"]["engagement"]["knowledgeBase"]["edges"].as_array().unwrap().clone();
    let titles: Vec<_> = edges.iter().map(|e| e["node"]["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Patch Management Runbook", "Change Management Runbook"], "{found}");
    let ranks: Vec<f64> = edges.iter().map(|e| e["rank"].as_f64().unwrap()).collect();
    assert!(ranks[0] > ranks[1] && ranks[1] > 0.0, "{ranks:?}");
    let snippet = edges[0]["snippet"].as_str().unwrap();
    assert!(snippet.to_lowercase().contains("<mark>window"), "{snippet}");

    // Without a search: every baselined runbook, no rank or snippet.
    let all = search(None).await;
    let all = &all["data"]["engagement"]["knowledgeBase"];
    assert_eq!(all["totalCount"], 3);
    assert_eq!((all["edges"][0]["rank"].clone(), all["edges"][0]["snippet"].clone()), (Value::Null, Value::Null));

    // Search syntax of either engine is text, never an error.
    for odd in [r#"NEAR(patch "window"#, "* OR AND -", "\"", "tag*", "'; DROP TABLE runbooks; --"] {
        let body = search(Some(odd)).await;
        assert!(body.get("errors").is_none(), "{odd}: {body}");
    }

    // Over 200 characters or 16 terms: QUERY_TOO_LONG, not INTERNAL.
    let words = vec!["patch"; 1500].join(" ");
    for (long, why) in [(words.as_str(), "1,500 words"), (&"p".repeat(201), "201 characters")] {
        let body = search(Some(long)).await;
        assert_eq!(error_code(&body), "QUERY_TOO_LONG", "{why}: {body}");
    }
    let sixteen = vec!["patch"; 16].join(" ");
    assert!(search(Some(&sixteen)).await.get("errors").is_none());
    let seventeen = vec!["patch"; 17].join(" ");
    assert_eq!(error_code(&search(Some(&seventeen)).await), "QUERY_TOO_LONG");
}
