//! [CORS-safelisted request-headers](https://fetch.spec.whatwg.org/#cors-safelisted-request-header),
//! [CORS-unsafe request-header names](https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names)
//! and [CORS-safelisted response-header names](https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name).

use super::header_name::byte_len;
use super::mime;
use super::token::eq_ignore_case;

/// Per-value limit: a longer safelisted-name value needs a preflight.
pub const MAX_VALUE_BYTES: usize = 128;
/// Total of safelisted values: past it, every safelisted header becomes unsafe too.
pub const MAX_TOTAL_BYTES: usize = 1024;

/// [CORS-unsafe request-header byte](https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte).
pub fn is_unsafe_byte(c: char) -> bool {
    let b = u32::from(c);
    (b < 0x20 && b != 0x09)
        || b == 0x7F
        || matches!(
            c,
            '"' | '(' | ')' | ':' | '<' | '>' | '?' | '@' | '[' | '\\' | ']' | '{' | '}'
        )
}

fn is_language_byte(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ' ' | '*' | ',' | '-' | '.' | ';' | '=')
}

/// Why a header is not CORS-safelisted (`None`: it is safelisted). The value must already be
/// normalized. The reference the quick [`is_safelisted`] is tested against.
#[cfg(test)]
pub fn unsafe_reason(name: &str, value: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let known = matches!(
        lower.as_str(),
        "accept" | "accept-language" | "content-language" | "content-type" | "range"
    );
    if !known {
        return Some(format!("{lower} is not a CORS-safelisted header name"));
    }
    let len = byte_len(value);
    if len > MAX_VALUE_BYTES {
        return Some(format!(
            "its value is {len} bytes, over the {MAX_VALUE_BYTES}-byte limit"
        ));
    }
    match lower.as_str() {
        "accept" => value
            .chars()
            .find(|c| is_unsafe_byte(*c))
            .map(|c| format!("its value contains the CORS-unsafe byte {c:?}")),
        "accept-language" | "content-language" => value
            .chars()
            .find(|c| !is_language_byte(*c))
            .map(|c| format!("its value contains {c:?}, outside 0-9 A-Z a-z space * , - . ; =")),
        "content-type" => {
            if let Some(c) = value.chars().find(|c| is_unsafe_byte(*c)) {
                return Some(format!("its value contains the CORS-unsafe byte {c:?}"));
            }
            match mime::essence(value) {
                Some(e)
                    if matches!(
                        e.as_str(),
                        "application/x-www-form-urlencoded" | "multipart/form-data" | "text/plain"
                    ) =>
                {
                    None
                }
                Some(e) => Some(format!(
                    "{e} is not application/x-www-form-urlencoded, multipart/form-data or text/plain"
                )),
                None => Some(format!("{value:?} does not parse as a MIME type")),
            }
        }
        _ => match parse_range(value) {
            Some((Some(_), _)) => None,
            Some((None, _)) => Some("suffix ranges (bytes=-N) are not safelisted".into()),
            None => Some("only a single bytes=N- or bytes=N-M range is safelisted".into()),
        },
    }
}

/// Whether the header is CORS-safelisted: [`unsafe_reason`] is `None`, without writing the reason.
pub fn is_safelisted(name: &str, value: &str) -> bool {
    let is = |n: &str| eq_ignore_case(name, n);
    // The names have different lengths but the two *-language ones.
    let kind = match name.len() {
        6 if is("accept") => Kind::Accept,
        15 if is("accept-language") => Kind::Language,
        16 if is("content-language") => Kind::Language,
        12 if is("content-type") => Kind::ContentType,
        5 if is("range") => Kind::Range,
        _ => return false,
    };
    if byte_len(value) > MAX_VALUE_BYTES {
        return false;
    }
    match kind {
        Kind::Accept => !value.chars().any(is_unsafe_byte),
        Kind::Language => value.chars().all(is_language_byte),
        Kind::ContentType => {
            !value.chars().any(is_unsafe_byte)
                && mime::essence_parts(value).is_some_and(|(ty, sub)| {
                    [
                        ("application", "x-www-form-urlencoded"),
                        ("multipart", "form-data"),
                        ("text", "plain"),
                    ]
                    .iter()
                    .any(|(t, s)| ty.eq_ignore_ascii_case(t) && sub.eq_ignore_ascii_case(s))
                })
        }
        Kind::Range => matches!(parse_range(value), Some((Some(_), _))),
    }
}

/// The CORS-safelisted request-header names, by the rule their value follows.
enum Kind {
    Accept,
    Language,
    ContentType,
    Range,
}

/// [Parse a single range header value](https://fetch.spec.whatwg.org/#simple-range-header-value)
/// without whitespace. Numbers stay digit strings so huge values cannot overflow.
pub fn parse_range(value: &str) -> Option<(Option<&str>, Option<&str>)> {
    let unit_end = value
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(value.len());
    let (unit, rest) = value.split_at_checked(unit_end)?;
    if !unit.eq_ignore_ascii_case("bytes") {
        return None;
    }
    let rest = rest.strip_prefix('=')?;
    let (start, end) = rest.split_once('-')?;
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if !digits(start) || !digits(end) {
        return None;
    }
    let start = (!start.is_empty()).then_some(start);
    let end = (!end.is_empty()).then_some(end);
    match (start, end) {
        (None, None) => None,
        (Some(a), Some(b)) if cmp_decimal(a, b) == std::cmp::Ordering::Greater => None,
        other => Some(other),
    }
}

fn cmp_decimal(a: &str, b: &str) -> std::cmp::Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// The sorted, lower-cased, de-duplicated names that make a request need a preflight.
/// Headers must be valid and normalized already.
pub fn cors_unsafe_names<N: AsRef<str>, V: AsRef<str>>(headers: &[(N, V)]) -> Vec<String> {
    let mut unsafe_names: Vec<String> = Vec::new();
    let mut total = 0usize;
    for (name, value) in headers {
        let (name, value) = (name.as_ref(), value.as_ref());
        if is_safelisted(name, value) {
            total = total.saturating_add(byte_len(value));
        } else {
            unsafe_names.push(name.to_ascii_lowercase());
        }
    }
    if total > MAX_TOTAL_BYTES {
        unsafe_names.extend(
            headers
                .iter()
                .filter(|(n, v)| is_safelisted(n.as_ref(), v.as_ref()))
                .map(|(n, _)| n.as_ref().to_ascii_lowercase()),
        );
    }
    unsafe_names.sort();
    unsafe_names.dedup();
    unsafe_names
}

/// [No-CORS-safelisted request-header](https://fetch.spec.whatwg.org/#no-cors-safelisted-request-header):
/// what survives in a `no-cors` request (others are silently dropped).
pub fn is_no_cors_safelisted(name: &str, value: &str) -> bool {
    [
        "accept",
        "accept-language",
        "content-language",
        "content-type",
    ]
    .iter()
    .any(|n| eq_ignore_case(n, name))
        && is_safelisted(name, value)
}

/// Response headers every CORS response exposes without `Access-Control-Expose-Headers`.
pub const SAFELISTED_RESPONSE_NAMES: [&str; 7] = [
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
];

pub fn is_safelisted_response_name(name: &str) -> bool {
    SAFELISTED_RESPONSE_NAMES
        .iter()
        .any(|n| eq_ignore_case(n, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert!(is_safelisted("range", "bytes=0-"));
        assert!(is_safelisted("Range", "BYTES=5-5"));
        assert!(!is_safelisted("range", "bytes=-5"));
        assert!(!is_safelisted("range", "bytes=5-4"));
        assert!(!is_safelisted("range", "bytes=0-1,3-4"));
        assert!(is_safelisted(
            "range",
            "bytes=99999999999999999999999-999999999999999999999999"
        ));
    }

    #[test]
    fn the_quick_test_agrees_with_the_reasons() {
        let names = [
            "Accept",
            "accept-language",
            "Content-Language",
            "content-type",
            "RANGE",
            "x-custom",
        ];
        let values = [
            "",
            "text/plain",
            "TEXT/Plain; charset=utf-8",
            "application/json",
            "multipart/form-data;\"",
            "text /plain",
            "a\"b",
            "en-US,en;q=0.9",
            "bytes=0-",
            "bytes=-5",
            "bytes=5-4",
            "\u{e9}",
            &"a".repeat(129),
            &"a".repeat(128),
        ];
        for n in names {
            for v in values {
                assert_eq!(
                    is_safelisted(n, v),
                    unsafe_reason(n, v).is_none(),
                    "{n}: {v}"
                );
            }
        }
    }

    #[test]
    fn total_limit() {
        let v = "a".repeat(128);
        let headers: Vec<(&str, &str)> = (0..9)
            .map(|i| {
                (
                    if i % 2 == 0 {
                        "accept"
                    } else {
                        "content-language"
                    },
                    v.as_str(),
                )
            })
            .collect();
        assert_eq!(cors_unsafe_names(&headers), ["accept", "content-language"]);
        assert!(cors_unsafe_names(&headers[..8]).is_empty());
    }
}
