//! What `fetch()` itself does with the page's input before anything is sent: URL parsing,
//! [method](https://fetch.spec.whatwg.org/#dom-request) and header validation, forbidden headers
//! (silently dropped), mixed content, and the local network warning.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use url::Url;

use super::code::{Code, Finding};
use super::header_name::{forbidden_reason, is_token, normalize_value, ValueError};
use super::local_network;
use super::method;
use super::mixed_content;
use super::origin::{AddressSpace, PageOrigin};
use super::redirect::has_credentials;
use super::request::{CredentialsMode, RedirectMode, Request, RequestMode};
use super::safelist::{cors_unsafe_names, is_no_cors_safelisted};
use super::token::trim;
use super::url_cache::{self, Ring};

/// A request as the browser will send it.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub page: PageOrigin,
    pub url: Arc<Url>,
    /// Normalized (`delete` → `DELETE`, `patch` unchanged).
    pub method: method::Name,
    /// Valid, normalized (`name` trimmed, `value` trimmed of HTTP whitespace), forbidden ones
    /// dropped, `Content-Type` added for a text body.
    pub headers: Vec<(String, String)>,
    /// The CORS-unsafe names among `headers` (lower-case, sorted).
    pub unsafe_names: Vec<String>,
    /// They, as `Access-Control-Request-Headers` sends them (`None` when there are none).
    pub request_headers: Option<Arc<str>>,
    pub include_credentials: bool,
    /// The URL is cross-origin with the page.
    pub cross_origin: bool,
    /// The URL is in a more private address space than the page: (page's, URL's).
    pub local_network: Option<(AddressSpace, AddressSpace)>,
}

/// A finding of the input checks that does not stop the request: kept typed, so that its
/// message is written only when someone reads it.
#[derive(Debug, Clone, PartialEq)]
pub enum Note {
    /// A forbidden request-header (as typed, trimmed), dropped silently.
    ForbiddenHeader { name: String, why: &'static str },
    /// A header a `no-cors` request drops.
    NoCorsDropped { name: String },
    /// A request to a more private address space.
    LocalNetwork {
        from: AddressSpace,
        to: AddressSpace,
    },
    /// The URL is same-origin with the page.
    SameOrigin { url: Arc<Url>, page: PageOrigin },
}

impl Note {
    pub fn message(&self) -> String {
        match self {
            Note::ForbiddenHeader { name, why } => {
                format!("{name} is a forbidden request header ({why}): the browser drops it silently.")
            }
            Note::NoCorsDropped { name } => {
                format!("{name} is dropped: a no-cors request keeps only simple headers.")
            }
            Note::LocalNetwork { from, to } => format!(
                "A {} page calls a {} address: the browser applies its local network rules (permission prompt in Chromium; Access-Control-Allow-Private-Network: true on the preflight per the draft).",
                from.as_str(),
                to.as_str()
            ),
            Note::SameOrigin { url, .. } => {
                format!("{url} is same-origin with the page: CORS does not apply.")
            }
        }
    }

    pub fn finding(&self) -> Finding {
        let message = self.message();
        match self {
            Note::ForbiddenHeader { name, .. } => Finding::new(Code::InputForbiddenHeader, message)
                .with("header", name.to_ascii_lowercase()),
            Note::NoCorsDropped { name } => Finding::new(Code::InputForbiddenHeader, message)
                .with("header", name.to_ascii_lowercase())
                .with("reason", "no-cors"),
            Note::LocalNetwork { from, to } => {
                Finding::new(Code::NetworkLocalNetworkAccess, message)
                    .with("page_space", from.as_str())
                    .with("target_space", to.as_str())
            }
            Note::SameOrigin { page, .. } => {
                Finding::new(Code::OkSameOrigin, message).with("origin", page.serialized())
            }
        }
    }
}

/// The outcome of the input checks: the prepared request unless something is fatal, the notes
/// (warnings and info, in order) and the fatal finding, which comes after them.
#[derive(Debug)]
pub struct Analysis {
    pub prepared: Option<Prepared>,
    pub fatal: Option<Finding>,
    pub notes: Vec<Note>,
}

impl Analysis {
    /// Every finding: the notes', then the fatal one.
    pub fn findings(&self) -> Vec<Finding> {
        let mut all: Vec<Finding> = self.notes.iter().map(Note::finding).collect();
        all.extend(self.fatal.clone());
        all
    }
}

/// What the analysis depends on: the request but its body's content.
struct Key {
    page_origin: Box<str>,
    url: Box<str>,
    method: Box<str>,
    headers: Vec<(Box<str>, Box<str>)>,
    credentials: CredentialsMode,
    mode: RequestMode,
    redirect: RedirectMode,
    has_body: bool,
}

impl Key {
    fn new(req: &Request) -> Key {
        Key {
            page_origin: req.page_origin.as_str().into(),
            url: req.url.as_str().into(),
            method: req.method.as_str().into(),
            headers: req
                .headers
                .iter()
                .map(|(n, v)| (n.as_str().into(), v.as_str().into()))
                .collect(),
            credentials: req.credentials,
            mode: req.mode,
            redirect: req.redirect,
            has_body: req.body.is_some(),
        }
    }

    fn matches(&self, req: &Request) -> bool {
        // The cheap comparisons first.
        self.mode == req.mode
            && self.credentials == req.credentials
            && self.redirect == req.redirect
            && self.has_body == req.body.is_some()
            && self.headers.len() == req.headers.len()
            && *self.method == *req.method
            && *self.url == *req.url
            && *self.page_origin == *req.page_origin
            && self
                .headers
                .iter()
                .zip(&req.headers)
                .all(|((kn, kv), (n, v))| **kn == **n && **kv == **v)
    }
}

/// Requests this large are analysed every time rather than kept.
const MAX_KEPT_BYTES: usize = 4096;

thread_local! {
    /// Recent analyses: the diagnosis simulates each of a check's few requests thousands of times.
    static ANALYSES: RefCell<Ring<Key, Rc<Analysis>>> = const { RefCell::new(Ring::new()) };
}

/// The input checks of `req`. They depend on nothing else, so a recent request's analysis is
/// reused (per thread).
pub fn analyze(req: &Request) -> Rc<Analysis> {
    let size = req.page_origin.len()
        + req.url.len()
        + req.method.len()
        + req
            .headers
            .iter()
            .map(|(n, v)| n.len() + v.len())
            .sum::<usize>();
    if size > MAX_KEPT_BYTES {
        return Rc::new(analyze_now(req));
    }
    let kept = ANALYSES.try_with(|cache| cache.borrow().get(|k| k.matches(req)));
    if let Ok(Some(a)) = kept {
        return a;
    }
    let analysis = Rc::new(analyze_now(req));
    let _ = ANALYSES.try_with(|cache| cache.borrow_mut().put(Key::new(req), analysis.clone()));
    analysis
}

/// `Access-Control-Request-Headers` for these CORS-unsafe names.
pub fn request_headers_value(unsafe_names: &[String]) -> Option<Arc<str>> {
    (!unsafe_names.is_empty()).then(|| unsafe_names.join(",").into())
}

fn fatal(notes: Vec<Note>, f: Finding) -> Analysis {
    Analysis {
        prepared: None,
        fatal: Some(f),
        notes,
    }
}

fn analyze_now(req: &Request) -> Analysis {
    let mut notes = Vec::new();
    let Some(page) = url_cache::page_origin(&req.page_origin) else {
        return fatal(
            notes,
            Finding::new(
                Code::InputInvalidUrl,
                format!("The page origin {:?} is not a serialized origin such as http://127.0.0.1:8080.", req.page_origin),
            )
            .with("field", "page_origin")
            .with("value", req.page_origin.clone()),
        );
    };
    let url = match url_cache::parse(trim(&req.url)) {
        Ok(u) => u,
        Err(e) => {
            return fatal(
                notes,
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
            notes,
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
            notes,
            Finding::new(
                Code::InputInvalidUrl,
                "fetch() refuses URLs that include credentials (user:password@); send them in an Authorization header.",
            )
            .with("url", url.as_str())
            .with("reason", "credentials"),
        );
    }

    let raw_method = trim(&req.method);
    if !method::is_valid(raw_method) {
        return fatal(
            notes,
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
            notes,
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
    let method = method::normalize_ref(raw_method);
    if req.body.is_some() && (method == "GET" || method == "HEAD") {
        return fatal(
            notes,
            Finding::new(
                Code::InputForbiddenMethod,
                format!("A {method} request cannot have a body: fetch() throws."),
            )
            .with("method", method)
            .with("reason", "body"),
        );
    }

    let mut headers = Vec::new();
    for (name, value) in &req.headers {
        let name = trim(name);
        if !is_token(name) {
            return fatal(
                notes,
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
                    notes,
                    Finding::new(
                        Code::InputInvalidHeader,
                        format!("The value of {name} {why}: fetch() throws."),
                    )
                    .with("header", name.to_ascii_lowercase())
                    .with("value", value.clone()),
                );
            }
        };
        if let Some(why) = forbidden_reason(name, value) {
            notes.push(Note::ForbiddenHeader {
                name: name.to_string(),
                why,
            });
            continue;
        }
        if req.mode == RequestMode::NoCors && !is_no_cors_safelisted(name, value) {
            // `no-cors` keeps only the no-CORS-safelisted headers.
            notes.push(Note::NoCorsDropped {
                name: name.to_string(),
            });
            continue;
        }
        headers.push((name.to_string(), value.to_string()));
    }
    if req.body.is_some()
        && !headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
    {
        // A string body gets this default, which is safelisted.
        headers.push(("Content-Type".into(), "text/plain;charset=UTF-8".into()));
    }

    let page_same_origin = page.same_origin(&url);
    let unsafe_names = cors_unsafe_names(&headers);
    let prepared = Prepared {
        page,
        url,
        method: method::Name::new(method),
        unsafe_names: unsafe_names.clone(),
        request_headers: request_headers_value(&unsafe_names),
        headers,
        include_credentials: req.credentials == CredentialsMode::Include,
        cross_origin: !page_same_origin,
        local_network: None,
    };
    let cross = prepared.cross_origin;

    if cross && req.mode == RequestMode::SameOrigin {
        return fatal(
            notes,
            Finding::new(
                Code::InputDisallowedByMode,
                "mode: \"same-origin\" refuses a cross-origin URL.",
            )
            .with("mode", "same-origin"),
        );
    }
    if cross && req.mode == RequestMode::NoCors && !method::is_safelisted(&prepared.method) {
        return fatal(
            notes,
            Finding::new(
                Code::InputDisallowedByMode,
                format!(
                    "mode: \"no-cors\" allows only GET, HEAD and POST, not {}.",
                    prepared.method
                ),
            )
            .with("mode", "no-cors")
            .with("method", prepared.method.as_str()),
        );
    }
    if cross && req.mode == RequestMode::NoCors && req.redirect != RedirectMode::Follow {
        // Main fetch: "no-cors" with a redirect mode other than "follow" is a network error
        // before anything is sent (Chromium: "Request mode is "no-cors" but the redirect mode
        // is not "follow"").
        return fatal(
            notes,
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
            notes,
            Finding::new(
                Code::NetworkMixedContent,
                format!(
                    "The https page {} may not call the http URL {}: the browser blocks mixed content before sending.",
                    prepared.page.serialized(),
                    prepared.url
                ),
            )
            .with("url", prepared.url.as_str()),
        );
    }
    let mut prepared = prepared;
    prepared.local_network = local_network::crossing(&prepared.page, &prepared.url);
    if let Some((from, to)) = prepared.local_network {
        if !prepared.page.is_secure_context() {
            // Private Network Access, "secure context restriction"; Chromium 156: "The request
            // client is not a secure context and the resource is in more-private address space".
            return fatal(notes, local_network::insecure(&prepared.page, from, to));
        }
        notes.push(Note::LocalNetwork { from, to });
    }
    if !cross {
        notes.push(Note::SameOrigin {
            url: prepared.url.clone(),
            page: prepared.page.clone(),
        });
    }
    Analysis {
        prepared: Some(prepared),
        fatal: None,
        notes,
    }
}
