//! What a CORS response exposes to the page ([main fetch](https://fetch.spec.whatwg.org/#main-fetch)
//! step "CORS-exposed header-name list"): the
//! [CORS-safelisted response-header names](https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name)
//! plus `Access-Control-Expose-Headers` (`*` = every name, only without credentials).
//! `Set-Cookie` is never exposed.

use super::allow_methods::{list_value, List};
use super::answers::ServerResponse;
use super::code::{Code, Finding};
use super::header_name::is_forbidden_response_name;
use super::safelist::is_safelisted_response_name;

pub const HEADER: &str = "access-control-expose-headers";

/// The response's distinct header names, lower-case, sorted.
pub fn response_names(resp: &ServerResponse) -> Vec<String> {
    let mut names: Vec<String> = resp
        .headers
        .iter()
        .map(|(n, _)| n.trim().to_ascii_lowercase())
        .filter(|n| !n.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Names (lower-case, sorted) a page can read from a CORS response.
pub fn exposed(resp: &ServerResponse, include_credentials: bool) -> Vec<String> {
    let value = list_value(resp, HEADER);
    // An unparsable list exposes nothing beyond the safelist.
    let listed = value.as_deref().and_then(|v| List::parse(v).ok());
    let all = !include_credentials && listed.is_some_and(|l| l.contains("*"));
    let mut names: Vec<String> = resp
        .headers
        .iter()
        .map(|(n, _)| n.trim())
        .filter(|n| {
            !n.is_empty()
                && !is_forbidden_response_name(n)
                && (all
                    || is_safelisted_response_name(n)
                    || listed.is_some_and(|l| l.items().any(|i| i.eq_ignore_ascii_case(n))))
        })
        .map(str::to_ascii_lowercase)
        .collect();
    names.sort();
    names.dedup();
    names
}

/// `ok/header-not-exposed` for the first wanted name the page cannot read.
pub fn missing(wanted: &[String], exposed: &[String]) -> Option<Finding> {
    let w = wanted
        .iter()
        .map(|w| w.trim().to_ascii_lowercase())
        .filter(|w| !w.is_empty())
        .find(|w| !exposed.contains(w))?;
    Some(
        Finding::new(
            Code::OkHeaderNotExposed,
            format!("The response was delivered, but the page cannot read {w}: list it in Access-Control-Expose-Headers."),
        )
        .with("header", w),
    )
}
