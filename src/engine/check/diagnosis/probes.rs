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
    let first: Vec<&str> = done.iter().map(|r| r.spec.name.as_str()).collect();
    match second_phase_rule(context, &first) {
        Some(rule) if rule.holds(done) => vec![rule.probe],
        _ => Vec::new(),
    }
}

/// Phase 2 as data: send `probe` when every probe named in `when_blocked` was blocked. The app
/// snippet, which cannot ask the engine, carries this rule and applies it as the page does.
#[derive(Debug, Clone, PartialEq)]
pub struct SecondPhase {
    pub probe: ProbeSpec,
    pub when_blocked: Vec<String>,
}

impl SecondPhase {
    /// Every named probe ran and was blocked (a rejected fetch; observations are never
    /// `unreachable`, which only the report derives), and the control was not sent yet.
    pub fn holds(&self, done: &[ProbeRun]) -> bool {
        let blocked = |name: &String| {
            done.iter()
                .any(|r| &r.spec.name == name && r.observation.outcome == Some(Outcome::Blocked))
        };
        !done.iter().any(|r| r.spec.name == CONTROL) && self.when_blocked.iter().all(blocked)
    }
}

/// The rule for the second phase, given the names of the first phase's probes: `None` when it
/// never runs (only Content-Type asked, or nothing for the control to tell apart).
pub fn second_phase_rule(context: &CheckContext, first: &[&str]) -> Option<SecondPhase> {
    let unsafe_names = context.unsafe_header_names();
    if unsafe_names.iter().all(|n| n == "content-type") {
        return None;
    }
    let variants: Vec<String> = first
        .iter()
        .filter(|n| **n == HEADERS || n.starts_with(HEADER_PREFIX))
        .map(|n| n.to_string())
        .collect();
    let form = &context.form;
    // A GET with its one header is the user's own request: the actual one is the variant.
    let get_with_one_header =
        form.method.eq_ignore_ascii_case("GET") && form.body.is_none() && unsafe_names.len() == 1;
    if variants.is_empty() && !get_with_one_header {
        return None;
    }
    let mut when_blocked = vec![ACTUAL.to_string()];
    when_blocked.extend(variants);
    Some(SecondPhase {
        probe: control(context),
        when_blocked,
    })
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
