//! "Run it from my app": the page writes a console snippet; the test runs it in a lab "frontend"
//! tab exactly as the DevTools console would (`Runtime.evaluate`, the `confirm()` accepted over
//! CDP), opens the link it returns, and checks the verdict for the frontend's origin against
//! Chromium's own verdict in that tab; then the side-by-side view against the page's own check.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chromiumoxide::cdp::browser_protocol::page::{
    EventJavascriptDialogOpening, HandleJavaScriptDialogParams,
};
use chromiumoxide::cdp::js_protocol::runtime::EvaluateParams;
use futures::StreamExt;
use serde_json::Value;

use crate::util::{Form, Harness, Tab};
use crate::verdict::{agrees, ChromiumSays};

/// The page's `app-snippet` for `form` (the section opened as a user opens it).
async fn snippet_for(tab: &Tab, page_url: &str, form: &Form) -> String {
    tab.open(page_url).await;
    tab.fill_form(form).await;
    tab.eval("document.querySelector('.app-run details').open = true")
        .await;
    tab.wait_for(
        "document.querySelector('[data-testid=app-snippet]') !== null \
         && document.querySelector('[data-testid=app-bookmarklet]') !== null",
        Duration::from_secs(10),
    )
    .await;
    let text = tab
        .eval("document.querySelector('[data-testid=app-snippet]').textContent")
        .await;
    let href = tab
        .eval("document.querySelector('[data-testid=app-bookmarklet]').getAttribute('href')")
        .await;
    let text = text.as_str().unwrap_or_default().to_string();
    let href = href.as_str().unwrap_or_default();
    assert!(
        href.starts_with("javascript:") && href.len() > text.len(),
        "the bookmarklet is not the snippet: {href}"
    );
    text
}

/// Runs `snippet` in `tab` as the console does, accepting its `confirm()`; the link it returns.
async fn run_in(tab: &Tab, snippet: &str) -> (String, Vec<String>) {
    let mut dialogs = tab
        .page
        .event_listener::<EventJavascriptDialogOpening>()
        .await
        .expect("listen for dialogs");
    let page = tab.page.clone();
    let asked: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = asked.clone();
    let accept = tokio::spawn(async move {
        while let Some(dialog) = dialogs.next().await {
            seen.lock().map(|mut s| s.push(dialog.message.clone())).ok();
            let _ = page.execute(HandleJavaScriptDialogParams::new(true)).await;
        }
    });
    let params = EvaluateParams::builder()
        .expression(snippet)
        .await_promise(true)
        .return_by_value(true)
        .build()
        .expect("evaluate params");
    let result = tokio::time::timeout(
        Duration::from_secs(60),
        tab.page.evaluate_expression(params),
    )
    .await
    .expect("the snippet settles within 60 s")
    .unwrap_or_else(|e| panic!("the snippet threw: {e}\n{snippet}"));
    accept.abort();
    let asked = asked.lock().map(|a| a.clone()).unwrap_or_default();
    let link = result
        .value()
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("the snippet returned no link: {:?}", result.value()))
        .to_string();
    (link, asked)
}

/// Opens the snippet's link in `tab` and returns the report it shows.
async fn open_link(tab: &Tab, link: &str) -> Value {
    // From another document, so the link is a fresh load (not a same-page fragment change).
    tab.page.goto("about:blank").await.expect("leave the page");
    tab.page.goto(link).await.expect("open the link");
    tab.wait_for(
        "document.querySelector('[data-testid=report]')?.dataset.status === 'done'",
        Duration::from_secs(20),
    )
    .await;
    tab.report().await
}

struct Row {
    name: &'static str,
    /// The API path (on the lab's primary port); `{front}` is the frontend's origin.
    api: &'static str,
    method: &'static str,
    headers: Option<&'static str>,
    credentials: bool,
    /// The frontend page (on the lab's secondary port).
    frontend: &'static str,
    /// The link's top cause: this code or one under it.
    expected: &'static str,
    chromium: ChromiumSays,
}

const ROWS: &[Row] = &[
    Row {
        name: "allowed only for the frontend",
        api: "/redirect-target?allow={front}&case=app-allowed",
        method: "PUT",
        headers: Some("X-Trace-One: 1"),
        credentials: false,
        frontend: "/frontend",
        expected: "ok",
        chromium: ChromiumSays::Delivered(Some(200)),
    },
    Row {
        name: "* with credentials",
        api: "/wildcard-credentials?case=app-wildcard",
        method: "GET",
        headers: None,
        credentials: true,
        frontend: "/frontend",
        // As from the page: the probes cannot tell `*` from a missing Allow-Credentials (both
        // rank; the curl command settles it), so the family is the verdict.
        expected: "response/credentials",
        chromium: ChromiumSays::CorsError(&["WildcardOriginNotAllowed"], None),
    },
    Row {
        name: "the app's CSP refuses the URL",
        api: "/redirect-target?allow={front}&case=app-csp",
        method: "GET",
        headers: None,
        credentials: false,
        frontend: "/frontend-csp",
        expected: "network/content-security-policy",
        chromium: ChromiumSays::NothingSent,
    },
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_snippet_checks_from_the_apps_origin_and_the_link_shows_it() {
    let harness = Harness::start().await;
    let page = harness.chromium.tab().await;
    let front = harness.lab.secondary_origin();
    let mut failures = Vec::new();
    for row in ROWS {
        let url = harness.lab.url(&row.api.replace("{front}", &front));
        let form = Form {
            url: url.clone(),
            method: Some(row.method.into()),
            headers: row.headers.map(str::to_string),
            credentials: row.credentials,
            ..Form::default()
        };
        let snippet = snippet_for(&page, &harness.site.page_url(), &form).await;
        if snippet.len() >= 4096 {
            failures.push(format!(
                "{}: the snippet is {} bytes",
                row.name,
                snippet.len()
            ));
        }
        let app = harness.chromium.tab().await;
        app.page
            .goto(format!("{front}{}", row.frontend))
            .await
            .expect("open the frontend");
        let (link, asked) = run_in(&app, &snippet).await;
        if asked.len() != 1 || !asked[0].contains(&front) {
            failures.push(format!("{}: asked {asked:?} before sending", row.name));
        }
        let records = app.chromium_records(&url, row.method).await;
        if let Err(why) = agrees(row.chromium, &records) {
            failures.push(format!("{}: {why}; Chromium saw {records:?}", row.name));
        }
        drop(app);
        let before = harness.lab.requests().len();
        let report = open_link(&page, &link).await;
        if std::env::var_os("CORS_DOCTOR_DEBUG_APP").is_some() {
            eprintln!("{}: link {link}\nreport {report:#}", row.name);
        }
        let sent = harness.lab.requests().len() - before;
        let top = report["causes"][0]["code"].as_str().unwrap_or_default();
        if !(top == row.expected || top.starts_with(&format!("{}/", row.expected))) {
            failures.push(format!(
                "{}: the link's top cause is {top}, expected {} ({})",
                row.name, row.expected, report["causes"][0]["summary"]
            ));
        }
        if report["source"] != "app" || report["checked_from"] != Value::String(front.clone()) {
            failures.push(format!(
                "{}: source {} checked_from {}",
                row.name, report["source"], report["checked_from"]
            ));
        }
        let shown = page
            .eval("document.querySelector('[data-testid=checked-from]')?.dataset.origin ?? null")
            .await;
        if shown != Value::String(front.clone()) {
            failures.push(format!("{}: checked-from shows {shown}", row.name));
        }
        if sent != 0 {
            failures.push(format!(
                "{}: opening the link sent {sent} request(s)",
                row.name
            ));
        }
        if link.contains("X-Trace") && !link.contains("observations=") {
            failures.push(format!("{}: not an observations link: {link}", row.name));
        }
    }
    harness.stop().await;
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Allowed from the app, refused from this page: the side-by-side view says why, and that there
/// is nothing to fix.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_views_side_by_side_explain_the_difference() {
    let harness = Harness::start().await;
    let page = harness.chromium.tab().await;
    let front = harness.lab.secondary_origin();
    let url = harness
        .lab
        .url(&format!("/redirect-target?allow={front}&case=app-compare"));
    let form = Form {
        url,
        ..Form::default()
    };
    let snippet = snippet_for(&page, &harness.site.page_url(), &form).await;
    let app = harness.chromium.tab().await;
    app.page
        .goto(format!("{front}/frontend"))
        .await
        .expect("open the frontend");
    let (link, _) = run_in(&app, &snippet).await;
    drop(app);
    let from_app = open_link(&page, &link).await;
    assert_eq!(from_app["causes"][0]["code"], "ok", "{from_app}");
    // The form is filled from the link; the user now checks from this page.
    page.eval("document.querySelector('[data-testid=run]').click()")
        .await;
    page.wait_for(
        "document.querySelector('[data-testid=app-compare]') !== null",
        Duration::from_secs(30),
    )
    .await;
    let compared = page
        .eval("(e => [e.textContent, e.dataset.same])(document.querySelector('[data-testid=app-compare]'))")
        .await;
    let (text, same) = (compared[0].clone(), compared[1].clone());
    let here = page.report().await;
    harness.stop().await;
    let text = text.as_str().unwrap_or_default();
    assert!(
        here["causes"][0]["code"]
            .as_str()
            .is_some_and(|c| c.starts_with("response/allow-origin")),
        "this page's check: {here}"
    );
    assert_eq!(same, "false");
    assert!(
        text.contains("Allowed for your app's origin")
            && text.contains(&front)
            && text.contains("Nothing to fix"),
        "the comparison says: {text}"
    );
}

/// A broken `#observations=` link: a notice that says why, the form left empty, nothing sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_link_is_refused_with_a_notice_and_sends_nothing() {
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    let page = harness.site.page_url();
    let mut failures = Vec::new();
    for (fragment, code) in [
        ("observations=%7Bnot%20json", "input/invalid-url"),
        ("observations=%7B%22v%22%3A9%7D", "input/invalid-url"),
    ] {
        tab.page.goto("about:blank").await.expect("leave the page");
        tab.open(&format!("{page}#{fragment}")).await;
        tab.wait_for(
            "document.querySelector('[data-testid=app-link-notice]') !== null",
            Duration::from_secs(10),
        )
        .await;
        let shown = tab
            .eval(
                "(n => [n.dataset.code, n.textContent, document.querySelector('[data-testid=report]')?.dataset.status ?? null, \
                 document.querySelector('[data-testid=url]').value])(document.querySelector('[data-testid=app-link-notice]'))",
            )
            .await;
        if shown[0] != code
            || !shown[1]
                .as_str()
                .unwrap_or_default()
                .contains("nothing was sent")
        {
            failures.push(format!("{fragment}: notice {shown}"));
        }
        if shown[2] == "done" || shown[3] != "" {
            failures.push(format!("{fragment}: the page acted on it: {shown}"));
        }
    }
    let sent = harness.lab.requests().len();
    harness.stop().await;
    assert_eq!(sent, 0, "a broken link sent requests");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A public app calling an API on loopback: Chromium 156 applies Local Network Access, which
/// refuses an insecure public page outright (no private-network preflight any more; see
/// deviations.md). Chromium is told that the frontend's port is public and that `app.example` is
/// 127.0.0.1, so the app's origin is `http://app.example:<port>`, a public name, as in real life.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_app_calling_loopback_meets_local_network_access() {
    let dist = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dist");
    let site = crate::util::StaticSite::start(dist).await;
    let lab = cors_doctor::lab::Lab::start()
        .await
        .expect("start the CORS lab");
    let port = lab.secondary_port();
    let chromium = crate::util::Chromium::launch_with(&[
        "host-resolver-rules=MAP app.example 127.0.0.1".to_string(),
        format!("ip-address-space-overrides=127.0.0.1:{port}=public"),
    ])
    .await;
    let front = format!("http://app.example:{port}");
    let url = lab.url("/simple-ok?case=app-lna");
    let page = chromium.tab().await;
    let form = Form {
        url: url.clone(),
        ..Form::default()
    };
    let snippet = snippet_for(&page, &site.page_url(), &form).await;
    let app = chromium.tab().await;
    app.page
        .goto(format!("{front}/frontend"))
        .await
        .expect("open the frontend");
    let (link, _) = run_in(&app, &snippet).await;
    let refused = "more-private address space `loopback`";
    app.wait_for_console(refused, Duration::from_secs(5)).await;
    let console = app.console_lines();
    drop(app);
    let report = open_link(&page, &link).await;
    let reached = lab
        .requests()
        .iter()
        .filter(|r| r.query.contains("case=app-lna"))
        .count();
    chromium.close().await;
    lab.shutdown().await;
    drop(site);
    assert!(
        console.iter().any(|l| l.contains(refused)),
        "Chromium did not refuse it for Local Network Access: {console:?}"
    );
    assert_eq!(reached, 0, "Chromium sent the requests anyway");
    assert_eq!(report["checked_from"], front.as_str(), "{report}");
    assert_eq!(
        report["causes"][0]["code"], "network/local-network-access",
        "{report:#}"
    );
}
