//! The browser blocked the request while a server answered: which CORS check failed.
//!
//! A plain GET tests the response's `Access-Control-Allow-Origin`; a GET with the user's headers
//! tests the preflight without the method; one GET per header finds the refused header; a GET
//! asking only for `Content-Type` tells "the preflight is broken" from "this header is refused".

use super::Draft;
use crate::engine::check::diagnosis::seen::{Pass, Seen};
use crate::engine::check::diagnosis::CheckContext;
use crate::engine::fetch::{is_safelisted_method, normalize_method};

pub(super) fn cors_failure(context: &CheckContext, seen: &Seen) -> Vec<Draft> {
    let origin = &context.page_origin;
    if context.form.credentials
        && seen.simple == Some(Pass::Yes)
        && seen.simple_credentials == Some(Pass::No)
    {
        return vec![credentials(context, seen)];
    }
    match seen.simple {
        Some(Pass::No) => {
            let plain = "A plain GET without credentials or custom headers was blocked too: no preflight is involved there, so the response itself does not allow your origin.";
            if context.preflighted() {
                vec![
                    Draft::new(
                        "preflight/allow-origin",
                        0.6,
                        format!("The server does not allow {origin}: its answers lack a matching Access-Control-Allow-Origin, and your request fails at its preflight."),
                    )
                    .because(plain)
                    .unless("The header may be missing, name another origin, end in a slash or appear twice: the preflight curl command shows which."),
                    Draft::new("response/allow-origin", 0.3, "The actual response does not allow your origin either.")
                        .because(plain),
                ]
            } else {
                vec![Draft::new(
                    "response/allow-origin",
                    0.75,
                    format!("The response does not allow {origin}: Access-Control-Allow-Origin is missing, names another origin, or is malformed."),
                )
                .because(plain)
                .unless("response/hidden-server-error: if every answer at this URL is an error page sent without CORS headers, it looks the same; curl -i shows the status.")
                .unless("The header may be missing, name another origin, end in a slash or appear twice: the curl command shows which.")]
            }
        }
        Some(Pass::Yes) if context.preflighted() => preflighted_failure(context, seen),
        Some(Pass::Yes) => simple_failure(context),
        None => vec![Draft::new(
            "response",
            0.3,
            "The browser blocked the request, and the probes could not narrow the cause down.",
        )
        .because("The comparison probes timed out or were not sent.")],
    }
}

/// A request without preflight fails while a plain GET passes.
fn simple_failure(context: &CheckContext) -> Vec<Draft> {
    let method = &context.form.method;
    vec![
        Draft::new(
            "response/hidden-server-error",
            0.7,
            format!("Your {method} reaches the server, but its response carries no CORS headers, most likely because it is an error (4xx/5xx) from a handler or proxy that skips them. The browser reports a CORS error instead of the error."),
        )
        .because("A plain GET of the same URL was delivered, so the server allows your origin on normal responses.")
        .because(format!("{method} needs no preflight, so the response to it is the only check that can fail."))
        .unless("The status is hidden from the page: the actual-request curl command shows it."),
        Draft::new(
            "response/allow-origin",
            0.3,
            format!("The server allows your origin for GET but not on its {method} responses."),
        ),
    ]
}

/// A preflighted request fails while a plain GET passes: the preflight, the method, or the response.
fn preflighted_failure(context: &CheckContext, seen: &Seen) -> Vec<Draft> {
    let has_custom_headers = !context.unsafe_header_names().is_empty();
    let preflight_works = if has_custom_headers {
        seen.headers
    } else {
        seen.control
    };
    match preflight_works {
        Some(Pass::Yes) => method_or_hidden(context, seen),
        Some(Pass::No) if has_custom_headers => header_or_preflight(context, seen),
        Some(Pass::No) => preflight_broken(
            context,
            "A GET asking the preflight only for Content-Type was blocked too.",
        ),
        None => vec![Draft::new(
            "preflight",
            0.35,
            "The preflight or the response to it failed; the probes could not tell which.",
        )],
    }
}

/// The preflight passes for the user's headers (asked with GET): the method, or the response.
fn method_or_hidden(context: &CheckContext, seen: &Seen) -> Vec<Draft> {
    let method = normalize_method(&context.form.method);
    let passed =
        "A GET with the same headers and credentials passed its preflight and was delivered.";
    let hidden = |confidence: f64| {
        Draft::new(
            "response/hidden-server-error",
            confidence,
            format!("The preflight passes, but the response to your {method} carries no CORS headers, most likely because it is an error (4xx/5xx) from a handler, auth layer or proxy that skips them. The browser reports a CORS error instead."),
        )
        .because(passed)
        .unless("The status is hidden from the page: the actual-request curl command shows it.")
    };
    if is_safelisted_method(&method) {
        return vec![hidden(0.8).because(format!(
            "{method} is a CORS-safelisted method, so the preflight's method check cannot fail: only the response to it can."
        ))];
    }
    let not_allowed = |confidence: f64| {
        Draft::new(
            "preflight/method-not-allowed",
            confidence,
            format!("The preflight does not allow the method {method}: it is missing from Access-Control-Allow-Methods (method names are case-sensitive)."),
        )
        .param("method", method.clone())
        .because(passed)
        .because(format!("So everything but the method {method} passes the preflight."))
    };
    match (seen.method_alone, seen.round_trips) {
        (Some(Pass::Yes), _) => vec![
            hidden(0.85).because(format!("{method} alone (the probe you allowed) passed its preflight and was delivered.")),
            not_allowed(0.1),
        ],
        (_, Some(2)) => vec![
            hidden(0.75).because("Timing shows two round trips: the preflight passed and your request reached the server."),
            not_allowed(0.2),
        ],
        (_, Some(_)) => vec![
            not_allowed(0.8).because("Timing shows one round trip: the browser stopped at the preflight."),
            hidden(0.15),
        ],
        (_, None) => vec![
            not_allowed(0.6).unless(format!(
                "response/hidden-server-error: {method} passes the preflight but its response is an error without CORS headers. The preflight curl command settles it: look for {method} in Access-Control-Allow-Methods."
            )),
            hidden(0.35),
        ],
    }
}

/// The preflight for the user's headers fails: one header, or the preflight as a whole.
fn header_or_preflight(context: &CheckContext, seen: &Seen) -> Vec<Draft> {
    let refused: Vec<&str> = seen
        .per_header
        .iter()
        .filter(|(_, p)| *p == Pass::No)
        .map(|(n, _)| n.as_str())
        .collect();
    let allowed: Vec<&str> = seen
        .per_header
        .iter()
        .filter(|(_, p)| *p == Pass::Yes)
        .map(|(n, _)| n.as_str())
        .collect();
    let header_draft = |header: &str, confidence: f64, why: String| {
        let draft = Draft::new(
            "preflight/header-not-allowed",
            confidence,
            format!("The preflight does not allow the request header `{header}`: it is missing from Access-Control-Allow-Headers."),
        )
        .param("header", header)
        .because(why);
        if header == "authorization" {
            draft.unless("preflight/authorization-wildcard: `Access-Control-Allow-Headers: *` never covers Authorization; list it by name.")
        } else {
            draft
        }
    };
    if let (Some(first), false) = (refused.first(), allowed.is_empty()) {
        let mut why = format!(
            "Sent one at a time with GET, {} passed the preflight",
            join_code(&allowed)
        );
        why.push_str(&format!(" and {} did not.", join_code(&refused)));
        return vec![header_draft(first, 0.85, why)];
    }
    if seen.control == Some(Pass::Yes) {
        let names = context.unsafe_header_names();
        let header = refused
            .first()
            .map(|h| h.to_string())
            .or_else(|| names.first().cloned());
        if let Some(header) = header {
            let why = format!(
                "A GET asking the preflight only for Content-Type passed, while one with `{header}` was refused."
            );
            return vec![header_draft(&header, 0.8, why)];
        }
    }
    if seen.control == Some(Pass::No) {
        return preflight_broken(
            context,
            "A GET asking the preflight only for Content-Type was blocked too.",
        );
    }
    // Only Content-Type is custom: the control would be the same request.
    let names = context.unsafe_header_names();
    let mut drafts = preflight_broken(context, "No preflight for your headers passed.");
    if let Some(first) = names.first() {
        drafts.push(header_draft(
            first,
            0.3,
            format!("`{first}` is the only header asked for, so a refused header looks the same as a broken preflight."),
        ));
    }
    drafts
}

/// Every preflight fails while plain GETs pass: the OPTIONS answer itself is wrong.
fn preflight_broken(context: &CheckContext, why: &str) -> Vec<Draft> {
    let mut top = Draft::new(
        "preflight/status",
        0.55,
        "The preflight (OPTIONS) fails as a whole, most likely because it is not answered with a 2xx: no OPTIONS route (404/405), or authentication that rejects it (401/403) before CORS runs.",
    )
    .because("A plain GET was delivered, so the server allows your origin on normal responses.")
    .because(why)
    .unless("preflight/allow-origin: the OPTIONS answer is 2xx but lacks Access-Control-Allow-Origin. The preflight curl command shows the status and headers.");
    if context.form.credentials {
        top = top.unless("preflight/credentials: the OPTIONS answer lacks Access-Control-Allow-Credentials: true.");
    }
    vec![
        top,
        Draft::new(
            "preflight/allow-origin",
            0.25,
            "The OPTIONS answer lacks a matching Access-Control-Allow-Origin.",
        ),
    ]
}

pub(super) fn credentials(context: &CheckContext, seen: &Seen) -> Draft {
    let code = if context.preflighted() {
        "preflight/credentials"
    } else {
        "response/credentials"
    };
    let mut draft = Draft::new(
        code,
        if context.preflighted() { 0.65 } else { 0.8 },
        "With credentials, the server must answer with your exact origin (not `*`) in Access-Control-Allow-Origin and with `Access-Control-Allow-Credentials: true`; one of the two is wrong.",
    )
    .because("A plain GET without credentials was delivered; the same GET with credentials was blocked.")
    .unless("Which of the two (a `*` origin, or no Allow-Credentials) is hidden from the page: the curl command shows the headers.");
    if seen.simple_credentials.is_none() {
        draft.confidence -= 0.2;
    }
    draft
}

fn join_code(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
