//! The [CORS-preflight fetch](https://fetch.spec.whatwg.org/#cors-preflight-fetch): when it is
//! needed, the exact `Access-Control-Request-*` values, and the checks on its response, in the
//! order Chromium applies them (redirect, allow-origin, credentials, status, lists, method,
//! headers, private network).

use super::allow_headers::{self, Denied};
use super::allow_methods::{self, List};
use super::allow_origin;
use super::answers::ServerResponse;
use super::browser::{Browser, AUTHORIZATION_WILDCARD_REPORT};
use super::code::{Code, Finding};
use super::credentials;
use super::local_network;
use super::max_age;
use super::method;
use super::redirect::is_redirect_status;

/// Whether the CORS rules alone (method, headers) call for a preflight, given the request's
/// CORS-unsafe header names.
pub fn needed_for(method: &str, unsafe_names: &[String]) -> bool {
    !method::is_safelisted(method) || !unsafe_names.is_empty()
}

/// What the preflight checks need to know about the request.
pub struct Ask<'a> {
    /// Serialized origin the browser sends (`null` once tainted).
    pub origin: &'a str,
    pub method: &'a str,
    pub unsafe_names: &'a [String],
    pub include_credentials: bool,
    pub private_network: bool,
    pub browser: Browser,
}

/// A passed preflight: its status and cache time (the step text is written from them), and a
/// report the browser raises on the way.
pub struct Pass {
    pub status: u16,
    /// `Access-Control-Max-Age` in seconds per the spec, and as Chromium caps it.
    pub max_age: (u64, u64),
    pub report: Option<&'static str>,
}

impl Pass {
    /// "Preflight passed (status 204); cached for 5 s."
    pub fn text(status: u16, (spec, chromium): (u64, u64)) -> String {
        let cache = if spec == chromium {
            format!("cached for {spec} s")
        } else {
            format!("cached for {chromium} s in Chromium (Max-Age {spec} capped at 7200)")
        };
        format!("Preflight passed (status {status}); {cache}.")
    }
}

/// Checks a preflight response. The pass describes itself (with the cache time).
pub fn check(resp: &ServerResponse, ask: &Ask<'_>) -> Result<Pass, Finding> {
    let status = || resp.status.to_string();
    if is_redirect_status(resp.status) && resp.get_cow("location").is_some() {
        return Err(Finding::new(
            Code::PreflightRedirect,
            format!(
                "The preflight was answered with a {} redirect; preflights may not redirect.",
                resp.status
            ),
        )
        .with("status", status())
        .with("location", resp.get("location").unwrap_or_default()));
    }
    // Chromium runs the CORS check before the status check: a 401/404 without CORS headers
    // reads as a missing Access-Control-Allow-Origin.
    if let Err((detail, value)) = allow_origin::check(resp, ask.origin, ask.include_credentials) {
        return Err(Finding::new(
            Code::PreflightAllowOrigin(detail),
            allow_origin::allow_origin_sentence(
                "preflight",
                detail,
                &value,
                ask.origin,
                resp.status,
            ),
        )
        .with("value", value)
        .with("origin", ask.origin)
        .with("status", status()));
    }
    if ask.include_credentials {
        if let Err(v) = credentials::check(resp) {
            return Err(Finding::new(
                Code::PreflightCredentials,
                format!(
                    "The request includes credentials, but the preflight's Access-Control-Allow-Credentials is {} instead of exactly true.",
                    shown(&v)
                ),
            )
            .with("value", v));
        }
    }
    if !(200..=299).contains(&resp.status) {
        return Err(Finding::new(
            Code::PreflightStatus,
            format!(
                "The preflight was answered with status {}; it must be 2xx.",
                resp.status
            ),
        )
        .with("status", status()));
    }
    let methods_value = allow_methods::list_value(resp, allow_methods::HEADER);
    let methods = parse_list(methods_value.as_deref(), METHODS)?;
    let headers_value = allow_methods::list_value(resp, allow_headers::HEADER);
    let headers = parse_list(headers_value.as_deref(), HEADERS)?;
    if !allow_methods::allows(methods, ask.method, ask.include_credentials) {
        let listed = methods.map(List::joined).unwrap_or_default();
        let hint = if methods.is_some_and(|m| m.contains("*")) {
            " (* does not count with credentials)"
        } else if methods.is_some_and(|m| m.items().any(|x| x.eq_ignore_ascii_case(ask.method))) {
            " (methods compare case-sensitively)"
        } else {
            ""
        };
        return Err(Finding::new(
            Code::PreflightMethodNotAllowed,
            format!(
                "{} is not in Access-Control-Allow-Methods: {}{hint}.",
                ask.method,
                shown(&listed)
            ),
        )
        .with("method", ask.method)
        .with("allowed", listed));
    }
    let mut report = None;
    let denied = allow_headers::check(headers, ask.unsafe_names, ask.include_credentials);
    let denied = match denied {
        Err(Denied::AuthorizationWildcard) if ask.browser == Browser::Chromium => {
            report = Some(AUTHORIZATION_WILDCARD_REPORT);
            Ok(())
        }
        other => other,
    };
    if let Err(denied) = denied {
        let listed = headers.map(List::joined).unwrap_or_default();
        return Err(match denied {
            Denied::AuthorizationWildcard => Finding::new(
                Code::PreflightAuthorizationWildcard,
                "Access-Control-Allow-Headers: * does not cover Authorization; list authorization by name (Chromium 156 still lets it pass with a deprecation warning).",
            )
            .with("header", "authorization")
            .with("allowed", listed),
            Denied::NotAllowed(h) => {
                let hint = if ask.include_credentials && listed.split(", ").any(|x| x == "*") {
                    " (* does not count with credentials)"
                } else {
                    ""
                };
                Finding::new(
                    Code::PreflightHeaderNotAllowed,
                    format!("The request header {h} is not in Access-Control-Allow-Headers: {}{hint}.", shown(&listed)),
                )
                .with("header", h)
                .with("allowed", listed)
            }
        });
    }
    if ask.private_network {
        if let Err(v) = local_network::check(resp) {
            return Err(Finding::new(
                Code::PreflightLocalNetwork,
                format!(
                    "The target is on a more private network, and the preflight's Access-Control-Allow-Private-Network is {} instead of true.",
                    shown(&v)
                ),
            )
            .with("value", v));
        }
    }
    Ok(Pass {
        status: resp.status,
        max_age: max_age::seconds(resp),
        report,
    })
}

fn shown(v: &str) -> String {
    if v.is_empty() {
        "absent".into()
    } else {
        format!("{v:?}")
    }
}

/// The allow-list headers: wire name, display name, what each item must be.
const METHODS: (&str, &str, &str) = (
    allow_methods::HEADER,
    "Access-Control-Allow-Methods",
    "method token",
);
const HEADERS: (&str, &str, &str) = (
    allow_headers::HEADER,
    "Access-Control-Allow-Headers",
    "header name",
);

/// Parses an allow-list header's value; an item that is not a token makes the whole list
/// invalid (`preflight/invalid-allow-list`), naming the header and the item.
fn parse_list<'a>(
    value: Option<&'a str>,
    (header, name, what): (&'static str, &str, &str),
) -> Result<Option<List<'a>>, Finding> {
    value.map(List::parse).transpose().map_err(|item| {
        Finding::new(
            Code::PreflightInvalidAllowList,
            format!("{name} contains {item:?}, which is not a {what}."),
        )
        .with("header", header)
        .with("value", item)
    })
}
