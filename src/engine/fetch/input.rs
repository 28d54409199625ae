//! What `fetch()` itself does with the page's input before anything is sent: URL parsing,
//! [method](https://fetch.spec.whatwg.org/#dom-request) and header validation, forbidden headers
//! (silently dropped), mixed content, and the local network warning.

use url::Url;

use super::code::{Code, Finding};
use super::header_name::{forbidden_reason, is_token, normalize_value, ValueError};
use super::local_network;
use super::method;
use super::mixed_content;
use super::origin::PageOrigin;
use super::redirect::has_credentials;
use super::request::{CredentialsMode, RedirectMode, Request, RequestMode};
use super::safelist::is_no_cors_safelisted;

/// A request as the browser will send it.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub page: PageOrigin,
    pub url: Url,
    /// Normalized (`delete` → `DELETE`, `patch` unchanged).
    pub method: String,
    /// Valid, normalized, forbidden ones dropped, `Content-Type` added for a text body.
    pub headers: Vec<(String, String)>,
    pub include_credentials: bool,
}

impl Prepared {
    pub fn cross_origin(&self) -> bool {
        !self.page.same_origin(&self.url)
    }
}

/// The outcome of the input checks: the prepared request unless something is fatal, and every
/// finding (fatal ones first among their kind, warnings and info after).
pub struct Analysis {
    pub prepared: Option<Prepared>,
    pub fatal: Option<Finding>,
    pub findings: Vec<Finding>,
}

fn fatal(findings: Vec<Finding>, f: Finding) -> Analysis {
    let mut all = findings;
    all.push(f.clone());
    Analysis {
        prepared: None,
        fatal: Some(f),
        findings: all,
    }
}

pub fn analyze(req: &Request) -> Analysis {
    let mut findings = Vec::new();
    let Some(page) = PageOrigin::parse(&req.page_origin) else {
        return fatal(
            findings,
            Finding::new(
                Code::InputInvalidUrl,
                format!("The page origin {:?} is not a serialized origin such as http://127.0.0.1:8080.", req.page_origin),
            )
            .with("field", "page_origin")
            .with("value", req.page_origin.clone()),
        );
    };
    let url = match Url::parse(req.url.trim()) {
        Ok(u) => u,
        Err(e) => {
            return fatal(
                findings,
                Finding::new(
                    Code::InputInvalidUrl,
                    format!("{:?} is not an absolute URL ({e}).", req.url),
                )
                .with("url", req.url.clone()),
            )
        }
    };
    if !matches!(url.scheme(), "http" | "https") {
        return fatal(
            findings,
            Finding::new(
                Code::InputUnsupportedScheme,
                format!(
                    "{}: URLs cannot be fetched with CORS; only http and https can.",
                    url.scheme()
                ),
            )
            .with("scheme", url.scheme())
            .with("url", url.as_str()),
        );
    }
    if has_credentials(&url) {
        return fatal(
            findings,
            Finding::new(
                Code::InputInvalidUrl,
                "fetch() refuses URLs that include credentials (user:password@); send them in an Authorization header.",
            )
            .with("url", url.as_str())
            .with("reason", "credentials"),
        );
    }

    let raw_method = req.method.trim();
    if !method::is_valid(raw_method) {
        return fatal(
            findings,
            Finding::new(
                Code::InputForbiddenMethod,
                format!("{raw_method:?} is not a valid HTTP method (a token): fetch() throws."),
            )
            .with("method", raw_method)
            .with("reason", "invalid"),
        );
    }
    if method::is_forbidden(raw_method) {
        return fatal(
            findings,
            Finding::new(
                Code::InputForbiddenMethod,
                format!(
                    "The browser refuses to send a {} request.",
                    raw_method.to_ascii_uppercase()
                ),
            )
            .with("method", raw_method.to_ascii_uppercase()),
        );
    }
    let method = method::normalize(raw_method);
    if req.body.is_some() && (method == "GET" || method == "HEAD") {
        return fatal(
            findings,
            Finding::new(
                Code::InputForbiddenMethod,
                format!("A {method} request cannot have a body: fetch() throws."),
            )
            .with("method", method.clone())
            .with("reason", "body"),
        );
    }

    let mut headers = Vec::new();
    for (name, value) in &req.headers {
        let name = name.trim();
        if !is_token(name) {
            return fatal(
                findings,
                Finding::new(
                    Code::InputInvalidHeader,
                    format!("{name:?} is not a valid header name: fetch() throws."),
                )
                .with("header", name),
            );
        }
        let value = match normalize_value(value) {
            Ok(v) => v,
            Err(e) => {
                let why = match e {
                    ValueError::ControlByte => "contains NUL, CR or LF",
                    ValueError::NotByteString => "contains a character above U+00FF",
                };
                return fatal(
                    findings,
                    Finding::new(
                        Code::InputInvalidHeader,
                        format!("The value of {name} {why}: fetch() throws."),
                    )
                    .with("header", name.to_ascii_lowercase())
                    .with("value", value.clone()),
                );
            }
        };
        if let Some(why) = forbidden_reason(name, &value) {
            findings.push(
                Finding::new(
                    Code::InputForbiddenHeader,
                    format!("{name} is a forbidden request header ({why}): the browser drops it silently."),
                )
                .with("header", name.to_ascii_lowercase()),
            );
            continue;
        }
        if req.mode == RequestMode::NoCors && !is_no_cors_safelisted(name, &value) {
            // `no-cors` keeps only the no-CORS-safelisted headers.
            findings.push(
                Finding::new(
                    Code::InputForbiddenHeader,
                    format!("{name} is dropped: a no-cors request keeps only simple headers."),
                )
                .with("header", name.to_ascii_lowercase())
                .with("reason", "no-cors"),
            );
            continue;
        }
        headers.push((name.to_string(), value));
    }
    if req.body.is_some()
        && !headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
    {
        // A string body gets this default, which is safelisted.
        headers.push(("Content-Type".into(), "text/plain;charset=UTF-8".into()));
    }

    let prepared = Prepared {
        page,
        url,
        method,
        headers,
        include_credentials: req.credentials == CredentialsMode::Include,
    };
    let cross = prepared.cross_origin();

    if cross && req.mode == RequestMode::SameOrigin {
        return fatal(
            findings,
            Finding::new(
                Code::InputDisallowedByMode,
                "mode: \"same-origin\" refuses a cross-origin URL.",
            )
            .with("mode", "same-origin"),
        );
    }
    if cross && req.mode == RequestMode::NoCors && !method::is_safelisted(&prepared.method) {
        return fatal(
            findings,
            Finding::new(
                Code::InputDisallowedByMode,
                format!(
                    "mode: \"no-cors\" allows only GET, HEAD and POST, not {}.",
                    prepared.method
                ),
            )
            .with("mode", "no-cors")
            .with("method", prepared.method.clone()),
        );
    }
    if cross && req.mode == RequestMode::NoCors && req.redirect != RedirectMode::Follow {
        // Main fetch: "no-cors" with a redirect mode other than "follow" is a network error
        // before anything is sent (Chromium: "Request mode is "no-cors" but the redirect mode
        // is not "follow"").
        return fatal(
            findings,
            Finding::new(
                Code::InputDisallowedByMode,
                "mode: \"no-cors\" works only with redirect: \"follow\": the browser refuses the request before sending it.",
            )
            .with("mode", "no-cors")
            .with("redirect", if req.redirect == RedirectMode::Manual { "manual" } else { "error" }),
        );
    }
    if mixed_content::blocks(&prepared.page, &prepared.url) {
        return fatal(
            findings,
            Finding::new(
                Code::NetworkMixedContent,
                format!(
                    "The https page {} may not call the http URL {}: the browser blocks mixed content before sending.",
                    prepared.page.serialized, prepared.url
                ),
            )
            .with("url", prepared.url.as_str()),
        );
    }
    if let Some((from, to)) = local_network::crossing(&prepared.page, &prepared.url) {
        findings.push(
            Finding::new(
                Code::NetworkLocalNetworkAccess,
                format!(
                    "A {} page calls a {} address: the browser applies its local network rules (permission prompt in Chromium; Access-Control-Allow-Private-Network: true on the preflight per the draft).",
                    from.as_str(),
                    to.as_str()
                ),
            )
            .with("page_space", from.as_str())
            .with("target_space", to.as_str()),
        );
    }
    if !cross {
        findings.push(
            Finding::new(
                Code::OkSameOrigin,
                format!(
                    "{} is same-origin with the page: CORS does not apply.",
                    prepared.url
                ),
            )
            .with("origin", prepared.page.serialized.clone()),
        );
    }
    Analysis {
        prepared: Some(prepared),
        fatal: None,
        findings,
    }
}
