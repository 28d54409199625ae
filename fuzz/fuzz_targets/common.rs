//! Helpers the targets share: text inputs are split into fields on U+001E (record separator),
//! so that a seed is a readable file and a mutation can move bytes between fields.

// Each target uses some of these.
#![allow(dead_code)]

use cors_doctor::engine::check::form::FormInput;

/// Separates the fields of a text input.
pub const SEP: char = '\u{1e}';

/// The input as text (invalid UTF-8 replaced: every input is tried), split into exactly `N`
/// fields; missing ones are empty, extra separators stay in the last field.
pub fn fields<const N: usize>(data: &[u8]) -> [String; N] {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(N, SEP);
    std::array::from_fn(|_| parts.next().unwrap_or("").to_string())
}

/// A form from nine fields: URL, method, headers, body, wanted headers, app origin, timeout,
/// page origin, flags (`c`: credentials, `p`: allow the method probe). Returns the page origin
/// too (the page's own when empty).
pub fn form(data: &[u8]) -> (FormInput, String) {
    let [url, method, headers, body, want_headers, app_origin, timeout, page, flags] =
        fields::<9>(data);
    let page = if page.is_empty() {
        "http://127.0.0.1:8080".to_string()
    } else {
        page
    };
    (
        FormInput {
            url,
            method,
            headers,
            body,
            credentials: flags.contains('c'),
            allow_method_probe: flags.contains('p'),
            want_headers,
            app_origin,
            timeout,
        },
        page,
    )
}

/// `Name: value` lines as a server sends them: split at the first colon, nothing trimmed or
/// checked (a line without a colon is a name with an empty value), so that raw bytes reach the
/// engine's own header rules.
pub fn raw_header_lines(text: &str) -> Vec<(String, String)> {
    text.split('\n')
        .filter(|line| !line.is_empty())
        .map(|line| match line.split_once(':') {
            Some((name, value)) => (name.to_string(), value.to_string()),
            None => (line.to_string(), String::new()),
        })
        .collect()
}
