//! `Access-Control-Allow-Headers` in the
//! [CORS-preflight fetch](https://fetch.spec.whatwg.org/#cors-preflight-fetch): names compare
//! case-insensitively; `*` counts only without credentials and never covers `Authorization`
//! (a [CORS non-wildcard request-header name](https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name)).

use super::allow_methods::List;

pub const HEADER: &str = "access-control-allow-headers";

/// Why the header list does not cover the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// `*` would have covered it, but `Authorization` must be listed by name.
    AuthorizationWildcard,
    /// This (lower-case) name is not listed.
    NotAllowed(String),
}

/// Checks the CORS-unsafe names (sorted, lower-case) against the allowed list.
pub fn check(
    list: Option<List<'_>>,
    unsafe_names: &[String],
    include_credentials: bool,
) -> Result<(), Denied> {
    let listed = |n: &str| list.is_some_and(|l| l.items().any(|a| a.eq_ignore_ascii_case(n)));
    let star = !include_credentials && list.is_some_and(|l| l.contains("*"));
    // The spec checks the non-wildcard name first.
    if unsafe_names.iter().any(|n| n == "authorization") && !listed("authorization") {
        return Err(if star {
            Denied::AuthorizationWildcard
        } else {
            Denied::NotAllowed("authorization".into())
        });
    }
    match unsafe_names.iter().find(|n| !listed(n) && !star) {
        Some(n) => Err(Denied::NotAllowed(n.clone())),
        None => Ok(()),
    }
}
