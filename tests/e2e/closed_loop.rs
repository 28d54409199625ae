//! The closed loop in a real browser (issue 7, item 5).
//!
//! A seeded sample of the native closed loop's configurations (`lab::closed_loop::generate`) runs
//! twice. Natively, the page's probe plan goes through the simulator (`closed_loop::observe`, 0 ms
//! per round trip) and the diagnosis (`diagnosis::report`): the prediction. In headless Chromium,
//! the page checks the same request against the lab's `/behaviour` endpoint, which answers as the
//! same `Behaviour` does. Every mismatch across the sample is collected and the test fails once,
//! listing them all.
//!
//! What must agree, for every case:
//! - what the page saw, probe by probe: the same probe names in the same order (both phases), the
//!   same outcome, the status it could read, the response headers it could read beyond the
//!   CORS-safelisted ones, and the same browser reports;
//! - the diagnosis: the page's causes (codes and parameters, in order) equal the native diagnosis
//!   of the predicted probes given the page's own clock (each probe's measured duration);
//! - and the top cause and the set of ranked causes equal the native loop's at 0 ms, unless the
//!   page trusted its clock (its `no-cors` GET took at least 20 ms, which loopback does on a busy
//!   machine): then the difference is timing only, and is counted and printed.
//!
//! So that the page's clock is entirely in `report-json`, the page is kept from reading Resource
//! Timing entries (`performance.getEntriesByName` answers nothing): it then times each probe by
//! its wall time, which the report lists.
//!
//! Where Chromium differs from the simulator, the case is listed in [`KNOWN_DEVIATIONS`] with a
//! typed [`Deviation`] that says exactly what may differ; the runner enforces the list both ways
//! (a listed case that agrees fails), like rust-url's WPT runner. See `deviations.md`.
//!
//! A second test pins what Chromium does with `no-cors` + `redirect: "manual"`: a `TypeError`
//! before anything is sent, as the simulator says (`input/disallowed-by-mode`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use cors_doctor::engine::check::diagnosis::{
    report_with, CheckContext, ProbeRun, Table, MIN_TRUSTED_RTT_MS,
};
use cors_doctor::engine::check::form::{parse_form, FormInput};
use cors_doctor::engine::check::observation::{BrowserReport, Outcome};
use cors_doctor::engine::fetch::{
    normalize_method, simulate, simulate_in, AllowOrigin, Behaviour, Browser, Code, Network,
    Redirect, RedirectMode, RedirectTarget, Request, RequestMode, ServerAnswers, Verdict,
};
use cors_doctor::lab::closed_loop::{self, generate, observe, Case};
use cors_doctor::lab::Lab;
use serde_json::Value;

use crate::util::{Form, Harness, Tab};

/// Fixed seed: the same sample on every run.
const SEED: u64 = 0x00C0_25D0_C10E_2026;
/// How many configurations are drawn; every one is usable today (none fails to parse, and a
/// hanging server runs with a 1 s timeout).
const CASES: usize = 320;
/// The sample must keep at least this many usable cases.
const MIN_USABLE: usize = 300;
/// A hanging server's cases run with this timeout (seconds, as typed in the form).
const HANGS_TIMEOUT: &str = "1";
/// How long one check may take in the page before the case is recorded as stuck.
const CHECK_LIMIT: Duration = Duration::from_secs(30);
/// Response headers a CORS response always exposes. The lab adds some of them to the model's
/// answer (`Cache-Control`, `Content-Type`, `Content-Length`), so they are not compared.
const SAFELISTED_RESPONSE_NAMES: &[&str] = &[
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
];

// ---------------------------------------------------------------------------------------------
// Known deviations

/// A documented way in which Chromium differs from the simulator (see `deviations.md`). Each
/// kind says exactly which part of the comparison may differ; everything else must still agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Deviation {
    /// Chromium raises the deprecation report `RequestedSubresourceWithEmbeddedCredentials` when
    /// it refuses to follow a redirect to a URL with `user:password@` (the `no-cors` GET follows
    /// one); the simulator refuses the redirect too, so the probes agree, but raises no report.
    EmbeddedCredentialsReport,
}

/// Chromium's deprecation id for a subresource URL with credentials in it.
const EMBEDDED_CREDENTIALS_REPORT: &str = "RequestedSubresourceWithEmbeddedCredentials";

impl Deviation {
    fn name(self) -> &'static str {
        match self {
            Deviation::EmbeddedCredentialsReport => "embedded-credentials-report",
        }
    }

    /// The case differs from the prediction in exactly this way, and in nothing else.
    fn explains(self, case: &Prepared, observed: &Value, v: &Verdicts) -> bool {
        match self {
            Deviation::EmbeddedCredentialsReport => {
                let mut expected = browser_report_ids(&case.predicted);
                let added = expected.insert(EMBEDDED_CREDENTIALS_REPORT.to_string());
                added
                    && v.request
                    && v.probes
                    && v.exposed
                    && v.diagnosis()
                    && browser_report_ids(observed) == expected
            }
        }
    }
}

/// A case of the sample where Chromium is known to differ from the simulator. The runner
/// enforces the list both ways: a listed case must differ in exactly its deviation's way, and a
/// listed case that agrees fails the test (remove it, and update `deviations.md`).
struct KnownDeviation {
    case: usize,
    kind: Deviation,
}

/// Every documented deviation in this sample, by case number.
const KNOWN_DEVIATIONS: &[KnownDeviation] = &[
    // Redirects to `http://user:secret@…` (`rd=…:credentials`), followed by the no-cors GET.
    KnownDeviation {
        case: 0,
        kind: Deviation::EmbeddedCredentialsReport,
    },
    KnownDeviation {
        case: 128,
        kind: Deviation::EmbeddedCredentialsReport,
    },
    KnownDeviation {
        case: 175,
        kind: Deviation::EmbeddedCredentialsReport,
    },
    KnownDeviation {
        case: 205,
        kind: Deviation::EmbeddedCredentialsReport,
    },
];

// ---------------------------------------------------------------------------------------------
// The cases

/// One generated case, rewritten for the lab and this page, with the native loop's prediction.
struct Prepared {
    n: usize,
    mistakes: Vec<&'static str>,
    behaviour: Behaviour,
    form: FormInput,
    context: CheckContext,
    runs: Vec<ProbeRun>,
    reports: Vec<BrowserReport>,
    /// The hypotheses simulated for this request, when the user's request is blocked (the
    /// diagnosis then fits them; built once, for the prediction and for the page's clock).
    table: Option<Table>,
    /// The native loop's report, as JSON (the page's `report-json` is the same type).
    predicted: Value,
}

/// The case's behaviour as the lab serves it to this page: a cross-origin redirect points at
/// the lab's secondary origin, and a fixed `Access-Control-Allow-Origin` that names the native
/// loop's page origin (`127.0.0.1:8080`, possibly with a slash, in upper case or in a list)
/// names the served page's origin the same way, so that a correct set-up stays correct.
fn for_the_lab(behaviour: &Behaviour, lab: &Lab, page_origin: &str) -> Behaviour {
    let mut b = behaviour.clone();
    if let Some(redirect) = &mut b.redirect {
        if let RedirectTarget::Origin(origin) = &mut redirect.target {
            *origin = lab.secondary_origin();
        }
    }
    let native = closed_loop::PAGE.trim_start_matches("http://");
    let served = page_origin.trim_start_matches("http://");
    if let AllowOrigin::Value(value) = &mut b.allow_origin {
        *value = value.replace(native, served);
    }
    b
}

/// The case's URL: `/behaviour` with the behaviour's query and a tag that keeps every case's URL
/// unique, so that Chromium's preflight cache never answers for another case.
fn case_url(lab: &Lab, behaviour: &Behaviour, n: usize) -> String {
    let query = behaviour.to_query();
    if query.is_empty() {
        lab.url(&format!("/behaviour?case=cl{n}"))
    } else {
        lab.url(&format!("/behaviour?{query}&case=cl{n}"))
    }
}

/// Cases the generator draws rarely (about 1 in 100 has its server down), added after the
/// generated ones so that the sample always has them: the lab then cuts every connection.
fn targeted() -> Vec<Case> {
    let down = Behaviour {
        network: Network::Down,
        ..Behaviour::default()
    };
    let form = |method: &str, headers: &str, body: &str, credentials: bool| FormInput {
        method: method.into(),
        headers: headers.into(),
        body: body.into(),
        credentials,
        ..FormInput::default()
    };
    vec![
        Case {
            form: form("GET", "", "", false),
            behaviour: down.clone(),
            mistakes: vec!["server down"],
        },
        Case {
            form: form(
                "PUT",
                "Content-Type: application/json\nX-Trace-Id: 7",
                "{\"a\":1}",
                true,
            ),
            behaviour: down,
            mistakes: vec!["server down"],
        },
    ]
}

/// The sample, without predictions yet: every case whose form parses; and how many did not.
fn prepare(lab: &Lab, page_origin: &str) -> (Vec<Prepared>, usize) {
    let mut generated = generate(SEED, CASES, "/behaviour");
    generated.extend(targeted());
    let total = generated.len();
    let mut prepared = Vec::with_capacity(total);
    for (n, case) in generated.into_iter().enumerate() {
        let behaviour = for_the_lab(&case.behaviour, lab, page_origin);
        let mut form = case.form;
        form.url = case_url(lab, &behaviour, n);
        if behaviour.network == Network::Hangs {
            form.timeout = HANGS_TIMEOUT.into();
        }
        let Ok(parsed) = parse_form(&form, page_origin) else {
            continue;
        };
        prepared.push(Prepared {
            n,
            mistakes: case.mistakes,
            behaviour,
            form,
            context: CheckContext {
                page_origin: page_origin.to_string(),
                form: parsed,
            },
            runs: Vec::new(),
            reports: Vec::new(),
            table: None,
            predicted: Value::Null,
        });
    }
    let skipped = total - prepared.len();
    (prepared, skipped)
}

/// The native loop for one case: the probe plan in the simulator, then the diagnosis.
fn predict(case: &mut Prepared) {
    let (runs, reports) = observe(&case.context, &case.behaviour, 0.0);
    let blocked = runs
        .iter()
        .any(|r| r.spec.name == "actual" && r.observation.outcome == Some(Outcome::Blocked));
    case.table = blocked.then(|| Table::build(&case.context));
    let predicted = report_with(&case.context, &runs, &reports, case.table.as_ref());
    case.predicted = serde_json::to_value(predicted).expect("a report serializes");
    case.runs = runs;
    case.reports = reports;
}

/// The native loop for every case, on two threads (the machine's cores), before Chromium starts
/// sending, so that it does not slow the page's probes down.
fn predict_all(cases: &mut [Prepared]) {
    let chunk = cases.len().div_ceil(2).max(1);
    std::thread::scope(|scope| {
        for part in cases.chunks_mut(chunk) {
            scope.spawn(move || part.iter_mut().for_each(predict));
        }
    });
}

/// The native diagnosis of the predicted probes with the page's clock: each probe takes the
/// duration the page measured for it (as `report-json` rounds it, to 0.1 ms).
fn with_page_clock(case: &Prepared, observed: &Value) -> Value {
    let durations: Vec<Option<f64>> = observed["probes"]
        .as_array()
        .map(|ps| ps.iter().map(|p| p["duration_ms"].as_f64()).collect())
        .unwrap_or_default();
    let runs: Vec<ProbeRun> = case
        .runs
        .iter()
        .zip(durations)
        .map(|(run, duration)| {
            let mut run = run.clone();
            run.observation.duration_ms = duration;
            run.observation.timing = None;
            run
        })
        .collect();
    let clocked = report_with(&case.context, &runs, &case.reports, case.table.as_ref());
    serde_json::to_value(clocked).expect("a report serializes")
}

/// Whether the page's causes are the native diagnosis's given the page's clock. When the page
/// did not trust its clock, the durations play no part: that is the prediction. A `no-cors` GET
/// that `report-json` rounds to the threshold may have been just under it in the page:
/// then either reading is accepted.
fn causes_given_the_page_clock(case: &Prepared, observed: &Value) -> bool {
    let page = causes(observed);
    let untrusted = || causes(&case.predicted) == page;
    let reach = probe_named(observed, "reachability")["duration_ms"].as_f64();
    let at_threshold = reach.is_some_and(|d| (d - MIN_TRUSTED_RTT_MS).abs() < 0.051);
    if clock_trusted(observed) {
        causes(&with_page_clock(case, observed)) == page || at_threshold && untrusted()
    } else {
        untrusted()
    }
}

// ---------------------------------------------------------------------------------------------
// The page

/// Loads the page and keeps it from reading Resource Timing entries, so that it times each
/// probe by the wall time `report-json` lists.
async fn open_page(tab: &Tab, page_url: &str) {
    tab.open(page_url).await;
    tab.eval("performance.getEntriesByName = () => []; true")
        .await;
}

/// Sets every control of the form, checkboxes both ways, so that one loaded page serves case
/// after case. The URL goes last: the report's URL then proves the page ran with this form.
async fn fill_all(tab: &Tab, form: &FormInput) {
    for (id, value) in [
        ("method", &form.method),
        ("headers", &form.headers),
        ("body", &form.body),
        ("want-headers", &form.want_headers),
        ("app-origin", &form.app_origin),
        ("timeout", &form.timeout),
    ] {
        tab.fill(id, value).await;
    }
    for (id, on) in [
        ("credentials", form.credentials),
        ("allow-method-probe", form.allow_method_probe),
    ] {
        tab.eval(&format!(
            "(() => {{ const el = document.querySelector('[data-testid={id}]'); \
             if (el.checked !== {on}) {{ el.checked = {on}; \
             el.dispatchEvent(new Event('change', {{ bubbles: true }})); }} }})()"
        ))
        .await;
    }
    tab.fill("url", &form.url).await;
}

/// Runs the check for `form` in the loaded page and returns its report, or why there is none.
async fn run_in_page(tab: &Tab, form: &FormInput) -> Result<Value, String> {
    fill_all(tab, form).await;
    // Clicks, then waits inside the page (one DevTools call) until the report is done and is
    // this run's: a stale one names another case's URL.
    let script = format!(
        "new Promise(resolve => {{ \
           document.querySelector('[data-testid=run]').click(); \
           const started = performance.now(); \
           const poll = () => {{ \
             const report = document.querySelector('[data-testid=report]'); \
             const text = document.querySelector('[data-testid=report-json]')?.textContent ?? ''; \
             let mine = false; \
             try {{ mine = report?.dataset.status === 'done' && JSON.parse(text).request.url === {url}; }} catch (e) {{}} \
             if (mine) resolve({{ text }}); \
             else if (performance.now() - started > {limit}) resolve({{ status: report?.dataset.status ?? 'no report' }}); \
             else setTimeout(poll, 5); \
           }}; \
           poll(); \
         }})",
        url = serde_json::to_string(&form.url).expect("json string"),
        limit = CHECK_LIMIT.as_millis(),
    );
    let answer = tab.eval(&script).await;
    match answer["text"].as_str() {
        Some(text) => {
            serde_json::from_str(text).map_err(|e| format!("report-json is not JSON ({e})"))
        }
        None => Err(format!(
            "no report within {CHECK_LIMIT:?} (status {})",
            answer["status"]
        )),
    }
}

/// Runs one case in the page. Chromium raises each deprecation report once per page, so after
/// one (or a stuck check) the page is loaded afresh for the next case.
async fn run_case(
    tab: &Tab,
    page_url: &str,
    case: &Prepared,
    reloads: &mut usize,
) -> Result<Value, String> {
    let result = run_in_page(tab, &case.form).await;
    let reload = match &result {
        Ok(observed) => !browser_report_ids(observed).is_empty(),
        Err(_) => true,
    };
    if reload {
        open_page(tab, page_url).await;
        *reloads += 1;
    }
    result
}

// ---------------------------------------------------------------------------------------------
// The comparison

/// One probe as the comparison sees it: its outcome, and the status the page could read.
fn probe_view(probe: &Value) -> String {
    let outcome = probe["outcome"].as_str().unwrap_or("?");
    match probe["status"].as_u64() {
        Some(status) => format!("{outcome} {status}"),
        None => outcome.to_string(),
    }
}

/// (name, view) of every probe, in the report's order.
fn probes(report: &Value) -> Vec<(String, String)> {
    report["probes"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .map(|p| (p["name"].as_str().unwrap_or("?").to_string(), probe_view(p)))
                .collect()
        })
        .unwrap_or_default()
}

/// The report's probe named `name`, or `null`.
fn probe_named<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["probes"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == name))
        .unwrap_or(&Value::Null)
}

/// The response headers the page could read of the user's request, beyond the safelisted ones.
fn exposed(report: &Value) -> BTreeSet<String> {
    report["response"]["headers"]
        .as_array()
        .map(|hs| {
            hs.iter()
                .filter_map(|h| h[0].as_str())
                .map(str::to_ascii_lowercase)
                .filter(|n| !SAFELISTED_RESPONSE_NAMES.contains(&n.as_str()))
                .collect()
        })
        .unwrap_or_default()
}

fn top_code(report: &Value) -> String {
    report["causes"][0]["code"]
        .as_str()
        .unwrap_or("(none)")
        .to_string()
}

fn ranked(report: &Value) -> BTreeSet<String> {
    causes(report).into_iter().map(|(code, _)| code).collect()
}

/// Every cause in order: its code and its parameters.
fn causes(report: &Value) -> Vec<(String, String)> {
    report["causes"]
        .as_array()
        .map(|cs| {
            cs.iter()
                .map(|c| {
                    (
                        c["code"].as_str().unwrap_or("?").to_string(),
                        c["params"].to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn browser_report_ids(report: &Value) -> BTreeSet<String> {
    report["browser_reports"]
        .as_array()
        .map(|rs| {
            rs.iter()
                .filter_map(|r| r["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether the page's diagnosis used its clock: the user's request was blocked, the `no-cors`
/// GET resolved, and it took at least [`MIN_TRUSTED_RTT_MS`]. The native loop (0 ms) never does.
fn clock_trusted(observed: &Value) -> bool {
    let (actual, reach) = (
        probe_named(observed, "actual"),
        probe_named(observed, "reachability"),
    );
    actual["outcome"] == "blocked"
        && reach["outcome"] == "opaque"
        && reach["duration_ms"]
            .as_f64()
            .is_some_and(|d| d >= MIN_TRUSTED_RTT_MS)
}

/// How one case compared.
#[derive(Debug)]
struct Verdicts {
    /// The request summary (URL, method, headers, credentials, body size).
    request: bool,
    /// Probe names, order, outcomes and readable statuses.
    probes: bool,
    /// Readable response headers of the user's request (beyond the safelisted ones).
    exposed: bool,
    /// Browser reports (deprecation ids).
    reports: bool,
    /// The page's causes, in order with their parameters, equal the native diagnosis of the
    /// predicted probes given the page's clock.
    clocked: bool,
    /// Top cause and set of ranked causes equal the native loop's at 0 ms.
    top: bool,
    ranked: bool,
    /// The page trusted its clock (so the 0 ms comparison may differ by timing).
    trusted: bool,
}

impl Verdicts {
    fn of(case: &Prepared, observed: &Value) -> Verdicts {
        let predicted = &case.predicted;
        Verdicts {
            request: predicted["request"] == observed["request"],
            probes: probes(predicted) == probes(observed),
            exposed: exposed(predicted) == exposed(observed),
            reports: browser_report_ids(predicted) == browser_report_ids(observed),
            clocked: causes_given_the_page_clock(case, observed),
            top: top_code(predicted) == top_code(observed),
            ranked: ranked(predicted) == ranked(observed),
            trusted: clock_trusted(observed),
        }
    }

    /// The diagnosis is the native one: given the page's clock always, and at 0 ms unless the
    /// page trusted its clock.
    fn diagnosis(&self) -> bool {
        self.clocked && (self.top && self.ranked || self.trusted)
    }

    fn agree(&self) -> bool {
        self.request && self.probes && self.exposed && self.reports && self.diagnosis()
    }

    /// Agrees, but the causes differ from the 0 ms loop's because the page trusted its clock.
    fn timing_only(&self) -> bool {
        self.agree() && !(self.top && self.ranked)
    }
}

/// Everything about a mismatching case needed to reproduce and judge it.
async fn describe(case: &Prepared, observed: &Value, v: &Verdicts, tab: &Tab) -> String {
    let form = &case.form;
    let differs: Vec<&str> = [
        (v.request, "request"),
        (v.probes, "probes"),
        (v.exposed, "exposed-headers"),
        (v.reports, "browser-reports"),
        (v.clocked, "causes-given-the-page's-clock"),
        (v.top, "top-cause-at-0-ms"),
        (v.ranked, "ranked-set-at-0-ms"),
    ]
    .into_iter()
    .filter(|(same, _)| !same)
    .map(|(_, what)| what)
    .collect();
    let mut out = format!(
        "#{} mistakes {:?}\n  behaviour ?{}\n  url {}\n  form: {} headers={:?} body={:?} credentials={} method-probe={} want={:?} timeout={}\n  differs in: {}; the page trusted its clock: {}\n",
        case.n,
        case.mistakes,
        case.behaviour.to_query(),
        form.url,
        form.method,
        form.headers,
        form.body,
        form.credentials,
        form.allow_method_probe,
        form.want_headers,
        form.timeout,
        differs.join(", "),
        v.trusted,
    );
    let (p, o) = (probes(&case.predicted), probes(observed));
    for i in 0..p.len().max(o.len()) {
        let name = |l: &[(String, String)]| l.get(i).map_or("-", |x| x.0.as_str()).to_string();
        let view = |l: &[(String, String)]| l.get(i).map_or("-", |x| x.1.as_str()).to_string();
        let _ = writeln!(
            out,
            "  {} probe {:<26} simulator {:<16} chromium {}{:<16} {} ms",
            if p.get(i) == o.get(i) { " " } else { "≠" },
            name(&p),
            view(&p),
            if name(&p) == name(&o) {
                String::new()
            } else {
                format!("[{}] ", name(&o))
            },
            view(&o),
            observed["probes"][i]["duration_ms"],
        );
    }
    let ranked_list = |r: &Value| -> Vec<String> {
        r["causes"]
            .as_array()
            .map(|cs| {
                cs.iter()
                    .map(|c| {
                        format!(
                            "{} {} {}",
                            c["code"].as_str().unwrap_or("?"),
                            c["confidence"],
                            c["params"]
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let _ = writeln!(
        out,
        "  causes, simulator at 0 ms:          {:?}",
        ranked_list(&case.predicted)
    );
    if v.trusted {
        let _ = writeln!(
            out,
            "  causes, simulator with page clock:  {:?}",
            ranked_list(&with_page_clock(case, observed))
        );
    }
    let _ = writeln!(
        out,
        "  causes, page in Chromium:           {:?}",
        ranked_list(observed)
    );
    if !v.exposed {
        let _ = writeln!(
            out,
            "  exposed: simulator {:?}, chromium {:?}",
            exposed(&case.predicted),
            exposed(observed)
        );
    }
    if !v.reports {
        let _ = writeln!(
            out,
            "  browser reports: simulator {:?}, chromium {:?}",
            browser_report_ids(&case.predicted),
            browser_report_ids(observed)
        );
    }
    if !v.request {
        let _ = writeln!(
            out,
            "  request: simulator {}, chromium {}",
            case.predicted["request"], observed["request"]
        );
    }
    let records = tab
        .chromium_records(&form.url, &normalize_method(&form.method))
        .await;
    for r in records {
        let _ = writeln!(
            out,
            "  chromium record {} {}: status {:?} error {:?} corsError {:?} ({:?})",
            r.method, r.resource_type, r.status, r.error_text, r.cors_error, r.failed_parameter
        );
    }
    out
}

/// Why the page may not run this engine: `dist/` is older than a Rust source it is built from.
/// The native loop runs the engine as it is now, the page the one it was built with.
fn stale_dist() -> Option<String> {
    fn newest(dir: &Path, ext: &str, out: &mut Option<(SystemTime, PathBuf)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                newest(&path, ext, out);
            } else if path.extension().is_some_and(|e| e == ext) {
                if let Ok(modified) = entry.metadata().and_then(|m| m.modified()) {
                    if out.as_ref().is_none_or(|(t, _)| modified > *t) {
                        *out = Some((modified, path));
                    }
                }
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (mut source, mut page) = (None, None);
    for part in [
        "src/engine",
        "src/ui",
        "src/probe",
        "src/lib.rs",
        "src/main.rs",
    ] {
        let path = root.join(part);
        if path.is_dir() {
            newest(&path, "rs", &mut source);
        } else if let Ok(modified) = std::fs::metadata(&path).and_then(|m| m.modified()) {
            if source.as_ref().is_none_or(|(t, _)| modified > *t) {
                source = Some((modified, path));
            }
        }
    }
    newest(&root.join("dist"), "wasm", &mut page);
    let ((changed, path), (built, _)) = (source?, page?);
    (changed > built).then(|| {
        format!(
            "dist/ is older than {}: the page would run another engine than the native loop; rebuild it (trunk build --release)",
            path.display()
        )
    })
}

// ---------------------------------------------------------------------------------------------
// The tests

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_sees_what_the_simulator_predicts_and_diagnoses_the_same() {
    if let Some(why) = stale_dist() {
        panic!("{why}");
    }
    let started = Instant::now();
    let harness = Harness::start().await;
    let page_url = harness.site.page_url();
    let (mut cases, skipped) = prepare(&harness.lab, &harness.site.origin);
    // `CORS_DOCTOR_LOOP_CASES=108,131` runs only those cases (to look at a few again).
    let only: Option<Vec<usize>> = std::env::var("CORS_DOCTOR_LOOP_CASES")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect());
    if let Some(only) = &only {
        cases.retain(|c| only.contains(&c.n));
        println!("chromium loop: only cases {only:?}");
    }
    assert!(
        only.is_some() || cases.len() >= MIN_USABLE,
        "only {} usable cases of {CASES} ({skipped} skipped)",
        cases.len()
    );
    predict_all(&mut cases);
    let native_s = started.elapsed().as_secs_f64();

    let tab = harness.chromium.tab().await;
    open_page(&tab, &page_url).await;
    let mut failures = Vec::new();
    let mut timing_only: Vec<String> = Vec::new();
    let mut deviated: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut by_top: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_report: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let (mut probe_agree, mut top_equal, mut ranked_equal, mut clocked_equal) = (0, 0, 0, 0);
    let (mut trusted, mut reloads) = (0, 0);
    let mut reach_ms: Vec<f64> = Vec::new();
    let mut with_exposed = 0;
    let mut by_mistake: BTreeMap<&str, usize> = BTreeMap::new();
    for case in &cases {
        for m in &case.mistakes {
            *by_mistake.entry(m).or_default() += 1;
        }
        let observed = match run_case(&tab, &page_url, case, &mut reloads).await {
            Ok(report) => report,
            Err(why) => {
                failures.push(format!(
                    "#{} behaviour ?{}: {why}",
                    case.n,
                    case.behaviour.to_query()
                ));
                continue;
            }
        };
        let v = Verdicts::of(case, &observed);
        probe_agree += usize::from(v.probes);
        top_equal += usize::from(v.top);
        ranked_equal += usize::from(v.ranked);
        clocked_equal += usize::from(v.clocked);
        trusted += usize::from(v.trusted);
        reach_ms.extend(probe_named(&observed, "reachability")["duration_ms"].as_f64());
        with_exposed += usize::from(!exposed(&observed).is_empty());
        *by_top.entry(top_code(&observed)).or_default() += 1;
        let ids: Vec<String> = browser_report_ids(&observed).into_iter().collect();
        if !ids.is_empty() {
            by_report.entry(ids.join("+")).or_default().push(case.n);
        }
        if v.timing_only() {
            timing_only.push(format!(
                "#{}: top cause {} where the 0 ms loop says {} (no-cors GET {} ms)",
                case.n,
                top_code(&observed),
                top_code(&case.predicted),
                probe_named(&observed, "reachability")["duration_ms"],
            ));
        }
        let known = KNOWN_DEVIATIONS.iter().find(|d| d.case == case.n);
        match (v.agree(), known) {
            (true, None) => {}
            (true, Some(d)) => failures.push(format!(
                "#{} is listed as deviation {} but Chromium now agrees with the simulator: remove it from KNOWN_DEVIATIONS and deviations.md",
                case.n,
                d.kind.name()
            )),
            (false, Some(d)) if d.kind.explains(case, &observed, &v) => {
                deviated.entry(d.kind.name()).or_default().push(case.n);
            }
            (false, Some(d)) => failures.push(format!(
                "(listed as deviation {}, but it differs in more than that)\n{}",
                d.kind.name(),
                describe(case, &observed, &v, &tab).await
            )),
            (false, None) => failures.push(describe(case, &observed, &v, &tab).await),
        }
    }
    drop(tab);
    harness.stop().await;
    if only.is_none() {
        for d in KNOWN_DEVIATIONS {
            if !cases.iter().any(|c| c.n == d.case) {
                failures.push(format!(
                    "#{} is listed as deviation {} but is not in the sample",
                    d.case,
                    d.kind.name()
                ));
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    reach_ms.sort_by(f64::total_cmp);
    let quantile = |q: f64| {
        let last = reach_ms.len().saturating_sub(1) as f64;
        reach_ms.get((last * q) as usize).copied().unwrap_or(0.0)
    };
    println!("chromium loop: mistakes in the sample: {by_mistake:?}");
    println!("chromium loop: top causes in the page: {by_top:?}");
    println!("chromium loop: the page could read a non-safelisted response header in {with_exposed} cases");
    println!("chromium loop: browser reports in the page (cases): {by_report:?}");
    println!("chromium loop: documented deviations (cases): {deviated:?}");
    println!(
        "chromium loop: the no-cors GET took {:.1} ms (median), {:.1} ms (90th percentile), {:.1} ms (max); the page trusted its clock in {trusted} cases",
        quantile(0.5),
        quantile(0.9),
        quantile(1.0)
    );
    for t in &timing_only {
        println!("chromium loop: timing only: {t}");
    }
    println!(
        "chromium loop: {} cases ({skipped} skipped), {probe_agree} agree probe by probe, top cause equal in {top_equal} and ranked causes equal in {ranked_equal} (native loop at 0 ms), causes equal given the page's clock in {clocked_equal}; {} differ by timing only, {} documented deviations, {} failures; {reloads} reloads; {elapsed:.1} s ({native_s:.1} s native)",
        cases.len(),
        timing_only.len(),
        deviated.values().map(Vec::len).sum::<usize>(),
        failures.len(),
    );
    assert!(
        failures.is_empty(),
        "{} case(s) where the page in Chromium and the native loop differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Deviation `embedded-credentials-report`: a redirect to `http://user:secret@…` that the page's
/// `no-cors` GET follows is refused by Chromium and by the simulator alike (the probes agree),
/// but Chromium also raises the deprecation report `RequestedSubresourceWithEmbeddedCredentials`,
/// which the simulator does not. If this fails, Chromium or the simulator changed: update
/// `deviations.md` and [`KNOWN_DEVIATIONS`].
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pinned_embedded_credentials_report() {
    let harness = Harness::start().await;
    let origin = harness.site.origin.clone();
    let behaviour = Behaviour {
        redirect: Some(Redirect {
            status: 301,
            target: RedirectTarget::WithCredentials,
            cors_headers: false,
            preflight_too: true,
        }),
        ..Behaviour::default()
    };
    let form = FormInput {
        url: case_url(&harness.lab, &behaviour, 9999),
        ..FormInput::default()
    };
    let context = CheckContext {
        page_origin: origin.clone(),
        form: parse_form(&form, &origin).expect("the form parses"),
    };
    let (runs, reports) = observe(&context, &behaviour, 0.0);
    let predicted = serde_json::to_value(report_with(&context, &runs, &reports, None))
        .expect("a report serializes");
    let tab = harness.chromium.tab().await;
    let observed = tab
        .check(
            &harness.site.page_url(),
            &Form {
                url: form.url.clone(),
                method: Some(form.method.clone()),
                ..Form::default()
            },
        )
        .await;
    drop(tab);
    harness.stop().await;
    assert_eq!(probes(&predicted), probes(&observed), "the probes differ");
    assert_eq!(
        probe_named(&observed, "reachability")["outcome"],
        "unreachable",
        "{observed:#}"
    );
    assert!(
        browser_report_ids(&observed).contains(EMBEDDED_CREDENTIALS_REPORT),
        "Chromium no longer raises {EMBEDDED_CREDENTIALS_REPORT}: {}",
        observed["browser_reports"]
    );
    assert!(
        !browser_report_ids(&predicted).contains(EMBEDDED_CREDENTIALS_REPORT),
        "the simulator now raises {EMBEDDED_CREDENTIALS_REPORT}: the deviation is gone"
    );
    assert_eq!(causes(&predicted), causes(&observed), "the causes differ");
}

/// `fetch(url, {mode: "no-cors", redirect: "manual"})` is a network error before anything is
/// sent (Fetch's main fetch; Chromium rejects it the same way), and the simulator says so:
/// `NotSent` with `input/disallowed-by-mode`. The page's probe plan never sends this
/// combination (its `no-cors` probe follows redirects); this pins why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_cors_with_manual_redirect_is_refused_before_sending() {
    let harness = Harness::start().await;
    let page_origin = harness.site.origin.clone();
    let tab = harness.chromium.tab().await;
    tab.open(&harness.site.page_url()).await;
    let refused = harness.lab.url("/behaviour?case=no-cors-manual");
    let control = harness.lab.url("/behaviour?case=no-cors-follow");
    let send = |url: &str, redirect: &str| {
        format!(
            "(async () => {{ try {{ const r = await fetch({url}, {{ mode: 'no-cors', redirect: '{redirect}' }}); \
             return {{ resolved: true, type: r.type, status: r.status }}; }} \
             catch (e) {{ return {{ resolved: false, typeError: e instanceof TypeError, name: e.name, message: e.message }}; }} }})()",
            url = serde_json::to_string(url).expect("json string"),
        )
    };
    let manual = tab.eval(&send(&refused, "manual")).await;
    // The control: the same request following redirects reaches the lab, so the refusal above is
    // the mode's, not the URL's.
    let follow = tab.eval(&send(&control, "follow")).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let records = tab.chromium_records(&refused, "GET").await;
    let reached = |tag: &str| {
        harness
            .lab
            .requests()
            .into_iter()
            .filter(|r| r.query.contains(tag))
            .count()
    };
    let (reached_manual, reached_follow) = (reached("no-cors-manual"), reached("no-cors-follow"));
    drop(tab);
    harness.stop().await;
    println!("no-cors + manual: page saw {manual}; Chromium's records {records:?}");

    assert_eq!(manual["resolved"], false, "Chromium resolved it: {manual}");
    assert_eq!(manual["typeError"], true, "not a TypeError: {manual}");
    assert_eq!(manual["message"], "Failed to fetch", "{manual}");
    assert_eq!(reached_manual, 0, "the refused request reached the lab");
    assert!(
        records
            .iter()
            .all(|r| r.status.is_none() && r.cors_error.is_none()),
        "Chromium records a response or a CORS error for it: {records:?}"
    );
    assert_eq!(follow["resolved"], true, "the control failed: {follow}");
    assert_eq!(follow["type"], "opaque", "{follow}");
    assert_eq!(reached_follow, 1, "the control did not reach the lab once");

    let request = Request {
        mode: RequestMode::NoCors,
        redirect: RedirectMode::Manual,
        ..Request::new(&page_origin, &refused, "GET")
    };
    let nothing = ServerAnswers { hops: Vec::new() };
    for trace in [
        simulate(&request, &nothing),
        simulate_in(Browser::Chromium, &request, &nothing),
    ] {
        match &trace.verdict {
            Verdict::NotSent(f) => {
                assert_eq!(f.code, Code::InputDisallowedByMode, "{f:?}");
                assert_eq!(f.code.as_str(), "input/disallowed-by-mode");
            }
            other => panic!("the simulator says {other:?}, not NotSent"),
        }
        assert_eq!(trace.requests, 0, "the simulator sends {}", trace.requests);
    }
}
