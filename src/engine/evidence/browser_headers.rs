//! Headers the browser adds to a request by itself: what a recorded request (a HAR entry, a
//! DevTools copy, `curl -v`) carries but the page's script never set, so the server view leaves
//! them out of the request it judges. The one list the HAR reader, the import and the curl replay
//! share.

use crate::engine::fetch::is_forbidden_request_name;

/// Only the browser sets these: [forbidden request-header](https://fetch.spec.whatwg.org/#forbidden-request-header)
/// names (`Proxy-`/`Sec-` prefixes included) and HTTP/2 pseudo-headers.
pub fn is_forbidden(name: &str) -> bool {
    let name = name.trim();
    name.starts_with(':') || is_forbidden_request_name(name)
}

/// Scripts may set these, but browsers (or DevTools) add them on their own: identity and
/// language, Chromium's priority hint and Google client data, the pair "Disable cache" adds,
/// navigation's upgrade hint, the HTTP cache's revalidation headers (which would otherwise fake a
/// preflight), HTTP/2's `authority` as older DevTools wrote it, the `Referrer-Policy` DevTools'
/// Node.js flavour puts among the headers, and `Accept: */*`.
pub fn is_browser_default(name: &str, value: &str) -> bool {
    const ADDED: &[&str] = &[
        "user-agent",
        "accept-language",
        "priority",
        "pragma",
        "cache-control",
        "upgrade-insecure-requests",
        "if-none-match",
        "if-modified-since",
        "x-client-data",
        "purpose",
        "authority",
        "referrer-policy",
    ];
    let name = name.trim();
    let is = |n: &str| name.eq_ignore_ascii_case(n);
    ADDED.iter().any(|a| is(a)) || (is("accept") && value.trim() == "*/*")
}

/// The header names an `Access-Control-Request-Headers` value lists, as a preflight asks about
/// them (trimmed, empty items dropped).
pub fn asked_names(value: &str) -> impl Iterator<Item = &str> {
    value.split(',').map(str::trim).filter(|n| !n.is_empty())
}

/// Whether the browser, not the page's script, set a header `name` with `value`.
pub fn is_browser_header(name: &str, value: &str) -> bool {
    is_forbidden(name) || is_browser_default(name, value)
}

#[cfg(test)]
mod tests {
    use super::is_browser_header;

    #[test]
    fn tells_the_browser_s_headers_from_the_script_s() {
        for (n, v) in [
            (":authority", "api.example.com"),
            ("sec-ch-ua", "\"Chromium\";v=\"156\""),
            ("User-Agent", "curl/8.5.0"),
            ("Accept", "*/*"),
            ("Origin", "http://localhost:5173"),
            ("Cookie", "a=b"),
            ("Proxy-Authorization", "Basic x"),
        ] {
            assert!(is_browser_header(n, v), "{n}");
        }
        for (n, v) in [
            ("Content-Type", "application/json"),
            ("Authorization", "Bearer x"),
            ("X-Api-Key", "k"),
            ("Accept", "application/json"),
        ] {
            assert!(!is_browser_header(n, v), "{n}");
        }
    }
}
