//! The simulator: request + the servers' answers → what the browser does, step by step, following
//! [main fetch](https://fetch.spec.whatwg.org/#main-fetch), [HTTP fetch](https://fetch.spec.whatwg.org/#http-fetch)
//! and [HTTP-redirect fetch](https://fetch.spec.whatwg.org/#http-redirect-fetch).

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use url::Url;

use super::allow_origin::{self, allow_origin_sentence};
use super::answers::ServerResponse;
use super::behaviour::{Incoming, Reply, Server};
use super::browser::Browser;
use super::code::{AllowOriginDetail, Code, CredentialsDetail, Finding};
use super::credentials;
use super::expose_headers;
use super::header_name::is_forbidden_response_name;
use super::input::{analyze, request_headers_value, Note, Prepared};
use super::local_network;
use super::method;
use super::mixed_content;
use super::origin::PageOrigin;
use super::preflight::{self, Ask, Pass};
use super::redirect::{self, MAX_REDIRECTS};
use super::request::{RedirectMode, Request, RequestMode};
use super::safelist::cors_unsafe_names;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    CheckInput,
    SendPreflight,
    PreflightCheck,
    SendRequest,
    CorsCheck,
    Redirect,
    ExposeHeaders,
}

/// One step of a [`Trace`]. Its text is written on demand ([`Step::text`], `Display`, and when
/// the step is serialized: `{"kind", "passed", "text"}`), since most traces are only asked for
/// their verdict.
#[derive(Clone, Serialize, Deserialize)]
#[serde(into = "StepText", from = "StepText")]
pub struct Step {
    pub kind: StepKind,
    pub passed: bool,
    detail: Detail,
}

impl Step {
    /// What happened, in one sentence or two.
    pub fn text(&self) -> String {
        self.detail.to_string()
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.detail.fmt(f)
    }
}

impl fmt::Debug for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Step")
            .field("kind", &self.kind)
            .field("passed", &self.passed)
            .field("text", &self.text())
            .finish()
    }
}

/// Steps are equal when they say the same thing (a deserialized step only has its text).
impl PartialEq for Step {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
            && self.passed == other.passed
            && (self.detail == other.detail || self.text() == other.text())
    }
}

/// A step as serialized.
#[derive(Serialize, Deserialize)]
#[serde(rename = "Step")]
struct StepText {
    kind: StepKind,
    passed: bool,
    text: String,
}

impl From<Step> for StepText {
    fn from(s: Step) -> Self {
        StepText {
            kind: s.kind,
            passed: s.passed,
            text: s.text(),
        }
    }
}

impl From<StepText> for Step {
    fn from(s: StepText) -> Self {
        Step {
            kind: s.kind,
            passed: s.passed,
            detail: Detail::Text(Cow::Owned(s.text)),
        }
    }
}

/// The `Origin` a request carries: the page's (`null` for an opaque one), or `null` once a
/// redirect tainted it (`None`).
#[derive(Debug, Clone, PartialEq)]
struct SentOrigin(Option<PageOrigin>);

impl SentOrigin {
    fn as_str(&self) -> &str {
        self.0.as_ref().map_or("null", PageOrigin::serialized)
    }
}

impl fmt::Display for SentOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a step's text is written from.
#[derive(Debug, Clone, PartialEq)]
enum Detail {
    /// A fixed text, a finding's message, or a step read back from its text.
    Text(Cow<'static, str>),
    /// A finding of the input checks that does not stop the request.
    Note(Box<Note>),
    /// The preflight as sent.
    Preflight {
        url: Arc<Url>,
        origin: SentOrigin,
        method: method::Name,
        /// `Access-Control-Request-Headers`.
        request_headers: Option<Arc<str>>,
        private_network: bool,
    },
    PreflightPassed {
        status: u16,
        max_age: (u64, u64),
    },
    /// The request as sent and the status that came back.
    Sent {
        method: method::Name,
        url: Arc<Url>,
        /// A CORS request (its `Origin` is shown).
        cors: bool,
        origin: SentOrigin,
        status: u16,
    },
    /// The CORS check passed.
    Allowed {
        origin: SentOrigin,
    },
    /// `redirect: "manual"` ends on a redirect.
    ManualRedirect {
        status: u16,
    },
    /// A followed redirect.
    Redirect {
        status: u16,
        to: Arc<Url>,
        /// This hop made the Origin null.
        taints: bool,
        /// The method that became a bodiless GET.
        method_dropped: Option<method::Name>,
    },
    /// What the page can read of a CORS (or same-origin) response.
    Exposed {
        cors: bool,
        names: Vec<String>,
        not_modified: bool,
    },
}

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Detail::Text(t) => f.write_str(t),
            Detail::Note(n) => f.write_str(&n.message()),
            Detail::Preflight {
                url,
                origin,
                method,
                request_headers,
                private_network,
            } => {
                write!(
                    f,
                    "OPTIONS {url} with Origin: {origin}, Access-Control-Request-Method: {method}"
                )?;
                if let Some(names) = request_headers {
                    write!(f, ", Access-Control-Request-Headers: {names}")?;
                }
                if *private_network {
                    f.write_str(", Access-Control-Request-Private-Network: true")?;
                }
                Ok(())
            }
            Detail::PreflightPassed { status, max_age } => {
                f.write_str(&Pass::text(*status, *max_age))
            }
            Detail::Sent {
                method,
                url,
                cors,
                origin,
                status,
            } => {
                write!(f, "{method} {url}")?;
                if *cors {
                    write!(f, " with Origin: {origin}")?;
                }
                write!(f, " → status {status}")
            }
            Detail::Allowed { origin } => {
                write!(f, "Access-Control-Allow-Origin allows {origin}.")
            }
            Detail::ManualRedirect { status } => write!(
                f,
                "redirect: \"manual\": the page gets an opaqueredirect response (status 0) for the {status}."
            ),
            Detail::Redirect {
                status,
                to,
                taints,
                method_dropped,
            } => {
                write!(f, "{status} redirect to {to}")?;
                if *taints {
                    f.write_str("; cross-origin hop from a cross-origin URL: Origin becomes null")?;
                }
                if let Some(method) = method_dropped {
                    write!(f, "; {method} becomes GET without body")?;
                }
                Ok(())
            }
            Detail::Exposed {
                cors,
                names,
                not_modified,
            } => {
                if *cors {
                    write!(f, "The page can read: {}.", list_or_none(names))?;
                } else {
                    f.write_str("Same-origin response: every header but Set-Cookie is readable.")?;
                }
                if *not_modified {
                    f.write_str(" Status 304: a revalidation of the browser's cache is merged with the cached response (and its headers) before the CORS check; a 304 the page asked for with its own conditional headers reaches it as is.")?;
                }
                Ok(())
            }
        }
    }
}

/// The [response type](https://fetch.spec.whatwg.org/#concept-response-type) the page gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResponseType {
    Basic,
    Cors,
    Opaque,
    OpaqueRedirect,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Verdict {
    /// The page gets a response. `status` is 0 for opaque (`no-cors`, `opaqueredirect`) ones.
    Delivered {
        response_type: ResponseType,
        status: u16,
        final_url: String,
        exposed_headers: Vec<String>,
        redirected: bool,
    },
    /// A request went out, and the browser rejected what came back.
    Blocked(Finding),
    /// The browser refused before sending anything.
    NotSent(Finding),
    /// The server never answered (the page's timeout ends the request).
    NoAnswer,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    pub preflight_sent: bool,
    /// How many HTTP requests the browser sent (preflights and redirects included): the round
    /// trips the page waits for.
    pub requests: u8,
    /// Reports the browser raises without failing (e.g. Chromium's `AuthorizationCoveredByWildcard`).
    #[serde(skip_deserializing)]
    pub reports: Vec<&'static str>,
    pub steps: Vec<Step>,
    pub verdict: Verdict,
}

impl Verdict {
    /// The verdict's cause code (`ok` when delivered).
    pub fn code(&self) -> Code {
        match self {
            Verdict::Delivered { .. } => Code::Ok,
            Verdict::NoAnswer => Code::NetworkTimeout,
            Verdict::Blocked(f) | Verdict::NotSent(f) => f.code,
        }
    }

    pub fn finding(&self) -> Option<&Finding> {
        match self {
            Verdict::Delivered { .. } | Verdict::NoAnswer => None,
            Verdict::Blocked(f) | Verdict::NotSent(f) => Some(f),
        }
    }
}

/// Findings before sending: input errors, forbidden headers, mixed content, local network
/// access (a warning) and `ok/same-origin`.
pub fn check_request(req: &Request) -> Vec<Finding> {
    analyze(req).findings()
}

/// Whether the browser sends a preflight for the request URL (CORS rules, or a local network
/// request, which is always preflighted per the Private Network Access draft).
pub fn needs_preflight(req: &Request) -> bool {
    let a = analyze(req);
    match &a.prepared {
        Some(p) if req.mode == RequestMode::Cors && p.cross_origin => {
            preflight::needed_for(&p.method, &p.unsafe_names) || p.local_network.is_some()
        }
        _ => false,
    }
}

/// Lower-case names of the request's headers that make it need a preflight, sorted, after the
/// browser has dropped the forbidden ones (empty when the request cannot be prepared).
pub fn cors_unsafe_header_names(req: &Request) -> Vec<String> {
    analyze(req)
        .prepared
        .as_ref()
        .map(|p| p.unsafe_names.clone())
        .unwrap_or_default()
}

/// The exact `Access-Control-Request-Headers` the browser sends, if any.
pub fn access_control_request_headers(req: &Request) -> Option<String> {
    let a = analyze(req);
    let p = a.prepared.as_ref()?;
    if req.mode != RequestMode::Cors || !p.cross_origin || p.unsafe_names.is_empty() {
        return None;
    }
    Some(p.unsafe_names.join(","))
}

/// Lower-case names of `resp`'s headers the page can read.
pub fn exposed_header_names(req: &Request, resp: &ServerResponse) -> Vec<String> {
    let a = analyze(req);
    let Some(p) = &a.prepared else {
        return Vec::new();
    };
    if !p.cross_origin {
        return basic_names(resp);
    }
    if req.mode == RequestMode::NoCors {
        return Vec::new();
    }
    expose_headers::exposed(resp, p.include_credentials)
}

fn basic_names(resp: &ServerResponse) -> Vec<String> {
    expose_headers::response_names(resp)
        .into_iter()
        .filter(|n| !is_forbidden_response_name(n))
        .collect()
}

struct Run<'a> {
    req: &'a Request,
    server: &'a dyn Server,
    browser: Browser,
    steps: Vec<Step>,
    preflight_sent: bool,
    preflight_passed: bool,
    requests: u8,
    reports: Vec<&'static str>,
}

impl Run<'_> {
    #[inline(always)]
    fn step(&mut self, kind: StepKind, passed: bool, detail: Detail) {
        self.steps.push(Step {
            kind,
            passed,
            detail,
        });
    }

    /// The trace so far, with its verdict (the run is over: its steps move to the trace).
    fn done(&mut self, verdict: Verdict) -> Trace {
        Trace {
            preflight_sent: self.preflight_sent,
            requests: self.requests,
            reports: std::mem::take(&mut self.reports),
            steps: std::mem::take(&mut self.steps),
            verdict,
        }
    }

    fn blocked(&mut self, kind: StepKind, f: Finding) -> Trace {
        self.step(kind, false, Detail::Text(Cow::Owned(f.message.clone())));
        self.done(Verdict::Blocked(f))
    }
}

/// Runs the request against a server, by the Fetch Standard. Never panics; a server that
/// refuses (e.g. fixed answers that run out) ends the trace with `network/unreachable` and says
/// which answer is missing (`params.missing`).
pub fn simulate<S: Server + ?Sized>(req: &Request, server: &S) -> Trace {
    simulate_in(Browser::Spec, req, &Wrap(server))
}

/// [`simulate`] with one browser's deviations from the standard.
pub fn simulate_in(browser: Browser, req: &Request, server: &dyn Server) -> Trace {
    let analysis = analyze(req);
    let mut run = Run {
        req,
        server,
        browser,
        // Enough for a preflighted request without redirects.
        steps: Vec::with_capacity(6),
        preflight_sent: false,
        preflight_passed: false,
        requests: 0,
        reports: Vec::new(),
    };
    for note in &analysis.notes {
        run.step(
            StepKind::CheckInput,
            true,
            Detail::Note(Box::new(note.clone())),
        );
    }
    if let Some(f) = &analysis.fatal {
        run.step(
            StepKind::CheckInput,
            false,
            Detail::Text(Cow::Owned(f.message.clone())),
        );
        return run.done(Verdict::NotSent(f.clone()));
    }
    match &analysis.prepared {
        Some(p) => follow(&mut run, p, &mut Buffer::take().0),
        None => {
            let f = Finding::new(Code::InputInvalidUrl, "The request could not be prepared.");
            run.done(Verdict::NotSent(f))
        }
    }
}

/// Lets an unsized server be used as `&dyn Server`.
struct Wrap<'a, S: ?Sized>(&'a S);

thread_local! {
    /// The header lines of the last response a server wrote (see [`Server::answer_into`]).
    static BUFFER: Cell<Vec<(String, String)>> = const { Cell::new(Vec::new()) };
}

/// A response buffer kept between simulations (per thread) for servers that build their
/// responses; it goes back when dropped.
struct Buffer(ServerResponse);

impl Buffer {
    fn take() -> Buffer {
        Buffer(ServerResponse {
            status: 0,
            headers: BUFFER.try_with(Cell::take).unwrap_or_default(),
        })
    }
}

impl Drop for Buffer {
    fn drop(&mut self) {
        let headers = std::mem::take(&mut self.0.headers);
        let _ = BUFFER.try_with(|b| b.set(headers));
    }
}

impl<S: Server + ?Sized> Server for Wrap<'_, S> {
    fn answer(&self, incoming: &Incoming<'_>) -> Reply<'_> {
        self.0.answer(incoming)
    }

    fn answer_into<'a>(
        &'a self,
        incoming: &Incoming<'_>,
        buffer: &'a mut ServerResponse,
    ) -> Reply<'a> {
        self.0.answer_into(incoming, buffer)
    }

    fn allows_origin_elsewhere(&self, origin: &str) -> bool {
        self.0.allows_origin_elsewhere(origin)
    }
}

fn missing_answer(what: &str, hop: usize, url: &url::Url) -> Finding {
    Finding::new(
        Code::NetworkUnreachable,
        format!("No {what} answer was given for hop {hop} ({url}): the simulation cannot go on."),
    )
    .with("missing", what)
    .with("hop", hop.to_string())
}

fn follow(run: &mut Run<'_>, p: &Prepared, buffer: &mut ServerResponse) -> Trace {
    let page = &p.page;
    let include = p.include_credentials;
    let mut url = p.url.clone();
    let mut method = p.method.clone();
    // The headers (and so the CORS-unsafe names) change only when a redirect drops the body.
    let mut headers = Cow::Borrowed(p.headers.as_slice());
    let mut unsafe_names = Cow::Borrowed(p.unsafe_names.as_slice());
    let mut request_headers = p.request_headers.clone();
    let mode = run.req.mode;
    let mut cors = false; // response tainting "cors"
    let mut opaque = false; // response tainting "opaque" (no-cors)
    let mut tainted = false;
    let mut hop_index = 0usize;
    let mut has_body = run.req.body.is_some();
    // One hop per loop turn; bounded by MAX_REDIRECTS + 1 turns.
    loop {
        let cross = if hop_index == 0 {
            p.cross_origin
        } else {
            !page.same_origin(&url)
        };
        if cross && mode == RequestMode::SameOrigin {
            let f = Finding::new(
                Code::InputDisallowedByMode,
                format!("mode: \"same-origin\" refuses the cross-origin URL {url}."),
            )
            .with("url", url.as_str());
            return run.blocked(StepKind::Redirect, f);
        }
        if cross && mode == RequestMode::Cors {
            cors = true;
        }
        if cross && mode == RequestMode::NoCors {
            opaque = true;
        }
        let null_origin = tainted || page.is_opaque();
        let origin: &str = if null_origin {
            "null"
        } else {
            page.serialized()
        };
        let sent_origin = || SentOrigin((!tainted).then(|| page.clone()));
        if cors {
            let lna = if hop_index == 0 {
                p.local_network
            } else {
                local_network::crossing(page, &url)
            };
            if preflight::needed_for(&method, &unsafe_names) || lna.is_some() {
                run.preflight_sent = true;
                run.requests = run.requests.saturating_add(1);
                let reply = run.server.answer_into(
                    &Incoming {
                        hop: hop_index,
                        url: &url,
                        origin: Some(origin),
                        method: "OPTIONS",
                        request_method: Some(&method),
                        request_headers: request_headers.as_deref(),
                        with_body: false,
                    },
                    buffer,
                );
                run.step(
                    StepKind::SendPreflight,
                    true,
                    Detail::Preflight {
                        url: url.clone(),
                        origin: sent_origin(),
                        method: method.clone(),
                        request_headers: request_headers.clone(),
                        private_network: lna.is_some(),
                    },
                );
                let pf = match reply {
                    Reply::Response(r) => r,
                    Reply::Hangs => return run.done(Verdict::NoAnswer),
                    Reply::Refused => {
                        let f = missing_answer("preflight", hop_index, &url);
                        return run.blocked(StepKind::PreflightCheck, f);
                    }
                };
                let ask = Ask {
                    origin,
                    method: &method,
                    unsafe_names: &unsafe_names,
                    include_credentials: include,
                    private_network: lna.is_some(),
                    browser: run.browser,
                };
                match preflight::check(&pf, &ask) {
                    Ok(pass) => {
                        run.preflight_passed = true;
                        if let Some(report) = pass.report {
                            run.reports.push(report);
                        }
                        run.step(
                            StepKind::PreflightCheck,
                            true,
                            Detail::PreflightPassed {
                                status: pass.status,
                                max_age: pass.max_age,
                            },
                        );
                    }
                    Err(f) => return run.blocked(StepKind::PreflightCheck, f),
                }
            }
        }

        let origin_sent = cors || !matches!(method, method::Name::GET | method::Name::HEAD);
        run.requests = run.requests.saturating_add(1);
        let reply = run.server.answer_into(
            &Incoming {
                hop: hop_index,
                url: &url,
                origin: origin_sent.then_some(origin),
                method: &method,
                request_method: None,
                request_headers: None,
                with_body: has_body,
            },
            buffer,
        );
        let resp = match reply {
            Reply::Response(r) => r,
            Reply::Hangs => return run.done(Verdict::NoAnswer),
            Reply::Refused => {
                let f = missing_answer("response", hop_index, &url);
                return run.blocked(StepKind::SendRequest, f);
            }
        };
        let resp: &ServerResponse = &resp;
        run.step(
            StepKind::SendRequest,
            true,
            Detail::Sent {
                method: method.clone(),
                url: url.clone(),
                cors,
                origin: sent_origin(),
                status: resp.status,
            },
        );

        if cors {
            if let Err(f) = cors_check(run, resp, origin, include, tainted) {
                return run.blocked(StepKind::CorsCheck, f);
            }
            run.step(
                StepKind::CorsCheck,
                true,
                Detail::Allowed {
                    origin: sent_origin(),
                },
            );
        }

        let location = if redirect::is_redirect_status(resp.status) {
            redirect::location(resp, &url)
        } else {
            None
        };
        let Some(location) = location else {
            return deliver(run, resp, &url, cors, opaque, include, hop_index > 0);
        };
        match run.req.redirect {
            RedirectMode::Error => {
                let f = Finding::new(
                    Code::RedirectModeError,
                    format!(
                        "The server redirected ({}) and the request uses redirect: \"error\".",
                        resp.status
                    ),
                )
                .with("status", resp.status.to_string());
                return run.blocked(StepKind::Redirect, f);
            }
            RedirectMode::Manual => {
                run.step(
                    StepKind::Redirect,
                    true,
                    Detail::ManualRedirect {
                        status: resp.status,
                    },
                );
                return run.done(Verdict::Delivered {
                    response_type: ResponseType::OpaqueRedirect,
                    status: 0,
                    final_url: url.as_str().to_string(),
                    exposed_headers: Vec::new(),
                    redirected: hop_index > 0,
                });
            }
            RedirectMode::Follow => {}
        }
        if hop_index >= MAX_REDIRECTS {
            let f = Finding::new(
                Code::RedirectTooMany,
                format!("More than {MAX_REDIRECTS} redirects: the browser gives up."),
            )
            .with("count", (hop_index + 1).to_string());
            return run.blocked(StepKind::Redirect, f);
        }
        let next = match location {
            Ok(u) => u,
            Err(v) => {
                let f = Finding::new(
                    Code::RedirectInvalidLocation,
                    format!("The redirect's Location {v:?} is not a valid URL."),
                )
                .with("location", v);
                return run.blocked(StepKind::Redirect, f);
            }
        };
        if !matches!(next.scheme(), "http" | "https") {
            let f = Finding::new(
                Code::RedirectUnsupportedScheme,
                format!("The redirect goes to {next}, which is not http(s)."),
            )
            .with("location", next.as_str())
            .with("scheme", next.scheme());
            return run.blocked(StepKind::Redirect, f);
        }
        // Chromium refuses such a redirect in every mode (no-cors included).
        if redirect::has_credentials(&next)
            && ((mode == RequestMode::Cors && !page.same_origin(&next))
                || cors
                || run.browser == Browser::Chromium)
        {
            let f = Finding::new(
                Code::RedirectCredentialsInUrl,
                format!("The redirect Location {next} carries user:password@, which a CORS request refuses."),
            )
            .with("location", next.as_str());
            return run.blocked(StepKind::Redirect, f);
        }
        if mixed_content::blocks(page, &next) {
            let f = Finding::new(
                Code::NetworkMixedContent,
                format!("The redirect goes to the http URL {next} from an https page: blocked as mixed content."),
            )
            .with("url", next.as_str());
            return run.blocked(StepKind::Redirect, f);
        }
        let taints = mode == RequestMode::Cors && redirect::taints(page, &url, &next) && !tainted;
        if taints {
            tainted = true;
        }
        let mut method_dropped = None;
        if redirect::becomes_get(resp.status, &method) {
            has_body = false;
            method_dropped = Some(std::mem::replace(&mut method, method::Name::GET));
            headers
                .to_mut()
                .retain(|(n, _)| !redirect::is_request_body_header(n));
            unsafe_names = Cow::Owned(cors_unsafe_names(&headers));
            request_headers = request_headers_value(&unsafe_names);
        }
        run.step(
            StepKind::Redirect,
            true,
            Detail::Redirect {
                status: resp.status,
                to: next.clone(),
                taints,
                method_dropped,
            },
        );
        url = next;
        hop_index += 1;
    }
}

fn cors_check(
    run: &Run<'_>,
    resp: &ServerResponse,
    origin: &str,
    include: bool,
    tainted: bool,
) -> Result<(), Finding> {
    let status = || resp.status.to_string();
    let kind = if redirect::is_redirect_status(resp.status) {
        "redirect"
    } else {
        "actual"
    };
    match allow_origin::check(resp, origin, include) {
        Err((AllowOriginDetail::Missing, _))
            if resp.status >= 400
                && (run.preflight_passed || run.server.allows_origin_elsewhere(origin)) =>
        {
            Err(Finding::new(
                Code::ResponseHiddenServerError,
                format!(
                    "The preflight passed, but the actual response is a {} error without CORS headers: the browser reports a CORS error and hides the server error.",
                    resp.status
                ),
            )
            .with("status", status()))
        }
        Err((AllowOriginDetail::WildcardWithCredentials, value)) => Err(Finding::new(
            Code::ResponseCredentials(CredentialsDetail::WildcardOrigin),
            format!(
                "The {kind} response allows * but the request includes credentials: Access-Control-Allow-Origin must echo {origin} exactly."
            ),
        )
        .with("value", value)
        .with("status", status())),
        Err((detail, value)) if tainted && detail != AllowOriginDetail::Missing => Err(Finding::new(
            Code::RedirectTaintedOrigin,
            format!(
                "A cross-origin redirect made the Origin null, and the final response allows {value:?} instead of null or *."
            ),
        )
        .with("value", value)
        .with("origin", "null")
        .with("status", status())),
        Err((detail, value)) => {
            let mut msg = allow_origin_sentence(kind, detail, &value, origin, resp.status);
            if tainted {
                msg.push_str(" (The Origin is null after a cross-origin redirect.)");
            }
            Err(Finding::new(Code::ResponseAllowOrigin(detail), msg)
                .with("value", value)
                .with("origin", origin)
                .with("status", status()))
        }
        Ok(()) if include => credentials::check(resp).map_err(|v| {
            Finding::new(
                Code::ResponseCredentials(CredentialsDetail::MissingAllow),
                format!(
                    "The request includes credentials, but Access-Control-Allow-Credentials is {} instead of exactly true.",
                    if v.is_empty() { "absent".to_string() } else { format!("{v:?}") }
                ),
            )
            .with("value", v)
            .with("status", status())
        }),
        Ok(()) => Ok(()),
    }
}

fn deliver(
    run: &mut Run<'_>,
    resp: &ServerResponse,
    url: &Url,
    cors: bool,
    opaque: bool,
    include: bool,
    redirected: bool,
) -> Trace {
    if opaque {
        run.step(
            StepKind::ExposeHeaders,
            true,
            Detail::Text(Cow::Borrowed(
                "no-cors: the page gets an opaque response (status 0, no headers, no body).",
            )),
        );
        return run.done(Verdict::Delivered {
            response_type: ResponseType::Opaque,
            status: 0,
            final_url: url.as_str().to_string(),
            exposed_headers: Vec::new(),
            redirected,
        });
    }
    let exposed = if cors {
        expose_headers::exposed(resp, include)
    } else {
        basic_names(resp)
    };
    run.step(
        StepKind::ExposeHeaders,
        true,
        Detail::Exposed {
            cors,
            // Same-origin responses say "every header" rather than list them.
            names: if cors { exposed.clone() } else { Vec::new() },
            not_modified: resp.status == 304,
        },
    );
    run.done(Verdict::Delivered {
        response_type: if cors {
            ResponseType::Cors
        } else {
            ResponseType::Basic
        },
        status: resp.status,
        final_url: url.as_str().to_string(),
        exposed_headers: exposed,
        redirected,
    })
}

fn list_or_none(v: &[String]) -> String {
    if v.is_empty() {
        "no headers".into()
    } else {
        v.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::fetch::{Hop, ServerAnswers};

    #[test]
    fn steps_serialize_with_their_text_and_read_back() {
        let req = Request::new("http://127.0.0.1:8080", "http://127.0.0.1:9090/api", "PUT")
            .header("X-Api-Key", "k");
        let answers = ServerAnswers {
            hops: vec![Hop::new(
                Some(ServerResponse::new(
                    204,
                    &[
                        ("Access-Control-Allow-Origin", "*"),
                        ("Access-Control-Allow-Methods", "PUT"),
                        ("Access-Control-Allow-Headers", "x-api-key"),
                    ],
                )),
                ServerResponse::new(200, &[("Access-Control-Allow-Origin", "*")]),
            )],
        };
        let trace = simulate(&req, &answers);
        let json = serde_json::to_value(&trace).unwrap_or_default();
        assert_eq!(
            json["steps"][0]["text"],
            "OPTIONS http://127.0.0.1:9090/api with Origin: http://127.0.0.1:8080, \
             Access-Control-Request-Method: PUT, Access-Control-Request-Headers: x-api-key"
        );
        assert_eq!(json["steps"][0]["kind"], "send-preflight");
        assert_eq!(trace.steps[0].to_string(), trace.steps[0].text());
        let back: Trace = serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.steps, trace.steps);
        assert_eq!(back.verdict, trace.verdict);
    }
}
