//! The request form as the user typed it, and its parsing into a checked request.
//!
//! Pure: the UI hands raw strings over; every mistake becomes a plain message, never a panic.

use serde::{Deserialize, Serialize};

use crate::engine::fetch::Code;

/// The form's fields, exactly as typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormInput {
    pub url: String,
    pub method: String,
    /// One `Name: value` per line.
    pub headers: String,
    pub body: String,
    pub credentials: bool,
    /// The user allows one extra request with their method, without headers or body.
    pub allow_method_probe: bool,
    /// Response header names the user's code reads, comma-separated.
    pub want_headers: String,
    /// The user's own frontend origin; empty means this page's origin.
    pub app_origin: String,
    /// Seconds, as typed.
    pub timeout: String,
}

impl Default for FormInput {
    fn default() -> Self {
        FormInput {
            url: String::new(),
            method: "GET".into(),
            headers: String::new(),
            body: String::new(),
            credentials: false,
            allow_method_probe: false,
            want_headers: String::new(),
            app_origin: String::new(),
            timeout: DEFAULT_TIMEOUT_SECS.to_string(),
        }
    }
}

/// A request is abandoned after this many seconds unless the user sets another limit.
pub const DEFAULT_TIMEOUT_SECS: u32 = 15;
const MAX_TIMEOUT_SECS: u32 = 300;

/// One mistake in the form, tied to the field it concerns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormProblem {
    /// The contract cause code (`input/invalid-header`, …).
    pub code: Code,
    /// The form field's test id.
    pub field: &'static str,
    pub message: String,
}

/// The form, parsed: what the probes need, apart from the engine's own checks.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedForm {
    pub url: String,
    pub method: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub credentials: bool,
    pub allow_method_probe: bool,
    /// Lower-case header names.
    pub want_headers: Vec<String>,
    /// A serialized origin (`scheme://host[:port]`).
    pub app_origin: String,
    /// More origins the fix must allow (the app-origin field may list several).
    pub extra_origins: Vec<String>,
    pub timeout_ms: u32,
}

/// Parses the form. `page_origin` stands in for an empty app origin.
pub fn parse_form(input: &FormInput, page_origin: &str) -> Result<ParsedForm, Vec<FormProblem>> {
    let mut problems = Vec::new();
    let headers = parse_header_lines(&input.headers, &mut problems);
    let (app_origin, extra_origins) =
        parse_app_origins(&input.app_origin, page_origin, &mut problems);
    let timeout_ms = parse_timeout(&input.timeout, &mut problems);
    let method = match input.method.trim() {
        "" => "GET".to_string(),
        m => m.to_string(),
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(ParsedForm {
        url: input.url.trim().to_string(),
        method,
        headers,
        body: (!input.body.is_empty()).then(|| input.body.clone()),
        credentials: input.credentials,
        allow_method_probe: input.allow_method_probe,
        want_headers: parse_name_list(&input.want_headers),
        app_origin,
        extra_origins,
        timeout_ms,
    })
}

/// `Name: value` lines; blank lines are skipped, values are trimmed as the browser does.
pub fn parse_header_lines(text: &str, problems: &mut Vec<FormProblem>) -> Vec<(String, String)> {
    let mut headers = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match line.split_once(':') {
            Some((name, value)) if !name.trim().is_empty() => {
                headers.push((name.trim().to_string(), value.trim().to_string()));
            }
            _ => problems.push(FormProblem {
                code: Code::InputInvalidHeader,
                field: "headers",
                message: format!(
                    "Header line {} (`{}`) is not of the form `Name: value`.",
                    index + 1,
                    line.trim()
                ),
            }),
        }
    }
    headers
}

/// Comma-separated header names, lower-cased, empty entries dropped.
pub fn parse_name_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|name| name.trim().to_ascii_lowercase())
        .filter(|name| !name.is_empty())
        .collect()
}

/// The app-origin field: one origin, or several separated by commas or spaces (the first is the
/// app's; the others join the fix's allow-list). Empty means this page's origin.
fn parse_app_origins(
    text: &str,
    page_origin: &str,
    problems: &mut Vec<FormProblem>,
) -> (String, Vec<String>) {
    let mut origins = Vec::new();
    for item in text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|item| !item.is_empty())
    {
        let origin = parse_app_origin(item, page_origin, problems);
        if !origins.contains(&origin) {
            origins.push(origin);
        }
    }
    if origins.is_empty() {
        return (page_origin.to_string(), Vec::new());
    }
    let first = origins.remove(0);
    (first, origins)
}

/// Every valid origin the app-origin field names, serialized, in order (invalid ones left out:
/// the form flags them).
pub fn app_origins(text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let (first, mut rest) = parse_app_origins(text, "", &mut problems);
    if !first.is_empty() {
        rest.insert(0, first);
    }
    rest.retain(|o| !o.is_empty());
    rest.dedup();
    rest
}

/// The first origin the app-origin field names, as typed (empty when it names none).
pub fn first_app_origin(text: &str) -> &str {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .find(|item| !item.is_empty())
        .unwrap_or("")
}

fn parse_app_origin(text: &str, page_origin: &str, problems: &mut Vec<FormProblem>) -> String {
    match url::Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => url.origin().ascii_serialization(),
        _ => {
            problems.push(FormProblem {
                code: Code::InputInvalidUrl,
                field: "app-origin",
                message: format!(
                    "The app origin `{text}` is not an http(s) origin such as `https://app.example.com`."
                ),
            });
            page_origin.to_string()
        }
    }
}

/// Seconds as typed (`15`, `1.5`, `.25`) to whole milliseconds; `None` unless it is a plain
/// decimal number. Digits past the third decimal are ignored.
fn parse_millis(text: &str) -> Option<u32> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return None;
    }
    let whole: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut ms = whole.checked_mul(1000)?;
    for (place, digit) in [100, 10, 1].into_iter().zip(fraction.bytes()) {
        ms = ms.checked_add(u32::from(digit - b'0') * place)?;
    }
    Some(ms)
}

fn parse_timeout(text: &str, problems: &mut Vec<FormProblem>) -> u32 {
    let text = text.trim();
    if text.is_empty() {
        return DEFAULT_TIMEOUT_SECS * 1000;
    }
    match parse_millis(text) {
        Some(ms) if ms > 0 && ms <= MAX_TIMEOUT_SECS * 1000 => ms,
        _ => {
            problems.push(FormProblem {
                code: Code::InputInvalidTimeout,
                field: "timeout",
                message: format!(
                    "The timeout `{text}` must be a number of seconds above 0 and at most {MAX_TIMEOUT_SECS}."
                ),
            });
            DEFAULT_TIMEOUT_SECS * 1000
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(headers: &str) -> FormInput {
        FormInput {
            url: " http://127.0.0.1:9090/x ".into(),
            headers: headers.into(),
            ..FormInput::default()
        }
    }

    #[test]
    fn parses_header_lines_and_trims() {
        let parsed = parse_form(
            &form("X-One:  a \n\n  Content-Type: text/plain\n"),
            "http://p",
        )
        .unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(
            parsed.headers,
            vec![
                ("X-One".to_string(), "a".to_string()),
                ("Content-Type".to_string(), "text/plain".to_string())
            ]
        );
        assert_eq!(parsed.url, "http://127.0.0.1:9090/x");
        assert_eq!(parsed.app_origin, "http://p");
        assert_eq!(parsed.timeout_ms, 15_000);
        assert_eq!(parsed.body, None);
    }

    #[test]
    fn reports_each_bad_field() {
        let mut input = form("no colon here\n: empty name");
        input.app_origin = "ftp://x".into();
        input.timeout = "-1".into();
        let problems = parse_form(&input, "http://p").err().unwrap_or_default();
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["headers", "headers", "app-origin", "timeout"]);
        assert!(problems[0].message.contains("line 1"));
    }

    #[test]
    fn app_origin_is_serialized() {
        let mut input = form("");
        input.app_origin = "HTTPS://App.Example.com:443/path?q".into();
        let parsed = parse_form(&input, "http://p").unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(parsed.app_origin, "https://app.example.com");
    }

    #[test]
    fn timeouts_are_decimal_seconds() {
        assert_eq!(parse_millis("15"), Some(15_000));
        assert_eq!(parse_millis("1.5"), Some(1_500));
        assert_eq!(parse_millis(".25"), Some(250));
        assert_eq!(parse_millis("2."), Some(2_000));
        assert_eq!(parse_millis("0.0004"), Some(0));
        for bad in ["", ".", "-1", "1e3", "1.2.3", "abc", " 1", "99999999999"] {
            assert_eq!(parse_millis(bad), None, "{bad:?}");
        }
        let mut problems = Vec::new();
        assert_eq!(parse_timeout("301", &mut problems), 15_000);
        assert_eq!(parse_timeout("0", &mut problems), 15_000);
        assert_eq!(problems.len(), 2);
    }

    #[test]
    fn want_headers_are_lower_case_names() {
        assert_eq!(parse_name_list(" X-A, ,x-b ,"), ["x-a", "x-b"]);
    }
}
