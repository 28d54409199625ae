//! Comfort: dark mode follows the system and has a remembered toggle, the page fits 360 px wide
//! with a report on it, and the sequence picture has a text alternative.

use chromiumoxide::cdp::browser_protocol::emulation::{
    MediaFeature, SetDeviceMetricsOverrideParams, SetEmulatedMediaParams,
};

use crate::util::{Form, Harness};

const BACKGROUND: &str = "getComputedStyle(document.body).backgroundColor";
const DARK: &str = "rgb(23, 25, 28)";
const LIGHT: &str = "rgb(250, 250, 248)";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dark_mode_follows_the_system_and_the_toggle_is_remembered() {
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    let page = harness.site.page_url();
    let mut failures = Vec::new();
    let media = |scheme: &str| {
        SetEmulatedMediaParams::builder()
            .features(vec![MediaFeature::new("prefers-color-scheme", scheme)])
            .build()
    };
    tab.page.execute(media("dark")).await.expect("emulate dark");
    tab.open(&page).await;
    if tab.eval(BACKGROUND).await != DARK {
        failures.push(format!(
            "a dark system gives {}",
            tab.eval(BACKGROUND).await
        ));
    }
    tab.page
        .execute(media("light"))
        .await
        .expect("emulate light");
    if tab.eval(BACKGROUND).await != LIGHT {
        failures.push(format!(
            "a light system gives {}",
            tab.eval(BACKGROUND).await
        ));
    }
    // The toggle forces dark over a light system, and a reload keeps it.
    tab.eval("document.querySelector('[data-testid=theme]').click()")
        .await;
    tab.open(&page).await;
    let theme = tab
        .eval("document.documentElement.dataset.theme ?? null")
        .await;
    if theme != "dark" || tab.eval(BACKGROUND).await != DARK {
        failures.push(format!(
            "after the toggle and a reload: theme {theme}, {}",
            tab.eval(BACKGROUND).await
        ));
    }
    // Dark → light → system.
    for _ in 0..2 {
        tab.eval("document.querySelector('[data-testid=theme]').click()")
            .await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let theme = tab
        .eval("document.documentElement.dataset.theme ?? null")
        .await;
    if !theme.is_null() {
        failures.push(format!(
            "two more clicks must return to the system's choice, got {theme}"
        ));
    }
    harness.stop().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_fits_360_px_and_the_picture_has_a_text_alternative() {
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    let metrics = SetDeviceMetricsOverrideParams::builder()
        .width(360)
        .height(740)
        .device_scale_factor(2.0)
        .mobile(true)
        .build()
        .expect("metrics");
    tab.page.execute(metrics).await.expect("360 px");
    let form = Form {
        url: harness.lab.url("/header-not-allowed?case=narrow"),
        method: Some("PUT".into()),
        headers: Some("X-Trace-Three: 3".into()),
        ..Form::default()
    };
    tab.check(&harness.site.page_url(), &form).await;
    let mut failures = Vec::new();
    let width = tab.eval("document.documentElement.scrollWidth").await;
    if width.as_u64().is_none_or(|w| w > 360) {
        failures.push(format!("the page is {width} px wide at 360 px"));
    }
    let label = tab
        .eval("document.querySelector('[data-testid=sequence]').getAttribute('aria-label')")
        .await;
    let text = label.as_str().unwrap_or_default();
    if !(text.contains("OPTIONS") && text.contains("failed")) {
        failures.push(format!(
            "the picture's text alternative does not tell the steps: {label}"
        ));
    }
    harness.stop().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The samples menu fills the form against the lab named in the page's address, sends nothing
/// until Check, and the check then gives the sample's diagnosis.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sample_fills_the_form_and_diagnoses_in_one_click() {
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    let lab = harness.lab.origin();
    let lab = lab.as_str();
    let page = format!("{}?lab={lab}", harness.site.page_url());
    tab.open(&page).await;
    let before = harness.lab.requests().len();
    tab.eval(
        "(() => { const s = document.querySelector('[data-testid=samples]'); s.value = 'hidden-500'; \
         s.dispatchEvent(new Event('change', { bubbles: true })); })()",
    )
    .await;
    let want = format!("{lab}/hidden-error");
    tab.wait_for(
        &format!(
            "document.querySelector('[data-testid=url]').value === {}",
            serde_json::to_string(&want).unwrap_or_default()
        ),
        std::time::Duration::from_secs(5),
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mut failures = Vec::new();
    let method = tab
        .eval("document.querySelector('[data-testid=method]').value")
        .await;
    let status = tab
        .eval("document.querySelector('[data-testid=report]').dataset.status")
        .await;
    if method != "POST" || status != "idle" || harness.lab.requests().len() != before {
        failures.push(format!(
            "picking a sample must only fill the form: method {method}, report {status}, lab requests {before} → {}",
            harness.lab.requests().len()
        ));
    }
    tab.eval("document.querySelector('[data-testid=run]').click()")
        .await;
    tab.wait_for(
        "document.querySelector('[data-testid=report]').dataset.status === 'done'",
        std::time::Duration::from_secs(30),
    )
    .await;
    let top = tab
        .eval("document.querySelector('[data-testid=cause]')?.dataset.code ?? null")
        .await;
    if top != "response/hidden-server-error" {
        failures.push(format!("the hidden-500 sample's top cause is {top}"));
    }
    harness.stop().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
