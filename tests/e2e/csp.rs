//! The Content-Security-Policy of the built page holds, and secrets never leave the page.
//!
//! - The policy is in force (read from the DOM, every inline script allowed only by its hash) and
//!   the app works under it: a check against the lab ends in its verdict, the evidence worker
//!   analyses a pasted console line, and nothing the app does is refused. Then script injected the
//!   way an XSS would (an inline `<script>`, an event-handler attribute, `eval`, a script from
//!   another origin, a frame) is refused: it does not run, nothing is fetched, and the page gets
//!   a `securitypolicyviolation` event for each.
//! - `Authorization: Bearer s3cr3t` is sent as typed (the lab receives it), but the share link,
//!   `report-json`, Copy as Markdown and the history hold `Bearer ••••`; only the explicit
//!   "include secrets in the link" box puts it in the link.

use std::time::Duration;

use chromiumoxide::cdp::js_protocol::runtime::EvaluateParams;
use serde_json::Value;

use crate::util::{probe, Form, Harness, Tab};

/// Installed before the page's own scripts: counts the policy violations the page is told about.
const RECORD_VIOLATIONS: &str = "window.__violations = []; \
    document.addEventListener('securitypolicyviolation', e => window.__violations.push({ \
    directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample, disposition: e.disposition }));";

const POLICY: &str =
    "document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]')?.content ?? null";

/// The policy's directives, name → value.
fn directives(policy: &str) -> Vec<(String, String)> {
    policy
        .split(';')
        .filter_map(|d| {
            let d = d.trim();
            let (name, value) = d.split_once(' ').unwrap_or((d, ""));
            (!name.is_empty()).then(|| (name.to_ascii_lowercase(), value.trim().to_string()))
        })
        .collect()
}

async fn violations(tab: &Tab) -> Vec<Value> {
    tab.eval("window.__violations ?? []")
        .await
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Replaces the clipboard with a recorder, so a copy button's text can be read back.
async fn record_clipboard(tab: &Tab) {
    tab.eval(
        "navigator.clipboard.writeText = async text => { window.__copied = text; }; \
         window.__copied = null; true",
    )
    .await;
}

/// Clicks the copy button `test_id` and returns what it copied.
async fn copied_by(tab: &Tab, test_id: &str) -> String {
    tab.eval("window.__copied = null; true").await;
    tab.eval(&format!(
        "document.querySelector('[data-testid={test_id}]').click()"
    ))
    .await;
    tab.wait_for(
        "typeof window.__copied === 'string'",
        Duration::from_secs(5),
    )
    .await;
    tab.eval("window.__copied")
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_works_under_its_csp_and_injected_script_is_refused() {
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    tab.page
        .evaluate_on_new_document(RECORD_VIOLATIONS)
        .await
        .expect("install the violation recorder");
    let page = harness.site.page_url();
    let mut failures = Vec::new();

    // The policy, as the page carries it.
    tab.open(&page).await;
    let policy = tab.eval(POLICY).await;
    let policy = policy.as_str().unwrap_or_else(|| {
        panic!("the built page carries no Content-Security-Policy <meta>: {policy}")
    });
    let directives = directives(policy);
    let get = |name: &str| {
        directives
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let script_src = get("script-src").unwrap_or_default();
    for (name, expected) in [
        ("default-src", "'none'"),
        ("connect-src", "*"),
        ("worker-src", "'self'"),
        ("object-src", "'none'"),
        ("base-uri", "'self'"),
        ("frame-src", "'none'"),
        ("form-action", "'none'"),
    ] {
        if get(name) != Some(expected) {
            failures.push(format!("{name} is {:?}, expected {expected:?}", get(name)));
        }
    }
    let sources: Vec<&str> = script_src.split_whitespace().collect();
    let hashes: Vec<&str> = sources
        .iter()
        .copied()
        .filter(|s| s.starts_with("'sha256-"))
        .collect();
    let others: Vec<&str> = sources
        .iter()
        .copied()
        .filter(|s| !s.starts_with("'sha256-"))
        .collect();
    if others != ["'self'", "'wasm-unsafe-eval'"] {
        failures.push(format!(
            "script-src must allow only 'self', 'wasm-unsafe-eval' and hashes: {script_src}"
        ));
    }
    // Every inline script of the page is allowed by its own hash, and nothing more.
    let inline = tab
        .eval(
            "(async () => { const out = []; \
             for (const s of document.querySelectorAll('script:not([src])')) { \
               const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s.textContent)); \
               out.push(\"'sha256-\" + btoa(String.fromCharCode(...new Uint8Array(d))) + \"'\"); } \
             return out; })()",
        )
        .await;
    let mut inline: Vec<String> = inline
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    inline.sort();
    let mut listed: Vec<String> = hashes.iter().map(|h| h.to_string()).collect();
    listed.sort();
    if inline.is_empty() || inline != listed {
        failures.push(format!(
            "the policy's hashes {listed:?} must be exactly the inline scripts' {inline:?}"
        ));
    }

    // The app works under it: a check against the lab gives the lab's verdict …
    let form = Form {
        url: harness.lab.url("/acao-missing?case=csp"),
        ..Form::default()
    };
    let report = tab.check(&page, &form).await;
    let code = report["causes"][0]["code"].as_str().unwrap_or_default();
    if !code.starts_with("response/allow-origin")
        || probe(&report, "actual")["outcome"] != "blocked"
    {
        failures.push(format!(
            "under the CSP the check of /acao-missing gave {code} (actual: {}), expected response/allow-origin",
            probe(&report, "actual")["outcome"]
        ));
    }
    // … and the evidence worker (started from this origin) analyses a pasted console line.
    let console_line = format!(
        "Access to fetch at '{}' from origin '{}' has been blocked by CORS policy: No \
         'Access-Control-Allow-Origin' header is present on the requested resource.",
        harness.lab.url("/acao-missing"),
        harness.site.origin
    );
    tab.fill("evidence", &console_line).await;
    tab.eval("document.querySelector('[data-testid=evidence-run]').click()")
        .await;
    let analysed = "(() => { const j = document.querySelector('[data-testid=report-json]'); \
        return j !== null && JSON.parse(j.textContent).source === 'console'; })()";
    tab.wait_for(analysed, Duration::from_secs(20)).await;
    let text = tab
        .eval("document.querySelector('[data-testid=report-json]').textContent")
        .await;
    let analysis: Value =
        serde_json::from_str(text.as_str().unwrap_or_default()).unwrap_or_default();
    if analysis["causes"][0]["code"] != "response/allow-origin/missing" {
        failures.push(format!(
            "the worker's analysis under the CSP gave {}, expected response/allow-origin/missing",
            analysis["causes"][0]["code"]
        ));
    }
    // Nothing the app did was refused.
    let refused = violations(&tab).await;
    let console: Vec<String> = tab
        .console_lines()
        .into_iter()
        .filter(|l| l.contains("Content Security Policy"))
        .collect();
    if !refused.is_empty() || !console.is_empty() {
        failures.push(format!(
            "the app itself broke its policy: {refused:?} {console:?}"
        ));
    }
    let fatal = tab.eval("document.getElementById('fatal').hidden").await;
    if fatal != Value::Bool(true) {
        failures.push("the page showed its fatal banner under the CSP".into());
    }

    // Injected script is refused: each attempt must not run and must raise a violation.
    let foreign = harness.lab.url("/simple-ok?case=csp-foreign-script");
    let frame = harness.lab.url("/simple-ok?case=csp-frame");
    harness.lab.clear_log();
    let attempts = [
        (
            "an inline <script>",
            "script-src-elem",
            "(() => { const s = document.createElement('script'); \
             s.textContent = 'window.__ran = \"inline\"'; document.body.appendChild(s); })()"
                .to_string(),
        ),
        (
            "an event-handler attribute",
            "script-src-attr",
            "(() => { const b = document.createElement('button'); \
             b.setAttribute('onclick', 'window.__ran = \"handler\"'); document.body.appendChild(b); b.click(); })()"
                .to_string(),
        ),
        (
            "a script from another origin",
            "script-src-elem",
            format!(
                "(() => {{ const s = document.createElement('script'); s.src = {}; \
                 s.onload = () => {{ window.__ran = 'foreign'; }}; document.body.appendChild(s); }})()",
                serde_json::to_string(&foreign).unwrap_or_default()
            ),
        ),
        (
            "a frame",
            "frame-src",
            format!(
                "(() => {{ const f = document.createElement('iframe'); f.src = {}; document.body.appendChild(f); }})()",
                serde_json::to_string(&frame).unwrap_or_default()
            ),
        ),
    ];
    for (what, directive, script) in &attempts {
        tab.eval("window.__violations = []; window.__ran = null; true")
            .await;
        tab.eval(script).await;
        let seen = format!(
            "window.__violations.some(v => v.directive === '{directive}' && v.disposition === 'enforce')"
        );
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while tab.eval(&seen).await != Value::Bool(true) && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        // Give a script that slipped through the time to run.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let ran = tab.eval("window.__ran").await;
        let refused = violations(&tab).await;
        if !ran.is_null() {
            failures.push(format!("{what} ran ({ran}) under the CSP"));
        }
        if tab.eval(&seen).await != Value::Bool(true) {
            failures.push(format!(
                "{what}: no {directive} securitypolicyviolation event (saw {refused:?})"
            ));
        }
    }
    // Only the WebAssembly token is there: a string is never evaluated as JavaScript. (DevTools
    // lets its own evaluations eval by default; this one asks to be treated like page script.)
    let params = EvaluateParams::builder()
        .expression(
            "(() => { try { eval('window.__ran = \"eval\"'); return 'ran'; } \
             catch (e) { return e.name; } })()",
        )
        .allow_unsafe_eval_blocked_by_csp(false)
        .return_by_value(true)
        .build()
        .expect("evaluate params");
    let eval = match tab.page.evaluate_expression(params).await {
        Ok(result) => result.value().cloned().unwrap_or(Value::Null),
        Err(e) => Value::String(format!("evaluation failed: {e}")),
    };
    if eval != "EvalError" || !tab.eval("window.__ran").await.is_null() {
        failures.push(format!(
            "eval() under the CSP gave {eval}, expected EvalError"
        ));
    }
    let fetched: Vec<String> = harness
        .lab
        .requests()
        .into_iter()
        .filter(|r| r.query.contains("csp-"))
        .map(|r| format!("{} {}?{}", r.method, r.path, r.query))
        .collect();
    if !fetched.is_empty() {
        failures.push(format!(
            "refused script and frames must not be fetched: {fetched:?}"
        ));
    }

    harness.stop().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const SECRET: &str = "s3cr3t";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_are_sent_but_never_leave_the_page() {
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    let page = harness.site.page_url();
    let mut failures = Vec::new();
    let url = harness.lab.url("/preflight-ok?case=secrets");
    let form = Form {
        url: url.clone(),
        method: Some("PUT".into()),
        headers: Some(format!("Authorization: Bearer {SECRET}\nX-Trace: t-1")),
        ..Form::default()
    };

    tab.open(&page).await;
    tab.fill_form(&form).await;
    record_clipboard(&tab).await;

    // The share link: masked by default, the secret only when the box is ticked, masked again after.
    let ticked = "document.querySelector('[data-testid=share-secrets]').checked";
    if tab.eval(ticked).await != Value::Bool(false) {
        failures.push("\"include secrets in the link\" must start unticked".into());
    }
    let link = copied_by(&tab, "share").await;
    let expected_mask = "Authorization%3A%20Bearer%20%E2%80%A2%E2%80%A2%E2%80%A2%E2%80%A2";
    if link.contains(SECRET) || !link.contains(expected_mask) || !link.contains("X-Trace%3A%20t-1")
    {
        failures.push(format!(
            "the default share link must mask the token: {link}"
        ));
    }
    let toggle = "(() => { const el = document.querySelector('[data-testid=share-secrets]'); \
        el.click(); return el.checked; })()";
    tab.eval(toggle).await;
    let with_secrets = copied_by(&tab, "share").await;
    if !with_secrets.contains(&format!("Bearer%20{SECRET}")) {
        failures.push(format!(
            "with the box ticked the link must carry the token: {with_secrets}"
        ));
    }
    tab.eval(toggle).await;
    let again = copied_by(&tab, "share").await;
    if again != link {
        failures.push(format!(
            "unticked again, the link must be masked again: {again}"
        ));
    }

    // The check sends the real value.
    tab.eval("document.querySelector('[data-testid=run]').click()")
        .await;
    tab.wait_for(
        "document.querySelector('[data-testid=report]').dataset.status === 'done'",
        Duration::from_secs(60),
    )
    .await;
    let json = tab
        .eval("document.querySelector('[data-testid=report-json]').textContent")
        .await
        .as_str()
        .unwrap_or_default()
        .to_string();
    let report: Value = serde_json::from_str(&json).unwrap_or_default();
    if probe(&report, "actual")["outcome"] != "delivered" {
        failures.push(format!(
            "the PUT with Authorization to /preflight-ok must be delivered: {}",
            probe(&report, "actual")
        ));
    }
    let sent: Vec<String> = harness
        .lab
        .requests()
        .into_iter()
        .filter(|r| r.query.contains("case=secrets") && r.method == "PUT")
        .filter_map(|r| {
            r.headers
                .iter()
                .find(|(n, _)| n == "authorization")
                .map(|(_, v)| v.clone())
        })
        .collect();
    if sent != [format!("Bearer {SECRET}")] {
        failures.push(format!(
            "the lab must receive the real Authorization on the user's PUT, once: {sent:?}"
        ));
    }

    // What leaves the page is masked: report-json, Copy as Markdown, the history.
    if json.contains(SECRET) || !json.contains("Bearer ••••") {
        failures.push(format!("report-json must mask the token: {json}"));
    }
    let markdown = copied_by(&tab, "copy-markdown").await;
    if markdown.contains(SECRET) || !markdown.contains("Authorization: Bearer ••••") {
        failures.push(format!("Copy as Markdown must mask the token: {markdown}"));
    }
    let history = tab
        .eval("JSON.stringify(Object.assign({}, localStorage))")
        .await
        .as_str()
        .unwrap_or_default()
        .to_string();
    if history.contains(SECRET) {
        failures.push(format!("localStorage holds the token: {history}"));
    }

    harness.stop().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
