//! Checked as a person would, with tools beyond Rust (`.ci/run` installs
//! them; run with `--ignored`): the demo's reports rendered by headless
//! Chromium and poppler, and the example report scripts run against the demo.

use std::{collections::HashMap, path::Path, process::Command};

use crate::common::{ID_KEY, SECRET, TestApp, TestDb};

/// A server on a database seeded by `opskit demo`, and the demo's variables.
async fn demo() -> (TestApp, HashMap<String, String>) {
    let db = TestDb::empty().await;
    let out = Command::new(env!("CARGO_BIN_EXE_opskit"))
        .arg("demo")
        .env("DATABASE_URL", &db.url)
        .env("OPSKIT_JWT_SECRET", SECRET)
        .env("OPSKIT_ID_KEY", ID_KEY)
        .env("OPSKIT_LOG", "error")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let vars = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    (TestApp::start_on(db, |_| {}).await, vars)
}

async fn download(app: &TestApp, token: &str, engagement: &str, file: &str, to: &Path) {
    let url = app.url(&format!("/engagements/{engagement}/reports/{file}"));
    let resp = app.http.get(url).bearer_auth(token).send().await.unwrap();
    assert!(resp.status().is_success(), "{file}: {}", resp.status());
    std::fs::write(to, resp.bytes().await.unwrap()).unwrap();
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and poppler-utils; .ci/run installs them"]
async fn the_handover_renders_in_a_browser_and_as_pdf_pages() {
    let (app, vars) = demo().await;
    let dir = tempfile::tempdir().unwrap();
    let (token, engagement) = (&vars["OPSKIT_STAKEHOLDER_TOKEN"], &vars["OPSKIT_DEMO_ENGAGEMENT"]);
    let html = dir.path().join("handover.html");
    download(&app, token, engagement, "handover.html", &html).await;

    // What Chromium lays out: printed to PDF, its text read back by poppler.
    let printed = dir.path().join("printed.pdf");
    let chromium = |args: &[&str]| {
        let mut cmd = Command::new("chromium");
        cmd.args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"])
            .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
            .args(args);
        cmd
    };
    run(chromium(&[&format!("--print-to-pdf={}", printed.display()), "--no-pdf-header-footer"]).arg(&html));
    let text = words(&run(Command::new("pdftotext").arg(&printed).arg("-")));
    for expected in [
        "Operations handover: Acme Health",
        "Ivanti instead of Patch Manager",
        "PARTIALLY_READY",
        "Acme Change Board",
        "Work remaining",
    ] {
        assert!(text.contains(expected), "the browser shows no {expected:?}: {text}");
    }
    // And a screenshot, as the README shows it.
    let shot = dir.path().join("handover.png");
    run(chromium(&[&format!("--screenshot={}", shot.display()), "--window-size=1000,1400"]).arg(&html));
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000, "a real page, {} bytes", png.len());
    if std::env::var_os("OPSKIT_UPDATE_SCREENSHOT").is_some() {
        std::fs::copy(&shot, concat!(env!("CARGO_MANIFEST_DIR"), "/docs/handover.png")).unwrap();
    }

    // The PDF as pages: poppler renders every page, and its text has the data.
    let pdf = dir.path().join("handover.pdf");
    download(&app, token, engagement, "handover.pdf", &pdf).await;
    run(Command::new("pdftoppm").args(["-png", "-r", "50"]).arg(&pdf).arg(dir.path().join("page")));
    let pages = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("page"));
    assert!(pages.count() >= 2, "the handover PDF has pages");
    let text = words(&run(Command::new("pdftotext").arg(&pdf).arg("-")));
    for expected in [
        "Operations handover: Acme Health",
        "Mitigation: A weekly compliance export",
        "Patch Management — PARTIALLY_READY",
    ] {
        assert!(text.contains(expected), "the PDF shows no {expected:?}: {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs jq, curl and python gql; .ci/run installs them"]
async fn the_example_report_scripts_run_against_the_demo() {
    let (app, vars) = demo().await;
    let dir = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let env = |cmd: &mut Command| {
        cmd.env("OPSKIT_URL", &app.base)
            .env("OPSKIT_TOKEN", &vars["OPSKIT_STAKEHOLDER_TOKEN"])
            .env("OPSKIT_ENGAGEMENT", &vars["OPSKIT_DEMO_ENGAGEMENT"])
            .env("OPSKIT_OUT", dir.path().join("handover.pdf"));
    };
    let mut shell = Command::new("bash");
    shell.arg(format!("{root}/examples/report.sh"));
    env(&mut shell);
    let out = tokio::task::spawn_blocking(move || run(&mut shell)).await.unwrap();
    assert!(out.contains("Acme Health: Cloud operations readiness [ACTIVE]"), "{out}");
    assert!(out.contains("[HIGH] No emergency change path: OPEN (no mitigation plan)"), "{out}");
    assert!(out.contains("Runbooks baselined:  1/"), "{out}");
    assert!(std::fs::read(dir.path().join("handover.pdf")).unwrap().starts_with(b"%PDF-"));

    let mut python = Command::new(format!("{root}/examples/.venv/bin/python"));
    python.arg(format!("{root}/examples/report.py"));
    env(&mut python);
    let out = tokio::task::spawn_blocking(move || run(&mut python)).await.unwrap();
    assert!(out.contains("Acme Health: Cloud operations readiness [ACTIVE]"), "{out}");
    let patch = out.lines().find(|l| l.starts_with("Patch Management")).unwrap_or_else(|| panic!("{out}"));
    assert!(patch.contains("DONE") && patch.contains("PARTIALLY_READY"), "{patch}");
    assert!(out.contains("findings: Windows fleet compliant; Linux patching still manual."), "{out}");
}
