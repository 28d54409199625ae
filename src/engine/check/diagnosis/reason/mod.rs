//! From what the probes showed to ranked causes. Each branch names the evidence it used, so the
//! page can say why, and what it cannot tell apart. This file sorts the outcome (delivered,
//! timeout, unreachable, redirected); `cors.rs` finds which CORS check failed.

mod cors;

use std::collections::BTreeMap;

use super::seen::Seen;
use super::CheckContext;
use crate::engine::check::observation::Outcome;
use crate::engine::check::observation::{BrowserReport, Observation};
use crate::engine::check::report::seconds;

/// A cause before the fix is attached.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub code: String,
    pub confidence: f64,
    pub params: BTreeMap<String, String>,
    pub summary: String,
    pub evidence: Vec<String>,
    pub alternatives: Vec<String>,
}

impl Draft {
    fn new(code: &str, confidence: f64, summary: impl Into<String>) -> Draft {
        Draft {
            code: code.into(),
            confidence,
            params: BTreeMap::new(),
            summary: summary.into(),
            evidence: Vec::new(),
            alternatives: Vec::new(),
        }
    }

    fn param(mut self, key: &str, value: impl Into<String>) -> Draft {
        self.params.insert(key.into(), value.into());
        self
    }

    fn because(mut self, sentence: impl Into<String>) -> Draft {
        self.evidence.push(sentence.into());
        self
    }

    fn unless(mut self, sentence: impl Into<String>) -> Draft {
        self.alternatives.push(sentence.into());
        self
    }
}

/// Chromium's deprecation report id when `Access-Control-Allow-Headers: *` let `Authorization` through.
pub const AUTHORIZATION_WILDCARD_REPORT: &str = "AuthorizationCoveredByWildcard";

/// The causes, most likely first.
pub fn causes(context: &CheckContext, seen: &Seen, reports: &[BrowserReport]) -> Vec<Draft> {
    let Some(actual) = seen.actual else {
        return Vec::new();
    };
    let mut drafts = match actual.outcome {
        Some(Outcome::Delivered) => delivered(context, actual, reports),
        Some(Outcome::Timeout) => vec![timeout(context, seen)],
        Some(Outcome::Blocked | Outcome::Unreachable) => blocked(context, seen),
        Some(Outcome::NotSent) => not_sent(actual),
        _ => Vec::new(),
    };
    if context.same_origin() {
        drafts.insert(
            0,
            Draft::new(
                "ok/same-origin",
                1.0,
                "The URL has the same origin as this page: CORS does not apply to it.",
            )
            .because(format!(
                "Page origin and URL origin are both {}.",
                context.page_origin
            )),
        );
    }
    drafts.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    drafts
}

fn delivered(
    context: &CheckContext,
    actual: &Observation,
    reports: &[BrowserReport],
) -> Vec<Draft> {
    let status = actual.response.as_ref().map_or(0, |r| r.status);
    let mut drafts = Vec::new();
    if reports
        .iter()
        .any(|r| r.id == AUTHORIZATION_WILDCARD_REPORT)
    {
        drafts.push(
            Draft::new(
                "preflight/authorization-wildcard",
                0.9,
                "Delivered here only because Chromium still lets `Access-Control-Allow-Headers: *` cover `Authorization`. \
                 The Fetch Standard, Firefox and Safari do not, and Chromium is phasing it out: list Authorization explicitly.",
            )
            .param("header", "authorization")
            .because("Chromium raised its `AuthorizationCoveredByWildcard` deprecation report for this request."),
        );
    }
    let exposed: Vec<&str> = actual
        .response
        .iter()
        .flat_map(|r| r.headers.iter().map(|(n, _)| n.as_str()))
        .collect();
    let missing: Vec<&String> = context
        .form
        .want_headers
        .iter()
        .filter(|w| !exposed.iter().any(|e| e.eq_ignore_ascii_case(w)))
        .collect();
    if let Some(first) = missing.first() {
        let names = missing
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", ");
        drafts.push(
            Draft::new(
                "ok/header-not-exposed",
                0.95,
                format!("The response was delivered, but your code cannot read {names}: the server does not expose it."),
            )
            .param("header", first.as_str())
            .because(format!("The browser exposed only: {}.", if exposed.is_empty() { "no headers".into() } else { exposed.join(", ") }))
            .unless("If the server does not send the header at all, exposing it will not help: check with the curl command below."),
        );
    }
    let summary = if status >= 400 {
        format!("CORS is fine: the browser delivered the response. The server answered {status}, which your code can read and handle.")
    } else {
        format!("The browser delivered the response (status {status}); CORS allows this request.")
    };
    drafts.push(
        Draft::new("ok", if drafts.is_empty() { 1.0 } else { 0.5 }, summary)
            .param("status", status.to_string()),
    );
    drafts
}

fn timeout(context: &CheckContext, seen: &Seen) -> Draft {
    let secs = seconds(f64::from(context.form.timeout_ms));
    let draft = Draft::new(
        "network/timeout",
        0.9,
        format!("No answer within {secs} s: the server accepted the request but never answered, or the network dropped it."),
    )
    .param("timeout_ms", context.form.timeout_ms.to_string());
    match seen.reachable {
        Some(true) => draft.because("The no-cors GET got an answer, so the server is up: your request is slow or stuck in its handler."),
        _ => draft.because("The no-cors GET got no answer either."),
    }
}

fn not_sent(actual: &Observation) -> Vec<Draft> {
    let detail = actual.error.clone().unwrap_or_default();
    if detail.starts_with("Cancelled") {
        return Vec::new();
    }
    vec![Draft::new(
        "input/invalid-header",
        0.8,
        format!("The browser refused to send the request: {detail}"),
    )]
}

fn blocked(context: &CheckContext, seen: &Seen) -> Vec<Draft> {
    if seen.redirects == Some(true) {
        return redirected(context, seen);
    }
    if seen.reachable == Some(false) {
        return vec![Draft::new(
            "network/unreachable",
            0.9,
            "No HTTP server answered at this URL: the connection was refused, the name did not resolve, TLS failed, or the connection was reset.",
        )
        .because("Your request failed, and so did a no-cors GET, which succeeds whenever any server answers, CORS or not.")
        .unless("An https URL with an invalid certificate looks the same: open the URL in a tab to see the browser's certificate error.")];
    }
    let mut drafts = cors::cors_failure(context, seen);
    if let Some(note) = &seen.timing_note {
        if let Some(top) = drafts.first_mut() {
            top.evidence.push(note.clone());
        }
    }
    if context.form.app_origin != context.page_origin {
        if let Some(top) = drafts.first_mut() {
            // Origin checks made from this page say little about the app's own origin.
            if top.code.contains("allow-origin") || top.code.contains("credentials") {
                top.confidence *= 0.6;
            }
            top.alternatives.insert(
                0,
                format!(
                    "These probes ran from {}; your app runs on {}. A server that allows only {} fails here but may work for your app: the curl commands below use your app's origin.",
                    context.page_origin, context.form.app_origin, context.form.app_origin
                ),
            );
        }
    }
    drafts
}

fn redirected(context: &CheckContext, seen: &Seen) -> Vec<Draft> {
    let evidence = "A GET with redirect: \"manual\" came back as a redirect: this URL redirects.";
    if seen.no_cors == Some(false) {
        return vec![
            Draft::new(
                "redirect/credentials-in-url",
                0.6,
                "The URL redirects to a target the browser refuses to follow, most likely a Location with `user:password@` in it.",
            )
            .because(evidence)
            .because("Even the no-cors GET failed after the redirect, although the server answered.")
            .unless("redirect/unsupported-scheme: the Location is not http(s).")
            .unless("The redirect target is unreachable: check the Location with curl -i."),
        ];
    }
    if context.preflighted() {
        return vec![Draft::new(
            "preflight/redirect",
            0.8,
            "Your request needs a preflight, and the URL answers with a redirect: a preflight may not follow redirects.",
        )
        .because(evidence)
        .because(format!("{} needs a preflight (see the headers and method), so the browser sent OPTIONS first.", context.form.method))
        .unless("If only GET redirects and OPTIONS does not, the cause lies elsewhere: run the preflight curl command to see the OPTIONS answer.")];
    }
    vec![
        Draft::new(
            "redirect/tainted-origin",
            0.6,
            "The URL redirects, and after a redirect to another origin the browser sends `Origin: null`, which the target does not allow.",
        )
        .because(evidence)
        .because("The request was blocked after following the redirect.")
        .unless("response/allow-origin: the redirect stays on the same origin and the final response lacks Access-Control-Allow-Origin (curl -iL shows the chain)."),
        Draft::new(
            "response/allow-origin",
            0.3,
            "The final response after the redirect does not allow your origin.",
        ),
    ]
}
