//! A host the URL parser can read without Unicode IDNA tables: the page's build of the `url`
//! crate has none (the browser turns non-ASCII hosts into punycode before the engine sees them),
//! so a non-ASCII host is an error; refusing it before parsing keeps the stand-in adapter's debug
//! assertion (`!c.is_ascii_uppercase()`) from ever firing on mixed input.

/// Whether the host `input` names (if any) is ASCII once percent-decoded. The page's build of
/// the `url` crate has no Unicode IDNA tables (the browser turns non-ASCII hosts into punycode
/// before the engine sees them), so such a host is an error either way; refusing it here keeps
/// that adapter's debug assertion (`!c.is_ascii_uppercase()`) from ever firing on mixed input.
pub fn host_is_ascii(input: &str) -> bool {
    if input.is_ascii() && !input.contains('%') {
        return true;
    }
    // The URL parser drops tabs and newlines anywhere and trims C0 controls and spaces.
    let cleaned: String = input
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let cleaned = cleaned.trim_matches(|c: char| c <= ' ');
    let Some(authority) = authority(cleaned) else {
        return true;
    };
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let decoded = url::form_urlencoded::parse(host.replace('+', "%2B").as_bytes())
        .map(|(k, _)| k.into_owned())
        .collect::<String>();
    host.is_ascii() && decoded.is_ascii()
}

/// The authority part of `input` (`user@host:port`), when it has one.
fn authority(input: &str) -> Option<&str> {
    let (rest, special) = match input.split_once(':') {
        Some((scheme, rest))
            if scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) =>
        {
            let special = ["http", "https", "ws", "wss", "ftp", "file"]
                .iter()
                .any(|s| s.eq_ignore_ascii_case(scheme));
            if special {
                (rest.trim_start_matches(['/', '\\']), true)
            } else {
                (rest.strip_prefix("//")?, false)
            }
        }
        // Scheme-relative (`//host/…`, what a Location may hold); anything else keeps the base's host.
        _ => {
            let stripped = input.trim_start_matches(['/', '\\']);
            if input.len() - stripped.len() < 2 {
                return None;
            }
            (stripped, true)
        }
    };
    let end = rest
        .find(|c: char| matches!(c, '/' | '?' | '#') || (special && c == '\\'))
        .unwrap_or(rest.len());
    rest.get(..end)
}

#[cfg(test)]
mod tests {
    use super::host_is_ascii;

    #[test]
    fn non_ascii_hosts_are_refused_without_reaching_the_idna_adapter() {
        for input in [
            "http://Aé.example/",
            "https://user@ÄB.example:8080/x",
            "http://A%C3%A9.example/",
            "//Zé.example/next",
            "http:\\\\Xé.example",
        ] {
            assert!(!host_is_ascii(input), "{input}");
        }
        for input in [
            "http://a.example/café?q=é#é",
            "/café",
            "?q=%C3%A9",
            "http://a.example/%C3%A9",
            "mailto:é@example",
        ] {
            assert!(host_is_ascii(input), "{input}");
        }
    }
}
