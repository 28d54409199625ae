//! The server view as a whole (`evidence::analyse`): what the box recognises, the verdict and
//! its ranked alternatives, HAR grouping, masking, and the Markdown export.

use cors_doctor::engine::check::form::FormInput;
use cors_doctor::engine::check::markdown::report_markdown;
use cors_doctor::engine::check::report::{Report, Source};
use cors_doctor::engine::evidence::{analyse, Analysis, Kind};

const PAGE: &str = "https://cors-doctor.example";

fn form(url: &str, method: &str, headers: &str) -> FormInput {
    FormInput {
        url: url.into(),
        method: method.into(),
        headers: headers.into(),
        ..FormInput::default()
    }
}

fn report(a: &Analysis) -> &Report {
    a.report
        .as_ref()
        .unwrap_or_else(|| panic!("no report: {a:#?}"))
}

fn codes(a: &Analysis) -> Vec<String> {
    report(a)
        .causes
        .iter()
        .map(|c| c.code.to_string())
        .collect()
}

#[test]
fn chromium_console_with_the_companion_status_settles_a_hidden_error_after_a_preflight() {
    let text = "Access to fetch at 'https://api.example.com/items' from origin 'http://localhost:5173' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.\n\
                POST https://api.example.com/items net::ERR_FAILED 500 (Internal Server Error)";
    let a = analyse(
        text,
        &form(
            "https://api.example.com/items",
            "POST",
            "Content-Type: application/json",
        ),
        PAGE,
    );
    assert_eq!(a.kind, Kind::Console, "{a:#?}");
    assert_eq!(codes(&a), ["response/hidden-server-error"], "{a:#?}");
    let r = report(&a);
    assert_eq!(r.source, Source::Console);
    assert_eq!(r.causes[0].confidence, 1.0);
    assert_eq!(
        r.causes[0].params.get("status").map(String::as_str),
        Some("500")
    );
    assert_eq!(
        r.app_origin, "http://localhost:5173",
        "the origin named in the text"
    );
    let filled = a.form.as_ref().expect("the console fills the form");
    assert_eq!(
        (filled.url.as_str(), filled.method.as_str()),
        ("https://api.example.com/items", "POST")
    );
    assert!(!r.curl.is_empty(), "curl commands settle the rest");
}

#[test]
fn console_text_without_a_status_ranks_both_causes_it_leaves_open() {
    let text = "Access to fetch at 'https://api.example.com/items' from origin 'http://localhost:5173' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.";
    let a = analyse(text, &FormInput::default(), PAGE);
    assert_eq!(
        codes(&a),
        [
            "response/allow-origin/missing",
            "response/hidden-server-error"
        ],
        "{a:#?}"
    );
    let r = report(&a);
    assert!(r.causes.iter().all(|c| c.confidence < 1.0));
    assert!(
        r.causes.iter().all(|c| !c.alternatives.is_empty()),
        "each says how to tell them apart"
    );
    // Firefox carries the status itself: a 200 without the header is settled.
    let firefox = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/items. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200.";
    assert_eq!(
        codes(&analyse(firefox, &FormInput::default(), PAGE)),
        ["response/allow-origin/missing"]
    );
}

#[test]
fn curl_output_is_replayed_for_the_form_s_request() {
    let text = "$ curl -i -X OPTIONS 'https://api.example.com/items' -H 'Origin: http://localhost:5173' -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type'\n\
HTTP/2 204\r\naccess-control-allow-origin: http://localhost:5173\r\naccess-control-allow-methods: GET, PUT\r\naccess-control-allow-headers: content-type\r\n\r\n\
$ curl -i -X PUT 'https://api.example.com/items' -H 'Origin: http://localhost:5173' -H 'Content-Type: application/json'\n\
HTTP/2 502\r\ncontent-type: text/html\r\n\r\n<html>Bad Gateway</html>\n";
    let a = analyse(
        text,
        &form(
            "https://api.example.com/items",
            "PUT",
            "Content-Type: application/json",
        ),
        PAGE,
    );
    assert_eq!(a.kind, Kind::Curl, "{a:#?}");
    assert_eq!(codes(&a), ["response/hidden-server-error"], "{a:#?}");
    let r = report(&a);
    assert_eq!(r.source, Source::Curl);
    assert_eq!(
        r.page_origin, "http://localhost:5173",
        "the Origin the commands sent"
    );
    assert!(
        r.causes[0].evidence.iter().any(|e| e.contains("502")),
        "{:#?}",
        r.causes[0].evidence
    );
    // The same output without the preflight: assumed to pass, and said so.
    let actual_only = text
        .split("$ curl -i -X PUT")
        .nth(1)
        .map(|t| format!("$ curl -i -X PUT{t}"))
        .unwrap_or_default();
    let a = analyse(
        &actual_only,
        &form(
            "https://api.example.com/items",
            "PUT",
            "Content-Type: application/json",
        ),
        PAGE,
    );
    let r = report(&a);
    assert_eq!(codes(&a), ["response/hidden-server-error"], "{a:#?}");
    assert!(r.causes[0].confidence < 1.0);
    assert!(r.causes[0]
        .evidence
        .iter()
        .any(|e| e.contains("assumes the preflight passes")));
}

fn har(entries: &[serde_json::Value]) -> String {
    serde_json::json!({ "log": { "version": "1.2", "creator": { "name": "WebInspector", "version": "537.36" }, "entries": entries } }).to_string()
}

fn entry(
    method: &str,
    url: &str,
    status: u16,
    request: serde_json::Value,
    response: serde_json::Value,
) -> serde_json::Value {
    serde_json::json!({
        "_resourceType": "fetch", "startedDateTime": "2026-11-28T08:00:00.000Z", "time": 3,
        "request": { "method": method, "url": url, "httpVersion": "HTTP/1.1", "headers": request, "cookies": [], "queryString": [], "headersSize": -1, "bodySize": 0 },
        "response": { "status": status, "statusText": "", "httpVersion": "HTTP/1.1", "headers": response, "cookies": [], "content": { "size": 0, "mimeType": "text/plain" }, "redirectURL": "", "headersSize": -1, "bodySize": 0 },
        "cache": {}, "timings": { "send": 1, "wait": 1, "receive": 1 }
    })
}

#[test]
fn a_har_groups_identical_failures_first_and_masks_secrets() {
    let origin = serde_json::json!([{ "name": "Origin", "value": "http://localhost:5173" },
        { "name": "Authorization", "value": "Bearer very-secret-token" }]);
    let ok = serde_json::json!([{ "name": "Access-Control-Allow-Origin", "value": "http://localhost:5173" }]);
    let text = har(&[
        entry(
            "GET",
            "https://api.example.com/ok",
            200,
            serde_json::json!([{ "name": "Origin", "value": "http://localhost:5173" }]),
            ok,
        ),
        entry(
            "GET",
            "https://api.example.com/a",
            200,
            origin.clone(),
            serde_json::json!([]),
        ),
        entry(
            "GET",
            "https://api.example.com/b",
            200,
            origin.clone(),
            serde_json::json!([]),
        ),
        entry(
            "GET",
            "https://cdn.example.com/c",
            200,
            origin,
            serde_json::json!([{ "name": "Access-Control-Allow-Origin", "value": "*" }, { "name": "Access-Control-Allow-Origin", "value": "*" }]),
        ),
    ]);
    let a = analyse(&text, &FormInput::default(), PAGE);
    assert_eq!(a.kind, Kind::Har, "{a:#?}");
    let r = report(&a);
    let listed: Vec<(&str, String, usize)> = r
        .har
        .iter()
        .map(|e| (e.url.as_str(), e.code.to_string(), e.group_size))
        .collect();
    // The Authorization header makes these preflighted; the HAR shows no preflight, so the
    // reader assumes the browser had a passing one cached; the responses then fail.
    assert_eq!(listed.len(), 4, "{listed:#?}");
    assert_eq!(
        listed[0].2, 2,
        "the larger failing group first: {listed:#?}"
    );
    assert_eq!(listed[3].1, "ok", "passes last: {listed:#?}");
    assert_eq!(a.har_forms.len(), 4);
    assert!(
        a.har_forms[0].headers.contains("very-secret-token"),
        "the form keeps the value: it stays in the page"
    );
    let exported = format!(
        "{}\n{}",
        serde_json::to_string(r).unwrap_or_default(),
        report_markdown(r)
    );
    assert!(
        !exported.contains("very-secret-token"),
        "secrets leave the page masked:\n{exported}"
    );
    assert!(report_markdown(r).contains("Requests in the HAR"));
    assert!(
        r.causes.len() >= 2,
        "one cause per failing group: {:#?}",
        r.causes
    );
}

#[test]
fn an_import_fills_the_form_and_judges_nothing() {
    let text = "curl 'https://api.example.com/items?q=1' -X 'DELETE' -H 'x-api-key: k' -H 'sec-fetch-mode: cors'";
    let a = analyse(text, &FormInput::default(), PAGE);
    assert_eq!(a.kind, Kind::Import, "{a:#?}");
    assert!(a.report.is_none());
    let f = a.form.as_ref().expect("a form");
    assert_eq!(
        (f.url.as_str(), f.method.as_str()),
        ("https://api.example.com/items?q=1", "DELETE")
    );
    assert!(f.headers.contains("x-api-key: k") && !f.headers.contains("sec-fetch"));
    assert!(
        a.recognised.contains("sec-fetch-mode"),
        "dropped headers are listed: {}",
        a.recognised
    );
}

#[test]
fn anything_else_says_what_the_box_reads() {
    for text in ["", "   ", "hello world", "{\"not\": \"a har\"}", "HTTP/1.1"] {
        let a = analyse(text, &FormInput::default(), PAGE);
        assert_eq!(a.kind, Kind::Unrecognised, "{text:?}: {a:#?}");
        assert!(a.report.is_none() && a.form.is_none());
        assert!(!a.recognised.is_empty());
    }
}
