//! The server view end to end: Chromium's own console text and the page's own curl commands,
//! run against the lab, pasted into the evidence box, must give the cause Chromium itself
//! reported; a HAR file dropped on the page lists every request with its verdict; requests
//! copied from DevTools fill the form and send nothing.

use std::time::Duration;
use tokio::process::Command;

use cors_doctor::engine::fetch::{code_for_chromium, AllowOriginDetail, Code};
use serde_json::{json, Value};

use crate::util::{Form, Harness, Tab};

/// A request to one lab path.
struct Case {
    name: &'static str,
    path: &'static str,
    method: &'static str,
    headers: &'static [(&'static str, &'static str)],
    body: Option<&'static str>,
    credentials: bool,
}

const fn case(name: &'static str, path: &'static str, method: &'static str) -> Case {
    Case {
        name,
        path,
        method,
        headers: &[],
        body: None,
        credentials: false,
    }
}

impl Case {
    const fn headers(mut self, headers: &'static [(&'static str, &'static str)]) -> Case {
        self.headers = headers;
        self
    }
    const fn body(mut self, body: &'static str) -> Case {
        self.body = Some(body);
        self
    }
    const fn credentials(mut self) -> Case {
        self.credentials = true;
        self
    }

    fn form(&self, url: &str) -> Form {
        Form {
            url: url.to_string(),
            method: Some(self.method.to_string()),
            headers: Some(
                self.headers
                    .iter()
                    .map(|(n, v)| format!("{n}: {v}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            body: self.body.map(str::to_string),
            credentials: self.credentials,
            ..Form::default()
        }
    }
}

const JSON: &[(&str, &str)] = &[("Content-Type", "application/json")];

/// Lab scenarios whose cause Chromium names; each is checked through console text and curl.
const CASES: &[Case] = &[
    case("simple-ok", "/simple-ok", "GET"),
    case("error-500-with-cors", "/error-cors", "GET"),
    case("acao-missing", "/acao-missing", "GET"),
    case("acao-other", "/acao-other", "GET"),
    case("acao-trailing-slash", "/acao-trailing-slash", "GET"),
    case("acao-multiple", "/acao-multiple", "GET"),
    case("wildcard-credentials", "/wildcard-credentials", "GET").credentials(),
    case("credentials-no-acac", "/credentials-no-acac", "GET").credentials(),
    case("preflight-404", "/preflight-404", "PUT").headers(&[("X-Trace-One", "1")]),
    case("preflight-401", "/preflight-401", "PUT")
        .headers(&[("Authorization", "Bearer token")])
        .body("{}"),
    case("preflight-no-acao", "/preflight-no-acao", "PUT")
        .headers(JSON)
        .body("{}"),
    case("preflight-redirect", "/preflight-redirect", "PUT")
        .headers(JSON)
        .body("{}"),
    case("method-not-allowed", "/method-not-allowed", "PATCH")
        .headers(JSON)
        .body("{\"a\":1}"),
    case("header-not-allowed", "/header-not-allowed", "PUT").headers(&[
        ("X-Trace-One", "1"),
        ("X-Trace-Two", "2"),
        ("X-Trace-Three", "3"),
    ]),
    case("hidden-500", "/hidden-error", "POST")
        .headers(JSON)
        .body("{\"a\":1}"),
];

/// Where the server view may be more precise than Chromium's own name for a failure, each with
/// the reason; anything else must be equal.
const REFINEMENTS: &[(Code, Code, &str)] = &[(
    Code::ResponseAllowOrigin(AllowOriginDetail::Missing),
    Code::ResponseHiddenServerError,
    "an error status without CORS headers after a preflight that passed: Chromium names the missing header, the server view the hidden error",
)];

fn agrees(chromium: Code, view: &str) -> bool {
    view == chromium.to_string()
        || REFINEMENTS
            .iter()
            .any(|(c, v, _)| *c == chromium && view == v.to_string())
}

/// Sends the case's request with `fetch()` from the page; Chromium's own cause for it (`ok`
/// when delivered) and the console text it logged.
async fn chromium_says(tab: &Tab, case: &Case, url: &str) -> (Code, String) {
    tab.clear_console();
    let init = json!({
        "method": case.method,
        "headers": case.headers.iter().map(|(n, v)| [n, v]).collect::<Vec<_>>(),
        "credentials": if case.credentials { "include" } else { "omit" },
        "body": case.body,
        "mode": "cors",
    });
    let script = format!(
        "(async () => {{ try {{ const r = await fetch({url}, {init}); await r.text().catch(() => ''); \
         return {{ ok: true, status: r.status }}; }} catch (e) {{ return {{ ok: false, error: String(e) }}; }} }})()",
        url = serde_json::to_string(url).expect("json"),
    );
    let page = tab.eval(&script).await;
    let records = tab.chromium_records(url, case.method).await;
    let code = match records.iter().find(|r| r.cors_error.is_some()) {
        Some(r) => code_for_chromium(
            r.cors_error.as_deref().unwrap_or_default(),
            r.failed_parameter.as_deref().unwrap_or_default(),
        )
        .map(|f| f.code)
        .unwrap_or_else(|| panic!("{}: unmapped Chromium record {r:?}", case.name)),
        None if page["ok"] == true => Code::Ok,
        None => panic!(
            "{}: the page failed ({page}) without a CORS error: {records:?}",
            case.name
        ),
    };
    if code != Code::Ok {
        tab.wait_for_console("CORS policy", Duration::from_secs(3))
            .await;
    }
    (code, tab.console_lines().join("\n"))
}

/// Pastes `text` into the evidence box, analyses it and returns the report once it is the
/// analysis's (its `source` is `source`).
async fn analyse(tab: &Tab, text: &str, source: &str) -> Value {
    tab.fill("evidence", text).await;
    tab.eval("document.querySelector('[data-testid=evidence-run]').click()")
        .await;
    report_from(tab, source).await
}

/// A fresh harness with the page open in a tab, and the page's origin.
async fn open_page() -> (Harness, Tab, String) {
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    let page_url = harness.site.page_url();
    tab.open(&page_url).await;
    let page_origin = page_url.split('/').take(3).collect::<Vec<_>>().join("/");
    (harness, tab, page_origin)
}

async fn report_from(tab: &Tab, source: &str) -> Value {
    let condition = format!(
        "(() => {{ const r = document.querySelector('[data-testid=report]'); \
         const j = document.querySelector('[data-testid=report-json]'); \
         return r.dataset.status === 'done' && j !== null && JSON.parse(j.textContent).source === '{source}'; }})()"
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while tab.eval(&condition).await != Value::Bool(true) {
        if std::time::Instant::now() > deadline {
            let state = tab
                .eval(
                    "(() => { const t = s => { const e = document.querySelector(s); return e ? e.textContent : null; }; \
                     return { fatal: t('#fatal'), recognised: t('[data-testid=evidence-recognised]'), \
                     status: document.querySelector('[data-testid=report]').dataset.status, \
                     evidence: (document.querySelector('[data-testid=evidence]').value || '').slice(0, 2000) }; })()",
                )
                .await;
            panic!("no report from {source} evidence after 20 s; the page: {state:#}");
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let text = tab
        .eval("document.querySelector('[data-testid=report-json]').textContent")
        .await;
    serde_json::from_str(text.as_str().unwrap_or_default()).expect("report-json")
}

fn top_code(report: &Value) -> String {
    report["causes"][0]["code"]
        .as_str()
        .unwrap_or("(no cause)")
        .to_string()
}

/// Runs one of the page's curl commands (they reach the lab on 127.0.0.1 only) and returns
/// what a developer would paste: the command line and its output. Asynchronous: the lab answers
/// on this test's own runtime.
async fn run_curl(command: &str) -> String {
    assert!(
        command.starts_with("curl ") && command.contains("http://127.0.0.1:"),
        "not a loopback curl command: {command}"
    );
    let output = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "timeout 10 curl --max-time 8 {}",
            &command["curl ".len()..]
        ))
        .kill_on_drop(true)
        .output()
        .await
        .expect("run bash");
    format!("$ {command}\n{}", String::from_utf8_lossy(&output.stdout))
}

/// For each lab scenario: Chromium's console text and the page's curl commands' output, pasted
/// into the evidence box, name the cause Chromium reported.
#[tokio::test]
async fn console_text_and_curl_output_give_chromium_s_own_verdict() {
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    let page_url = harness.site.page_url();
    let mut failures = Vec::new();
    for case in CASES {
        let url = harness.lab.url(case.path);
        tab.open(&page_url).await;
        let (chromium, console) = chromium_says(&tab, case, &url).await;
        if chromium != Code::Ok {
            let report = analyse(&tab, &console, "console").await;
            let view = top_code(&report);
            if !agrees(chromium, &view) {
                failures.push(format!(
                    "{}: console text → {view}, Chromium said {chromium}\n--- console text:\n{console}\n--- report:\n{report:#}",
                    case.name
                ));
            }
        }
        let checked = tab.check(&page_url, &case.form(&url)).await;
        let commands: Vec<String> = checked["curl"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|c| c.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        assert!(
            !commands.is_empty(),
            "{}: no curl commands in {checked:#}",
            case.name
        );
        let mut output = String::new();
        for command in &commands {
            output.push_str(&run_curl(command).await);
            output.push('\n');
        }
        let report = analyse(&tab, &output, "curl").await;
        let view = top_code(&report);
        if !agrees(chromium, &view) {
            failures.push(format!(
                "{}: curl output → {view}, Chromium said {chromium}\n--- output:\n{output}\n--- report:\n{report:#}",
                case.name
            ));
        }
    }
    harness.stop().await;
    assert!(
        failures.is_empty(),
        "{} of {} cases disagree:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}

/// A Chromium-style HAR with requests to the lab: two fail the same way, one fails its
/// preflight, one passes.
fn har_text(api: &str, page: &str) -> String {
    let entry = |method: &str,
                 path: &str,
                 status: u16,
                 req: Value,
                 res: Value,
                 kind: &str,
                 t: &str| {
        json!({
            "_resourceType": kind,
            "startedDateTime": format!("2026-11-28T08:00:{t}Z"),
            "time": 5.0,
            "request": { "method": method, "url": format!("{api}{path}"), "httpVersion": "HTTP/1.1",
                         "headers": req, "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0 },
            "response": { "status": status, "statusText": "", "httpVersion": "HTTP/1.1", "headers": res,
                          "cookies": [], "content": { "size": 0, "mimeType": "application/json" },
                          "redirectURL": "", "headersSize": -1, "bodySize": 0, "_error": if status == 0 { Value::from("net::ERR_FAILED") } else { Value::Null } },
            "cache": {}, "timings": { "send": 1, "wait": 3, "receive": 1 }
        })
    };
    let origin = json!([{ "name": "Origin", "value": page }, { "name": "Accept", "value": "*/*" },
                        { "name": "Cookie", "value": "session=secret-cookie" }]);
    let no_cors = json!([{ "name": "Content-Type", "value": "application/json" }]);
    let entries = vec![
        entry(
            "GET",
            "/acao-missing?a=1",
            200,
            origin.clone(),
            no_cors.clone(),
            "fetch",
            "01.000",
        ),
        entry(
            "GET",
            "/acao-missing?a=2",
            200,
            origin.clone(),
            no_cors.clone(),
            "fetch",
            "02.000",
        ),
        entry(
            "OPTIONS",
            "/preflight-401",
            401,
            json!([{ "name": "Origin", "value": page }, { "name": "Access-Control-Request-Method", "value": "PUT" },
                   { "name": "Access-Control-Request-Headers", "value": "authorization" }]),
            json!([{ "name": "WWW-Authenticate", "value": "Bearer" }]),
            "preflight",
            "03.000",
        ),
        entry(
            "GET",
            "/simple-ok",
            200,
            origin,
            json!([{ "name": "Access-Control-Allow-Origin", "value": page },
                   { "name": "Access-Control-Allow-Credentials", "value": "true" }]),
            "fetch",
            "04.000",
        ),
    ];
    json!({ "log": { "version": "1.2", "creator": { "name": "WebInspector", "version": "537.36" },
                     "pages": [], "entries": entries } })
    .to_string()
}

/// Dropping a HAR file on the page lists its requests with their verdicts, failures first, and
/// a click loads one into the form; nothing is sent.
#[tokio::test]
async fn a_dropped_har_lists_every_request_with_its_verdict() {
    let (harness, tab, page_origin) = open_page().await;
    let api = harness.lab.origin();
    let har = har_text(&api, &page_origin);
    harness.lab.clear_log();
    tab.eval(&format!(
        "(() => {{ const dt = new DataTransfer(); \
         dt.items.add(new File([{har}], 'network.har', {{ type: 'application/json' }})); \
         document.querySelector('[data-testid=report]').dispatchEvent(new DragEvent('drop', {{ dataTransfer: dt, bubbles: true, cancelable: true }})); }})()",
        har = serde_json::to_string(&har).expect("json"),
    ))
    .await;
    let report = report_from(&tab, "har").await;
    let entries = tab
        .eval(
            "[...document.querySelectorAll('[data-testid=har-entry]')].map(e => [e.dataset.method, e.dataset.url, e.dataset.code])",
        )
        .await;
    let rows: Vec<(String, String, String)> = entries
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    let s = |i: usize| e[i].as_str().unwrap_or_default().to_string();
                    (s(0), s(1), s(2))
                })
                .collect()
        })
        .unwrap_or_default();
    let debug = format!("entries {rows:#?}\nreport {report:#}");
    assert_eq!(rows.len(), 4, "{debug}");
    let codes: Vec<&str> = rows.iter().map(|r| r.2.as_str()).collect();
    assert_eq!(
        codes,
        [
            "response/allow-origin/missing",
            "response/allow-origin/missing",
            "preflight/allow-origin/missing",
            "ok"
        ],
        "failures first, the larger group first: {debug}"
    );
    assert_eq!(
        rows[2].0, "PUT",
        "the preflight stands for its PUT: {debug}"
    );
    assert!(
        !report.to_string().contains("secret-cookie"),
        "the cookie must be masked in the report: {debug}"
    );
    // A click loads the request into the form, and sends nothing.
    tab.eval("document.querySelectorAll('[data-testid=har-entry] button')[2].click()")
        .await;
    tab.wait_for(
        "document.querySelector('[data-testid=url]').value.endsWith('/preflight-401')",
        Duration::from_secs(5),
    )
    .await;
    let method = tab
        .eval("document.querySelector('[data-testid=method]').value")
        .await;
    assert_eq!(method, "PUT", "{debug}");
    // The file input takes the same file.
    tab.eval(&format!(
        "(() => {{ const dt = new DataTransfer(); dt.items.add(new File([{har}], 'network.har')); \
         const input = document.querySelector('[data-testid=evidence-file]'); input.files = dt.files; \
         input.dispatchEvent(new Event('change', {{ bubbles: true }})); }})()",
        har = serde_json::to_string(&har_text(&format!("{api}/x"), &page_origin)).expect("json"),
    ))
    .await;
    tab.wait_for(
        "[...document.querySelectorAll('[data-testid=har-entry]')].some(e => e.dataset.url.includes('/x/'))",
        Duration::from_secs(10),
    )
    .await;
    let sent = harness.lab.requests();
    harness.stop().await;
    assert!(sent.is_empty(), "reading a HAR sent requests: {sent:?}");
}

/// "Copy as fetch" and "Copy as cURL" fill the form; nothing is sent until Check.
#[tokio::test]
async fn copied_requests_fill_the_form_and_send_nothing() {
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    let page_url = harness.site.page_url();
    let url = harness.lab.url("/preflight-ok?q=a%20b&x=1#frag");
    let fetch = format!(
        "fetch(\"{url}\", {{\n  \"headers\": {{\n    \"accept\": \"*/*\",\n    \"content-type\": \"application/json\",\n    \"sec-ch-ua\": \"\\\"Chromium\\\";v=\\\"156\\\"\",\n    \"x-trace-one\": \"1\"\n  }},\n  \"referrer\": \"http://localhost:5173/\",\n  \"body\": \"{{\\\"a\\\":1}}\",\n  \"method\": \"PUT\",\n  \"mode\": \"cors\",\n  \"credentials\": \"include\"\n}});"
    );
    let curl = format!(
        "curl '{url}' \\\n  -X 'PATCH' \\\n  -H 'accept: */*' \\\n  -H 'content-type: application/json' \\\n  -H 'user-agent: Mozilla/5.0' \\\n  --data-raw '{{\"b\":2}}'"
    );
    harness.lab.clear_log();
    let mut failures = Vec::new();
    for (name, text, method, header, body, credentials) in [
        ("fetch", fetch, "PUT", "x-trace-one: 1", "{\"a\":1}", true),
        (
            "curl",
            curl,
            "PATCH",
            "content-type: application/json",
            "{\"b\":2}",
            false,
        ),
    ] {
        tab.open(&page_url).await;
        tab.fill("evidence", &text).await;
        tab.eval("document.querySelector('[data-testid=evidence-run]').click()")
            .await;
        tab.wait_for(
            "document.querySelector('[data-testid=url]').value !== ''",
            Duration::from_secs(10),
        )
        .await;
        let form = tab
            .eval(
                "(() => { const v = id => document.querySelector(`[data-testid=${id}]`); \
                 return { url: v('url').value, method: v('method').value, headers: v('headers').value, \
                 body: v('body').value, credentials: v('credentials').checked, \
                 status: document.querySelector('[data-testid=report]').dataset.status }; })()",
            )
            .await;
        let ok = form["url"] == url.as_str()
            && form["method"] == method
            && form["headers"].as_str().is_some_and(|h| {
                h.to_ascii_lowercase().contains(header) && !h.contains("sec-ch-ua")
            })
            && form["body"] == body
            && form["credentials"] == credentials
            && form["status"] == "idle";
        if !ok {
            failures.push(format!("{name}: form {form:#}\nfrom:\n{text}"));
        }
    }
    let sent = harness.lab.requests();
    harness.stop().await;
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(sent.is_empty(), "importing a request sent it: {sent:?}");
}

/// A 20 MB HAR is analysed off the page's main thread: while it runs, the page keeps answering
/// (no gap over 200 ms between 10 ms timer ticks), and the result lists its requests.
#[tokio::test]
async fn a_20_mb_har_keeps_the_page_responsive() {
    let har = cors_doctor::engine::evidence::har::sample_har(9_000, 2);
    assert!(har.len() >= 20_000_000, "the sample is {} bytes", har.len());
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    tab.open(&harness.site.page_url()).await;
    tab.eval(&format!(
        "window.__har = {}; true",
        serde_json::to_string(&har).expect("json")
    ))
    .await;
    tab.eval(
        "(() => { const el = document.querySelector('[data-testid=evidence]'); \
         Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set.call(el, window.__har); \
         el.dispatchEvent(new Event('input', { bubbles: true })); return true; })()",
    )
    .await;
    let measured = tab
        .eval(
            "new Promise(resolve => { \
               const note = () => (document.querySelector('[data-testid=evidence-recognised]') || {}).textContent || ''; \
               const report = document.querySelector('[data-testid=report]'); \
               const t0 = performance.now(); let last = t0, analysing = false, maxGap = 0, ticks = 0; \
               const timer = setInterval(() => { \
                 const now = performance.now(); const still = note().startsWith('Analysing'); \
                 if (analysing && still) { maxGap = Math.max(maxGap, now - last); ticks++; } \
                 analysing = still; last = now; \
                 if (report.dataset.status === 'done' && !still) { clearInterval(timer); \
                   resolve({ maxGap, ticks, totalMs: now - t0, \
                     entries: document.querySelectorAll('[data-testid=har-entry]').length, note: note() }); } \
                 if (now - t0 > 60000) { clearInterval(timer); resolve({ timeout: true, note: note() }); } \
               }, 10); \
               document.querySelector('[data-testid=evidence-run]').click(); })",
        )
        .await;
    harness.stop().await;
    println!("20 MB HAR: {measured}");
    assert!(measured["timeout"].is_null(), "{measured}");
    assert!(
        measured["entries"].as_u64().unwrap_or(0) > 1000,
        "{measured}"
    );
    assert!(
        measured["ticks"].as_u64().unwrap_or(0) > 5,
        "the analysis ran long enough to watch: {measured}"
    );
    assert!(
        measured["maxGap"].as_f64().unwrap_or(f64::MAX) < 200.0,
        "the page stalled while the worker analysed: {measured}"
    );
}

/// The HAR list is built as markup for speed: every value from the HAR in it is escaped. A
/// response whose Allow-Origin is an `<img onerror>` and a URL with quotes and `&` show as text,
/// no element or script comes from them, and the attributes read back exactly as the report
/// has them.
#[tokio::test]
async fn har_values_are_text_in_the_list() {
    let (harness, tab, page_origin) = open_page().await;
    let markup = r#"<img src=x onerror="window.__pwned=1"><b>bold</b>"#;
    let url = format!("{}/x?a=1&b='q'&c=\"d\"", harness.lab.origin());
    let entry = json!({
        "_resourceType": "fetch",
        "startedDateTime": "2026-11-28T08:00:01.000Z",
        "time": 5.0,
        "request": { "method": "GET", "url": url, "httpVersion": "HTTP/1.1",
                     "headers": [{ "name": "Origin", "value": page_origin }],
                     "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0 },
        "response": { "status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1",
                      "headers": [{ "name": "Access-Control-Allow-Origin", "value": markup }],
                      "cookies": [], "content": { "size": 0, "mimeType": "text/plain" },
                      "redirectURL": "", "headersSize": -1, "bodySize": 0 },
        "cache": {}, "timings": { "send": 1, "wait": 3, "receive": 1 }
    });
    let har = json!({ "log": { "version": "1.2", "creator": { "name": "WebInspector", "version": "537.36" },
                               "pages": [], "entries": [entry] } })
    .to_string();
    let report = analyse(&tab, &har, "har").await;
    let seen = tab
        .eval(
            "(() => { const li = document.querySelector('[data-testid=har-entry]'); \
             return { url: li.dataset.url, method: li.dataset.method, code: li.dataset.code, text: li.textContent, \
                      elements: [...li.querySelectorAll('*')].map(e => e.tagName).join(' '), \
                      pwned: window.__pwned === undefined ? null : window.__pwned }; })()",
        )
        .await;
    harness.stop().await;
    let debug = format!("the row: {seen:#}\nthe report: {report:#}");
    let listed = &report["har"][0];
    assert_eq!(seen["url"], listed["url"], "{debug}");
    assert!(
        seen["url"].as_str().unwrap_or_default().contains("a=1&b="),
        "{debug}"
    );
    assert_eq!(seen["method"], "GET", "{debug}");
    assert_eq!(seen["code"], listed["code"], "{debug}");
    assert!(
        listed["summary"]
            .as_str()
            .unwrap_or_default()
            .contains("<img"),
        "the test needs a summary that quotes the value: {debug}"
    );
    let text = seen["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("<img src=x onerror=") && text.contains("<b>bold</b>"),
        "the value shows as text: {debug}"
    );
    assert_eq!(seen["elements"], "BUTTON CODE SPAN SPAN", "{debug}");
    assert!(
        seen["pwned"].is_null(),
        "a script from the HAR ran: {debug}"
    );
}
