//! Accessibility: axe-core (npm, pinned in scripts/setup) finds no violation on the idle page, a
//! page with a finished report (the fix written for a stack, the history filled), a page with form
//! problems, a page with an analysed paste in the server view and a check still running, in the
//! light and the dark theme, and on a 360 px screen. The page also marks when its form is
//! interactive (the page benchmark reads the mark).

use std::time::Duration;

use chromiumoxide::cdp::browser_protocol::emulation::{
    MediaFeature, SetDeviceMetricsOverrideParams, SetEmulatedMediaParams,
};
use serde_json::Value;

use crate::util::{axe_source, Form, Harness, Tab};

const BACKGROUND: &str = "getComputedStyle(document.body).backgroundColor";
/// `--bg` of each theme in static/style.css: proves the theme under test is the one applied.
const THEMES: [(&str, &str); 2] = [("light", "rgb(250, 250, 248)"), ("dark", "rgb(23, 25, 28)")];

/// One line per violation and node: rule, impact, help, the node's selector and its markup.
fn describe(state: &str, violations: &[Value]) -> Vec<String> {
    let mut lines = Vec::new();
    for v in violations {
        let nodes = v["nodes"].as_array().cloned().unwrap_or_default();
        lines.push(format!(
            "[{state}] {} ({}): {} — {} node(s), {}",
            v["id"].as_str().unwrap_or("?"),
            v["impact"].as_str().unwrap_or("?"),
            v["help"].as_str().unwrap_or("?"),
            nodes.len(),
            v["helpUrl"].as_str().unwrap_or(""),
        ));
        for n in nodes {
            let html: String = n["html"].as_str().unwrap_or("").chars().take(240).collect();
            lines.push(format!(
                "    target {}\n      html {html}\n      {}",
                n["target"],
                n["summary"]
                    .as_str()
                    .unwrap_or("")
                    .replace('\n', "\n      ")
            ));
        }
    }
    lines
}

async fn emulate_theme(tab: &Tab, scheme: &str) {
    let media = SetEmulatedMediaParams::builder()
        .features(vec![MediaFeature::new("prefers-color-scheme", scheme)])
        .build();
    tab.page
        .execute(media)
        .await
        .expect("emulate colour scheme");
}

/// Runs axe on the page as it stands, after checking the theme really is `theme`.
async fn audit(tab: &Tab, axe: &str, state: &str, theme: &str, failures: &mut Vec<String>) {
    let want = THEMES
        .iter()
        .find(|(t, _)| *t == theme)
        .map(|(_, bg)| *bg)
        .unwrap_or_default();
    let background = tab.eval(BACKGROUND).await;
    if background != want {
        failures.push(format!(
            "[{state}, {theme}] the page's background is {background}, not the {theme} theme's {want}"
        ));
        return;
    }
    let violations = tab.axe_violations(axe).await;
    failures.extend(describe(&format!("{state}, {theme}"), &violations));
}

/// A check against the lab whose report has a preflight, a refused header, server-fixable causes
/// (so the stack picker and a fix show) and curl commands.
fn report_form(harness: &Harness, tag: &str) -> Form {
    Form {
        url: harness
            .lab
            .url(&format!("/header-not-allowed?case=a11y-{tag}")),
        method: Some("PUT".into()),
        headers: Some("Content-Type: application/json\nX-Trace-Three: 3".into()),
        body: Some("{}".into()),
        ..Form::default()
    }
}

/// Runs the check and picks a stack, so the page shows a finished report with a written fix.
async fn finished_report(tab: &Tab, page: &str, form: &Form) {
    tab.check(page, form).await;
    tab.eval(
        "(() => { const s = document.querySelector('[data-testid=stack]'); s.value = s.options[s.options.length > 1 ? 1 : 0].value; \
         s.dispatchEvent(new Event('change', { bubbles: true })); })()",
    )
    .await;
    tab.wait_for(
        "document.querySelector('[data-testid=fix-snippet]') !== null",
        Duration::from_secs(20),
    )
    .await;
}

/// Fills the form with a bad URL and a bad header line and presses Check: problems show.
async fn form_problems(tab: &Tab, page: &str) {
    tab.open(page).await;
    tab.fill_form(&Form {
        url: "htp:/not a url".into(),
        headers: Some("this line has no colon".into()),
        ..Form::default()
    })
    .await;
    tab.eval("document.querySelector('[data-testid=run]').click()")
        .await;
    tab.wait_for(
        "['url', 'headers'].every(f => document.querySelector(`[data-testid=problem][data-field=${f}]`) !== null)",
        Duration::from_secs(10),
    )
    .await;
}

/// Starts a check against a slow lab path and waits until the progress table shows.
async fn running_check(tab: &Tab, page: &str, url: &str) {
    tab.open(page).await;
    tab.fill_form(&Form {
        url: url.into(),
        ..Form::default()
    })
    .await;
    tab.eval("document.querySelector('[data-testid=run]').click()")
        .await;
    tab.wait_for(
        "document.querySelector('[data-testid=report]').dataset.status === 'running' \
         && document.querySelector('[data-testid=probe-progress]') !== null \
         && document.querySelector('[data-testid=cancel]') !== null",
        Duration::from_secs(5),
    )
    .await;
}

/// Pastes Chromium's console text for a blocked request into the evidence box and analyses it.
pub async fn analysed_paste(tab: &Tab, page: &str, url: &str) {
    tab.open(page).await;
    tab.clear_console();
    tab.eval(&format!(
        "fetch({}).then(r => r.text()).catch(() => null)",
        serde_json::to_string(url).unwrap_or_default()
    ))
    .await;
    assert!(
        tab.wait_for_console("CORS policy", Duration::from_secs(5))
            .await,
        "no CORS console message for {url}: {:?}",
        tab.console_lines()
    );
    tab.fill("evidence", &tab.console_lines().join("\n")).await;
    tab.eval("document.querySelector('[data-testid=evidence-run]').click()")
        .await;
    tab.wait_for(
        "(() => { const r = document.querySelector('[data-testid=report]'); const j = document.querySelector('[data-testid=report-json]'); \
         return r.dataset.status === 'done' && j !== null && JSON.parse(j.textContent).source === 'console'; })()",
        Duration::from_secs(20),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_violation_in_either_theme() {
    let axe = axe_source();
    let harness = Harness::start().await;
    let page = harness.site.page_url();
    let mut failures = Vec::new();
    for (theme, _) in THEMES {
        // A fresh tab per theme; the theme comes from the (emulated) system setting.
        let tab = harness.chromium.tab().await;
        emulate_theme(&tab, theme).await;

        tab.open(&page).await;
        audit(&tab, &axe, "idle", theme, &mut failures).await;

        finished_report(&tab, &page, &report_form(&harness, theme)).await;
        audit(&tab, &axe, "report", theme, &mut failures).await;

        // "Run it from my app's origin" opened: the snippet and the bookmarklet.
        tab.eval("document.querySelector('.app-run details').open = true")
            .await;
        tab.wait_for(
            "document.querySelector('[data-testid=app-snippet]') !== null",
            Duration::from_secs(10),
        )
        .await;
        audit(&tab, &axe, "app snippet", theme, &mut failures).await;

        form_problems(&tab, &page).await;
        audit(&tab, &axe, "form problems", theme, &mut failures).await;

        analysed_paste(&tab, &page, &harness.lab.url("/acao-missing?case=a11y")).await;
        audit(&tab, &axe, "server view", theme, &mut failures).await;

        running_check(
            &tab,
            &page,
            &harness.lab.url("/simple-ok?delay_ms=8000&case=a11y"),
        )
        .await;
        audit(&tab, &axe, "running", theme, &mut failures).await;
        tab.eval("document.querySelector('[data-testid=cancel]').click()")
            .await;
        tab.wait_for(
            "document.querySelector('[data-testid=report]').dataset.status === 'done'",
            Duration::from_secs(10),
        )
        .await;
    }
    harness.stop().await;
    assert!(
        failures.is_empty(),
        "axe-core violations:\n{}",
        failures.join("\n")
    );
}

/// The toggle (not the system) forcing dark over a light system, and a 360 px screen with a
/// report: the same rules hold.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_violation_with_the_toggle_and_at_360_px() {
    let axe = axe_source();
    let harness = Harness::start().await;
    let page = harness.site.page_url();
    let mut failures = Vec::new();
    let tab = harness.chromium.tab().await;
    emulate_theme(&tab, "light").await;
    tab.open(&page).await;
    // system → dark
    tab.eval("document.querySelector('[data-testid=theme]').click()")
        .await;
    tab.wait_for(
        "document.documentElement.dataset.theme === 'dark'",
        Duration::from_secs(5),
    )
    .await;
    audit(&tab, &axe, "idle, toggled", "dark", &mut failures).await;

    let metrics = SetDeviceMetricsOverrideParams::builder()
        .width(360)
        .height(740)
        .device_scale_factor(2.0)
        .mobile(true)
        .build()
        .expect("metrics");
    tab.page.execute(metrics).await.expect("360 px");
    finished_report(&tab, &page, &report_form(&harness, "narrow")).await;
    audit(&tab, &axe, "report, 360 px, toggled", "dark", &mut failures).await;
    // dark → light (forced)
    tab.eval("document.querySelector('[data-testid=theme]').click()")
        .await;
    tab.wait_for(
        "document.documentElement.dataset.theme === 'light'",
        Duration::from_secs(5),
    )
    .await;
    audit(
        &tab,
        &axe,
        "report, 360 px, toggled",
        "light",
        &mut failures,
    )
    .await;
    form_problems(&tab, &page).await;
    audit(&tab, &axe, "form problems, 360 px", "light", &mut failures).await;
    harness.stop().await;
    assert!(
        failures.is_empty(),
        "axe-core violations:\n{}",
        failures.join("\n")
    );
}

/// The page marks `cors-doctor-interactive` once, after its first render, after navigation
/// started; the page benchmark reads it (no timing threshold here).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_marks_when_the_form_is_interactive() {
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    tab.open(&harness.site.page_url()).await;
    tab.wait_for(
        "performance.getEntriesByName('cors-doctor-interactive').length > 0",
        Duration::from_secs(5),
    )
    .await;
    let marks = tab
        .eval(
            "JSON.stringify(performance.getEntriesByName('cors-doctor-interactive').map(e => ({ type: e.entryType, start: e.startTime })))",
        )
        .await;
    let run_exists = tab
        .eval("document.querySelector('[data-testid=run]') !== null")
        .await;
    harness.stop().await;
    let marks: Vec<Value> =
        serde_json::from_str(marks.as_str().unwrap_or("[]")).expect("marks JSON");
    assert_eq!(marks.len(), 1, "one mark expected: {marks:?}");
    assert_eq!(marks[0]["type"], "mark", "{marks:?}");
    assert!(
        marks[0]["start"].as_f64().is_some_and(|t| t > 0.0),
        "the mark must come after navigation start: {marks:?}"
    );
    assert_eq!(run_exists, Value::Bool(true), "the form is on the page");
}
