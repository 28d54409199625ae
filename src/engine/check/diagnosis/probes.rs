//! The probe plan: the user's request plus safe variants, in at most two phases.
//!
//! Phase 1 goes out all at once, so it takes as long as its slowest request (one or two round
//! trips); it stays within the six connections a browser opens per HTTP/1.1 host for typical
//! requests. Phase 2 is one more request, sent only when every header variant failed, to tell a
//! refused header from a broken preflight.
//!
//! Safety: only `actual` uses the user's method and body, and it is sent once. Every other probe
//! is a `GET` without a body; the ones carrying custom headers are preflighted, so a server that
//! rejects the preflight never sees them. The one exception is opt-in: `method-alone` repeats a
//! non-safelisted method, without headers or body, only when the user ticks the box for it.

use super::{CheckContext, ProbeRun};
use crate::engine::check::observation::Outcome;
use crate::engine::check::plan::{
    ProbeMode, ProbeRedirect, ProbeSpec, ACTUAL, CONTROL, HEADERS, HEADER_PREFIX,
    MAX_HEADER_PROBES, METHOD_ALONE, REACHABILITY, SIMPLE, SIMPLE_CREDENTIALS,
};

/// The control header: nearly every CORS set-up allows `Content-Type`, so a preflight asking only
/// for it tells "the preflight works" from "this header is refused".
const CONTROL_HEADER: (&str, &str) = ("Content-Type", "application/json");

/// The first phase: the user's request first, then the variants that run beside it.
pub fn first_phase(context: &CheckContext) -> Vec<ProbeSpec> {
    let form = &context.form;
    let unsafe_names = context.unsafe_header_names();
    let is_get = form.method.eq_ignore_ascii_case("GET") && form.body.is_none();
    let mut probes = vec![
        ProbeSpec {
            name: ACTUAL.into(),
            purpose: "Your request, exactly as your frontend sends it (sent once).".into(),
            method: form.method.clone(),
            url: form.url.clone(),
            headers: form.headers.clone(),
            body: form.body.clone(),
            mode: ProbeMode::Cors,
            include_credentials: form.credentials,
            redirect: ProbeRedirect::Follow,
        },
        ProbeSpec {
            mode: ProbeMode::NoCors,
            ..get(context, REACHABILITY, "A no-cors GET: it resolves whenever an HTTP server answers, CORS or not.")
        },
        ProbeSpec {
            redirect: ProbeRedirect::Manual,
            ..get(context, SIMPLE, "A plain GET without credentials that does not follow redirects: shows whether the URL redirects, and tests the response's Access-Control-Allow-Origin without a preflight.")
        },
    ];
    // A plain GET with credentials is the user's own request when that is what it is.
    if form.credentials && !(is_get && unsafe_names.is_empty()) {
        probes.push(ProbeSpec {
            include_credentials: true,
            ..get(context, SIMPLE_CREDENTIALS, "A plain GET with credentials: tests Access-Control-Allow-Credentials without a preflight.")
        });
    }
    // Opted in: the method on its own, so its preflight is asked only about the method.
    let method = crate::engine::fetch::normalize_method(&form.method);
    if form.allow_method_probe && !crate::engine::fetch::is_safelisted_method(&method) {
        probes.push(ProbeSpec {
            method: form.method.clone(),
            include_credentials: form.credentials,
            ..get(context, METHOD_ALONE, "Your method alone, without headers or body (you allowed it): does the preflight allow the method?")
        });
    }
    match unsafe_names.len() {
        0 if context.preflighted() => probes.push(control(context)),
        0 => {}
        // A GET with its one header is the user's own request: nothing to add.
        1 if is_get => {}
        1 => probes.push(ProbeSpec {
            headers: form.headers.clone(),
            include_credentials: form.credentials,
            ..get(context, HEADERS, "GET with all your headers: a preflight for them, without repeating your method or body.")
        }),
        _ => {
            for name in unsafe_names.iter().take(MAX_HEADER_PROBES) {
                probes.push(ProbeSpec {
                    headers: headers_named(&form.headers, name),
                    include_credentials: form.credentials,
                    ..get(
                        context,
                        &format!("{HEADER_PREFIX}{name}"),
                        &format!("GET with only `{name}`: is this header allowed by the preflight?"),
                    )
                });
            }
        }
    }
    probes
}

/// The second phase: the control preflight, when no header variant got through and the control
/// can say something the variants did not (it is the same request when only Content-Type is asked).
pub fn second_phase(context: &CheckContext, done: &[ProbeRun]) -> Vec<ProbeSpec> {
    let unsafe_names = context.unsafe_header_names();
    let asks_only_content_type = unsafe_names.iter().all(|n| n == "content-type");
    let outcome = |run: &ProbeRun| run.observation.outcome;
    let variants: Vec<&ProbeRun> = done
        .iter()
        .filter(|r| r.spec.name == HEADERS || r.spec.name.starts_with(HEADER_PREFIX))
        .collect();
    let all_refused = !variants.is_empty()
        && variants
            .iter()
            .all(|r| outcome(r) == Some(Outcome::Blocked));
    // A GET with its one header is the user's own request.
    let all_refused = all_refused || (variants.is_empty() && is_get_with_one_header(context, done));
    let actual_blocked = done.iter().any(|r| {
        r.spec.name == ACTUAL && matches!(outcome(r), Some(Outcome::Blocked | Outcome::Unreachable))
    });
    let sent_control = done.iter().any(|r| r.spec.name == CONTROL);
    if actual_blocked && all_refused && !asks_only_content_type && !sent_control {
        vec![control(context)]
    } else {
        Vec::new()
    }
}

fn is_get_with_one_header(context: &CheckContext, done: &[ProbeRun]) -> bool {
    let form = &context.form;
    form.method.eq_ignore_ascii_case("GET")
        && form.body.is_none()
        && context.unsafe_header_names().len() == 1
        && done
            .iter()
            .any(|r| r.spec.name == ACTUAL && r.observation.outcome == Some(Outcome::Blocked))
}

pub fn control(context: &CheckContext) -> ProbeSpec {
    ProbeSpec {
        headers: vec![(CONTROL_HEADER.0.into(), CONTROL_HEADER.1.into())],
        include_credentials: context.form.credentials,
        ..get(
            context,
            CONTROL,
            "GET with Content-Type: application/json: does any preflight pass at this URL?",
        )
    }
}

/// A bodiless CORS `GET` of the user's URL, without credentials, following redirects.
fn get(context: &CheckContext, name: &str, purpose: &str) -> ProbeSpec {
    ProbeSpec {
        name: name.into(),
        purpose: purpose.into(),
        method: "GET".into(),
        url: context.form.url.clone(),
        headers: Vec::new(),
        body: None,
        mode: ProbeMode::Cors,
        include_credentials: false,
        redirect: ProbeRedirect::Follow,
    }
}

/// Every header line of `name` (case-insensitive), as the user wrote them.
fn headers_named(headers: &[(String, String)], name: &str) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .cloned()
        .collect()
}
