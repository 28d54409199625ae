//! The README's screenshots, taken by the suite so they stay current: the idle page, a finished
//! diagnosis (with the fix written for Express) and the server view (Chromium's console text
//! pasted and analysed), at 1200×900 in the light theme, written to docs/screenshots/.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chromiumoxide::cdp::browser_protocol::emulation::{
    MediaFeature, SetDeviceMetricsOverrideParams, SetEmulatedMediaParams,
};
use chromiumoxide::page::ScreenshotParams;
use serde_json::Value;

use crate::accessibility::analysed_paste;
use crate::util::{Form, Harness, Tab};

const WIDTH: u32 = 1200;
const HEIGHT: u32 = 900;

/// Width and height from a PNG's IHDR chunk, or `None` when `bytes` is not a PNG.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.len() < 24 || &bytes[..8] != SIGNATURE || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    Some((be(&bytes[16..20]), be(&bytes[20..24])))
}

/// Scrolls so the element `selector` starts near the top of the viewport.
async fn scroll_to(tab: &Tab, selector: &str) {
    tab.eval(&format!(
        "(() => {{ const el = document.querySelector({s}); \
         window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 12); }})()",
        s = serde_json::to_string(selector).unwrap_or_default()
    ))
    .await;
    tokio::time::sleep(Duration::from_millis(150)).await;
}

/// Shoots the viewport to `path` and checks the file: a PNG of the viewport's size, not trivial.
async fn shoot(tab: &Tab, path: &Path, failures: &mut Vec<String>) {
    let _ = std::fs::remove_file(path);
    let params = ScreenshotParams::builder().full_page(false).build();
    if let Err(e) = tab.page.save_screenshot(params, path).await {
        failures.push(format!("{}: screenshot failed: {e}", path.display()));
        return;
    }
    let bytes = std::fs::read(path).unwrap_or_default();
    match png_size(&bytes) {
        Some((w, h)) if (w, h) == (WIDTH, HEIGHT) && bytes.len() > 30_000 => {}
        size => failures.push(format!(
            "{}: not a {WIDTH}×{HEIGHT} PNG of substance: size {size:?}, {} bytes",
            path.display(),
            bytes.len()
        )),
    }
}

/// A JS value from the page, for assertions on the state being shot.
async fn state(tab: &Tab) -> Value {
    tab.eval(
        "(() => { const j = document.querySelector('[data-testid=report-json]'); \
         const r = j ? JSON.parse(j.textContent) : null; \
         return { status: document.querySelector('[data-testid=report]').dataset.status, \
                  theme: matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light', \
                  source: r ? r.source : null, top: r && r.causes.length ? r.causes[0].code : null, \
                  fix: document.querySelector('[data-testid=fix-snippet]')?.dataset.stack ?? null, \
                  width: window.innerWidth, height: window.innerHeight }; })()",
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readme_screenshots_show_the_idle_page_a_diagnosis_and_the_server_view() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    std::fs::create_dir_all(&dir).expect("docs/screenshots");
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    let page = harness.site.page_url();
    let metrics = SetDeviceMetricsOverrideParams::builder()
        .width(WIDTH)
        .height(HEIGHT)
        .device_scale_factor(1.0)
        .mobile(false)
        .build()
        .expect("metrics");
    tab.page.execute(metrics).await.expect("viewport");
    let media = SetEmulatedMediaParams::builder()
        .features(vec![MediaFeature::new("prefers-color-scheme", "light")])
        .build();
    tab.page.execute(media).await.expect("light theme");
    let mut failures = Vec::new();
    let mut expect = |what: &str, got: &Value, key: &str, want: Value| {
        if got[key] != want {
            failures.push(format!("{what}: {key} is {}, want {want}: {got}", got[key]));
        }
    };

    tab.open(&page).await;
    let idle = state(&tab).await;
    expect("idle", &idle, "status", "idle".into());
    expect("idle", &idle, "theme", "light".into());
    expect("idle", &idle, "width", WIDTH.into());
    let mut shots = Vec::new();
    shoot(&tab, &dir.join("idle.png"), &mut shots).await;

    let form = Form {
        url: harness.lab.url("/header-not-allowed"),
        method: Some("PUT".into()),
        headers: Some("Content-Type: application/json\nX-Trace-Three: 3".into()),
        body: Some("{\"name\": \"x\"}".into()),
        ..Form::default()
    };
    tab.check(&page, &form).await;
    tab.eval(
        "(() => { const s = document.querySelector('[data-testid=stack]'); s.value = 'express'; \
         s.dispatchEvent(new Event('change', { bubbles: true })); })()",
    )
    .await;
    tab.wait_for(
        "document.querySelector('[data-testid=fix-snippet]') !== null",
        Duration::from_secs(20),
    )
    .await;
    let diagnosis = state(&tab).await;
    expect("diagnosis", &diagnosis, "status", "done".into());
    expect("diagnosis", &diagnosis, "source", "check".into());
    expect(
        "diagnosis",
        &diagnosis,
        "top",
        "preflight/header-not-allowed".into(),
    );
    expect("diagnosis", &diagnosis, "fix", "express".into());
    scroll_to(&tab, "[data-testid=report]").await;
    shoot(&tab, &dir.join("diagnosis.png"), &mut shots).await;

    analysed_paste(&tab, &page, &harness.lab.url("/acao-missing")).await;
    let view = state(&tab).await;
    expect("server view", &view, "status", "done".into());
    expect("server view", &view, "source", "console".into());
    expect(
        "server view",
        &view,
        "top",
        "response/allow-origin/missing".into(),
    );
    scroll_to(&tab, "[data-testid=report]").await;
    shoot(&tab, &dir.join("server-view.png"), &mut shots).await;
    harness.stop().await;
    failures.extend(shots);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
