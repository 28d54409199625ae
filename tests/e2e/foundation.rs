//! The foundation's chain, end to end: each lab scenario through the page, checking both the
//! page's outcome and Chromium's own reason for the request.

use crate::util::{probe, Form, Harness};
use crate::verdict::{agrees, ChromiumSays};

/// Where a case sends its request.
enum Target {
    Lab(&'static str),
    ClosedPort,
}

struct Case {
    name: &'static str,
    target: Target,
    method: &'static str,
    headers: &'static str,
    body: &'static str,
    timeout: Option<&'static str>,
    /// The `outcome` the report must give the user's own request.
    outcome: &'static str,
    /// What Chromium must say about the user's request (see [`ChromiumSays`]).
    chromium: ChromiumSays,
}

const CASES: &[Case] = &[
    Case {
        name: "simple-ok",
        target: Target::Lab("/simple-ok"),
        method: "GET",
        headers: "",
        body: "",
        timeout: None,
        outcome: "delivered",
        chromium: ChromiumSays::Delivered(Some(200)),
    },
    Case {
        name: "acao-missing",
        target: Target::Lab("/acao-missing"),
        method: "GET",
        headers: "",
        body: "",
        timeout: None,
        outcome: "blocked",
        chromium: ChromiumSays::CorsError(&["MissingAllowOriginHeader"], None),
    },
    Case {
        name: "preflight-404",
        target: Target::Lab("/preflight-404"),
        method: "PUT",
        headers: "X-Trace-One: 1",
        body: "",
        timeout: None,
        outcome: "blocked",
        chromium: ChromiumSays::CorsError(&["PreflightInvalidStatus"], None),
    },
    Case {
        name: "hidden-500",
        target: Target::Lab("/hidden-error"),
        method: "POST",
        headers: "Content-Type: application/json",
        body: "{\"a\":1}",
        timeout: None,
        outcome: "blocked",
        chromium: ChromiumSays::CorsError(&["MissingAllowOriginHeader"], None),
    },
    Case {
        name: "closed-port",
        target: Target::ClosedPort,
        method: "GET",
        headers: "",
        body: "",
        timeout: None,
        outcome: "unreachable",
        chromium: ChromiumSays::NetError("net::ERR_CONNECTION_REFUSED"),
    },
    Case {
        name: "never-answers",
        target: Target::Lab("/never-answers"),
        method: "GET",
        headers: "",
        body: "",
        timeout: Some("1"),
        outcome: "timeout",
        chromium: ChromiumSays::NetError("net::ERR_ABORTED"),
    },
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outcomes_match_chromium() {
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    let mut failures = Vec::new();
    for case in CASES {
        let url = match case.target {
            Target::Lab(path) => harness.lab.url(&format!("{path}?case={}", case.name)),
            Target::ClosedPort => harness
                .lab
                .closed_port_url(&format!("/nothing?case={}", case.name)),
        };
        let form = Form {
            url: url.clone(),
            method: Some(case.method.into()),
            headers: Some(case.headers.into()),
            body: Some(case.body.into()),
            timeout: case.timeout.map(Into::into),
            ..Form::default()
        };
        let report = tab.check(&harness.site.page_url(), &form).await;
        let actual = probe(&report, "actual");
        if actual["outcome"] != case.outcome {
            failures.push(format!(
                "{}: page says {}, expected {}",
                case.name, actual["outcome"], case.outcome
            ));
        }
        let records = tab.chromium_records(&url, case.method).await;
        if let Err(why) = agrees(case.chromium, &records) {
            failures.push(format!("{}: {why}; Chromium saw {records:?}", case.name));
        }
    }
    // The hidden 500: the preflight passed, so the POST itself reached the server, exactly once.
    let posts = harness
        .lab
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == "/hidden-error")
        .count();
    if posts != 1 {
        failures.push(format!(
            "hidden-500: the lab received {posts} POSTs, expected exactly 1"
        ));
    }
    harness.stop().await;
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivered_response_shows_status_headers_and_body() {
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    let url = harness.lab.url("/error-cors?status=503&case=details");
    let report = tab
        .check(
            &harness.site.page_url(),
            &Form {
                url,
                ..Form::default()
            },
        )
        .await;
    let response = &report["response"];
    assert_eq!(response["status"], 503, "{report:#}");
    assert!(
        response["body_preview"]
            .as_str()
            .is_some_and(|b| !b.is_empty()),
        "{report:#}"
    );
    assert!(
        response["headers"]
            .as_array()
            .is_some_and(|h| !h.is_empty()),
        "{report:#}"
    );
    // The page's own origin is reported, and it is the static site's.
    assert_eq!(report["page_origin"], harness.site.origin.as_str());
    let text = tab
        .eval("document.querySelector('[data-testid=body-preview]').textContent")
        .await;
    assert_eq!(text, response["body_preview"]);
    harness.stop().await;
}
