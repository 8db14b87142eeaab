//! What happens in the demo's engagements, step by step, as the people who
//! would do it: a consultant runs the engagement, the workstream member
//! answers and writes runbooks, the stakeholder signs off and accepts risks.

use std::collections::HashMap;

use chrono::{Duration, NaiveTime, Utc};
use serde_json::{Value, json};

use super::Person;

/// The demo's people.
pub struct Cast {
    pub consultant: Person,
    pub workstream: Person,
    pub stakeholder: Person,
}

const ACTIVITIES: &str = "query($id: ID!) { engagement(id: $id) { activities(first: 100) {
    nodes { id kind capability { key } questions { question { id answerKind choices scale { min max } } } } } } }";

/// `capability-key/KIND` (or the kind alone for overview activities) → the activity and its questions.
async fn activities(p: &Person, engagement: &str) -> anyhow::Result<HashMap<String, Value>> {
    let data = p.run(ACTIVITIES, json!({ "id": engagement })).await?;
    let nodes = data["engagement"]["activities"]["nodes"].as_array().cloned().unwrap_or_default();
    Ok(nodes
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let key = match a["capability"]["key"].as_str() {
                Some(cap) => format!("{cap}/{}", a["kind"].as_str().unwrap_or_default()),
                None => format!("overview-{i}"),
            };
            (key, a)
        })
        .collect())
}

/// A plausible answer to `question`.
fn answer_for(question: &Value, n: usize) -> Value {
    let texts = [
        "Changes are raised in ServiceNow and approved weekly by the CAB.",
        "Two engineers on call, rotating weekly; runbooks live in Confluence.",
        "WSUS patches Windows; Linux hosts are patched by hand each quarter.",
    ];
    match question["answerKind"].as_str().unwrap_or_default() {
        "YES_NO" => json!({ "yesNo": n.is_multiple_of(2) }),
        "SINGLE_CHOICE" => json!({ "choice": question["choices"][0] }),
        "MULTIPLE_CHOICE" => json!({ "choices": [question["choices"][0]] }),
        "SCALE" => json!({ "scale": question["scale"]["min"].as_i64().unwrap_or(1) + 1 }),
        _ => json!({ "text": texts[n % texts.len()] }),
    }
}

fn id(v: &Value) -> anyhow::Result<String> {
    v.as_str().map(str::to_owned).ok_or_else(|| anyhow::anyhow!("no ID in {v}"))
}

async fn create(c: &Cast, name: &str, customer: &str, days_ago: i64) -> anyhow::Result<String> {
    let starts_on = (Utc::now() - Duration::days(days_ago)).date_naive();
    let input = json!({ "name": name, "customerName": customer, "kitKey": "aws-operations", "kitVersion": "1.0.0",
        "startsOn": starts_on, "sprintLengthDays": 14 });
    let engagement =
        id(&c.consultant.mutate("createEngagement", "engagement { id }", input).await?["engagement"]["id"])?;
    for (subject, role) in [("demo-workstream", "WORKSTREAM_MEMBER"), ("demo-stakeholder", "STAKEHOLDER")] {
        let input = json!({ "engagementId": engagement, "subject": subject, "role": role });
        c.consultant.mutate("addEngagementMember", "member { id }", input).await?;
    }
    c.consultant.mutate("startEngagement", "engagement { id }", json!({ "engagementId": engagement })).await?;
    Ok(engagement)
}

/// Answers the first `count` questions of `activity`, agrees its target and completes it.
async fn discover(c: &Cast, activity: &Value, count: usize, target: &str) -> anyhow::Result<()> {
    let activity_id = id(&activity["id"])?;
    let questions = activity["questions"].as_array().cloned().unwrap_or_default();
    for (n, q) in questions.iter().take(count).enumerate() {
        let input = json!({ "activityId": activity_id, "questionId": q["question"]["id"], "value": answer_for(&q["question"], n) });
        c.workstream.mutate("answerQuestion", "answer { id }", input).await?;
    }
    let input = json!({ "activityId": activity_id, "statement": target, "criteria": ["Documented and owned", "Checked at the Game Day"] });
    c.consultant.mutate("setReadinessTarget", "activity { id }", input).await?;
    for op in ["startActivity", "completeActivity"] {
        c.consultant.mutate(op, "activity { id }", json!({ "activityId": activity_id })).await?;
    }
    Ok(())
}

/// The core runbook of capability `key`.
async fn core_runbook(p: &Person, engagement: &str, key: &str) -> anyhow::Result<String> {
    let query = "query($id: ID!, $cap: String) { engagement(id: $id) { runbooks(filter: { capability: $cap, kind: CORE }) { nodes { id } } } }";
    let data = p.run(query, json!({ "id": engagement, "cap": key })).await?;
    id(&data["engagement"]["runbooks"]["nodes"][0]["id"])
}

/// Takes runbook `runbook` through `steps` of its workflow (`start`, `edit`, `submit`, `baseline`).
async fn runbook(c: &Cast, runbook: &str, steps: &[&str]) -> anyhow::Result<()> {
    let on = json!({ "runbookId": runbook });
    for step in steps {
        match *step {
            "start" => {
                c.workstream.mutate("startRunbook", "runbook { id }", on.clone()).await?;
            }
            "edit" => {
                let input = json!({ "runbookId": runbook, "changeSummary": "Filled in from the workshops",
                    "body": "# Procedure\n\n1. Check the maintenance window.\n2. Run the documented steps.\n3. Record the outcome in the ticket.\n" });
                c.workstream.mutate("editRunbook", "runbook { id }", input).await?;
            }
            "submit" => {
                c.workstream.mutate("submitRunbookForReview", "runbook { id }", on.clone()).await?;
            }
            _ => {
                for reviewer in [&c.consultant, &c.stakeholder] {
                    let input = json!({ "runbookId": runbook, "verdict": "APPROVE", "comment": "Looks right" });
                    reviewer.mutate("reviewRunbook", "runbook { id }", input).await?;
                }
                c.consultant.mutate("baselineRunbook", "runbook { id }", on.clone()).await?;
            }
        }
    }
    Ok(())
}

async fn capability(p: &Person, engagement: &str, key: &str) -> anyhow::Result<String> {
    let data = p
        .run("query($id: ID!) { engagement(id: $id) { kit { capabilities { id key } } } }", json!({ "id": engagement }))
        .await?;
    let caps = data["engagement"]["kit"]["capabilities"].as_array().cloned().unwrap_or_default();
    let found = caps.iter().find(|c| c["key"] == key).ok_or_else(|| anyhow::anyhow!("no capability {key}"))?;
    id(&found["id"])
}

async fn sprint(p: &Person, engagement: &str, number: i64) -> anyhow::Result<(String, chrono::NaiveDate)> {
    let data = p
        .run("query($id: ID!) { engagement(id: $id) { sprints { id number startsOn } } }", json!({ "id": engagement }))
        .await?;
    let sprints = data["engagement"]["sprints"].as_array().cloned().unwrap_or_default();
    let found = sprints.iter().find(|s| s["number"] == number).ok_or_else(|| anyhow::anyhow!("no sprint {number}"))?;
    let starts = serde_json::from_value(found["startsOn"].clone())?;
    Ok((id(&found["id"])?, starts))
}

/// Acme Health, four weeks in: two capabilities discovered and in design,
/// deviations (one accepted, one open), runbooks in every state, a session
/// held and one scheduled, RACI and a first readiness assessment.
pub async fn in_flight(c: &Cast) -> anyhow::Result<String> {
    let e = create(c, "Cloud operations readiness", "Acme Health", 28).await?;
    let acts = activities(&c.consultant, &e).await?;
    let get = |key: &str| acts.get(key).cloned().ok_or_else(|| anyhow::anyhow!("no activity {key}"));
    discover(
        c,
        &get("change-management/DISCOVERY_AND_ANALYSIS")?,
        6,
        "Every production change approved by the CAB and recorded",
    )
    .await?;
    discover(
        c,
        &get("patch-management/DISCOVERY_AND_ANALYSIS")?,
        5,
        "All EC2 instances patched monthly within the maintenance window",
    )
    .await?;
    let tags = get("tag-management/DISCOVERY_AND_ANALYSIS")?;
    for (n, q) in tags["questions"].as_array().cloned().unwrap_or_default().iter().take(3).enumerate() {
        let input = json!({ "activityId": tags["id"], "questionId": q["question"]["id"], "value": answer_for(&q["question"], n) });
        c.workstream.mutate("answerQuestion", "answer { id }", input).await?;
    }
    c.consultant.mutate("startActivity", "activity { id }", json!({ "activityId": tags["id"] })).await?;
    let link = json!({ "activityId": tags["id"], "title": "Acme tagging standard", "url": "https://wiki.acme-health.example/tagging" });
    c.stakeholder.mutate("addDocumentLink", "documentLink { id }", link).await?;

    let change_design = id(&get("change-management/DESIGN")?["id"])?;
    let patch_design = id(&get("patch-management/DESIGN")?["id"])?;
    for design in [&change_design, &patch_design] {
        c.consultant.mutate("startActivity", "activity { id }", json!({ "activityId": design })).await?;
    }
    let adoption = json!({ "activityId": patch_design, "adoption": "CUSTOMER_SOLUTION", "solutionName": "Ivanti Patch for Windows" });
    c.consultant.mutate("setDesignAdoption", "activity { id }", adoption).await?;
    let accepted = json!({ "activityId": patch_design, "title": "Ivanti instead of Patch Manager",
        "description": "Windows servers keep Ivanti; Linux moves to Patch Manager.", "risks": "Two consoles; compliance reported twice.",
        "severity": "MEDIUM", "mitigationPlan": "A weekly compliance export from both tools into one dashboard.", "owner": "Acme Ops" });
    let deviation = c.workstream.mutate("recordDeviation", "deviation { id }", accepted).await?;
    c.stakeholder
        .mutate("acceptDeviationRisk", "deviation { id }", json!({ "deviationId": deviation["deviation"]["id"] }))
        .await?;
    let open = json!({ "activityId": change_design, "title": "No emergency change path", "description": "Emergency changes skip the CAB entirely.",
        "risks": "Unreviewed changes in production.", "severity": "HIGH" });
    c.workstream.mutate("recordDeviation", "deviation { id }", open).await?;

    // Runbooks in every state: TEMPLATE (untouched), DRAFT, IN_REVIEW, BASELINE, RETIRED.
    runbook(c, &core_runbook(&c.consultant, &e, "change-management").await?, &["start", "edit"]).await?;
    runbook(c, &core_runbook(&c.consultant, &e, "tag-management").await?, &["start", "edit", "submit"]).await?;
    runbook(c, &core_runbook(&c.consultant, &e, "event-management").await?, &["start", "edit", "submit", "baseline"])
        .await?;
    let patch = capability(&c.consultant, &e, "patch-management").await?;
    let custom = json!({ "engagementId": e, "capabilityId": patch, "title": "Ivanti patching runbook",
        "reason": "Acme keeps Ivanti for its Windows fleet." });
    let custom = c.workstream.mutate("createCustomRunbook", "runbook { id }", custom).await?;
    let retire = json!({ "runbookId": core_runbook(&c.consultant, &e, "patch-management").await?, "replacedBy": custom["runbook"]["id"],
        "reason": "Replaced by the Ivanti patching runbook." });
    c.consultant.mutate("retireRunbook", "runbook { id }", retire).await?;

    // A session held in sprint 1, one scheduled in sprint 3.
    let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default();
    for (number, title, held) in [(1, "Patch management deep dive", true), (3, "Tag management design review", false)] {
        let (sprint_id, starts_on) = sprint(&c.consultant, &e, number).await?;
        let starts_at = (starts_on + Duration::days(2)).and_time(nine).and_utc();
        let input = json!({ "engagementId": e, "title": title, "phase": "CURRENT_STATE_REVIEW", "audience": "ALL",
            "durationMinutes": 90, "sprintId": sprint_id, "startsAt": starts_at });
        let session = c.consultant.mutate("addWorkshopSession", "session { id }", input).await?;
        if held {
            let outcome = json!({ "sessionId": session["session"]["id"], "notes": "WSUS stays for Windows; Linux moves to Patch Manager.",
                "outcomes": ["Pilot Patch Manager on ten Linux hosts"] });
            c.workstream.mutate("recordWorkshopOutcome", "session { id }", outcome).await?;
        }
    }
    for (key, party, role) in [
        ("change-management", "Acme Change Board", "A"),
        ("change-management", "Acme Ops", "R"),
        ("patch-management", "Acme Ops", "A"),
    ] {
        let input = json!({ "engagementId": e, "capabilityId": capability(&c.consultant, &e, key).await?, "party": party, "role": role });
        c.consultant.mutate("setRaciAssignment", "__typename", input).await?;
    }
    let assess = json!({ "engagementId": e, "capabilityId": patch, "level": "PARTIALLY_READY",
        "findings": "Windows fleet compliant; Linux patching still manual." });
    c.consultant.mutate("recordReadinessAssessment", "__typename", assess).await?;
    Ok(e)
}

/// Initech, handed over: every activity done, runbooks baselined or retired, closed.
pub async fn closed(c: &Cast) -> anyhow::Result<String> {
    let e = create(c, "Landing zone operations", "Initech", 120).await?;
    let acts = activities(&c.consultant, &e).await?;
    let mut keys: Vec<&String> = acts.keys().collect();
    keys.sort_by_key(|k| (k.ends_with("/DESIGN"), k.to_string()));
    for key in keys {
        let activity = &acts[key];
        if key.ends_with("/DISCOVERY_AND_ANALYSIS") {
            discover(c, activity, 2, "Operated by the Initech platform team with documented procedures").await?;
        } else {
            for op in ["startActivity", "completeActivity"] {
                c.consultant.mutate(op, "activity { id }", json!({ "activityId": activity["id"] })).await?;
            }
        }
    }
    let all = c
        .consultant
        .run(
            "query($id: ID!) { engagement(id: $id) { runbooks(first: 100) { nodes { id capability { key } } } } }",
            json!({ "id": e }),
        )
        .await?;
    for rb in all["engagement"]["runbooks"]["nodes"].as_array().cloned().unwrap_or_default() {
        let rb_id = id(&rb["id"])?;
        if rb["capability"]["key"] == "change-management" || rb["capability"]["key"] == "patch-management" {
            runbook(c, &rb_id, &["start", "edit", "submit", "baseline"]).await?;
        } else {
            let input = json!({ "runbookId": rb_id, "reason": "Initech runs this with its existing tooling." });
            c.consultant.mutate("retireRunbook", "runbook { id }", input).await?;
        }
    }
    c.consultant.mutate("closeEngagement", "engagement { id }", json!({ "engagementId": e })).await?;
    Ok(e)
}
