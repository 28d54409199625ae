//! The simulator: request + the servers' answers → what the browser does, step by step, following
//! [main fetch](https://fetch.spec.whatwg.org/#main-fetch), [HTTP fetch](https://fetch.spec.whatwg.org/#http-fetch)
//! and [HTTP-redirect fetch](https://fetch.spec.whatwg.org/#http-redirect-fetch).

use serde::{Deserialize, Serialize};

use super::allow_origin::{self, allow_origin_sentence};
use super::answers::ServerResponse;
use super::behaviour::{Incoming, Reply, Server};
use super::browser::Browser;
use super::code::{AllowOriginDetail, Code, CredentialsDetail, Finding};
use super::credentials;
use super::expose_headers;
use super::header_name::is_forbidden_response_name;
use super::input::{analyze, Prepared};
use super::local_network;
use super::mixed_content;
use super::preflight::{self, Ask};
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub kind: StepKind,
    pub passed: bool,
    pub text: String,
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
    analyze(req).findings
}

/// Whether the browser sends a preflight for the request URL (CORS rules, or a local network
/// request, which is always preflighted per the Private Network Access draft).
pub fn needs_preflight(req: &Request) -> bool {
    let a = analyze(req);
    match a.prepared {
        Some(p) if req.mode == RequestMode::Cors && p.cross_origin() => {
            preflight::needed_for(&p.method, &p.headers)
                || local_network::crossing(&p.page, &p.url).is_some()
        }
        _ => false,
    }
}

/// Lower-case names of the request's headers that make it need a preflight, sorted, after the
/// browser has dropped the forbidden ones (empty when the request cannot be prepared).
pub fn cors_unsafe_header_names(req: &Request) -> Vec<String> {
    analyze(req)
        .prepared
        .map(|p| cors_unsafe_names(&p.headers))
        .unwrap_or_default()
}

/// The exact `Access-Control-Request-Headers` the browser sends, if any.
pub fn access_control_request_headers(req: &Request) -> Option<String> {
    let p = analyze(req).prepared?;
    if req.mode != RequestMode::Cors || !p.cross_origin() {
        return None;
    }
    preflight::request_headers_value(&p.headers)
}

/// Lower-case names of `resp`'s headers the page can read.
pub fn exposed_header_names(req: &Request, resp: &ServerResponse) -> Vec<String> {
    let Some(p) = analyze(req).prepared else {
        return Vec::new();
    };
    if !p.cross_origin() {
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
    fn step(&mut self, kind: StepKind, passed: bool, text: impl Into<String>) {
        self.steps.push(Step {
            kind,
            passed,
            text: text.into(),
        });
    }

    fn done(self, verdict: Verdict) -> Trace {
        Trace {
            preflight_sent: self.preflight_sent,
            requests: self.requests,
            reports: self.reports,
            steps: self.steps,
            verdict,
        }
    }

    fn blocked(mut self, kind: StepKind, f: Finding) -> Trace {
        self.step(kind, false, f.message.clone());
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
        steps: Vec::new(),
        preflight_sent: false,
        preflight_passed: false,
        requests: 0,
        reports: Vec::new(),
    };
    for f in analysis
        .findings
        .iter()
        .filter(|f| Some(*f) != analysis.fatal.as_ref())
    {
        run.step(StepKind::CheckInput, true, f.message.clone());
    }
    if let Some(f) = analysis.fatal {
        run.step(StepKind::CheckInput, false, f.message.clone());
        return run.done(Verdict::NotSent(f));
    }
    match analysis.prepared {
        Some(p) => follow(run, p),
        None => {
            let f = Finding::new(Code::InputInvalidUrl, "The request could not be prepared.");
            run.done(Verdict::NotSent(f))
        }
    }
}

/// Lets an unsized server be used as `&dyn Server`.
struct Wrap<'a, S: ?Sized>(&'a S);

impl<S: Server + ?Sized> Server for Wrap<'_, S> {
    fn answer(&self, incoming: &Incoming<'_>) -> Reply<'_> {
        self.0.answer(incoming)
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

fn follow(mut run: Run<'_>, p: Prepared) -> Trace {
    let Prepared {
        page,
        mut url,
        mut method,
        mut headers,
        include_credentials: include,
    } = p;
    let mode = run.req.mode;
    let mut cors = false; // response tainting "cors"
    let mut opaque = false; // response tainting "opaque" (no-cors)
    let mut tainted = false;
    let mut hop_index = 0usize;
    let mut has_body = run.req.body.is_some();
    // One hop per loop turn; bounded by MAX_REDIRECTS + 1 turns.
    loop {
        let cross = !page.same_origin(&url);
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
        let origin = if tainted || page.is_opaque() {
            "null".to_string()
        } else {
            page.serialized.clone()
        };
        if cors {
            let lna = local_network::crossing(&page, &url);
            let unsafe_names = cors_unsafe_names(&headers);
            if preflight::needed_for(&method, &headers) || lna.is_some() {
                run.preflight_sent = true;
                let mut text = format!(
                    "OPTIONS {url} with Origin: {origin}, Access-Control-Request-Method: {method}"
                );
                if !unsafe_names.is_empty() {
                    text.push_str(&format!(
                        ", Access-Control-Request-Headers: {}",
                        unsafe_names.join(",")
                    ));
                }
                if lna.is_some() {
                    text.push_str(", Access-Control-Request-Private-Network: true");
                }
                run.step(StepKind::SendPreflight, true, text);
                let acrh = (!unsafe_names.is_empty()).then(|| unsafe_names.join(","));
                run.requests = run.requests.saturating_add(1);
                let reply = run.server.answer(&Incoming {
                    hop: hop_index,
                    url: &url,
                    origin: Some(&origin),
                    method: "OPTIONS",
                    request_method: Some(&method),
                    request_headers: acrh.as_deref(),
                    with_body: false,
                });
                let pf = match reply {
                    Reply::Response(r) => r,
                    Reply::Hangs => return run.done(Verdict::NoAnswer),
                    Reply::Refused => {
                        let f = missing_answer("preflight", hop_index, &url);
                        return run.blocked(StepKind::PreflightCheck, f);
                    }
                };
                let ask = Ask {
                    origin: &origin,
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
                        run.step(StepKind::PreflightCheck, true, pass.text);
                    }
                    Err(f) => return run.blocked(StepKind::PreflightCheck, f),
                }
            }
        }

        let origin_sent = cors || !matches!(method.as_str(), "GET" | "HEAD");
        run.requests = run.requests.saturating_add(1);
        let reply = run.server.answer(&Incoming {
            hop: hop_index,
            url: &url,
            origin: origin_sent.then_some(origin.as_str()),
            method: &method,
            request_method: None,
            request_headers: None,
            with_body: has_body,
        });
        let resp = match reply {
            Reply::Response(r) => r,
            Reply::Hangs => return run.done(Verdict::NoAnswer),
            Reply::Refused => {
                let f = missing_answer("response", hop_index, &url);
                return run.blocked(StepKind::SendRequest, f);
            }
        };
        let resp: &ServerResponse = &resp;
        let sent_origin = if cors {
            format!(" with Origin: {origin}")
        } else {
            String::new()
        };
        run.step(
            StepKind::SendRequest,
            true,
            format!("{method} {url}{sent_origin} → status {}", resp.status),
        );

        if cors {
            if let Err(f) = cors_check(&run, resp, &origin, include, tainted) {
                return run.blocked(StepKind::CorsCheck, f);
            }
            run.step(
                StepKind::CorsCheck,
                true,
                format!("Access-Control-Allow-Origin allows {origin}."),
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
                    format!("redirect: \"manual\": the page gets an opaqueredirect response (status 0) for the {}.", resp.status),
                );
                return run.done(Verdict::Delivered {
                    response_type: ResponseType::OpaqueRedirect,
                    status: 0,
                    final_url: url.to_string(),
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
        if mixed_content::blocks(&page, &next) {
            let f = Finding::new(
                Code::NetworkMixedContent,
                format!("The redirect goes to the http URL {next} from an https page: blocked as mixed content."),
            )
            .with("url", next.as_str());
            return run.blocked(StepKind::Redirect, f);
        }
        let mut text = format!("{} redirect to {next}", resp.status);
        if mode == RequestMode::Cors && redirect::taints(&page, &url, &next) && !tainted {
            tainted = true;
            text.push_str("; cross-origin hop from a cross-origin URL: Origin becomes null");
        }
        let (new_method, drop_body) = redirect::rewrite_method(resp.status, &method);
        if drop_body {
            has_body = false;
            text.push_str(&format!("; {method} becomes GET without body"));
            headers.retain(|(n, _)| !redirect::is_request_body_header(n));
        }
        method = new_method;
        run.step(StepKind::Redirect, true, text);
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
    let status = resp.status.to_string();
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
            .with("status", status))
        }
        Err((AllowOriginDetail::WildcardWithCredentials, value)) => Err(Finding::new(
            Code::ResponseCredentials(CredentialsDetail::WildcardOrigin),
            format!(
                "The {kind} response allows * but the request includes credentials: Access-Control-Allow-Origin must echo {origin} exactly."
            ),
        )
        .with("value", value)
        .with("status", status)),
        Err((detail, value)) if tainted && detail != AllowOriginDetail::Missing => Err(Finding::new(
            Code::RedirectTaintedOrigin,
            format!(
                "A cross-origin redirect made the Origin null, and the final response allows {value:?} instead of null or *."
            ),
        )
        .with("value", value)
        .with("origin", "null")
        .with("status", status)),
        Err((detail, value)) => {
            let mut msg = allow_origin_sentence(kind, detail, &value, origin, resp.status);
            if tainted {
                msg.push_str(" (The Origin is null after a cross-origin redirect.)");
            }
            Err(Finding::new(Code::ResponseAllowOrigin(detail), msg)
                .with("value", value)
                .with("origin", origin)
                .with("status", status))
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
            .with("status", status)
        }),
        Ok(()) => Ok(()),
    }
}

fn deliver(
    mut run: Run<'_>,
    resp: &ServerResponse,
    url: &url::Url,
    cors: bool,
    opaque: bool,
    include: bool,
    redirected: bool,
) -> Trace {
    if opaque {
        run.step(
            StepKind::ExposeHeaders,
            true,
            "no-cors: the page gets an opaque response (status 0, no headers, no body).",
        );
        return run.done(Verdict::Delivered {
            response_type: ResponseType::Opaque,
            status: 0,
            final_url: url.to_string(),
            exposed_headers: Vec::new(),
            redirected,
        });
    }
    let exposed = if cors {
        expose_headers::exposed(resp, include)
    } else {
        basic_names(resp)
    };
    let mut text = if cors {
        format!("The page can read: {}.", list_or_none(&exposed))
    } else {
        "Same-origin response: every header but Set-Cookie is readable.".to_string()
    };
    if resp.status == 304 {
        text.push_str(" Status 304: a revalidation of the browser's cache is merged with the cached response (and its headers) before the CORS check; a 304 the page asked for with its own conditional headers reaches it as is.");
    }
    run.step(StepKind::ExposeHeaders, true, text);
    run.done(Verdict::Delivered {
        response_type: if cors {
            ResponseType::Cors
        } else {
            ResponseType::Basic
        },
        status: resp.status,
        final_url: url.to_string(),
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
