//! The reports under `/engagements/{id}/reports/…`: each one fetched over
//! HTTP with the GraphQL token, its media type and file name checked, and its
//! content parsed (CSV rows, calendar events, SVG elements, HTML text, PDF text).

use std::collections::HashMap;

use reqwest::StatusCode;
use serde_json::json;

use crate::common::{Team, activity_ids, agree_target, bank, capability, first_of, sprint_id};

/// A response's status, content type, content disposition and body.
struct Fetched {
    status: StatusCode,
    content_type: String,
    disposition: String,
    body: Vec<u8>,
}

impl Fetched {
    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }
}

async fn fetch(t: &Team, token: Option<&str>, path: &str) -> Fetched {
    let mut req = t.app.http.get(t.app.url(path));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    let resp = req.send().await.unwrap();
    let header = |name: &str| resp.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let (status, content_type, disposition) = (resp.status(), header("content-type"), header("content-disposition"));
    Fetched { status, content_type, disposition, body: resp.bytes().await.unwrap().to_vec() }
}

/// Rows of a CSV document, as maps from header to cell.
fn csv_rows(body: &[u8]) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(body);
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| headers.iter().map(str::to_owned).zip(r.unwrap().iter().map(str::to_owned)).collect())
        .collect()
}

/// An engagement with something in every report: a formula-like answer, a
/// deviation, RACI, an assessment, a held and a scheduled session.
async fn furnished() -> (Team, HashMap<String, String>) {
    let t = Team::start("Go-live", "carla").await;
    let app = &t.app;
    let ids = activity_ids(app, &t.consultant, &t.engagement).await;
    let dna = &ids["patch-management/DISCOVERY_AND_ANALYSIS"];
    let design = &ids["patch-management/DESIGN"];
    let question = first_of(&bank(app, &t.consultant, dna).await, "TEXT").clone();
    let input = json!({ "activityId": dna, "questionId": question["id"], "value": { "text": "=HYPERLINK(\"http://evil.test\")" },
        "notes": "@SUM(A1:A9)" });
    app.mutate_ok(&t.workstream, "answerQuestion", "answer { id }", input).await;
    agree_target(app, &t.consultant, dna).await;
    for op in ["startActivity", "completeActivity"] {
        crate::common::transition(app, &t.consultant, op, dna, None).await;
    }
    let input = json!({ "activityId": design, "title": "Ivanti instead of Patch Manager", "description": "-1 tooling",
        "risks": "+Two consoles to watch", "severity": "HIGH", "mitigationPlan": "Weekly compliance export" });
    app.mutate_ok(&t.consultant, "recordDeviation", "deviation { id }", input).await;
    let patch = capability(app, &t.consultant, &t.engagement, "patch-management").await;
    let input = json!({ "engagementId": t.engagement, "capabilityId": patch, "party": "Acme Ops", "role": "A" });
    app.mutate_ok(&t.consultant, "setRaciAssignment", "__typename", input).await;
    let input = json!({ "engagementId": t.engagement, "capabilityId": patch, "level": "PARTIALLY_READY",
        "findings": "Windows fleet patched; Linux pending" });
    app.mutate_ok(&t.consultant, "recordReadinessAssessment", "__typename", input).await;
    let sprint = sprint_id(app, &t.consultant, &t.engagement, 1).await;
    let mut sessions = HashMap::new();
    for (title, starts) in [("Patch deep dive", "2026-12-08T09:00:00Z"), ("Game Day rehearsal", "2026-12-15T13:00:00Z")]
    {
        let input = json!({ "engagementId": t.engagement, "title": title, "phase": "CURRENT_STATE_REVIEW",
            "audience": "ALL", "durationMinutes": 90, "sprintId": sprint, "startsAt": starts });
        let added = app.mutate_ok(&t.consultant, "addWorkshopSession", "session { id }", input).await;
        sessions.insert(title.to_owned(), added["session"]["id"].as_str().unwrap().to_owned());
    }
    let input = json!({ "sessionId": sessions["Patch deep dive"], "notes": "WSUS stays for now" });
    app.mutate_ok(&t.consultant, "recordWorkshopOutcome", "session { status }", input).await;
    (t, sessions)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_report_is_linked_from_graphql_and_only_members_get_it() {
    let (t, _) = furnished().await;
    let data = t
        .app
        .engagement(
            &t.stakeholder,
            &t.engagement,
            "reports { handoverHtml handoverPdf readinessSvg burndownSvg
            answersCsv deviationsCsv raciCsv activitiesCsv sessionsIcs }",
        )
        .await;
    let links = data["reports"].as_object().unwrap();
    assert_eq!(links.len(), 9);
    let expected = [
        ("handoverHtml", "text/html", "inline; filename=\"handover.html\""),
        ("handoverPdf", "application/pdf", "inline; filename=\"handover.pdf\""),
        ("readinessSvg", "image/svg+xml", "inline; filename=\"readiness.svg\""),
        ("burndownSvg", "image/svg+xml", "inline; filename=\"burndown.svg\""),
        ("answersCsv", "text/csv", "attachment; filename=\"answers.csv\""),
        ("deviationsCsv", "text/csv", "attachment; filename=\"deviations.csv\""),
        ("raciCsv", "text/csv", "attachment; filename=\"raci.csv\""),
        ("activitiesCsv", "text/csv", "attachment; filename=\"activities.csv\""),
        ("sessionsIcs", "text/calendar", "attachment; filename=\"sessions.ics\""),
    ];
    for (field, media, disposition) in expected {
        let path = links[field].as_str().unwrap();
        assert!(path.starts_with(&format!("/engagements/{}/reports/", t.engagement)), "{path}");
        let got = fetch(&t, Some(&t.stakeholder), path).await;
        assert_eq!(got.status, StatusCode::OK, "{field}");
        assert!(got.content_type.starts_with(media), "{field}: {}", got.content_type);
        assert_eq!(got.disposition, disposition, "{field}");
        assert!(!got.body.is_empty(), "{field}");
        assert_eq!(fetch(&t, Some(&t.stranger), path).await.status, StatusCode::NOT_FOUND, "{field}");
        assert_eq!(fetch(&t, None, path).await.status, StatusCode::UNAUTHORIZED, "{field}");
    }
    let unknown = fetch(&t, Some(&t.stakeholder), &format!("/engagements/{}/reports/secrets.txt", t.engagement)).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let bad = fetch(&t, Some(&t.stakeholder), "/engagements/not-an-id/reports/raci.csv").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spreadsheets_hold_the_data_and_never_a_formula() {
    let (t, _) = furnished().await;
    let path = |file: &str| format!("/engagements/{}/reports/{file}", t.engagement);

    let answers = csv_rows(&fetch(&t, Some(&t.consultant), &path("answers.csv")).await.body);
    assert_eq!(answers.len(), 1);
    let a = &answers[0];
    assert_eq!(a["capability"], "Patch Management");
    assert_eq!(a["answer"], "'=HYPERLINK(\"http://evil.test\")", "a formula is escaped");
    assert_eq!(a["notes"], "'@SUM(A1:A9)");
    assert_eq!(a["answered_by"], "User wanda");

    let deviations = csv_rows(&fetch(&t, Some(&t.consultant), &path("deviations.csv")).await.body);
    assert_eq!(deviations.len(), 1);
    let d = &deviations[0];
    assert_eq!(
        (d["title"].as_str(), d["severity"].as_str(), d["status"].as_str()),
        ("Ivanti instead of Patch Manager", "HIGH", "OPEN")
    );
    assert_eq!((d["description"].as_str(), d["risks"].as_str()), ("'-1 tooling", "'+Two consoles to watch"));
    assert_eq!(d["mitigation_plan"], "Weekly compliance export");

    let raci = csv_rows(&fetch(&t, Some(&t.consultant), &path("raci.csv")).await.body);
    assert_eq!(raci.len(), 1);
    assert_eq!(
        (raci[0]["capability"].as_str(), raci[0]["party"].as_str(), raci[0]["role"].as_str()),
        ("Patch Management", "Acme Ops", "A")
    );

    let activities = csv_rows(&fetch(&t, Some(&t.consultant), &path("activities.csv")).await.body);
    assert_eq!(activities.len(), 16);
    let done: Vec<&str> = activities.iter().filter(|a| a["status"] == "DONE").map(|a| a["activity"].as_str()).collect();
    assert_eq!(done, ["Patch Management Discovery and Analysis"]);
    assert!(activities.iter().all(|a| !a["kind"].is_empty()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_calendar_and_the_charts_parse() {
    let (t, sessions) = furnished().await;
    let path = |file: &str| format!("/engagements/{}/reports/{file}", t.engagement);

    let ics = fetch(&t, Some(&t.workstream), &path("sessions.ics")).await.text();
    let calendar: icalendar::Calendar = ics.parse().unwrap();
    let events: Vec<&icalendar::Event> = calendar.components.iter().filter_map(|c| c.as_event()).collect();
    use icalendar::Component;
    let scheduled = t
        .app
        .engagement(&t.consultant, &t.engagement, "workshopSessions(first: 100) { nodes { title startsAt } }")
        .await;
    let with_time =
        scheduled["workshopSessions"]["nodes"].as_array().unwrap().iter().filter(|s| s["startsAt"].is_string()).count();
    assert_eq!(events.len(), with_time, "one event per scheduled session");
    let deep_dive = events.iter().find(|e| e.get_summary() == Some("Patch deep dive")).expect("the held session");
    assert_eq!(deep_dive.get_description(), Some("WSUS stays for now"));
    assert_eq!(deep_dive.get_status(), Some(icalendar::EventStatus::Confirmed));
    let uid = deep_dive.get_uid().unwrap();
    assert!(uid.starts_with(&format!("session-{}-", crate::common::raw_id(&sessions["Patch deep dive"]))), "{uid}");
    let rehearsal = events.iter().find(|e| e.get_summary() == Some("Game Day rehearsal")).unwrap();
    assert_eq!(rehearsal.get_status(), Some(icalendar::EventStatus::Tentative));
    assert!(ics.contains("DTSTART:20261215T130000Z") && ics.contains("DTEND:20261215T143000Z"), "{ics}");

    let svg = fetch(&t, Some(&t.workstream), &path("readiness.svg")).await.text();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let rows: Vec<roxmltree::Node> = doc.descendants().filter(|n| n.attribute("class") == Some("capability")).collect();
    assert_eq!(rows.len(), 7, "one row per capability");
    let assessed: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("data-assessed") == Some("true"))
        .map(|n| {
            let row = n.parent().unwrap().attribute("data-capability").unwrap().to_owned();
            (row, n.attribute("data-level").unwrap().to_owned())
        })
        .collect();
    assert_eq!(
        assessed.iter().filter(|(_, level)| level != "NOT_ASSESSED").collect::<Vec<_>>(),
        [&("Patch Management".to_owned(), "PARTIALLY_READY".to_owned())]
    );
    assert_eq!(assessed.len(), 7, "every capability has exactly one level filled");

    let svg = fetch(&t, Some(&t.workstream), &path("burndown.svg")).await.text();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let series: Vec<roxmltree::Node> = doc.descendants().filter(|n| n.attribute("class") == Some("series")).collect();
    assert_eq!(series.len(), 2);
    let today = chrono::Utc::now().date_naive().to_string();
    let activities = series.iter().find(|s| s.attribute("data-series") == Some("Activities remaining")).unwrap();
    let last = activities.descendants().rfind(|n| n.has_tag_name("circle")).unwrap();
    assert_eq!((last.attribute("data-day"), last.attribute("data-value")), (Some(today.as_str()), Some("15")));
}

/// The text of an HTML page: tags dropped, entities of the template decoded, whitespace collapsed.
fn html_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&amp;", "&")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_handover_document_in_html_and_pdf_says_what_was_done() {
    let (t, _) = furnished().await;
    let path = |file: &str| format!("/engagements/{}/reports/{file}", t.engagement);
    let html = fetch(&t, Some(&t.stakeholder), &path("handover.html")).await.text();
    let text = html_text(&html);
    for expected in [
        "Operations handover: Acme Health",
        "1 / 16 activities done",
        "Patch Management",
        "Every change approved by the CAB",
        "PARTIALLY_READY",
        "Windows fleet patched; Linux pending",
        "Ivanti instead of Patch Manager",
        "Weekly compliance export",
        "Acme Ops",
        "No runbook is baselined yet.",
        "Work remaining",
    ] {
        assert!(text.contains(expected), "HTML lacks {expected:?}: {text}");
    }
    assert!(html.contains("<svg") && html.matches("<svg").count() == 2, "both charts inline");

    let pdf = fetch(&t, Some(&t.stakeholder), &path("handover.pdf")).await;
    assert!(pdf.body.starts_with(b"%PDF-"));
    let doc = lopdf::Document::load_mem(&pdf.body).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    assert!(!pages.is_empty());
    let text = doc.extract_text(&pages).unwrap();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Operations handover: Acme Health",
        "Activities done: 1 of 16",
        "Patch Management — PARTIALLY_READY",
        "Target: Every change approved by the CAB",
        "Ivanti instead of Patch Manager",
        "Mitigation: Weekly compliance export",
        "Patch Management: Acme Ops — A",
    ] {
        assert!(text.contains(expected), "PDF lacks {expected:?}: {text}");
    }
}
