//! Page benchmark: for each lab scenario, with 100 ms of latency injected into every response,
//! the time from pressing Check to `data-status="done"`, against a bare `fetch` of the same
//! request from the same page. Both are measured inside the page (performance.now()), side by
//! side in one headless-Chromium run. Also the first-load size of `dist/` (gzip).
//!
//! Run: `scripts/bench` (builds dist/ first), or `cargo bench --bench page --features e2e`.

#[allow(dead_code)]
#[path = "../tests/e2e/util.rs"]
mod util;

use std::io::Write;

use serde_json::Value;
use util::{Form, Harness};

const LATENCY_MS: u32 = 100;
const RUNS: usize = 3;

/// (name, path, method, headers, body, credentials)
const SCENARIOS: &[(&str, &str, &str, &str, &str, bool)] = &[
    ("simple-ok", "/simple-ok", "GET", "", "", false),
    (
        "preflighted-put-ok",
        "/preflight-ok",
        "PUT",
        "Content-Type: application/json\nX-Trace-One: 1",
        "{}",
        false,
    ),
    ("error-500-with-cors", "/error-cors", "GET", "", "", false),
    ("not-exposed", "/not-exposed", "GET", "", "", false),
    ("acao-missing", "/acao-missing", "GET", "", "", false),
    ("acao-other", "/acao-other", "GET", "", "", false),
    (
        "acao-trailing-slash",
        "/acao-trailing-slash",
        "GET",
        "",
        "",
        false,
    ),
    ("acao-multiple", "/acao-multiple", "GET", "", "", false),
    (
        "wildcard-credentials",
        "/wildcard-credentials",
        "GET",
        "",
        "",
        true,
    ),
    (
        "credentials-no-acac",
        "/credentials-no-acac",
        "GET",
        "",
        "",
        true,
    ),
    (
        "preflight-404",
        "/preflight-404",
        "PUT",
        "X-Trace-One: 1",
        "",
        false,
    ),
    (
        "preflight-401",
        "/preflight-401",
        "PUT",
        "Authorization: Bearer t",
        "{}",
        false,
    ),
    (
        "preflight-redirect",
        "/preflight-redirect",
        "PUT",
        "Content-Type: application/json",
        "{}",
        false,
    ),
    (
        "method-not-allowed",
        "/method-not-allowed",
        "PATCH",
        "Content-Type: application/json",
        "{}",
        false,
    ),
    (
        "header-not-allowed",
        "/header-not-allowed",
        "PUT",
        "X-Trace-One: 1\nX-Trace-Two: 2\nX-Trace-Three: 3",
        "",
        false,
    ),
    (
        "authorization-wildcard",
        "/acah-wildcard",
        "GET",
        "Authorization: Bearer t",
        "",
        false,
    ),
    (
        "hidden-500",
        "/hidden-error",
        "POST",
        "Content-Type: application/json",
        "{}",
        false,
    ),
    (
        "redirect-tainted",
        "/redirect-cross-origin",
        "GET",
        "",
        "",
        false,
    ),
];

/// Times a bare fetch of the request inside the page, in ms.
async fn bare_fetch_ms(
    tab: &util::Tab,
    url: &str,
    method: &str,
    headers: &str,
    body: &str,
    credentials: bool,
) -> f64 {
    let headers: Vec<(String, String)> = headers
        .lines()
        .filter_map(|l| {
            l.split_once(':')
                .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        })
        .collect();
    let init = serde_json::json!({
        "method": method,
        "headers": headers,
        "credentials": if credentials { "include" } else { "omit" },
        "body": if body.is_empty() { Value::Null } else { Value::String(body.into()) },
    });
    let script = format!(
        "(async () => {{ const init = {init}; if (init.body === null) delete init.body; \
         const t0 = performance.now(); try {{ const r = await fetch({url}, init); await r.text(); }} catch (e) {{}} \
         return performance.now() - t0; }})()",
        url = serde_json::to_string(url).unwrap_or_default()
    );
    let result = tab
        .page
        .evaluate(script.as_str())
        .await
        .expect("bare fetch");
    result.value().and_then(Value::as_f64).unwrap_or(f64::NAN)
}

/// Times one check inside the page: from the click to `data-status="done"`, in ms.
async fn check_ms(tab: &util::Tab, page_url: &str, form: &Form) -> f64 {
    // The harness loads and fills the page; the click and the wait are timed in the page itself.
    tab.open(page_url).await;
    tab.fill_form(form).await;
    let script = "new Promise(resolve => { const report = document.querySelector('[data-testid=report]'); \
        const t0 = performance.now(); \
        const observer = new MutationObserver(() => { if (report.dataset.status === 'done') { observer.disconnect(); resolve(performance.now() - t0); } }); \
        observer.observe(report, { attributes: true, attributeFilter: ['data-status'] }); \
        document.querySelector('[data-testid=run]').click(); })";
    let result = tab.page.evaluate(script).await.expect("timed check");
    result.value().and_then(Value::as_f64).unwrap_or(f64::NAN)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

fn dist_gzip_bytes() -> (u64, u64) {
    let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dist");
    let (mut raw, mut gz) = (0u64, 0u64);
    for entry in std::fs::read_dir(&dist).expect("dist/").flatten() {
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read dist file");
        raw += bytes.len() as u64;
        let mut child = std::process::Command::new("gzip")
            .arg("-9c")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("gzip");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(&bytes)
            .expect("write");
        gz += child.wait_with_output().expect("gzip output").stdout.len() as u64;
    }
    (raw, gz)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    let page_url = harness.site.page_url();
    println!(
        "page benchmark: {LATENCY_MS} ms injected per response, median of {RUNS} runs per scenario"
    );
    println!(
        "{:<24} {:>9} {:>9} {:>7} {:>11}",
        "scenario", "bare ms", "check ms", "ratio", "check RTTs"
    );
    let mut ratios = Vec::new();
    let mut worst_rtts: f64 = 0.0;
    for (index, (name, path, method, headers, body, credentials)) in SCENARIOS.iter().enumerate() {
        let (mut bare, mut check) = (Vec::new(), Vec::new());
        for run in 0..RUNS {
            // A fresh URL per measurement, so no preflight cache entry helps either side.
            let joiner = if path.contains('?') { '&' } else { '?' };
            let url = harness.lab.url(&format!(
                "{path}{joiner}delay_ms={LATENCY_MS}&bench={index}-{run}"
            ));
            tab.open(&page_url).await;
            bare.push(
                bare_fetch_ms(
                    &tab,
                    &format!("{url}&side=bare"),
                    method,
                    headers,
                    body,
                    *credentials,
                )
                .await,
            );
            let form = Form {
                url: format!("{url}&side=check"),
                method: Some((*method).into()),
                headers: Some((*headers).into()),
                body: Some((*body).into()),
                credentials: *credentials,
                ..Form::default()
            };
            check.push(check_ms(&tab, &page_url, &form).await);
        }
        let (bare, check) = (median(&mut bare), median(&mut check));
        let ratio = check / bare;
        let rtts = check / f64::from(LATENCY_MS);
        worst_rtts = worst_rtts.max(rtts);
        ratios.push(ratio);
        println!("{name:<24} {bare:>9.0} {check:>9.0} {ratio:>7.2} {rtts:>11.2}");
    }
    let median_ratio = median(&mut ratios);
    let (raw, gz) = dist_gzip_bytes();
    println!("median ratio (check / bare fetch): {median_ratio:.2}   goal <= 1.30");
    println!("worst check: {worst_rtts:.2} round trips of {LATENCY_MS} ms   goal <= 3");
    println!(
        "dist/ first load: {:.1} KB raw, {:.1} KB gzip   goal <= 150 KB gzip",
        raw as f64 / 1024.0,
        gz as f64 / 1024.0
    );
    harness.stop().await;
}
