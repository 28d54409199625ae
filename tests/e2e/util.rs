//! The harness: serves `dist/` on one loopback origin, runs the CORS lab on others, drives headless
//! Chromium through the DevTools protocol, and records Chromium's own verdict for every request.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, StatusCode, Uri};
use axum::response::Response;
use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::cdp::browser_protocol::log::{EnableParams as LogEnableParams, EventEntryAdded};
use chromiumoxide::cdp::browser_protocol::network::{
    EnableParams, EventLoadingFailed, EventRequestWillBeSent, EventResponseReceived,
};
use chromiumoxide::Page;
use cors_doctor::lab::Lab;
use futures::StreamExt;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The page is served under this sub-path, to prove `dist/` works from one.
pub const APP_PATH: &str = "/some/sub-path/";

/// Serves `dist/` under [`APP_PATH`] on an ephemeral loopback port.
pub struct StaticSite {
    pub origin: String,
    task: JoinHandle<()>,
}

impl StaticSite {
    pub async fn start(dist: PathBuf) -> StaticSite {
        assert!(
            dist.join("index.html").exists(),
            "{} has no index.html: run `trunk build --release` first",
            dist.display()
        );
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind static site");
        let origin = format!("http://{}", listener.local_addr().expect("local addr"));
        let app = axum::Router::new().fallback(move |uri: Uri| serve_file(dist.clone(), uri));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        StaticSite { origin, task }
    }

    pub fn page_url(&self) -> String {
        format!("{}{}", self.origin, APP_PATH)
    }
}

impl Drop for StaticSite {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve_file(dist: PathBuf, uri: Uri) -> Response {
    let Some(rest) = uri.path().strip_prefix(APP_PATH) else {
        return status(StatusCode::NOT_FOUND);
    };
    let rest = if rest.is_empty() { "index.html" } else { rest };
    if rest.split('/').any(|part| part == ".." || part.is_empty()) {
        return status(StatusCode::BAD_REQUEST);
    }
    match tokio::fs::read(dist.join(rest)).await {
        Ok(bytes) => Response::builder()
            .header(header::CONTENT_TYPE, content_type(Path::new(rest)))
            .body(Body::from(bytes))
            .unwrap_or_else(|_| status(StatusCode::INTERNAL_SERVER_ERROR)),
        Err(_) => status(StatusCode::NOT_FOUND),
    }
}

fn status(code: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = code;
    response
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// One request as Chromium saw it, with Chromium's own reason when it failed.
#[derive(Debug, Clone, Default)]
pub struct ChromiumRecord {
    pub url: String,
    pub method: String,
    pub resource_type: String,
    pub status: Option<i64>,
    pub error_text: Option<String>,
    /// `corsErrorStatus.corsError`, e.g. `MissingAllowOriginHeader`.
    pub cors_error: Option<String>,
    pub failed_parameter: Option<String>,
}

type Records = Arc<Mutex<Vec<(String, ChromiumRecord)>>>;
type Console = Arc<Mutex<Vec<String>>>;

/// Headless Chromium with a DevTools connection; killed when the harness ends.
pub struct Chromium {
    browser: Browser,
    handler: JoinHandle<()>,
    _profile: TempDir,
}

impl Chromium {
    pub async fn launch() -> Chromium {
        Chromium::launch_with(&[]).await
    }

    /// [`Chromium::launch`] with more command-line switches (without the leading `--`).
    pub async fn launch_with(extra: &[String]) -> Chromium {
        let profile = TempDir::new("cors-doctor-chromium");
        let executable = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let config = BrowserConfig::builder()
            .chrome_executable(executable)
            .no_sandbox()
            .new_headless_mode()
            .user_data_dir(&profile.path)
            .args([
                "disable-gpu",
                "disable-quic",
                "no-first-run",
                "disable-background-networking",
                "disable-component-update",
                "disable-sync",
            ])
            .args(extra.iter().map(String::as_str))
            .build()
            .expect("browser config");
        let (browser, mut events) = Browser::launch(config).await.expect("launch Chromium");
        let handler = tokio::spawn(async move { while events.next().await.is_some() {} });
        Chromium {
            browser,
            handler,
            _profile: profile,
        }
    }

    /// Opens a tab that records every request's fate, as Chromium reports it.
    pub async fn tab(&self) -> Tab {
        let page = self.browser.new_page("about:blank").await.expect("new tab");
        page.execute(EnableParams::default())
            .await
            .expect("Network.enable");
        page.execute(LogEnableParams::default())
            .await
            .expect("Log.enable");
        let records: Records = Arc::default();
        let console: Console = Arc::default();
        let mut logged = page
            .event_listener::<EventEntryAdded>()
            .await
            .expect("listen");
        let lines = console.clone();
        let mut sent = page
            .event_listener::<EventRequestWillBeSent>()
            .await
            .expect("listen");
        let mut failed = page
            .event_listener::<EventLoadingFailed>()
            .await
            .expect("listen");
        let mut received = page
            .event_listener::<EventResponseReceived>()
            .await
            .expect("listen");
        let sink = records.clone();
        // Events of one request arrive on three streams with no order between them: each event
        // fills in its part of the record for that request id, whichever comes first.
        let listeners = tokio::spawn(async move {
            loop {
                tokio::select! {
                    Some(event) = sent.next() => {
                        let mut records = lock(&sink);
                        let record = record_for(&mut records, event.request_id.inner());
                        // A redirect re-sends under the same id: keep the first URL, the request's own.
                        if record.url.is_empty() {
                            record.url = event.request.url.clone();
                            record.method = event.request.method.clone();
                            record.resource_type =
                                event.r#type.as_ref().map(|t| format!("{t:?}")).unwrap_or_default();
                        }
                    }
                    Some(event) = failed.next() => {
                        let mut records = lock(&sink);
                        let record = record_for(&mut records, event.request_id.inner());
                        record.error_text = Some(event.error_text.clone());
                        if let Some(status) = &event.cors_error_status {
                            record.cors_error = Some(status.cors_error.as_ref().to_string());
                            record.failed_parameter = Some(status.failed_parameter.clone());
                        }
                    }
                    Some(event) = received.next() => {
                        let mut records = lock(&sink);
                        record_for(&mut records, event.request_id.inner()).status = Some(event.response.status);
                    }
                    Some(event) = logged.next() => {
                        lock(&lines).push(event.entry.text.clone());
                    }
                    else => break,
                }
            }
        });
        Tab {
            page,
            records,
            console,
            listeners,
        }
    }

    pub async fn close(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(5), self.browser.close()).await;
        let _ = self.browser.kill().await;
        self.handler.abort();
    }
}

fn record_for<'a>(
    records: &'a mut Vec<(String, ChromiumRecord)>,
    id: &str,
) -> &'a mut ChromiumRecord {
    let index = match records.iter().position(|(rid, _)| rid == id) {
        Some(index) => index,
        None => {
            records.push((id.to_string(), ChromiumRecord::default()));
            records.len() - 1
        }
    };
    &mut records[index].1
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One browser tab showing the page.
pub struct Tab {
    pub page: Page,
    records: Records,
    /// The console's log entries (`Log.entryAdded`), as DevTools shows their text.
    console: Console,
    listeners: JoinHandle<()>,
}

impl Drop for Tab {
    fn drop(&mut self) {
        self.listeners.abort();
    }
}

/// The form as a test fills it: contract test id → value.
#[derive(Debug, Clone, Default)]
pub struct Form {
    pub url: String,
    pub method: Option<String>,
    pub headers: Option<String>,
    pub body: Option<String>,
    pub credentials: bool,
    /// Ticks the opt-in `method-alone` probe.
    pub allow_method_probe: bool,
    pub want_headers: Option<String>,
    pub timeout: Option<String>,
}

impl Tab {
    /// Loads the page afresh (so `data-status` starts at `idle`) and waits until it can be used.
    pub async fn open(&self, page_url: &str) {
        self.page.goto(page_url).await.expect("load page");
        self.wait_for(
            "document.querySelector('[data-testid=run]') !== null",
            Duration::from_secs(20),
        )
        .await;
    }

    /// Fills the form as a user types it.
    pub async fn fill_form(&self, form: &Form) {
        self.fill("url", &form.url).await;
        let fields = [
            ("method", &form.method),
            ("headers", &form.headers),
            ("body", &form.body),
            ("want-headers", &form.want_headers),
            ("timeout", &form.timeout),
        ];
        for (id, value) in fields {
            if let Some(value) = value {
                self.fill(id, value).await;
            }
        }
        for (id, on) in [
            ("credentials", form.credentials),
            ("allow-method-probe", form.allow_method_probe),
        ] {
            if on {
                self.eval(&format!(
                    "(() => {{ const el = document.querySelector('[data-testid={id}]'); \
                     el.checked = true; el.dispatchEvent(new Event('change', {{ bubbles: true }})); }})()"
                ))
                .await;
            }
        }
    }

    /// Loads the page, fills the form, runs the check and returns the report JSON once
    /// `data-status="done"`.
    pub async fn check(&self, page_url: &str, form: &Form) -> Value {
        self.open(page_url).await;
        self.fill_form(form).await;
        self.eval("document.querySelector('[data-testid=run]').click()")
            .await;
        self.wait_for(
            "document.querySelector('[data-testid=report]').dataset.status === 'done'",
            Duration::from_secs(60),
        )
        .await;
        self.report().await
    }

    /// The report JSON the page shows now (`report-json`).
    pub async fn report(&self) -> Value {
        let text: String = self
            .eval("document.querySelector('[data-testid=report-json]').textContent")
            .await
            .as_str()
            .map(str::to_string)
            .expect("report-json text");
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("report-json is not JSON ({e}): {text}"))
    }

    /// Saves a full-page PNG, to look at the page as a person does.
    pub async fn screenshot(&self, path: &Path) {
        let params = chromiumoxide::page::ScreenshotParams::builder()
            .full_page(true)
            .build();
        self.page
            .save_screenshot(params, path)
            .await
            .expect("screenshot");
    }

    /// Sets a control's value the way typing does, so the app's `input` handler sees it.
    pub async fn fill(&self, test_id: &str, value: &str) {
        let script = format!(
            "(() => {{ const el = document.querySelector('[data-testid=\"{test_id}\"]'); \
             const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype; \
             Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, {value}); \
             el.dispatchEvent(new Event('input', {{ bubbles: true }})); }})()",
            value = serde_json::to_string(value).expect("json string"),
        );
        self.eval(&script).await;
    }

    pub async fn eval(&self, script: &str) -> Value {
        let result = self.page.evaluate(script).await;
        match result {
            Ok(result) => result.value().cloned().unwrap_or(Value::Null),
            Err(e) => panic!("evaluating `{script}` failed: {e}"),
        }
    }

    /// Polls a JS condition every 25 ms until it is true, failing the test after `limit`.
    pub async fn wait_for(&self, condition: &str, limit: Duration) {
        let deadline = Instant::now() + limit;
        loop {
            if self.eval(condition).await == Value::Bool(true) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out after {limit:?} waiting for `{condition}`"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Waits up to `limit` for a console line containing `needle` (DevTools' entries arrive
    /// after the page has seen the failure); whether one came.
    pub async fn wait_for_console(&self, needle: &str, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        loop {
            if self.console_lines().iter().any(|l| l.contains(needle)) {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The console lines logged so far (CORS errors, failed loads), oldest first.
    pub fn console_lines(&self) -> Vec<String> {
        lock(&self.console).clone()
    }

    pub fn clear_console(&self) {
        lock(&self.console).clear();
    }

    /// Chromium's records for requests to `url` (exact match) with `method`, in the order they were
    /// sent, once each has settled: DevTools events arrive after the page has seen the outcome.
    pub async fn chromium_records(&self, url: &str, method: &str) -> Vec<ChromiumRecord> {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let records: Vec<ChromiumRecord> = lock(&self.records)
                .iter()
                .filter(|(_, r)| r.url == url && r.method == method)
                .map(|(_, r)| r.clone())
                .collect();
            let settled = records
                .iter()
                .all(|r| r.status.is_some() || r.error_text.is_some());
            if settled || Instant::now() >= deadline {
                return records;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Everything one test needs; [`Harness::stop`] ends all of it.
pub struct Harness {
    pub site: StaticSite,
    pub lab: Lab,
    pub chromium: Chromium,
}

impl Harness {
    pub async fn start() -> Harness {
        let dist = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dist");
        let site = StaticSite::start(dist).await;
        let lab = Lab::start().await.expect("start the CORS lab");
        let chromium = Chromium::launch().await;
        Harness {
            site,
            lab,
            chromium,
        }
    }

    pub async fn stop(self) {
        self.chromium.close().await;
        self.lab.shutdown().await;
        drop(self.site);
    }
}

/// The report's probe named `name`.
pub fn probe<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["probes"]
        .as_array()
        .and_then(|probes| probes.iter().find(|p| p["name"] == name))
        .unwrap_or_else(|| panic!("no probe named {name} in {report:#}"))
}

/// A fresh directory removed on drop.
pub struct TempDir {
    pub path: PathBuf,
}

impl TempDir {
    pub fn new(prefix: &str) -> TempDir {
        let unique = format!(
            "{prefix}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        );
        let path = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir { path }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

impl Tab {
    /// Every request Chromium has recorded in this tab so far (page loads included), in the
    /// order each was first seen.
    pub fn all_records(&self) -> Vec<ChromiumRecord> {
        lock(&self.records)
            .iter()
            .map(|(_, record)| record.clone())
            .collect()
    }
}

/// axe-core's `axe.min.js`, installed by `scripts/setup` into `$TOOLS_DIR/axe` (npm, pinned).
/// Fails with a message naming `scripts/setup` when it is missing.
pub fn axe_source() -> String {
    let tools = std::env::var("TOOLS_DIR")
        .or_else(|_| std::env::var("CORS_DOCTOR_TOOLS"))
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/cors-doctor")
        });
    let path = tools.join("axe/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core is not installed at {} ({e}): run `scripts/setup` (it installs the pinned npm axe-core)",
            path.display()
        )
    })
}

impl Tab {
    /// Runs axe-core (`source`: [`axe_source`]) on the whole document and returns its violations,
    /// each as `{id, impact, help, nodes: [{target, html, summary}]}`. axe is injected with
    /// `Runtime.evaluate`, which the page's Content-Security-Policy does not govern (DevTools'
    /// own evaluation is exempt from script-src), so the policy stays on.
    pub async fn axe_violations(&self, source: &str) -> Vec<Value> {
        use chromiumoxide::cdp::js_protocol::runtime::EvaluateParams;
        let inject = EvaluateParams::builder()
            .expression(format!("{source}\n;typeof axe"))
            .build()
            .expect("evaluate params");
        let kind = self
            .page
            .evaluate_expression(inject)
            .await
            .expect("inject axe-core");
        assert_eq!(
            kind.value().cloned(),
            Some(Value::String("object".into())),
            "axe-core did not load into the page"
        );
        let run = EvaluateParams::builder()
            .expression(
                "axe.run(document, { resultTypes: ['violations'] }).then(r => JSON.stringify(r.violations.map(v => ({ \
                 id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, \
                 nodes: v.nodes.map(n => ({ target: n.target, html: n.html, summary: n.failureSummary })) }))))",
            )
            .await_promise(true)
            .return_by_value(true)
            .build()
            .expect("evaluate params");
        let result = self.page.evaluate_expression(run).await.expect("axe.run");
        let text = result
            .value()
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| panic!("axe.run returned no JSON: {:?}", result.value()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("axe's violations ({e}): {text}"))
    }
}
