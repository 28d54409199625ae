//! The diagnosis, end to end: one row per lab scenario. The page must reach the expected top cause
//! (with its key parameter), and that cause must be consistent with what Chromium itself reported
//! for the user's request.

use cors_doctor::engine::fetch::Code;

use crate::util::{probe, Form, Harness};
use crate::verdict::{agrees, ChromiumSays};

/// Where a row sends its request.
enum Target {
    Lab(&'static str),
    ClosedPort,
    Raw(&'static str),
}

struct Row {
    name: &'static str,
    target: Target,
    method: &'static str,
    headers: &'static str,
    body: &'static str,
    credentials: bool,
    allow_method_probe: bool,
    want: &'static str,
    timeout: Option<&'static str>,
    /// The top cause's code, and a parameter it must carry.
    code: &'static [&'static str],
    param: Option<(&'static str, &'static str)>,
    chromium: ChromiumSays,
}

const fn row(
    name: &'static str,
    target: Target,
    method: &'static str,
    code: &'static [&'static str],
    chromium: ChromiumSays,
) -> Row {
    Row {
        name,
        target,
        method,
        headers: "",
        body: "",
        credentials: false,
        allow_method_probe: false,
        want: "",
        timeout: None,
        code,
        param: None,
        chromium,
    }
}

impl Row {
    const fn headers(mut self, headers: &'static str) -> Row {
        self.headers = headers;
        self
    }
    const fn body(mut self, body: &'static str) -> Row {
        self.body = body;
        self
    }
    const fn credentials(mut self) -> Row {
        self.credentials = true;
        self
    }
    const fn allow_method_probe(mut self) -> Row {
        self.allow_method_probe = true;
        self
    }
    const fn want(mut self, want: &'static str) -> Row {
        self.want = want;
        self
    }
    const fn timeout(mut self, secs: &'static str) -> Row {
        self.timeout = Some(secs);
        self
    }
    const fn param(mut self, key: &'static str, value: &'static str) -> Row {
        self.param = Some((key, value));
        self
    }
}

use ChromiumSays::{CorsError, Delivered, DeliveredOrCorsError, NetError, NothingSent};
use Target::{ClosedPort, Lab, Raw};

const ALLOW_ORIGIN: &[&str] = &[
    "MissingAllowOriginHeader",
    "AllowOriginMismatch",
    "MultipleAllowOriginValues",
    "InvalidAllowOriginValue",
];
const CREDENTIALS: &[&str] = &["WildcardOriginNotAllowed", "InvalidAllowCredentials"];
const PREFLIGHT_STATUS: &[&str] = &[
    "PreflightInvalidStatus",
    "PreflightMissingAllowOriginHeader",
];
const JSON: &str = "Content-Type: application/json";
/// A preflight that fails as a whole while GET passes: from the page, a non-2xx status and a
/// missing Allow-Origin look the same (Chromium checks Allow-Origin first, so a 401 without CORS
/// headers *is* `preflight/allow-origin`); both are ranked, the likelier first.
const PREFLIGHT_FAILS: &[&str] = &["preflight/allow-origin", "preflight/status"];

const ROWS: &[Row] = &[
    row(
        "simple-ok",
        Lab("/simple-ok"),
        "GET",
        &["ok"],
        Delivered(Some(200)),
    ),
    row(
        "preflighted-put-ok",
        Lab("/preflight-ok"),
        "PUT",
        &["ok"],
        Delivered(Some(200)),
    )
    .headers("Content-Type: application/json\nX-Trace-One: 1")
    .body("{\"a\":1}"),
    row(
        "error-500-with-cors",
        Lab("/error-cors"),
        "GET",
        &["ok"],
        Delivered(Some(500)),
    )
    .param("status", "500"),
    row(
        "not-exposed",
        Lab("/not-exposed"),
        "GET",
        &["ok/header-not-exposed"],
        Delivered(Some(200)),
    )
    .want("X-Exposed, X-Request-Id")
    .param("header", "x-request-id"),
    row(
        "acao-missing",
        Lab("/acao-missing"),
        "GET",
        &["response/allow-origin"],
        CorsError(ALLOW_ORIGIN, None),
    ),
    row(
        "acao-other",
        Lab("/acao-other"),
        "GET",
        &["response/allow-origin"],
        CorsError(ALLOW_ORIGIN, None),
    ),
    row(
        "acao-trailing-slash",
        Lab("/acao-trailing-slash"),
        "GET",
        &["response/allow-origin"],
        CorsError(ALLOW_ORIGIN, None),
    ),
    row(
        "acao-multiple",
        Lab("/acao-multiple"),
        "GET",
        &["response/allow-origin"],
        CorsError(ALLOW_ORIGIN, None),
    ),
    row(
        "wildcard-credentials",
        Lab("/wildcard-credentials"),
        "GET",
        &["response/credentials"],
        CorsError(CREDENTIALS, None),
    )
    .credentials(),
    row(
        "credentials-no-acac",
        Lab("/credentials-no-acac"),
        "GET",
        &["response/credentials"],
        CorsError(CREDENTIALS, None),
    )
    .credentials(),
    row(
        "preflight-404",
        Lab("/preflight-404"),
        "PUT",
        PREFLIGHT_FAILS,
        CorsError(PREFLIGHT_STATUS, None),
    )
    .headers("X-Trace-One: 1"),
    row(
        "preflight-401",
        Lab("/preflight-401"),
        "PUT",
        PREFLIGHT_FAILS,
        CorsError(PREFLIGHT_STATUS, None),
    )
    .headers("Authorization: Bearer token")
    .body("{}"),
    row(
        "preflight-redirect",
        Lab("/preflight-redirect"),
        "PUT",
        &["preflight/redirect"],
        CorsError(&["PreflightDisallowedRedirect"], None),
    )
    .headers(JSON)
    .body("{}"),
    row(
        "method-not-allowed",
        Lab("/method-not-allowed"),
        "PATCH",
        &["preflight/method-not-allowed"],
        CorsError(&["MethodDisallowedByPreflightResponse"], Some("PATCH")),
    )
    .headers(JSON)
    .body("{\"a\":1}")
    .param("method", "PATCH"),
    row(
        "header-not-allowed",
        Lab("/header-not-allowed"),
        "PUT",
        &["preflight/header-not-allowed"],
        CorsError(
            &["HeaderDisallowedByPreflightResponse"],
            Some("x-trace-three"),
        ),
    )
    .headers("X-Trace-One: 1\nX-Trace-Two: 2\nX-Trace-Three: 3")
    .param("header", "x-trace-three"),
    row(
        "authorization-wildcard",
        Lab("/acah-wildcard"),
        "GET",
        &[
            "preflight/authorization-wildcard",
            "preflight/header-not-allowed",
        ],
        DeliveredOrCorsError("HeaderDisallowedByPreflightResponse", "authorization"),
    )
    .headers("Authorization: Bearer token")
    .param("header", "authorization"),
    row(
        "hidden-500",
        Lab("/hidden-error"),
        "POST",
        &["response/hidden-server-error"],
        CorsError(&["MissingAllowOriginHeader"], None),
    )
    .headers(JSON)
    .body("{\"a\":1}"),
    row(
        "hidden-401",
        Lab("/hidden-error?status=401"),
        "POST",
        &["response/hidden-server-error"],
        CorsError(&["MissingAllowOriginHeader"], None),
    )
    .headers(JSON)
    .body("{\"a\":1}"),
    row(
        "hidden-403",
        Lab("/hidden-error?status=403"),
        "POST",
        &["response/hidden-server-error"],
        CorsError(&["MissingAllowOriginHeader"], None),
    )
    .headers(JSON)
    .body("{\"a\":1}"),
    // With 80 ms per answer, timing tells how far a PATCH got: two round trips mean the preflight
    // passed and the response hid an error; one means the preflight refused the method.
    row(
        "hidden-error-by-timing",
        Lab("/hidden-error?delay_ms=80"),
        "PATCH",
        &["response/hidden-server-error"],
        CorsError(&["MissingAllowOriginHeader"], None),
    )
    .headers(JSON)
    .body("{\"a\":1}"),
    row(
        "method-refused-by-timing",
        Lab("/method-not-allowed?delay_ms=80"),
        "PATCH",
        &["preflight/method-not-allowed"],
        CorsError(&["MethodDisallowedByPreflightResponse"], Some("PATCH")),
    )
    .headers(JSON)
    .body("{\"a\":1}")
    .param("method", "PATCH"),
    // Opted in: PATCH alone passes its preflight, so the full PATCH's response hid an error.
    row(
        "hidden-error-by-method-probe",
        Lab("/hidden-error"),
        "PATCH",
        &["response/hidden-server-error"],
        CorsError(&["MissingAllowOriginHeader"], None),
    )
    .headers(JSON)
    .body("{\"a\":1}")
    .allow_method_probe(),
    row(
        "redirect-tainted",
        Lab("/redirect-cross-origin"),
        "GET",
        &["redirect/tainted-origin"],
        CorsError(&["AllowOriginMismatch"], None),
    ),
    row(
        "closed-port",
        ClosedPort,
        "GET",
        &["network/unreachable"],
        NetError("net::ERR_CONNECTION_REFUSED"),
    ),
    row(
        "never-answers",
        Lab("/never-answers"),
        "GET",
        &["network/timeout"],
        NetError("net::ERR_ABORTED"),
    )
    .timeout("1"),
    row(
        "ftp-scheme",
        Raw("ftp://127.0.0.1/file"),
        "GET",
        &["input/unsupported-scheme"],
        NothingSent,
    ),
    row(
        "header-line-without-colon",
        Lab("/simple-ok"),
        "GET",
        &["input/invalid-header"],
        NothingSent,
    )
    .headers("X-Trace-One 1"),
    row(
        "cookie-header",
        Lab("/simple-ok"),
        "GET",
        &["input/forbidden-header"],
        NothingSent,
    )
    .headers("Cookie: session=1"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn top_cause_per_scenario_agrees_with_chromium() {
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    let mut failures = Vec::new();
    for row in ROWS {
        let url = match row.target {
            Lab(path) => {
                let joiner = if path.contains('?') { '&' } else { '?' };
                harness.lab.url(&format!("{path}{joiner}case={}", row.name))
            }
            ClosedPort => harness
                .lab
                .closed_port_url(&format!("/nothing?case={}", row.name)),
            Raw(url) => url.to_string(),
        };
        let form = Form {
            url: url.clone(),
            method: Some(row.method.into()),
            headers: Some(row.headers.into()),
            body: Some(row.body.into()),
            credentials: row.credentials,
            allow_method_probe: row.allow_method_probe,
            want_headers: Some(row.want.into()),
            timeout: row.timeout.map(Into::into),
        };
        let report = tab.check(&harness.site.page_url(), &form).await;
        let top = &report["causes"][0];
        let code = top["code"].as_str().unwrap_or("(no cause)");
        // The expected code, or a more exact one it covers (`response/credentials` covers
        // `response/credentials/missing-allow`): a code is a path, matched by prefix.
        let covered = row.code.iter().any(|want| {
            matches!((Code::parse(want), Code::parse(code)), (Some(w), Some(g)) if w.covers(&g))
        });
        if !covered {
            failures.push(format!(
                "{}: top cause {code}, expected one of {:?}\n  causes: {}",
                row.name, row.code, report["causes"]
            ));
        }
        if let Some((key, value)) = row.param {
            let got = top["params"][key]
                .as_str()
                .map(str::to_string)
                .or_else(|| top["params"][key].as_u64().map(|n| n.to_string()));
            if got.as_deref() != Some(value) {
                failures.push(format!(
                    "{}: params.{key} is {got:?}, expected {value}",
                    row.name
                ));
            }
        }
        let records = tab.chromium_records(&url, row.method).await;
        if let Err(why) = agrees(row.chromium, &records) {
            failures.push(format!("{}: {why}; Chromium saw {records:?}", row.name));
        }
        if let Some(dir) = std::env::var_os("CORS_DOCTOR_SCREENSHOTS") {
            tab.screenshot(&std::path::Path::new(&dir).join(format!("{}.png", row.name)))
                .await;
        }
    }
    // The user's POST with a body went out exactly once: probes never repeat it.
    let posts = harness
        .lab
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.query.contains("case=hidden-500"))
        .collect::<Vec<_>>();
    if posts.len() != 1 || posts[0].body_len == 0 {
        failures.push(format!("hidden-500: the lab received {} POSTs with bodies {:?}, expected exactly one with a body", posts.len(), posts.iter().map(|p| p.body_len).collect::<Vec<_>>()));
    }
    harness.stop().await;
    assert!(
        failures.is_empty(),
        "{} row(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_probe_is_listed_and_only_the_actual_one_uses_the_users_method() {
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    let url = harness.lab.url("/header-not-allowed?case=listing");
    let form = Form {
        url: url.clone(),
        method: Some("DELETE".into()),
        headers: Some("X-Trace-One: 1\nX-Trace-Three: 3".into()),
        ..Form::default()
    };
    let report = tab.check(&harness.site.page_url(), &form).await;
    let probes = report["probes"].as_array().cloned().unwrap_or_default();
    assert_eq!(probe(&report, "actual")["method"], "DELETE");
    assert_eq!(
        tab.eval("document.querySelector('[data-testid=copy-markdown]') !== null")
            .await,
        true,
        "the Markdown copy button"
    );
    for p in &probes {
        if p["name"] != "actual" {
            assert_eq!(p["method"], "GET", "probe {p} must be a GET");
        }
    }
    // What reached the server matches the list: one DELETE, and GETs (plus preflights) only.
    let received = harness.lab.requests();
    let deletes = received.iter().filter(|r| r.method == "DELETE").count();
    let others: Vec<_> = received
        .iter()
        .filter(|r| !matches!(r.method.as_str(), "GET" | "OPTIONS" | "DELETE"))
        .collect();
    assert!(deletes <= 1, "DELETE sent {deletes} times");
    assert!(
        others.is_empty(),
        "unexpected methods reached the server: {others:?}"
    );
    let gets = received.iter().filter(|r| r.method == "GET").count();
    let listed_gets = probes.iter().filter(|p| p["method"] == "GET").count();
    assert!(
        gets <= listed_gets,
        "{gets} GETs reached the server, but only {listed_gets} are listed"
    );
    harness.stop().await;
}

/// URLs as people paste them: queries with escapes, `+`, empty names and values, repeated
/// `&`, an escape that is not one, an empty query, a fragment. Every probe of the check (sent
/// with gloo-net's request builder) reaches the lab with the request target exactly as typed,
/// the fragment left out as HTTP requires.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn urls_are_sent_byte_for_byte_as_typed() {
    const TYPED: &[&str] = &[
        "/simple-ok?case=bytes&a=1&b=%20x&c=%2F&d=caf%C3%A9",
        "/simple-ok?q=a+b&q=a%2Bb&empty=&=x&&",
        "/simple-ok?odd=%zz&pct=100%25&semi=a;b",
        "/simple-ok?",
        "/simple-ok?case=fragment#section-2?not=query",
        "/simple-ok/%7Euser/a%2Fb?x=%7E",
    ];
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    let mut failures = Vec::new();
    for typed in TYPED {
        harness.lab.clear_log();
        let expected = typed.split('#').next().unwrap_or(typed);
        let form = Form {
            url: harness.lab.url(typed),
            ..Form::default()
        };
        let report = tab.check(&harness.site.page_url(), &form).await;
        let received = harness.lab.requests();
        let prefix = expected.split('?').next().unwrap_or(expected);
        let ours: Vec<_> = received.iter().filter(|r| r.path == prefix).collect();
        let actual = ours
            .iter()
            .find(|r| r.method == "GET" && r.origin.is_some())
            .map(|r| r.target.as_str());
        if actual != Some(expected) {
            failures.push(format!(
                "{typed}: the user's GET arrived as {actual:?}, expected {expected:?} (top cause {})",
                report["causes"][0]["code"]
            ));
        }
        let mangled: Vec<_> = ours
            .iter()
            .filter(|r| r.target != expected)
            .map(|r| format!("{} {}", r.method, r.target))
            .collect();
        if !mangled.is_empty() {
            failures.push(format!("{typed}: probes arrived as {mangled:?}"));
        }
    }
    harness.stop().await;
    assert!(
        failures.is_empty(),
        "{} URL(s) not sent as typed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_share_link_prefills_the_form_and_never_runs_it() {
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    let target = harness.lab.url("/simple-ok?case=share");
    let link = format!(
        "{}#url={}&method=PATCH&headers=X-A%3A%201&credentials=1",
        harness.site.page_url(),
        target
            .replace(':', "%3A")
            .replace('/', "%2F")
            .replace('?', "%3F")
            .replace('=', "%3D")
    );
    tab.page.goto(link.as_str()).await.expect("load share link");
    tab.wait_for(
        "document.querySelector('[data-testid=url]')?.value.length > 0",
        std::time::Duration::from_secs(20),
    )
    .await;
    let value = |id: &str| format!("document.querySelector('[data-testid={id}]').value");
    assert_eq!(tab.eval(&value("url")).await, target.as_str());
    assert_eq!(tab.eval(&value("method")).await, "PATCH");
    assert_eq!(tab.eval(&value("headers")).await, "X-A: 1");
    assert_eq!(
        tab.eval("document.querySelector('[data-testid=credentials]').checked")
            .await,
        true
    );
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        tab.eval("document.querySelector('[data-testid=report]').dataset.status")
            .await,
        "idle"
    );
    assert!(
        harness.lab.requests().is_empty(),
        "a share link sent requests: {:?}",
        harness.lab.requests()
    );
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_enter_runs_and_cancel_stops_a_hanging_check() {
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    tab.open(&harness.site.page_url()).await;
    tab.fill("url", &harness.lab.url("/never-answers?case=cancel"))
        .await;
    tab.fill("timeout", "60").await;
    tab.eval(
        "document.querySelector('[data-testid=url]').dispatchEvent(new KeyboardEvent('keydown', \
         { key: 'Enter', ctrlKey: true, bubbles: true }))",
    )
    .await;
    tab.wait_for(
        "document.querySelector('[data-testid=report]').dataset.status === 'running'",
        std::time::Duration::from_secs(5),
    )
    .await;
    // Progress: one row per probe, each running with its own elapsed time, ticking.
    let progress = "[...document.querySelectorAll('[data-testid=probe-progress]')].map(r => r.textContent).join('|')";
    tab.wait_for(
        "document.querySelectorAll('[data-testid=probe-progress]').length >= 3",
        std::time::Duration::from_secs(5),
    )
    .await;
    let before = tab.eval(progress).await;
    assert!(
        before.as_str().is_some_and(|t| t.contains("running… ")),
        "{before}"
    );
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let after = tab.eval(progress).await;
    assert_ne!(before, after, "the elapsed time does not tick");
    let started = std::time::Instant::now();
    tab.eval("document.querySelector('[data-testid=cancel]').click()")
        .await;
    tab.wait_for(
        "document.querySelector('[data-testid=report]').dataset.status === 'done'",
        std::time::Duration::from_secs(5),
    )
    .await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "cancel took {:?}",
        started.elapsed()
    );
    let text = tab
        .eval("document.querySelector('[data-testid=report-json]').textContent")
        .await;
    let report: serde_json::Value =
        serde_json::from_str(text.as_str().unwrap_or("{}")).expect("report json");
    assert_eq!(
        probe(&report, "actual")["outcome"],
        "not-sent",
        "{report:#}"
    );
    assert!(
        report["causes"].as_array().is_some_and(|c| c.is_empty()),
        "a cancelled check names no cause: {report:#}"
    );
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_shows_a_visible_banner_instead_of_a_dead_page() {
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    tab.open(&harness.site.page_url()).await;
    assert_eq!(
        tab.eval("document.getElementById('fatal').hidden").await,
        true
    );
    let thrown = tab
        .eval("(() => { try { window.wasmBindings.panicSelfTest(); return 'no panic'; } catch (e) { return String(e); } })()")
        .await;
    assert_ne!(thrown, "no panic");
    assert_eq!(
        tab.eval("document.getElementById('fatal').hidden").await,
        false
    );
    let banner = tab
        .eval("document.getElementById('fatal').textContent")
        .await;
    assert!(
        banner
            .as_str()
            .is_some_and(|b| b.contains("internal error") && b.contains("panic self-test")),
        "{banner}"
    );
    harness.stop().await;
}

/// Escape, pressed as a real key with the focus nowhere in particular, cancels a running check.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escape_cancels_a_running_check() {
    use chromiumoxide::cdp::browser_protocol::input::{
        DispatchKeyEventParams, DispatchKeyEventType,
    };

    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    tab.open(&harness.site.page_url()).await;
    tab.fill("url", &harness.lab.url("/never-answers?case=escape"))
        .await;
    tab.fill("timeout", "60").await;
    tab.eval("document.querySelector('[data-testid=run]').click()")
        .await;
    tab.wait_for(
        "document.querySelector('[data-testid=report]').dataset.status === 'running'",
        std::time::Duration::from_secs(5),
    )
    .await;
    tab.eval("document.activeElement && document.activeElement.blur()")
        .await;
    let started = std::time::Instant::now();
    for kind in [DispatchKeyEventType::KeyDown, DispatchKeyEventType::KeyUp] {
        let key = DispatchKeyEventParams::builder()
            .r#type(kind)
            .key("Escape")
            .code("Escape")
            .windows_virtual_key_code(27)
            .build()
            .expect("key event");
        tab.page.execute(key).await.expect("press Escape");
    }
    tab.wait_for(
        "document.querySelector('[data-testid=report]').dataset.status === 'done'",
        std::time::Duration::from_secs(5),
    )
    .await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "Escape took {:?} to cancel",
        started.elapsed()
    );
    harness.stop().await;
}
