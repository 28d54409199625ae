//! Methods: [forbidden](https://fetch.spec.whatwg.org/#forbidden-method),
//! [CORS-safelisted](https://fetch.spec.whatwg.org/#cors-safelisted-method) and
//! [normalize](https://fetch.spec.whatwg.org/#concept-method-normalize).

use super::token::is_token;

/// CONNECT, TRACE and TRACK, in any case: `fetch()` throws.
pub fn is_forbidden(method: &str) -> bool {
    match method.len() {
        5 => method.eq_ignore_ascii_case("TRACE") || method.eq_ignore_ascii_case("TRACK"),
        7 => method.eq_ignore_ascii_case("CONNECT"),
        _ => false,
    }
}

/// GET, HEAD and POST, byte-exact (after normalization): they never need a preflight.
pub fn is_safelisted(method: &str) -> bool {
    match method.len() {
        3 => method.as_bytes() == b"GET",
        4 => method.as_bytes() == b"HEAD" || method.as_bytes() == b"POST",
        _ => false,
    }
}

/// Upper-cases DELETE, GET, HEAD, OPTIONS, POST and PUT only. `patch` stays `patch`, which is
/// why `fetch(u, {method: "patch"})` fails against `Access-Control-Allow-Methods: PATCH`.
pub fn normalize(method: &str) -> String {
    normalize_ref(method).to_string()
}

const NORMALIZED: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];

/// [`normalize`] without a copy.
pub fn normalize_ref(method: &str) -> &str {
    match NORMALIZED.iter().find(|m| m.eq_ignore_ascii_case(method)) {
        Some(m) => m,
        None => method,
    }
}

/// A method name to keep: small, and free to copy for the methods [`normalize`] knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    /// `NORMALIZED[i]`.
    Known(u8),
    Other(std::sync::Arc<String>),
}

impl Name {
    pub fn new(method: &str) -> Name {
        match NORMALIZED.iter().position(|m| *m == method) {
            Some(i) => Name::Known(i as u8),
            None => Name::Other(std::sync::Arc::new(method.to_string())),
        }
    }

    pub const GET: Name = Name::Known(1);
    pub const HEAD: Name = Name::Known(2);

    pub fn as_str(&self) -> &str {
        match self {
            Name::Known(i) => NORMALIZED.get(usize::from(*i)).copied().unwrap_or(""),
            Name::Other(m) => m,
        }
    }
}

impl std::ops::Deref for Name {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
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
