//! The server view: what the developer already holds (console text, `curl` output, a HAR file, a
//! request copied from DevTools) read into a request and the server's answers, and judged by the
//! same simulator the in-browser check inverts. Built on [`crate::engine::fetch`] and
//! [`crate::engine::check`]; neither imports this layer.
//!
//! - [`console`], [`curl_output`], [`har`], [`import`]: one parser per format, text → typed data.
//! - `verdict`: typed data → the simulator → a report like a check's.
//! - `mask`: secrets never leave the page.

mod browser_headers;
pub mod console;
pub mod curl_output;
pub mod har;
pub mod import;
mod verdict;

pub use crate::engine::check::mask::{is_secret, mask_headers, mask_value, MASK};
pub use browser_headers::is_browser_header;
pub use verdict::{context_for, form_for, request_for};

use serde::{Deserialize, Serialize};

use crate::engine::check::form::{app_origins, FormInput};
use crate::engine::check::report::Report;
use crate::engine::fetch::Request;

/// What the evidence box found in a paste.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Console,
    Curl,
    Har,
    Import,
    /// Nothing it reads.
    Unrecognised,
}

/// The server view's answer to one paste (sent from the evidence worker to the page as JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub kind: Kind,
    /// What was recognised, in one sentence (shown beside the box).
    pub recognised: String,
    /// The form to load: an imported request, or what console text names. Never run.
    pub form: Option<FormInput>,
    /// The verdict, when the evidence gives one (an import gives none).
    pub report: Option<Report>,
    /// For a HAR: the form for each of `report.har`'s entries, in order (never leaves the page).
    pub har_forms: Vec<FormInput>,
}

impl Analysis {
    /// An analysis that could not run or come back; `why` says what happened.
    pub fn failed(why: &str) -> Analysis {
        Analysis::new(Kind::Unrecognised, why.to_string())
    }

    /// A file that could not be read as text.
    pub fn unreadable(name: &str) -> Analysis {
        Analysis::new(
            Kind::Unrecognised,
            format!("The file {name} could not be read as text (or it is empty)."),
        )
    }

    fn new(kind: Kind, recognised: String) -> Analysis {
        Analysis {
            kind,
            recognised,
            form: None,
            report: None,
            har_forms: Vec::new(),
        }
    }
}

/// Reads a paste (or a dropped file's text): recognises its kind and judges it. `form` is the
/// request in the form (curl output is replayed against it), `page_origin` this page's origin.
/// Never panics.
pub fn analyse(text: &str, form: &FormInput, page_origin: &str) -> Analysis {
    let mut analysis = analyse_text(text, form, page_origin);
    if let Some(report) = analysis.report.as_mut() {
        // More origins in the app-origin field join the fixes' allow-list, as in a check.
        report.extra_origins = app_origins(&form.app_origin)
            .into_iter()
            .filter(|o| *o != report.app_origin)
            .collect();
    }
    analysis
}

fn analyse_text(text: &str, form: &FormInput, page_origin: &str) -> Analysis {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Analysis::new(
            Kind::Unrecognised,
            "Nothing to analyse: paste console text, curl -i/-v output, a HAR file, or a request copied from DevTools.".into(),
        );
    }
    if trimmed.starts_with('{') {
        return match har::parse(trimmed) {
            Ok(requests) => analyse_har(&requests, page_origin),
            Err(har::NotHar(why)) => Analysis::new(
                Kind::Unrecognised,
                format!("This looks like JSON but is not a HAR file: {why}"),
            ),
        };
    }
    if let Ok(exchanges) = curl_output::parse(trimmed) {
        if !exchanges.is_empty() {
            return analyse_curl(&exchanges, trimmed, form, page_origin);
        }
    }
    let messages = console::parse(trimmed);
    if !messages.is_empty() {
        return analyse_console(&messages, form, page_origin);
    }
    match import::parse(trimmed) {
        Ok(imported) => analyse_import(imported),
        Err(import::NotACommand(_)) => Analysis::new(
            Kind::Unrecognised,
            "Not recognised. The box reads: a browser's console error text (Chromium, Firefox, Safari); the output of curl -i or curl -v; a HAR file (DevTools → Network → Save all as HAR); or a request copied with “Copy as fetch” or “Copy as cURL”.".into(),
        ),
    }
}

fn analyse_har(requests: &[har::HarRequest], page_origin: &str) -> Analysis {
    let (mut report, forms) = verdict::har_report(requests, page_origin);
    let failing = report
        .har
        .iter()
        .filter(|e| e.code.family() != "ok")
        .count();
    let recognised = format!(
        "A HAR file: {} cross-origin request{}, {failing} failing.",
        requests.len(),
        if requests.len() == 1 { "" } else { "s" }
    );
    report.recognised = Some(recognised.clone());
    Analysis {
        report: Some(report),
        har_forms: forms,
        ..Analysis::new(Kind::Har, recognised)
    }
}

fn analyse_curl(
    exchanges: &[curl_output::Exchange],
    text: &str,
    form: &FormInput,
    page_origin: &str,
) -> Analysis {
    let request = curl_request(exchanges, text, form, page_origin);
    let mut answers = curl_output::answers(exchanges, &request);
    let mut notes = Vec::new();
    if !curl_output::has_actual(exchanges, &request) {
        notes.push("The output shows the preflight only: the verdict stops there if it fails; paste the actual request's output too to check its response.".to_string());
    }
    if verdict::preflight_missing(&request, &answers) {
        notes.push("This request needs a preflight, and the output shows none: the verdict assumes the preflight passes. Paste the preflight command's output too to check it.".to_string());
        if let Some(hop) = answers.hops.first_mut() {
            hop.preflight = Some(har::passed_preflight(&request));
        }
    }
    let recognised = format!(
        "curl output: {} response{} ({}), replayed for {} {} from {}.",
        exchanges.len(),
        if exchanges.len() == 1 { "" } else { "s" },
        exchanges
            .iter()
            .map(|e| e.response.status.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        request.method,
        request.url,
        request.page_origin
    );
    let mut report = verdict::replay_report(&request, &answers, &notes);
    report.recognised = Some(recognised.clone());
    Analysis {
        report: Some(report),
        ..Analysis::new(Kind::Curl, recognised)
    }
}

/// The request curl output is replayed for: the form's, sent from the `Origin` the output shows
/// (else the form's app origin, else this page); with an empty form, the one `curl -v` shows.
fn curl_request(
    exchanges: &[curl_output::Exchange],
    text: &str,
    form: &FormInput,
    page_origin: &str,
) -> Request {
    let sent_origin = exchanges
        .iter()
        .filter_map(|e| e.sent.as_ref())
        .flat_map(|s| s.headers.iter())
        .find(|(n, _)| n.eq_ignore_ascii_case("origin"))
        .map(|(_, v)| v.trim().to_string());
    if !form.url.trim().is_empty() {
        let origin = sent_origin.unwrap_or_else(|| page_origin.to_string());
        return request_for(form, &origin);
    }
    let sent = exchanges
        .iter()
        .filter_map(|e| e.sent.as_ref())
        .find(|s| s.method != "OPTIONS")
        .or_else(|| exchanges.iter().find_map(|e| e.sent.as_ref()));
    let Some(sent) = sent else {
        return request_for(form, sent_origin.as_deref().unwrap_or(page_origin));
    };
    let header = |name: &str| {
        sent.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_string())
    };
    let url = if sent.target.starts_with("http://") || sent.target.starts_with("https://") {
        sent.target.clone()
    } else {
        let tls =
            text.contains("SSL connection") || text.contains("TLSv1") || text.contains("ALPN");
        let host = sent
            .host
            .clone()
            .or_else(|| header("host"))
            .unwrap_or_default();
        format!(
            "{}://{host}{}",
            if tls { "https" } else { "http" },
            sent.target
        )
    };
    let origin = sent_origin.unwrap_or_else(|| page_origin.to_string());
    let mut request = Request::new(&origin, &url, &sent.method);
    if sent.method == "OPTIONS" {
        if let Some(m) = header("access-control-request-method") {
            request.method = m;
        }
        let asked = header("access-control-request-headers").unwrap_or_default();
        for name in browser_headers::asked_names(&asked) {
            request.headers.push((name.to_string(), String::new()));
        }
    } else {
        request.headers = sent
            .headers
            .iter()
            .filter(|(n, v)| !is_browser_header(n, v))
            .cloned()
            .collect();
    }
    request
}

fn analyse_console(
    messages: &[console::ConsoleMessage],
    form: &FormInput,
    page_origin: &str,
) -> Analysis {
    let browsers: Vec<&str> = {
        let mut names: Vec<&str> = messages
            .iter()
            .map(|m| match m.browser {
                console::ConsoleBrowser::Chromium => "Chromium",
                console::ConsoleBrowser::Firefox => "Firefox",
                console::ConsoleBrowser::Safari => "Safari",
            })
            .collect();
        names.dedup();
        names
    };
    let recognised = format!(
        "{} console text: {} CORS message{}.",
        browsers.join(" and "),
        messages.len(),
        if messages.len() == 1 { "" } else { "s" }
    );
    let filled = verdict::primary(messages).map(|m| verdict::console_form(m, form));
    let mut report = verdict::console_report(messages, form, page_origin);
    report.recognised = Some(recognised.clone());
    Analysis {
        form: filled,
        report: Some(report),
        ..Analysis::new(Kind::Console, recognised)
    }
}

fn analyse_import(imported: import::Imported) -> Analysis {
    let kind = match imported.kind {
        import::ImportKind::Fetch => "“Copy as fetch”",
        import::ImportKind::FetchNode => "“Copy as fetch (Node.js)”",
        import::ImportKind::CurlBash => "a curl command",
        import::ImportKind::CurlCmd => "“Copy as cURL (cmd)”",
    };
    let mut recognised = format!(
        "A request from {kind}: {} {} loaded into the form. Press Check to send it.",
        imported.form.method, imported.form.url
    );
    if !imported.dropped.is_empty() {
        recognised.push_str(&format!(
            " Headers the browser adds itself were left out: {}.",
            imported.dropped.join("; ")
        ));
    }
    let mut form = imported.form;
    if let Some(origin) = imported.origin {
        if form.app_origin.is_empty() {
            form.app_origin = origin;
        }
    }
    Analysis {
        form: Some(form),
        ..Analysis::new(Kind::Import, recognised)
    }
}
