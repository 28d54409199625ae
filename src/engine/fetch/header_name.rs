//! Header names and values: [tokens](https://fetch.spec.whatwg.org/#header-name),
//! [valid values](https://fetch.spec.whatwg.org/#header-value),
//! [forbidden request-headers](https://fetch.spec.whatwg.org/#forbidden-request-header) and
//! [forbidden response-header names](https://fetch.spec.whatwg.org/#forbidden-response-header-name).

use super::answers::trim_http_whitespace;
use super::method;

use super::token::eq_ignore_case;
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
/// The normalized value is a slice of `value`.
pub fn normalize_value(value: &str) -> Result<&str, ValueError> {
    if !value.is_ascii() && value.chars().any(|c| u32::from(c) > 0xFF) {
        return Err(ValueError::NotByteString);
    }
    let v = trim_http_whitespace(value);
    if v.bytes().any(|b| matches!(b, b'\0' | b'\r' | b'\n')) {
        return Err(ValueError::ControlByte);
    }
    Ok(v)
}

/// Byte length of a value once isomorphic-encoded (each char ≤ U+00FF is one byte).
pub fn byte_len(value: &str) -> usize {
    if value.is_ascii() {
        value.len()
    } else {
        value.chars().count()
    }
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

/// Whether a script may never set a header named `name`, whatever its value: the
/// [forbidden request-header](https://fetch.spec.whatwg.org/#forbidden-request-header) names and
/// the `Proxy-`/`Sec-` prefixes (the method-override rule also needs the value).
pub fn is_forbidden_name(name: &str) -> bool {
    FORBIDDEN.iter().any(|f| eq_ignore_case(f, name))
        || starts_with_ignore_case(name, "proxy-")
        || starts_with_ignore_case(name, "sec-")
}

/// Why a header is a forbidden request-header, or `None` when scripts may set it.
pub fn forbidden_reason(name: &str, value: &str) -> Option<&'static str> {
    if FORBIDDEN.iter().any(|f| eq_ignore_case(f, name)) {
        return Some("the browser controls this header");
    }
    if starts_with_ignore_case(name, "proxy-") {
        return Some("names starting with Proxy- are reserved for the browser");
    }
    if starts_with_ignore_case(name, "sec-") {
        return Some("names starting with Sec- are reserved for the browser");
    }
    // Method-override headers must not smuggle a forbidden method past the method check.
    if [
        "x-http-method",
        "x-http-method-override",
        "x-method-override",
    ]
    .iter()
    .any(|m| eq_ignore_case(m, name))
        && split_list(value).any(method::is_forbidden)
    {
        return Some("it overrides the method with a forbidden one (CONNECT, TRACE, TRACK)");
    }
    None
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// [Forbidden response-header names](https://fetch.spec.whatwg.org/#forbidden-response-header-name):
/// never exposed to a page, not even with `Access-Control-Expose-Headers`.
pub fn is_forbidden_response_name(name: &str) -> bool {
    eq_ignore_case(name, "set-cookie") || eq_ignore_case(name, "set-cookie2")
}

/// [Get, decode, and split](https://fetch.spec.whatwg.org/#header-value-get-decode-and-split)
/// simplified for the token lists CORS uses: split on commas outside quotes, trim whitespace.
pub fn split_list(value: &str) -> impl Iterator<Item = &str> {
    SplitList { rest: Some(value) }.map(trim_http_whitespace)
}

/// The items of [`split_list`], untrimmed; `None` once the last one is out.
struct SplitList<'a> {
    rest: Option<&'a str>,
}

impl<'a> Iterator for SplitList<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let value = self.rest?;
        let bytes = value.as_bytes();
        // Up to the first comma or quote, nothing needs looking at but where it is.
        let Some(i) = bytes.iter().position(|b| *b == b',' || *b == b'"') else {
            self.rest = None;
            return Some(value);
        };
        if bytes.get(i) == Some(&b',') {
            self.rest = value.get(i + 1..);
            return Some(value.get(..i).unwrap_or(""));
        }
        let mut quoted = false;
        let mut escaped = false;
        for (i, b) in value.bytes().enumerate() {
            if escaped {
                escaped = false;
                continue;
            }
            match b {
                b'\\' if quoted => escaped = true,
                b'"' => quoted = !quoted,
                b',' if !quoted => {
                    self.rest = value.get(i + 1..);
                    return Some(value.get(..i).unwrap_or(""));
                }
                _ => {}
            }
        }
        self.rest = None;
        Some(value)
    }
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
