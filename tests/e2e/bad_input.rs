//! The bad-input table through the page (issue 10): every row of `bad_input_rows.rs` typed into
//! the form of one tab, one after another with no reload, then checked. A mistake gets a specific
//! message beside its field (its contract code in `data-code`), and nothing is sent: every
//! request Chromium makes in the tab is recorded (DevTools Network events) and the lab logs what
//! reaches it; only the rows that are not mistakes may appear there. The page keeps working: the
//! table ends with a valid check against the lab and its verdict. Share links load the page with
//! their fragment: garbage and oversized ones get a notice, none runs, and `#fatal` stays hidden.
//!
//! What Chromium itself does with the rows `fetch()` refuses is checked directly too (a TypeError,
//! nothing sent), so the page's refusals are the browser's, not guesses.

#[path = "bad_input_rows.rs"]
mod rows;

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{Harness, Tab};
use rows::{Expect, LinkExpect, Text, BASE_URL, LINKS, ROWS};

/// The form's text fields (contract test ids), reset to the valid base before each row.
const FIELDS: [&str; 6] = ["url", "method", "headers", "body", "app-origin", "timeout"];

/// The JavaScript expression for a field's text (large ones are built in the page, not sent).
fn js_text(text: &Text, lab: &str, row: usize) -> String {
    let json = |s: &str| serde_json::to_string(s).unwrap_or_default();
    match text {
        Text::Plain(_) => json(&text.render(lab, row)),
        Text::Repeat {
            prefix,
            unit,
            times,
        } => format!(
            "{} + {}.repeat({times})",
            json(&Text::Plain(prefix).render(lab, row)),
            json(unit)
        ),
    }
}

/// Sets a control's value the way typing does, from a JavaScript expression.
async fn set(tab: &Tab, test_id: &str, js_value: &str) {
    tab.eval(&format!(
        "(() => {{ const el = document.querySelector('[data-testid=\"{test_id}\"]'); \
         const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype; \
         Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, {js_value}); \
         el.dispatchEvent(new Event('input', {{ bubbles: true }})); }})()"
    ))
    .await;
}

const REPORT_TEXT: &str =
    "(document.querySelector('[data-testid=report-json]') || {}).textContent || ''";

/// Clicks Check and returns the new report once `data-status="done"` (a report other than the
/// one shown before: every row's differs).
async fn run_check(tab: &Tab) -> Value {
    let before = tab.eval(REPORT_TEXT).await;
    tab.eval("document.querySelector('[data-testid=run]').click()")
        .await;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let done = tab
            .eval("document.querySelector('[data-testid=report]').dataset.status === 'done'")
            .await;
        let text = tab.eval(REPORT_TEXT).await;
        if done == Value::Bool(true) && text != before {
            let text = text.as_str().unwrap_or_default();
            return serde_json::from_str(text)
                .unwrap_or_else(|e| panic!("report-json is not JSON ({e}): {text}"));
        }
        assert!(Instant::now() < deadline, "no new report after 30 s");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The problems the page shows: field, code, text, whether it sits beside (in the label of) its
/// field, whether it is visible, and whether the field is marked `aria-invalid`.
const PROBLEMS: &str = "[...document.querySelectorAll('[data-testid=problem]')].map(e => {
    const label = e.closest('label');
    const input = label && label.querySelector(`[data-testid='${e.dataset.field}']`);
    return { field: e.dataset.field, code: e.dataset.code, text: e.textContent,
             beside: !!input, invalid: !!input && input.getAttribute('aria-invalid') === 'true',
             visible: e.getBoundingClientRect().height > 0 };
})";

fn fatal_hidden(tab: &Tab) -> impl std::future::Future<Output = Value> + '_ {
    tab.eval("document.getElementById('fatal').hidden")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_table() {
    let harness = Harness::start().await;
    let lab = harness.lab.origin();
    let site = harness.site.origin.clone();
    let tab = harness.chromium.tab().await;
    let started = Instant::now();
    tab.open(&harness.site.page_url()).await;

    let mut failures: Vec<String> = Vec::new();
    // Rows whose requests may be sent, by the marker their URLs carry.
    let mut may_send: Vec<String> = Vec::new();
    let mut outcomes: Vec<String> = Vec::new();
    let final_row = ROWS.len();

    for (n, row) in ROWS.iter().enumerate() {
        let row_started = Instant::now();
        for field in FIELDS {
            let value = match field {
                "url" => Text::Plain(BASE_URL).render(&lab, n),
                "method" => "GET".into(),
                "timeout" => "15".into(),
                _ => String::new(),
            };
            set(
                &tab,
                field,
                &serde_json::to_string(&value).unwrap_or_default(),
            )
            .await;
        }
        for (field, text) in row.set {
            set(&tab, field, &js_text(text, &lab, n)).await;
        }
        let typed = row_started.elapsed();
        let report = run_check(&tab).await;
        let top = report["causes"][0]["code"]
            .as_str()
            .unwrap_or("")
            .to_string();
        match &row.expect {
            Expect::Refused { field, code, says } => {
                let shown = tab.eval(PROBLEMS).await;
                let problems = shown.as_array().cloned().unwrap_or_default();
                let found = problems
                    .iter()
                    .find(|p| p["field"] == *field && p["code"] == *code);
                match found {
                    None => {
                        failures.push(format!("{}: no {code} beside {field}: {shown}", row.name))
                    }
                    Some(p) => {
                        let text = p["text"].as_str().unwrap_or("");
                        for needle in *says {
                            if !text.contains(needle) {
                                failures.push(format!(
                                    "{}: the message lacks {needle:?}: {text}",
                                    row.name
                                ));
                            }
                        }
                        for flag in ["beside", "invalid", "visible"] {
                            if p[flag] != true {
                                failures
                                    .push(format!("{}: the problem is not {flag}: {p}", row.name));
                            }
                        }
                        outcomes.push(format!(
                            "{:<26} refused  {code:<26} {}",
                            row.name,
                            shorten(text)
                        ));
                    }
                }
                if report["probes"].as_array().is_none_or(|p| !p.is_empty()) {
                    failures.push(format!(
                        "{}: the report lists probes: {}",
                        row.name, report["probes"]
                    ));
                }
                if !report["causes"].as_array().is_some_and(|c| {
                    c.iter()
                        .any(|c| c["code"] == *code && c["params"]["field"] == *field)
                }) {
                    failures.push(format!("{}: the report lacks {code} for {field}", row.name));
                }
            }
            Expect::Sent {
                sent_url_has,
                top: wanted,
            } => {
                may_send.push(format!("row={n}"));
                if top != *wanted {
                    failures.push(format!("{}: top cause {top}, expected {wanted}", row.name));
                }
                let sent = tab
                    .all_records()
                    .iter()
                    .any(|r| r.url.contains(sent_url_has) && r.url.contains(&format!("row={n}")));
                if !sent {
                    failures.push(format!(
                        "{}: no request to a URL holding {sent_url_has:?}",
                        row.name
                    ));
                }
                outcomes.push(format!(
                    "{:<26} sent     {top:<26} ({sent_url_has})",
                    row.name
                ));
            }
        }
        // Typing, checking and showing the problem; the multi-megabyte rows spend most of it in
        // Chromium laying out the text they put in a field.
        let took = row_started.elapsed();
        if let Some(last) = outcomes.last_mut() {
            last.insert_str(
                0,
                &format!(
                    "{:>6} ms (typed {:>5} ms)  ",
                    took.as_millis(),
                    typed.as_millis()
                ),
            );
        }
        if took > Duration::from_secs(15) {
            failures.push(format!("{}: took {took:?}", row.name));
        }
    }

    // The page keeps working: a valid check against the lab, in the same tab, after every row.
    for field in FIELDS {
        let value = match field {
            "url" => Text::Plain(BASE_URL).render(&lab, final_row),
            "method" => "PUT".into(),
            "headers" => "X-Trace-One: 1".into(),
            "timeout" => "15".into(),
            _ => String::new(),
        };
        set(
            &tab,
            field,
            &serde_json::to_string(&value).unwrap_or_default(),
        )
        .await;
    }
    let report = run_check(&tab).await;
    may_send.push(format!("row={final_row}"));
    assert_eq!(
        report["causes"][0]["code"], "ok",
        "the valid check after the table: {report:#}"
    );
    let final_url = Text::Plain(BASE_URL).render(&lab, final_row);
    let put = tab.chromium_records(&final_url, "PUT").await;
    assert!(
        put.iter().any(|r| r.status == Some(200)),
        "Chromium delivered the final PUT: {put:?}"
    );
    let table_time = started.elapsed();

    // Nothing else left the page: every request not for the page itself is a row allowed to send.
    let stray: Vec<String> = tab
        .all_records()
        .into_iter()
        .filter(|r| !r.url.starts_with(&site))
        .filter(|r| !may_send.iter().any(|m| ends_with_marker(&r.url, m)))
        .map(|r| format!("{} {}", r.method, shorten(&r.url)))
        .collect();
    assert!(
        stray.is_empty(),
        "requests sent for refused rows: {stray:#?}"
    );
    let logged: Vec<String> = harness
        .lab
        .requests()
        .into_iter()
        .filter(|r| {
            !may_send
                .iter()
                .any(|m| ends_with_marker(&format!("?{}", r.query), m))
        })
        .map(|r| format!("{} {}?{}", r.method, r.path, shorten(&r.query)))
        .collect();
    assert!(
        logged.is_empty(),
        "the lab received requests for refused rows: {logged:#?}"
    );
    assert_eq!(
        fatal_hidden(&tab).await,
        Value::Bool(true),
        "#fatal is shown"
    );

    // What Chromium itself does with what the page refuses: fetch() throws before sending, except
    // for a space in the host, which Chromium's URL parser percent-encodes (`exa%20mple…`) and
    // sends where the URL Standard fails to parse it (the page follows the standard; the host
    // here is under `.localhost`, so the request stays on loopback).
    let target = format!("{lab}/simple-ok?direct");
    let labhost = lab.trim_start_matches("http://");
    let port = labhost.rsplit(':').next().unwrap_or("");
    let direct = [
        (
            "user:pass@",
            format!("'http://user:pass@{labhost}/simple-ok?direct'"),
            "{}".to_string(),
            None,
        ),
        (
            "method with a space",
            format!("'{target}'"),
            "{method: 'GE T'}".into(),
            None,
        ),
        (
            "CONNECT",
            format!("'{target}'"),
            "{method: 'CONNECT'}".into(),
            None,
        ),
        (
            "TRACE",
            format!("'{target}'"),
            "{method: 'TRACE'}".into(),
            None,
        ),
        (
            "NUL in a value",
            format!("'{target}'"),
            "{headers: {'X-A': 'a\\u0000b'}}".into(),
            None,
        ),
        (
            "above U+00FF",
            format!("'{target}'"),
            "{headers: {'X-A': '\\u65e5'}}".into(),
            None,
        ),
        (
            "name with a space",
            format!("'{target}'"),
            "{headers: {'X A': '1'}}".into(),
            None,
        ),
        (
            "GET with a body",
            format!("'{target}'"),
            "{method: 'GET', body: 'a'}".into(),
            None,
        ),
        (
            "HEAD with a body",
            format!("'{target}'"),
            "{method: 'HEAD', body: 'a'}".into(),
            None,
        ),
        (
            "port 99999",
            "'http://127.0.0.1:99999/'".into(),
            "{}".into(),
            None,
        ),
        ("broken IPv6", "'http://[::1/'".into(), "{}".into(), None),
        (
            "javascript:",
            "'javascript:window.pwned=1'".into(),
            "{}".into(),
            None,
        ),
        (
            "space in the host",
            format!("'http://exa mple.localhost:{port}/simple-ok?direct'"),
            "{}".into(),
            Some("//exa%20mple.localhost:"),
        ),
    ];
    for (what, url, init, chromium_sends) in direct {
        let before = tab.all_records().len();
        let result = tab
            .eval(&format!(
                "(async () => {{ try {{ await fetch({url}, {init}); return 'resolved'; }} \
                 catch (e) {{ return e.name + ': ' + e.message; }} }})()"
            ))
            .await;
        let result = result.as_str().unwrap_or("").to_string();
        tokio::time::sleep(Duration::from_millis(50)).await;
        let sent: Vec<String> = tab.all_records()[before..]
            .iter()
            .map(|r| r.url.clone())
            .collect();
        match chromium_sends {
            None if !result.starts_with("TypeError") || !sent.is_empty() => failures.push(format!(
                "Chromium's fetch() with {what}: {result}; sent {sent:?}"
            )),
            Some(has) if !sent.iter().any(|u| u.contains(has)) => failures.push(format!(
                "Chromium's fetch() with {what} was expected to send (a deviation): {result}; sent {sent:?}"
            )),
            _ => {}
        }
        outcomes.push(format!(
            "fetch() {what:<20} {} {}",
            if sent.is_empty() { "not sent" } else { "SENT" },
            shorten(&result)
        ));
    }

    // Share links: each loads the page with its fragment; never run, never a panic.
    let links_started = Instant::now();
    for (n, link) in LINKS.iter().enumerate() {
        let marker = 1000 + n;
        let fragment = link.fragment.render(&lab, marker);
        let address = format!("{}?link={n}#{fragment}", harness.site.page_url());
        let before = tab.all_records().len();
        tab.open(&address).await;
        // The share link is read once the app has mounted; give its effect a moment.
        tab.wait_for(
            "document.querySelector('[data-testid=report]') !== null",
            Duration::from_secs(10),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        let notice = tab
            .eval(
                "(() => { const n = document.querySelector('[data-testid=share-notice]'); \
                 return n ? { code: n.dataset.code, text: n.textContent } : null; })()",
            )
            .await;
        match &link.expect {
            LinkExpect::Notice { code, says } => {
                if notice["code"] != *code || !notice["text"].as_str().unwrap_or("").contains(says)
                {
                    failures.push(format!("{}: notice {notice}", link.name));
                }
                let url = tab
                    .eval("document.querySelector('[data-testid=url]').value")
                    .await;
                if url != "" {
                    failures.push(format!(
                        "{}: the form was filled: {}",
                        link.name,
                        shorten(&url.to_string())
                    ));
                }
                outcomes.push(format!("{:<26} notice   {code}", link.name));
            }
            LinkExpect::Filled {
                field,
                value,
                problems,
            } => {
                let got = tab
                    .eval(&format!(
                        "document.querySelector('[data-testid=\"{field}\"]').value"
                    ))
                    .await;
                if got != *value {
                    failures.push(format!("{}: {field} holds {got}", link.name));
                }
                let shown = tab.eval(PROBLEMS).await;
                let found: Vec<(String, String)> = shown
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .iter()
                    .filter(|p| p["beside"] == true)
                    .map(|p| {
                        (
                            p["field"].as_str().unwrap_or("").to_string(),
                            p["code"].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect();
                let wanted: Vec<(String, String)> = problems
                    .iter()
                    .map(|(f, c)| (f.to_string(), c.to_string()))
                    .collect();
                if found != wanted {
                    failures.push(format!(
                        "{}: problems {found:?}, expected {wanted:?}",
                        link.name
                    ));
                }
                if problems.is_empty() != notice.is_null() {
                    failures.push(format!("{}: notice {notice}", link.name));
                }
                outcomes.push(format!(
                    "{:<26} filled   {} problem(s), never run",
                    link.name,
                    problems.len()
                ));
            }
        }
        let status = tab
            .eval("document.querySelector('[data-testid=report]').dataset.status")
            .await;
        if status != "idle" {
            failures.push(format!("{}: the link ran a check ({status})", link.name));
        }
        if tab.eval("typeof window.pwned").await != "undefined" {
            failures.push(format!("{}: script from the link ran", link.name));
        }
        if fatal_hidden(&tab).await != Value::Bool(true) {
            failures.push(format!("{}: #fatal is shown", link.name));
        }
        let sent: Vec<String> = tab.all_records()[before..]
            .iter()
            .filter(|r| !r.url.starts_with(&site))
            .map(|r| format!("{} {}", r.method, shorten(&r.url)))
            .collect();
        if !sent.is_empty() {
            failures.push(format!("{}: sent {sent:?}", link.name));
        }
    }

    // After the last link (a valid one, pre-filled): pressing Check runs it, and it passes.
    let report = run_check(&tab).await;
    assert_eq!(
        report["causes"][0]["code"], "ok",
        "the pre-filled valid link: {report:#}"
    );
    let links_time = links_started.elapsed();

    eprintln!(
        "bad input: {} form rows + 1 valid check in {table_time:?} (one tab, no reload), {} share links in {links_time:?}",
        ROWS.len(),
        LINKS.len()
    );
    for line in &outcomes {
        eprintln!("  {line}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    drop(tab);
    harness.stop().await;
}

/// `url` carries `marker` (`row=N`) as a whole query parameter.
fn ends_with_marker(url: &str, marker: &str) -> bool {
    url.split(['?', '&', '#']).any(|part| part == marker)
}

fn shorten(text: &str) -> String {
    let mut out: String = text.chars().take(100).collect();
    if text.chars().count() > 100 {
        out.push('…');
    }
    out
}
