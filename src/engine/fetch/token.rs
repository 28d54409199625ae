//! The [token](https://httpwg.org/specs/rfc9110.html#tokens) production that method and header
//! names share.

/// An RFC 9110 token: one or more tchars.
pub fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_tchar)
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}
