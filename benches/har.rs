//! HAR benchmark: a generated HAR of 5,000 entries (`evidence::har::sample_har`) analysed by the
//! page in headless Chromium (from the click on Analyse to the report), against the same page's
//! `JSON.parse` of the same text, side by side in one run. Goal: the analysis takes at most 2×.
//! It also times the same analysis again in that page (the worker warm), for what every analysis
//! after the first costs.
//!
//! Run: `scripts/bench` (builds dist/ first), or `cargo bench --bench har --features e2e`.

#[allow(dead_code)]
#[path = "../tests/e2e/util.rs"]
mod util;

use cors_doctor::engine::evidence::har::sample_har;
use serde_json::Value;
use util::Harness;

const ENTRIES: usize = 5_000;
const RUNS: usize = 7;

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Puts the HAR text in a page global (not timed), so both sides start from the same string.
async fn stage(tab: &util::Tab, page_url: &str, har: &str) {
    tab.open(page_url).await;
    let script = format!(
        "window.__har = {}; true",
        serde_json::to_string(har).unwrap_or_default()
    );
    tab.page
        .evaluate(script.as_str())
        .await
        .expect("stage the HAR");
}

async fn json_parse_ms(tab: &util::Tab) -> f64 {
    let script = "(() => { const t0 = performance.now(); const v = JSON.parse(window.__har); \
        const n = v.log.entries.length; return n >= 0 ? performance.now() - t0 : -1; })()";
    let result = tab.page.evaluate(script).await.expect("JSON.parse");
    result.value().and_then(Value::as_f64).unwrap_or(f64::NAN)
}

/// From the click on Analyse to `data-status="done"`. Before the click, as a user does: focus
/// the box (which starts the worker), paste, and take a second before clicking (the page
/// renders the pasted text in that time; the browser's own layout of 11 MB of text in a textarea
/// is not the analysis).
async fn analyse_ms(tab: &util::Tab) -> f64 {
    tab.page
        .evaluate(
            "(() => { const el = document.querySelector('[data-testid=evidence]'); el.focus(); \
             Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set.call(el, window.__har); \
             el.dispatchEvent(new Event('input', { bubbles: true })); return true; })()",
        )
        .await
        .expect("fill the box");
    tab.page
        .evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 1000))))")
        .await
        .expect("let the paste render");
    let script = "new Promise(resolve => { const report = document.querySelector('[data-testid=report]'); \
        const t0 = performance.now(); \
        const observer = new MutationObserver(() => { if (report.dataset.status === 'done') { observer.disconnect(); resolve(performance.now() - t0); } }); \
        observer.observe(report, { attributes: true, attributeFilter: ['data-status'] }); \
        document.querySelector('[data-testid=evidence-run]').click(); })";
    let result = tab.page.evaluate(script).await.expect("timed analysis");
    result.value().and_then(Value::as_f64).unwrap_or(f64::NAN)
}

/// The same analysis once more in the same page (the box still holds the HAR): the worker is
/// warm and its code optimized, as for every analysis after the first.
async fn analyse_again_ms(tab: &util::Tab) -> f64 {
    // The old report stays up while the worker runs; the evidence note says "Analysing…" until
    // the new one lands.
    let script = "new Promise(resolve => { \
        const note = () => (document.querySelector('[data-testid=evidence-recognised]') || {}).textContent || ''; \
        const report = document.querySelector('[data-testid=report]'); \
        let seen = false; const t0 = performance.now(); \
        const observer = new MutationObserver(() => { \
          const busy = note().startsWith('Analysing'); seen = seen || busy; \
          if (seen && !busy && report.dataset.status === 'done') { observer.disconnect(); resolve(performance.now() - t0); } }); \
        observer.observe(document.body, { attributes: true, childList: true, subtree: true, characterData: true }); \
        document.querySelector('[data-testid=evidence-run]').click(); \
        setTimeout(() => { observer.disconnect(); resolve(-1); }, 60000); })";
    let result = tab.page.evaluate(script).await.expect("second analysis");
    result.value().and_then(Value::as_f64).unwrap_or(f64::NAN)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let har = sample_har(ENTRIES, 1);
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    let page_url = harness.site.page_url();
    let (mut parse, mut analyse, mut again) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        stage(&tab, &page_url, &har).await;
        parse.push(json_parse_ms(&tab).await);
        analyse.push(analyse_ms(&tab).await);
        again.push(analyse_again_ms(&tab).await);
    }
    let entries = tab
        .page
        .evaluate("document.querySelectorAll('[data-testid=har-entry]').length")
        .await
        .ok()
        .and_then(|r| r.value().and_then(Value::as_u64))
        .unwrap_or(0);
    harness.stop().await;
    let (p, a, w) = (median(&mut parse), median(&mut analyse), median(&mut again));
    println!(
        "HAR benchmark: {ENTRIES} entries, {:.1} MB, {entries} requests listed; median of {RUNS}",
        har.len() as f64 / 1e6
    );
    println!("  JSON.parse in the page: {p:.1} ms");
    println!("  analysis (click → report): {a:.1} ms");
    println!("  ratio: {:.2}× (goal ≤ 2×)", a / p);
    println!(
        "  the same analysis again in that page (warm worker): {w:.1} ms, {:.2}×",
        w / p
    );
}
