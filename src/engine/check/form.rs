//! The request form as the user typed it, and its parsing into a checked request.
//!
//! Pure: the UI hands raw strings over; every mistake becomes a plain message, never a panic.
//!
//! [`parse_form`] reads the fields; [`check_form`] also asks the Fetch rules (`fetch::check_request`)
//! whether the browser would send the request at all, applies the page's size limits, and says
//! beside each field what to change. The page runs [`check_form`]: nothing is sent unless it passes.

use serde::{Deserialize, Serialize};

use crate::engine::fetch::{check_request, Code, Finding, Request};

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
        parsed => {
            problems.push(FormProblem {
                code: Code::InputInvalidUrl,
                field: "app-origin",
                message: app_origin_message(text, parsed.ok().as_ref()),
            });
            page_origin.to_string()
        }
    }
}

/// What to change in an app origin that is not an http(s) origin.
fn app_origin_message(text: &str, parsed: Option<&url::Url>) -> String {
    let shown = shown(text);
    const EXAMPLE: &str =
        "type your app's origin as scheme://host[:port], e.g. `https://app.example.com`";
    if text.eq_ignore_ascii_case("null") {
        return "`null` is the opaque origin of file:// pages and sandboxed frames; the page checks http(s) origins only: serve your app over http(s) (e.g. `http://localhost:5173`) and type that origin.".to_string();
    }
    if text == "*" {
        return format!("`*` is not an origin (it is what a server may allow): {EXAMPLE}.");
    }
    match parsed {
        Some(url) => format!(
            "The app origin `{shown}` is a {}: URL, not an http(s) origin: {EXAMPLE}.",
            url.scheme()
        ),
        None if looks_like_host(text) => format!(
            "The app origin `{shown}` has no scheme: type `https://{shown}` (or `http://{shown}` for a local server)."
        ),
        None => format!("The app origin `{shown}` is not an origin: {EXAMPLE}."),
    }
}

/// `api.example.com/x`, `localhost:8080`, `127.0.0.1`: a host typed without its scheme.
fn looks_like_host(text: &str) -> bool {
    let host = text.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        && (host.contains('.') || host.starts_with("localhost"))
}

/// The longest URL the page sends, in characters: servers refuse longer request lines (nginx and
/// Apache at 8 KB, Node.js and most CDNs at 16 KB) with 414 or 431.
pub const MAX_URL_CHARS: usize = 16_384;
/// The longest method the page sends: methods are short words (the longest registered one,
/// `UPDATEREDIRECTREF`, has 17 letters).
pub const MAX_METHOD_CHARS: usize = 64;
/// At most this many header lines (Apache's default `LimitRequestFields`).
pub const MAX_HEADER_LINES: usize = 100;
/// At most this many bytes of headers in all (Node.js's default; nginx and Apache refuse a line
/// over 8 KB).
pub const MAX_HEADER_BYTES: usize = 16_384;
/// The largest body the page sends: CORS depends on the body's Content-Type, never on its bytes.
pub const MAX_BODY_BYTES: usize = 1_048_576;
/// At most this many problems are listed per field; the rest are counted in one more line.
pub const MAX_PROBLEMS_PER_FIELD: usize = 5;

/// The fields in the form's order: problems are listed in it.
const FIELDS: [&str; 6] = ["url", "method", "headers", "body", "app-origin", "timeout"];

/// [`parse_form`], and everything that stops the browser from sending the request, before
/// anything is sent: what `fetch()` refuses (asked of the Fetch rules, `check_request`), what it
/// would silently drop (forbidden headers: the check would not test them), and fields beyond the
/// page's limits. Each problem names its field and says what to change.
pub fn check_form(input: &FormInput, page_origin: &str) -> Result<ParsedForm, Vec<FormProblem>> {
    let mut problems = Vec::new();
    let page_url = format!("{page_origin}/");
    check_url(&input.url, page_origin, &mut problems);
    let method_ok = check_method(&input.method, page_origin, &page_url, &mut problems);
    check_headers(&input.headers, page_origin, &page_url, &mut problems);
    check_body(input, method_ok, page_origin, &page_url, &mut problems);
    if input.timeout.trim().is_empty() {
        problems.push(FormProblem {
            code: Code::InputInvalidTimeout,
            field: "timeout",
            message: format!(
                "The timeout is empty: type a number of seconds above 0 and at most {MAX_TIMEOUT_SECS}, e.g. {DEFAULT_TIMEOUT_SECS}."
            ),
        });
    }
    let parsed = if problems.iter().any(|p| p.field == "headers") {
        // The header lines were read above, line by line; read the rest without them.
        let rest = FormInput {
            headers: String::new(),
            ..input.clone()
        };
        parse_form(&rest, page_origin)
    } else {
        parse_form(input, page_origin)
    };
    match parsed {
        Ok(parsed) if problems.is_empty() => Ok(parsed),
        Ok(_) => Err(bounded(problems)),
        Err(more) => {
            problems.extend(more);
            Err(bounded(problems))
        }
    }
}

/// The problems in the form's field order, at most [`MAX_PROBLEMS_PER_FIELD`] per field plus
/// one line counting the rest.
fn bounded(problems: Vec<FormProblem>) -> Vec<FormProblem> {
    let mut out = Vec::new();
    for field in FIELDS {
        let mine: Vec<&FormProblem> = problems.iter().filter(|p| p.field == field).collect();
        out.extend(
            mine.iter()
                .take(MAX_PROBLEMS_PER_FIELD)
                .map(|p| (*p).clone()),
        );
        if let Some(first) = mine.first().filter(|_| mine.len() > MAX_PROBLEMS_PER_FIELD) {
            out.push(FormProblem {
                code: first.code,
                field: first.field,
                message: format!(
                    "…and {} more problems like these in this field.",
                    mine.len() - MAX_PROBLEMS_PER_FIELD
                ),
            });
        }
    }
    out.extend(problems.into_iter().filter(|p| !FIELDS.contains(&p.field)));
    out
}

/// The input findings of the Fetch rules for `request` (the page origin's own, if it is not an
/// origin, left out: that is the page's, not the form's).
fn fetch_findings(request: &Request) -> Vec<Finding> {
    check_request(request)
        .into_iter()
        .filter(|f| f.code.family() == "input")
        .filter(|f| f.params.get("field").map(String::as_str) != Some("page_origin"))
        .collect()
}

fn problem(code: Code, field: &'static str, message: String) -> FormProblem {
    FormProblem {
        code,
        field,
        message,
    }
}

fn check_url(raw: &str, page_origin: &str, problems: &mut Vec<FormProblem>) {
    const EXAMPLE: &str = "e.g. `https://api.example.com/v1/items`";
    let text = raw.trim();
    if raw.is_empty() {
        let message = format!("The URL is empty: paste the URL your frontend calls, {EXAMPLE}.");
        problems.push(problem(Code::InputInvalidUrl, "url", message));
        return;
    }
    if text.is_empty() {
        let message =
            format!("The URL is only blank space: paste the URL your frontend calls, {EXAMPLE}.");
        problems.push(problem(Code::InputInvalidUrl, "url", message));
        return;
    }
    let chars = text.chars().count();
    if chars > MAX_URL_CHARS {
        let message = format!(
            "The URL has {chars} characters; the page sends at most {MAX_URL_CHARS} (servers refuse longer request lines with 414 or 431): check what was pasted, and move large data into a POST body."
        );
        problems.push(problem(Code::InputTooLarge, "url", message));
        return;
    }
    let findings = fetch_findings(&Request::new(page_origin, text, "GET"));
    let Some(finding) = findings
        .iter()
        .find(|f| matches!(f.code, Code::InputInvalidUrl | Code::InputUnsupportedScheme))
    else {
        return;
    };
    let message = match finding.code {
        Code::InputUnsupportedScheme => scheme_message(text),
        _ if finding.params.get("reason").map(String::as_str) == Some("credentials") => {
            "The URL carries `user:password@`, and fetch() refuses URLs with credentials (it throws a TypeError): remove `user:password@` from the URL and send an `Authorization: Basic …` header instead.".to_string()
        }
        _ => invalid_url_message(text),
    };
    problems.push(problem(finding.code, "url", message));
}

/// What to change in a URL whose scheme is not http(s).
fn scheme_message(text: &str) -> String {
    let scheme = text.split(':').next().unwrap_or("").to_ascii_lowercase();
    let instead = "enter the http:// or https:// URL of your API";
    match scheme.as_str() {
        "javascript" => format!("`javascript:` URLs run script; they are never fetched, and the page never runs them: {instead}."),
        "data" => format!("A `data:` URL carries its content in itself: no server is asked, so CORS never applies: {instead}."),
        "file" => format!("Browsers do not let web pages fetch `file:` URLs: serve the file over http (e.g. `python3 -m http.server`) and {instead}."),
        "blob" => format!("A `blob:` URL names memory in the tab that made it, not a server: {instead}."),
        "ftp" => format!("Browsers no longer fetch `ftp:` URLs, and CORS exists only for http(s): {instead}."),
        "ws" | "wss" => format!("`{scheme}:` is a WebSocket URL: `new WebSocket()` does not use CORS (the server checks the Origin header itself). To check an HTTP endpoint, {instead}."),
        "about" => format!("`about:` URLs are the browser's own pages, not a server: {instead}."),
        _ if looks_like_host(text) => format!(
            "`{}` has no scheme, so `{scheme}:` is read as one: type `http://{}` or `https://{}`.",
            shown(text),
            shown(text),
            shown(text)
        ),
        _ => format!(
            "`{}:` is not http or https, and CORS requests exist only for those: {instead}.",
            shown(&scheme)
        ),
    }
}

/// What to change in a URL that does not parse.
fn invalid_url_message(text: &str) -> String {
    use url::ParseError;
    let quoted = shown(text);
    let example = "e.g. `https://api.example.com/v1/items`";
    let Err(error) = url::Url::parse(text) else {
        return format!(
            "`{quoted}` is not a URL the browser can fetch: check it for typos, {example}."
        );
    };
    let host_char = || {
        let after = text.split_once("://").map_or(text, |(_, rest)| rest);
        let host = after.split(['/', '?', '#']).next().unwrap_or("");
        host.chars()
            .find(|c| c.is_whitespace() || c.is_control() || "<>^|%\\\"`{}".contains(*c))
    };
    match error {
        ParseError::RelativeUrlWithoutBase if looks_like_host(text) => format!(
            "`{quoted}` has no scheme: type `https://{quoted}` (or `http://` for a local server)."
        ),
        ParseError::RelativeUrlWithoutBase => format!(
            "`{quoted}` is not an absolute URL: it needs a scheme and a host, {example}."
        ),
        ParseError::EmptyHost => format!(
            "`{quoted}` has no host: add one after `//`, e.g. `http://127.0.0.1:8080/api`."
        ),
        ParseError::InvalidPort => format!(
            "The port in `{quoted}` is not a number from 0 to 65535: fix it, e.g. `:8080`."
        ),
        ParseError::InvalidIpv6Address => format!(
            "`{quoted}` holds a broken IPv6 address: write it in brackets, complete, e.g. `http://[::1]:8080/api`."
        ),
        ParseError::IdnaError if !text.is_ascii() => format!(
            "The host in `{quoted}` is not a valid international domain name: check it for typos (the browser could not convert it to its `xn--` form)."
        ),
        ParseError::InvalidIpv4Address => format!(
            "`{quoted}` holds a broken IPv4 address: four numbers from 0 to 255, e.g. `http://127.0.0.1:8080/api`."
        ),
        _ => match host_char() {
            Some(c) if c.is_whitespace() => format!(
                "The host in `{quoted}` contains a space: remove it (host names have no spaces)."
            ),
            Some(c) => format!(
                "The host in `{quoted}` contains `{}` (U+{:04X}), which host names cannot hold: remove it.",
                shown(&c.to_string()),
                u32::from(c)
            ),
            None => format!("`{quoted}` is not a valid URL ({error}): check it for typos, {example}."),
        },
    }
}

/// Checks the method; `true` when it is one the browser sends (so the body check can use it).
fn check_method(
    raw: &str,
    page_origin: &str,
    page_url: &str,
    problems: &mut Vec<FormProblem>,
) -> bool {
    let method = raw.trim();
    if method.is_empty() {
        let message =
            "The method is empty: type the one your frontend uses, e.g. GET or POST.".to_string();
        problems.push(problem(Code::InputForbiddenMethod, "method", message));
        return false;
    }
    let chars = method.chars().count();
    if chars > MAX_METHOD_CHARS {
        let message = format!(
            "The method has {chars} characters; methods are short words (the longest standard one, UPDATEREDIRECTREF, has 17 letters; the page sends at most {MAX_METHOD_CHARS}): type the method your frontend uses, e.g. POST."
        );
        problems.push(problem(Code::InputTooLarge, "method", message));
        return false;
    }
    let findings = fetch_findings(&Request::new(page_origin, page_url, method));
    let Some(finding) = findings
        .iter()
        .find(|f| f.code == Code::InputForbiddenMethod)
    else {
        return true;
    };
    let message = if finding.params.get("reason").map(String::as_str) == Some("invalid") {
        let bad = method
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(*c)));
        let what = match bad {
            Some(' ') => "a space".to_string(),
            Some(c) => format!("`{}` (U+{:04X})", shown(&c.to_string()), u32::from(c)),
            None => "a character methods cannot hold".to_string(),
        };
        format!(
            "The method `{}` contains {what}, so fetch() throws: a method is one word of letters, digits or !#$%&'*+-.^_`|~, e.g. PATCH.",
            shown(method)
        )
    } else {
        format!(
            "Browsers never send {} (fetch() throws a TypeError): pick the method your frontend uses, e.g. GET or POST.",
            method.to_ascii_uppercase()
        )
    };
    problems.push(problem(Code::InputForbiddenMethod, "method", message));
    false
}

fn check_headers(text: &str, page_origin: &str, page_url: &str, problems: &mut Vec<FormProblem>) {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| (index + 1, line))
        .collect();
    if lines.len() > MAX_HEADER_LINES {
        let message = format!(
            "There are {} header lines; the page sends at most {MAX_HEADER_LINES} (Apache's default limit; servers answer 431 beyond theirs): keep only the headers your frontend sends.",
            lines.len()
        );
        problems.push(problem(Code::InputTooLarge, "headers", message));
        return;
    }
    let bytes: usize = lines.iter().map(|(_, line)| line.len()).sum();
    if bytes > MAX_HEADER_BYTES {
        let (number, largest) = lines
            .iter()
            .max_by_key(|(_, line)| line.len())
            .map_or((0, ""), |(n, line)| (*n, *line));
        let name = largest.split(':').next().unwrap_or("").trim();
        let message = format!(
            "The headers hold {bytes} bytes (line {number}, `{}`, alone {}); servers refuse more than 8–16 KB with 431 or 400, and the page sends at most {MAX_HEADER_BYTES}: shorten that value.",
            shown(name),
            largest.len()
        );
        problems.push(problem(Code::InputTooLarge, "headers", message));
    }
    for (number, line) in lines {
        let Some((name, value)) = line.split_once(':') else {
            let suggestion = match line.trim().split_once(' ') {
                Some((n, v)) if !n.is_empty() => {
                    format!(", e.g. `{}: {}`", shown(n), shown(v.trim()))
                }
                _ => String::new(),
            };
            let message = format!(
                "Header line {number} (`{}`) has no colon: write it as `Name: value`{suggestion}.",
                shown(line.trim())
            );
            problems.push(problem(Code::InputInvalidHeader, "headers", message));
            continue;
        };
        let (name, value) = (name.trim(), value.trim());
        if name.is_empty() {
            let message = format!(
                "Header line {number} (`{}`) has no name before its colon: write it as `Name: value`, e.g. `X-Trace: 1`.",
                shown(line.trim())
            );
            problems.push(problem(Code::InputInvalidHeader, "headers", message));
            continue;
        }
        let request = Request::new(page_origin, page_url, "GET").header(name, value);
        for finding in fetch_findings(&request) {
            let message = match finding.code {
                Code::InputInvalidHeader if finding.params.contains_key("value") => {
                    header_value_message(number, name, value)
                }
                Code::InputInvalidHeader => header_name_message(number, name),
                Code::InputForbiddenHeader => {
                    let extra = if name.eq_ignore_ascii_case("cookie") {
                        " (to send cookies, tick \"Send credentials\")"
                    } else if name.eq_ignore_ascii_case("content-length") {
                        " (the browser computes it from the body)"
                    } else if name.eq_ignore_ascii_case("host") {
                        " (the browser sends the URL's host)"
                    } else {
                        ""
                    };
                    format!(
                        "Header line {number}: {} The check would not test it either: remove the line{extra}.",
                        finding.message
                    )
                }
                _ => continue,
            };
            problems.push(problem(finding.code, "headers", message));
        }
    }
}

fn header_name_message(number: usize, name: &str) -> String {
    let bad = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(*c)));
    let what = match bad {
        Some(c) if c.is_whitespace() => "a space".to_string(),
        Some(c) => format!("`{}` (U+{:04X})", shown(&c.to_string()), u32::from(c)),
        None => "a character names cannot hold".to_string(),
    };
    format!(
        "Header line {number}: the name `{}` contains {what}, so fetch() throws: header names are one word, e.g. `X-Trace-Id`.",
        shown(name)
    )
}

fn header_value_message(number: usize, name: &str, value: &str) -> String {
    let name = shown(name);
    if value.contains(super::mask::MASK) {
        return format!(
            "Header line {number}: the value of `{name}` was masked (`{}`) when the request was saved or shared: paste your real value.",
            super::mask::MASK
        );
    }
    match value.chars().find(|c| u32::from(*c) > 0xFF || matches!(c, '\0' | '\r' | '\n')) {
        Some('\0') => format!(
            "Header line {number}: the value of `{name}` contains a NUL byte (U+0000), so fetch() throws: remove it."
        ),
        Some(c) if u32::from(c) > 0xFF => format!(
            "Header line {number}: the value of `{name}` contains `{c}` (U+{:04X}), above U+00FF, so fetch() throws: use ASCII, or percent-encode it (`{}`).",
            u32::from(c),
            url::form_urlencoded::byte_serialize(c.to_string().as_bytes()).collect::<String>()
        ),
        _ => format!(
            "Header line {number}: the value of `{name}` contains a line break, so fetch() throws: put it on one line."
        ),
    }
}

fn check_body(
    input: &FormInput,
    method_ok: bool,
    page_origin: &str,
    page_url: &str,
    problems: &mut Vec<FormProblem>,
) {
    let bytes = input.body.len();
    if bytes > MAX_BODY_BYTES {
        let message = format!(
            "The body is {bytes} bytes; the page sends at most {MAX_BODY_BYTES}. CORS depends on the body's Content-Type, never on its bytes: paste a short sample of the same type."
        );
        problems.push(problem(Code::InputTooLarge, "body", message));
    }
    if !method_ok || input.body.is_empty() {
        return;
    }
    let method = input.method.trim();
    let request = Request {
        body: Some(String::new()),
        ..Request::new(page_origin, page_url, method)
    };
    let refused = fetch_findings(&request).iter().any(|f| {
        f.code == Code::InputForbiddenMethod
            && f.params.get("reason").map(String::as_str) == Some("body")
    });
    if refused {
        let message = format!(
            "A {} request cannot have a body (fetch() throws a TypeError): empty the body, or change the method to POST, PUT or PATCH.",
            method.to_ascii_uppercase()
        );
        problems.push(problem(Code::InputForbiddenMethod, "body", message));
    }
}

/// `15`, `1.5`, `.25`, `2.`: digits with at most one dot (however large).
fn is_plain_decimal(text: &str) -> bool {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    !(whole.is_empty() && fraction.is_empty()) && digits(whole) && digits(fraction)
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
        ms => {
            problems.push(FormProblem {
                code: Code::InputInvalidTimeout,
                field: "timeout",
                message: timeout_message(text, ms),
            });
            DEFAULT_TIMEOUT_SECS * 1000
        }
    }
}

/// What to change in a timeout that is not a number of seconds in (0, 300]; `ms` is its value
/// when it is a plain decimal number.
fn timeout_message(text: &str, ms: Option<u32>) -> String {
    let shown = shown(text);
    let range = format!("type a number of seconds above 0 and at most {MAX_TIMEOUT_SECS}, e.g. {DEFAULT_TIMEOUT_SECS}");
    if ms == Some(0) {
        return format!(
            "A timeout of `{shown}` seconds would abandon every request before it is sent: {range}."
        );
    }
    if ms.is_some() || is_plain_decimal(text) {
        return format!(
            "`{shown}` seconds is longer than the longest timeout, {MAX_TIMEOUT_SECS} seconds (5 minutes): {range}."
        );
    }
    if let Some(rest) = text.strip_prefix('-') {
        if parse_millis(rest).is_some() || rest.parse::<f64>().is_ok_and(f64::is_finite) {
            return format!("A timeout cannot be negative (`{shown}`): {range}.");
        }
    }
    if let Ok(value) = text.parse::<f64>() {
        if value.is_finite() {
            return format!(
                "`{shown}` is written in exponent notation ({value} seconds): {range}, as a plain number."
            );
        }
    }
    if text.contains(',') && parse_millis(&text.replace(',', ".")).is_some() {
        return format!("`{shown}` uses a comma: write the decimal point as a dot, e.g. `2.5`.");
    }
    format!("The timeout `{shown}` is not a number: {range}.")
}

/// A field's value as a message quotes it: at most 60 characters, control characters escaped
/// (`\u{0}`), so a message never carries invisible or enormous text.
pub fn shown(text: &str) -> String {
    const MAX: usize = 60;
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_value_says_to_paste_the_real_one() {
        let input = FormInput {
            url: "http://127.0.0.1:9/x".into(),
            headers: "Authorization: Bearer ••••".into(),
            ..FormInput::default()
        };
        let problems = check_form(&input, "http://127.0.0.1:8").expect_err("masked");
        assert!(
            problems.iter().any(|p| p.message.contains("was masked")),
            "{problems:?}"
        );
    }

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
