//! Header names and values: [tokens](https://fetch.spec.whatwg.org/#header-name),
//! [valid values](https://fetch.spec.whatwg.org/#header-value),
//! [forbidden request-headers](https://fetch.spec.whatwg.org/#forbidden-request-header) and
//! [forbidden response-header names](https://fetch.spec.whatwg.org/#forbidden-response-header-name).

use super::answers::trim_http_whitespace;
use super::method;

pub use super::token::is_token;

/// Why `Headers.append` would throw on a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueError {
    /// NUL, CR or LF inside the value.
    ControlByte,
    /// A character above U+00FF: not a ByteString, so WebIDL throws.
    NotByteString,
}

/// [Normalizes](https://fetch.spec.whatwg.org/#concept-header-value-normalize) a value (strip
/// leading/trailing HTTP whitespace) and validates it as `Headers.append` does.
pub fn normalize_value(value: &str) -> Result<String, ValueError> {
    if value.chars().any(|c| u32::from(c) > 0xFF) {
        return Err(ValueError::NotByteString);
    }
    let v = trim_http_whitespace(value);
    if v.chars().any(|c| matches!(c, '\0' | '\r' | '\n')) {
        return Err(ValueError::ControlByte);
    }
    Ok(v.to_string())
}

/// Byte length of a value once isomorphic-encoded (each char ≤ U+00FF is one byte).
pub fn byte_len(value: &str) -> usize {
    value.chars().count()
}

const FORBIDDEN: &[&str] = &[
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

/// Why a header is a forbidden request-header, or `None` when scripts may set it.
pub fn forbidden_reason(name: &str, value: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    if FORBIDDEN.contains(&lower.as_str()) {
        return Some("the browser controls this header");
    }
    if lower.starts_with("proxy-") {
        return Some("names starting with Proxy- are reserved for the browser");
    }
    if lower.starts_with("sec-") {
        return Some("names starting with Sec- are reserved for the browser");
    }
    // Method-override headers must not smuggle a forbidden method past the method check.
    if matches!(
        lower.as_str(),
        "x-http-method" | "x-http-method-override" | "x-method-override"
    ) && split_list(value).any(method::is_forbidden)
    {
        return Some("it overrides the method with a forbidden one (CONNECT, TRACE, TRACK)");
    }
    None
}

/// [Forbidden response-header names](https://fetch.spec.whatwg.org/#forbidden-response-header-name):
/// never exposed to a page, not even with `Access-Control-Expose-Headers`.
pub fn is_forbidden_response_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("set-cookie") || name.eq_ignore_ascii_case("set-cookie2")
}

/// [Get, decode, and split](https://fetch.spec.whatwg.org/#header-value-get-decode-and-split)
/// simplified for the token lists CORS uses: split on commas outside quotes, trim whitespace.
pub fn split_list(value: &str) -> impl Iterator<Item = &str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in value.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(value.get(start..i).unwrap_or(""));
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(value.get(start..).unwrap_or(""));
    parts.into_iter().map(trim_http_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden() {
        assert!(forbidden_reason("Cookie", "a").is_some());
        assert!(forbidden_reason("Sec-Fetch-Mode", "x").is_some());
        assert!(forbidden_reason("proxy-authorization", "x").is_some());
        assert!(forbidden_reason("X-HTTP-Method-Override", "GET, trace").is_some());
        assert!(forbidden_reason("X-HTTP-Method-Override", "PATCH").is_none());
        assert!(forbidden_reason("X-Custom", "x").is_none());
    }

    #[test]
    fn split() {
        let v: Vec<_> = split_list(" a ,\"b,c\", d").collect();
        assert_eq!(v, ["a", "\"b,c\"", "d"]);
    }
}
