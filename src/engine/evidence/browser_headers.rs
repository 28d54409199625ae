//! Headers the browser adds to a request by itself: what a recorded request (a HAR entry, a
//! DevTools copy, `curl -v`) carries but the page's script never set, so the server view leaves
//! them out of the request it judges.

/// Whether the browser (or curl), not the script, sets a header `name` with `value`:
/// [forbidden request headers](https://fetch.spec.whatwg.org/#forbidden-request-header), HTTP/2
/// pseudo-headers, the user agent's defaults (`Accept: */*`, `Accept-Language`, `Priority`,
/// client hints) and what "Disable cache" adds.
pub fn is_browser_header(name: &str, value: &str) -> bool {
    let name = name.trim().to_ascii_lowercase();
    if name.starts_with(':') || name.starts_with("sec-") || name.starts_with("proxy-") {
        return true;
    }
    let forbidden = matches!(
        name.as_str(),
        "accept-charset"
            | "accept-encoding"
            | "access-control-request-headers"
            | "access-control-request-method"
            | "access-control-request-private-network"
            | "connection"
            | "content-length"
            | "cookie"
            | "cookie2"
            | "date"
            | "dnt"
            | "expect"
            | "host"
            | "keep-alive"
            | "origin"
            | "referer"
            | "set-cookie"
            | "te"
            | "trailer"
            | "transfer-encoding"
            | "upgrade"
            | "via"
    );
    let defaults = matches!(
        name.as_str(),
        "user-agent"
            | "accept-language"
            | "priority"
            | "pragma"
            | "cache-control"
            | "upgrade-insecure-requests"
    ) || (name == "accept" && value.trim() == "*/*");
    forbidden || defaults
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
