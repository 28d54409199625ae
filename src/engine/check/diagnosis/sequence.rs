//! The exchange the browser had for the user's request, step by step, as the page best knows it:
//! the data behind the sequence picture.

use std::collections::BTreeMap;

use super::causes::{about, Picture};
use super::CheckContext;
use crate::engine::check::report::SequenceStep;
use crate::engine::fetch::{normalize_method, Code};

fn step(direction: &str, label: impl Into<String>, state: &str) -> SequenceStep {
    SequenceStep {
        direction: direction.into(),
        label: label.into(),
        state: state.into(),
    }
}

/// The picture of a request that was never sent.
pub fn not_sent(code: Option<Code>) -> Vec<SequenceStep> {
    let code = code.map(|c| c.to_string()).unwrap_or_default();
    vec![step("result", format!("Not sent: {code}"), "failed")]
}

/// The steps for the request, given the top cause.
pub fn steps(context: &CheckContext, top: Option<Code>) -> Vec<SequenceStep> {
    let picture = top.map_or(Picture::Unknown, |code| {
        about(code, context, &BTreeMap::new()).picture
    });
    let method = normalize_method(&context.form.method);
    if picture == Picture::NotSent {
        return not_sent(top);
    }
    let no_answer = matches!(picture, Picture::NoServer | Picture::NoAnswer);
    let preflight_failed = picture == Picture::PreflightFails;
    let mut steps = Vec::new();
    if context.preflighted() {
        steps.push(step(
            "request",
            format!("OPTIONS preflight (Access-Control-Request-Method: {method})"),
            if no_answer { "failed" } else { "ok" },
        ));
        let state = match picture {
            _ if no_answer => "skipped",
            Picture::PreflightFails => "failed",
            Picture::Unknown => "unknown",
            _ => "ok",
        };
        steps.push(step(
            "response",
            "Preflight response: checked against your origin, method and headers",
            state,
        ));
    }
    let sent = !(preflight_failed || no_answer && context.preflighted());
    let request_state = match () {
        _ if !sent => "skipped",
        _ if no_answer => "failed",
        _ => "ok",
    };
    steps.push(step(
        "request",
        format!("{method} (your request)"),
        request_state,
    ));
    let response_state = match picture {
        _ if !sent || no_answer => "skipped",
        Picture::ResponseFails => "failed",
        Picture::Delivered => "ok",
        _ => "unknown",
    };
    let response_label = if top == Some(Code::ResponseHiddenServerError) {
        "Response without CORS headers (an error, status hidden)"
    } else {
        "Response: CORS check"
    };
    steps.push(step("response", response_label, response_state));
    let result = match picture {
        Picture::Delivered => "Delivered to your code",
        Picture::NoAnswer => "TypeError: aborted after the timeout",
        Picture::NoServer => "TypeError: no server answered",
        _ => "Blocked: TypeError: Failed to fetch",
    };
    let ok = picture == Picture::Delivered;
    steps.push(step("result", result, if ok { "ok" } else { "failed" }));
    steps
}
