//! The probe plan: the user's request plus safe variants, all sent at once so a check takes about
//! as long as the slowest single request (one or two round trips).
//!
//! Safety: only `actual` uses the user's method and body, and it is sent once. Every other probe
//! is a `GET` without a body; the ones carrying custom headers are preflighted, so a server that
//! rejects the preflight never sees them.

use super::CheckContext;
use crate::engine::plan::{ProbeMode, ProbeRedirect, ProbeSpec};

pub const ACTUAL: &str = "actual";
pub const REACHABILITY: &str = "reachability";
pub const REDIRECT: &str = "redirect";
pub const SIMPLE: &str = "simple-get";
pub const SIMPLE_CREDENTIALS: &str = "simple-get-credentials";
pub const HEADERS: &str = "headers-get";
pub const HEADER_PREFIX: &str = "header:";
pub const CONTROL: &str = "preflight-control";

/// One probe per custom header at most this many times; more are summarised by `headers-get`.
pub const MAX_HEADER_PROBES: usize = 8;

/// The control header: nearly every CORS set-up allows `Content-Type`, so a preflight asking only
/// for it tells "the preflight works" from "this header is refused".
const CONTROL_HEADER: (&str, &str) = ("Content-Type", "application/json");

/// Every probe for this check, the user's own request first.
pub fn plan(context: &CheckContext) -> Vec<ProbeSpec> {
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
            ..get(
                context,
                REACHABILITY,
                "A no-cors GET: it resolves whenever an HTTP server answers, CORS or not.",
            )
        },
        ProbeSpec {
            redirect: ProbeRedirect::Manual,
            ..get(
                context,
                REDIRECT,
                "A GET that does not follow redirects: shows whether the URL redirects.",
            )
        },
    ];
    let simple_is_actual = is_get && unsafe_names.is_empty();
    if !simple_is_actual || form.credentials {
        probes.push(get(
            context,
            SIMPLE,
            "A plain GET without credentials: no preflight, so it tests only the response's Access-Control-Allow-Origin.",
        ));
    }
    if form.credentials && !simple_is_actual {
        probes.push(ProbeSpec {
            include_credentials: true,
            ..get(context, SIMPLE_CREDENTIALS, "A plain GET with credentials: tests Access-Control-Allow-Credentials without a preflight.")
        });
    }
    if !unsafe_names.is_empty() {
        if !is_get {
            probes.push(ProbeSpec {
                headers: form.headers.clone(),
                include_credentials: form.credentials,
                ..get(context, HEADERS, "GET with all your headers: a preflight for them, without repeating your method or body.")
            });
        }
        if unsafe_names.len() > 1 {
            for name in unsafe_names.iter().take(MAX_HEADER_PROBES) {
                probes.push(ProbeSpec {
                    headers: headers_named(&form.headers, name),
                    include_credentials: form.credentials,
                    ..get(
                        context,
                        &format!("{HEADER_PREFIX}{name}"),
                        &format!(
                            "GET with only `{name}`: is this header allowed by the preflight?"
                        ),
                    )
                });
            }
        }
    }
    let needs_control = !unsafe_names.iter().any(|n| n == "content-type")
        && (!unsafe_names.is_empty() || context.preflighted());
    if needs_control {
        probes.push(ProbeSpec {
            headers: vec![(CONTROL_HEADER.0.into(), CONTROL_HEADER.1.into())],
            include_credentials: form.credentials,
            ..get(
                context,
                CONTROL,
                "GET with Content-Type: application/json: does any preflight pass at this URL?",
            )
        });
    }
    probes
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
