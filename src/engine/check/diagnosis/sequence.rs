//! The exchange the browser had for the user's request, step by step, as the page best knows it:
//! the data behind the sequence picture.

use super::CheckContext;
use crate::engine::check::report::SequenceStep;
use crate::engine::fetch::normalize_method;

fn step(direction: &str, label: impl Into<String>, state: &str) -> SequenceStep {
    SequenceStep {
        direction: direction.into(),
        label: label.into(),
        state: state.into(),
    }
}

/// The steps for the request, given the top cause code.
pub fn steps(context: &CheckContext, top: Option<&str>) -> Vec<SequenceStep> {
    let code = top.unwrap_or("");
    let form = &context.form;
    let method = normalize_method(&form.method);
    if code.starts_with("input") || code == "network/mixed-content" {
        return vec![step("result", format!("Not sent: {code}"), "failed")];
    }
    let mut steps = Vec::new();
    let unreachable = code == "network/unreachable" || code == "network/timeout";
    let preflight_failed =
        code.starts_with("preflight") && code != "preflight/authorization-wildcard";
    if context.preflighted() {
        steps.push(step(
            "request",
            format!("OPTIONS preflight (Access-Control-Request-Method: {method})"),
            if unreachable { "failed" } else { "ok" },
        ));
        let state = match () {
            _ if unreachable => "skipped",
            _ if preflight_failed => "failed",
            _ if code.is_empty() => "unknown",
            _ => "ok",
        };
        steps.push(step(
            "response",
            "Preflight response: checked against your origin, method and headers",
            state,
        ));
    }
    let sent = !(preflight_failed || unreachable && context.preflighted());
    steps.push(step(
        "request",
        format!("{method} (your request)"),
        if sent {
            if unreachable {
                "failed"
            } else {
                "ok"
            }
        } else {
            "skipped"
        },
    ));
    let response_state = match () {
        _ if !sent || unreachable => "skipped",
        _ if code.starts_with("response") || code.starts_with("redirect") => "failed",
        _ if code.starts_with("ok") || code == "preflight/authorization-wildcard" => "ok",
        _ => "unknown",
    };
    let response_label = if code == "response/hidden-server-error" {
        "Response without CORS headers (an error, status hidden)".to_string()
    } else {
        "Response: CORS check".to_string()
    };
    steps.push(step("response", response_label, response_state));
    let delivered = code.starts_with("ok") || code == "preflight/authorization-wildcard";
    let result = if delivered {
        "Delivered to your code".to_string()
    } else if unreachable {
        format!(
            "TypeError: {}",
            if code == "network/timeout" {
                "aborted after the timeout"
            } else {
                "no server answered"
            }
        )
    } else {
        "Blocked: TypeError: Failed to fetch".to_string()
    };
    steps.push(step(
        "result",
        result,
        if delivered { "ok" } else { "failed" },
    ));
    steps
}
