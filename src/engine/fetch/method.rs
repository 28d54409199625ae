//! Methods: [forbidden](https://fetch.spec.whatwg.org/#forbidden-method),
//! [CORS-safelisted](https://fetch.spec.whatwg.org/#cors-safelisted-method) and
//! [normalize](https://fetch.spec.whatwg.org/#concept-method-normalize).

use super::token::is_token;

/// CONNECT, TRACE and TRACK, in any case: `fetch()` throws.
pub fn is_forbidden(method: &str) -> bool {
    ["CONNECT", "TRACE", "TRACK"]
        .iter()
        .any(|m| m.eq_ignore_ascii_case(method))
}

/// GET, HEAD and POST, byte-exact (after normalization): they never need a preflight.
pub fn is_safelisted(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "POST")
}

/// Upper-cases DELETE, GET, HEAD, OPTIONS, POST and PUT only. `patch` stays `patch`, which is
/// why `fetch(u, {method: "patch"})` fails against `Access-Control-Allow-Methods: PATCH`.
pub fn normalize(method: &str) -> String {
    const NORMALIZED: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];
    match NORMALIZED.iter().find(|m| m.eq_ignore_ascii_case(method)) {
        Some(m) => (*m).to_string(),
        None => method.to_string(),
    }
}

/// A method is a [token](https://fetch.spec.whatwg.org/#concept-method).
pub fn is_valid(method: &str) -> bool {
    is_token(method)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_rules() {
        assert_eq!(normalize("delete"), "DELETE");
        assert_eq!(normalize("Post"), "POST");
        assert_eq!(normalize("patch"), "patch");
        assert!(is_forbidden("track"));
        assert!(!is_safelisted("get"));
    }
}
