//! A server's behaviour: a configuration that answers *any* request, the way a real stack does
//! (a CORS layer that reflects the Origin or sends a fixed value, auth or a router that answers
//! `OPTIONS` before it, error handlers it skips, a proxy that adds a second header, a redirect in
//! front of everything). The same configuration drives the simulator ([`Server`]), the lab's
//! `/behaviour` endpoint (through [`Behaviour::to_query`] / [`Behaviour::from_query`]) and so
//! Chromium, which is what lets the closed loop compare all three.

use std::borrow::Cow;

use url::Url;

use super::answers::{ServerAnswers, ServerResponse};

/// What the browser sends to one URL, as a server sees it.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    /// 0 for the request URL; each followed redirect adds one.
    pub hop: usize,
    pub url: &'a Url,
    /// The `Origin` header, when the browser sends one.
    pub origin: Option<&'a str>,
    /// `OPTIONS` for a preflight.
    pub method: &'a str,
    /// A preflight's `Access-Control-Request-Method`.
    pub request_method: Option<&'a str>,
    /// A preflight's `Access-Control-Request-Headers`.
    pub request_headers: Option<&'a str>,
    /// The request carries a body.
    pub with_body: bool,
}

/// What a server does with a request: an HTTP response, or nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply<'a> {
    Response(Cow<'a, ServerResponse>),
    /// The connection is refused or reset: no HTTP response (DNS, TLS, nothing listening).
    Refused,
    /// The server accepts the request and never answers.
    Hangs,
}

/// Anything the simulator can send requests to.
pub trait Server {
    /// The answer to a preflight (`incoming.method` is `OPTIONS`) or to a request.
    fn answer(&self, incoming: &Incoming<'_>) -> Reply<'_>;

    /// Whether the server's CORS set-up allows `origin` on its normal responses: then an error
    /// response without CORS headers is a hidden server error, not a missing CORS set-up.
    /// Fixed answers cannot tell (`false`); a preflight that passed tells the simulator anyway.
    fn allows_origin_elsewhere(&self, origin: &str) -> bool {
        let _ = origin;
        false
    }

    /// [`Server::answer`], free to write its response over `buffer` (reusing its strings) and
    /// answer with it: the simulator asks this way, with a buffer it keeps between requests, so
    /// that a server that builds its responses does not allocate them every time.
    fn answer_into<'a>(
        &'a self,
        incoming: &Incoming<'_>,
        buffer: &'a mut ServerResponse,
    ) -> Reply<'a> {
        let _ = buffer;
        self.answer(incoming)
    }
}

/// Fixed answers per hop (what a HAR file, `curl` output or a hand-written case gives): hop `n`
/// answers the `n`-th URL whatever is sent to it. A missing answer is refused.
impl Server for ServerAnswers {
    fn answer(&self, incoming: &Incoming<'_>) -> Reply<'_> {
        let Some(hop) = self.hops.get(incoming.hop) else {
            return Reply::Refused;
        };
        let response = if incoming.method == "OPTIONS" && incoming.request_method.is_some() {
            hop.preflight.as_ref()
        } else {
            Some(&hop.response)
        };
        response.map_or(Reply::Refused, |r| Reply::Response(Cow::Borrowed(r)))
    }
}

/// Whether anything answers at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Network {
    #[default]
    Up,
    /// Nothing listens: every request fails before HTTP.
    Down,
    /// Every request is accepted and never answered.
    Hangs,
}

/// What the CORS layer puts in `Access-Control-Allow-Origin`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum AllowOrigin {
    /// No CORS layer at all.
    None,
    /// Echoes the request's `Origin` (or nothing when there is none).
    #[default]
    Reflect,
    /// A fixed value: `*`, another origin, the origin with a trailing slash, a list…
    Value(String),
}

/// What the CORS layer puts in an `Access-Control-Allow-Methods` / `-Headers` list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum AllowList {
    /// Not sent.
    None,
    /// Echoes `Access-Control-Request-Method` / `-Headers`.
    #[default]
    Reflect,
    /// A fixed value, sent verbatim (`GET, POST`, `*`, `GET; POST`…).
    Value(String),
}

/// Who answers a preflight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Options {
    /// The CORS layer answers it with this status and its headers.
    CorsLayer(u16),
    /// Something in front of the CORS layer answers (auth: 401/403, no route: 404/405), with or
    /// without the CORS layer's headers added on the way out.
    Before { status: u16, cors_headers: bool },
}

impl Default for Options {
    fn default() -> Self {
        Options::CorsLayer(204)
    }
}

/// Which responses (other than a preflight) carry the CORS layer's headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CorsOn {
    #[default]
    Every,
    /// Only statuses below 400 (nginx `add_header` without `always`; a CORS middleware that an
    /// error handler outside it bypasses).
    Success,
}

/// Where a redirect goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirectTarget {
    /// The same URL with a trailing slash (Django's `APPEND_SLASH`, a framework's strict routing).
    TrailingSlash,
    /// The same path and query on another origin (http→https, another host), e.g. `http://127.0.0.1:9091`.
    Origin(String),
    /// The same URL with `user:password@` in it.
    WithCredentials,
    /// A non-http(s) URL.
    OtherScheme,
}

/// A redirect in front of the application, answered for every method or every method but `OPTIONS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub status: u16,
    pub target: RedirectTarget,
    /// The redirect response carries the CORS layer's headers.
    pub cors_headers: bool,
    /// `OPTIONS` is redirected too (a proxy or an http→https rule in front of everything).
    pub preflight_too: bool,
}

/// A server's configuration. [`Behaviour::default`] is a correct CORS set-up that allows any
/// origin with credentials, every method and header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Behaviour {
    pub network: Network,
    pub allow_origin: AllowOrigin,
    /// A proxy adds a second `Access-Control-Allow-Origin` line with the same value.
    pub second_allow_origin: bool,
    pub allow_credentials: bool,
    pub allow_methods: AllowList,
    pub allow_headers: AllowList,
    /// `Access-Control-Expose-Headers`, when sent.
    pub expose_headers: Option<String>,
    pub options: Options,
    /// Status of `GET` and `HEAD`.
    pub get_status: u16,
    /// Status of every other method (the application may fail on one method only).
    pub other_status: u16,
    /// Status of those methods when the request has no body (`None`: the same): an application
    /// that fails on the payload (validation, parsing) answers a bodiless request differently.
    pub bodiless_status: Option<u16>,
    pub cors_on: CorsOn,
    /// A redirect at the request URL (hop 0); its target behaves like this server without it.
    pub redirect: Option<Redirect>,
}

impl Default for Behaviour {
    fn default() -> Self {
        Behaviour {
            network: Network::Up,
            allow_origin: AllowOrigin::Reflect,
            second_allow_origin: false,
            allow_credentials: true,
            allow_methods: AllowList::Reflect,
            allow_headers: AllowList::Reflect,
            expose_headers: None,
            options: Options::default(),
            get_status: 200,
            other_status: 200,
            bodiless_status: None,
            cors_on: CorsOn::Every,
            redirect: None,
        }
    }
}

/// A header the application always sends, so that exposure can be checked.
pub const APP_HEADER: (&str, &str) = ("X-Request-Id", "42");

impl Server for Behaviour {
    fn answer(&self, incoming: &Incoming<'_>) -> Reply<'_> {
        match self.network {
            Network::Down => return Reply::Refused,
            Network::Hangs => return Reply::Hangs,
            Network::Up => {}
        }
        Reply::Response(Cow::Owned(self.respond(incoming)))
    }

    fn answer_into<'a>(
        &'a self,
        incoming: &Incoming<'_>,
        buffer: &'a mut ServerResponse,
    ) -> Reply<'a> {
        match self.network {
            Network::Down => return Reply::Refused,
            Network::Hangs => return Reply::Hangs,
            Network::Up => {}
        }
        self.respond_into(incoming, buffer);
        Reply::Response(Cow::Borrowed(buffer))
    }

    fn allows_origin_elsewhere(&self, origin: &str) -> bool {
        !self.second_allow_origin
            && match &self.allow_origin {
                AllowOrigin::None => false,
                AllowOrigin::Reflect => true,
                AllowOrigin::Value(v) => v == origin || v == "*",
            }
    }
}

/// What an `Access-Control-Allow-Methods` / `-Headers` rule sends for what the preflight asked.
fn listed<'a>(rule: &'a AllowList, asked: Option<&'a str>) -> Option<&'a str> {
    match rule {
        AllowList::None => None,
        AllowList::Reflect => asked,
        AllowList::Value(v) => Some(v),
    }
}

/// Writes a response's header lines over the ones already in it, reusing their strings.
struct Lines<'a> {
    headers: &'a mut Vec<(String, String)>,
    len: usize,
}

impl<'a> Lines<'a> {
    fn over(headers: &'a mut Vec<(String, String)>) -> Self {
        Lines { headers, len: 0 }
    }

    fn push(&mut self, name: &str, value: &str) {
        self.push_with(name, |v| v.push_str(value));
    }

    /// A line whose value `write` appends to an empty string.
    fn push_with(&mut self, name: &str, write: impl FnOnce(&mut String)) {
        match self.headers.get_mut(self.len) {
            Some((n, v)) => {
                n.clear();
                n.push_str(name);
                v.clear();
                write(v);
            }
            None => {
                let mut v = String::new();
                write(&mut v);
                self.headers.push((name.to_string(), v));
            }
        }
        self.len += 1;
    }
}

impl Drop for Lines<'_> {
    /// Lines left from what the response held before are not part of it.
    fn drop(&mut self) {
        self.headers.truncate(self.len);
    }
}

impl Behaviour {
    /// The HTTP response to one request (the network is assumed up).
    pub fn respond(&self, incoming: &Incoming<'_>) -> ServerResponse {
        let mut response = ServerResponse {
            status: 0,
            headers: Vec::new(),
        };
        self.respond_into(incoming, &mut response);
        response
    }

    /// [`Behaviour::respond`], written over `response` (its strings are reused).
    fn respond_into(&self, incoming: &Incoming<'_>, response: &mut ServerResponse) {
        let preflight = incoming.method.eq_ignore_ascii_case("OPTIONS");
        let mut lines = Lines::over(&mut response.headers);
        if let Some(redirect) = self.redirect.as_ref().filter(|_| incoming.hop == 0) {
            if !preflight || redirect.preflight_too {
                response.status = redirect.status;
                lines.push_with("Location", |v| self.write_location(redirect, incoming, v));
                if redirect.cors_headers {
                    self.cors_headers(incoming, &mut lines);
                }
                return;
            }
        }
        if preflight && incoming.request_method.is_some() {
            let (status, with_cors) = match self.options {
                Options::CorsLayer(status) => (status, true),
                Options::Before {
                    status,
                    cors_headers,
                } => (status, cors_headers),
            };
            response.status = status;
            if with_cors {
                self.cors_headers(incoming, &mut lines);
                if let Some(v) = listed(&self.allow_methods, incoming.request_method) {
                    lines.push("Access-Control-Allow-Methods", v);
                }
                if let Some(v) = listed(&self.allow_headers, incoming.request_headers) {
                    lines.push("Access-Control-Allow-Headers", v);
                }
            }
            return;
        }
        let status = match (incoming.method, self.bodiless_status) {
            ("GET" | "HEAD", _) => self.get_status,
            (_, Some(status)) if !incoming.with_body => status,
            _ => self.other_status,
        };
        response.status = status;
        if self.cors_on == CorsOn::Every || status < 400 {
            self.cors_headers(incoming, &mut lines);
            if let Some(expose) = &self.expose_headers {
                lines.push("Access-Control-Expose-Headers", expose);
            }
        }
        lines.push(APP_HEADER.0, APP_HEADER.1);
    }

    /// Where the redirect points: the target keeps the path and the query without the redirect,
    /// so that the lab's target answers as this behaviour without it.
    fn write_location(&self, redirect: &Redirect, incoming: &Incoming<'_>, out: &mut String) {
        let url = incoming.url;
        let path = url.path();
        let host = url.host_str().unwrap_or("");
        match &redirect.target {
            RedirectTarget::TrailingSlash => {
                out.push_str(path.trim_end_matches('/'));
                out.push('/');
                self.write_target_query(url.query(), out);
            }
            RedirectTarget::Origin(origin) => {
                out.push_str(origin);
                out.push_str(path);
                self.write_target_query(url.query(), out);
            }
            RedirectTarget::WithCredentials => {
                out.push_str(url.scheme());
                out.push_str("://user:secret@");
                out.push_str(host);
                if let Some(port) = url.port() {
                    out.push(':');
                    out.push_str(&port.to_string());
                }
                out.push_str(path);
                self.write_target_query(url.query(), out);
            }
            RedirectTarget::OtherScheme => {
                out.push_str("ftp://");
                out.push_str(host);
                out.push_str(path);
            }
        }
    }

    fn cors_headers(&self, incoming: &Incoming<'_>, lines: &mut Lines<'_>) {
        let value = match &self.allow_origin {
            AllowOrigin::None => return,
            AllowOrigin::Reflect => match incoming.origin {
                Some(o) => o,
                None => return,
            },
            AllowOrigin::Value(v) => v.as_str(),
        };
        lines.push("Access-Control-Allow-Origin", value);
        if self.second_allow_origin {
            lines.push("Access-Control-Allow-Origin", value);
        }
        if self.allow_credentials {
            lines.push("Access-Control-Allow-Credentials", "true");
        }
        lines.push("Vary", "Origin");
    }
}

impl Behaviour {
    /// Appends the query of the redirect target: this behaviour's own parameters replaced by
    /// its parameters without the redirect, the others kept (nothing when there are none).
    fn write_target_query(&self, query: Option<&str>, out: &mut String) {
        let start = out.len();
        out.push('?');
        self.write_query_after(out, start + 1, false);
        let kept = query.unwrap_or("").split('&').filter(|p| {
            let key = p.split_once('=').map_or(*p, |(k, _)| k);
            !p.is_empty() && !KEYS.contains(&key)
        });
        for p in kept {
            if out.len() > start + 1 {
                out.push('&');
            }
            out.push_str(p);
        }
        if out.len() == start + 1 {
            out.truncate(start);
        }
    }
}

/// The query keys a behaviour uses.
const KEYS: &[&str] = &[
    "net", "ao", "ao2", "ac", "am", "ah", "eh", "opt", "gs", "os", "bs", "on", "rd",
];

/// Errors of [`Behaviour::from_query`], with the offending parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError(pub String);

impl Behaviour {
    /// The behaviour as query parameters (only the ones that differ from the default), values
    /// `%XX`-escaped: `net=down`, `ao=none|v:<value>`, `ao2=1`, `ac=0`, `am=none|v:<value>`,
    /// `ah=…`, `eh=<value>`, `opt=<status>` or `opt=before:<status>[:cors]`, `gs=`, `os=`, `bs=`,
    /// `on=success`, `rd=<status>:<slash|origin:<o>|credentials|scheme>[:cors][:options]`.
    pub fn to_query(&self) -> String {
        let mut out = String::new();
        self.write_query_after(&mut out, 0, true);
        out
    }

    /// Appends [`Behaviour::to_query`]'s parameters to `out`, `&`-separated from what is there
    /// past `start`; the redirect's only when `with_redirect`.
    fn write_query_after(&self, out: &mut String, start: usize, with_redirect: bool) {
        let mut put = |k: &str, parts: &[&str]| {
            if out.len() > start {
                out.push('&');
            }
            out.push_str(k);
            out.push('=');
            for p in parts {
                escape_into(out, p);
            }
        };
        match self.network {
            Network::Up => {}
            Network::Down => put("net", &["down"]),
            Network::Hangs => put("net", &["hangs"]),
        }
        match &self.allow_origin {
            AllowOrigin::Reflect => {}
            AllowOrigin::None => put("ao", &["none"]),
            AllowOrigin::Value(v) => put("ao", &["v:", v]),
        }
        if self.second_allow_origin {
            put("ao2", &["1"]);
        }
        if !self.allow_credentials {
            put("ac", &["0"]);
        }
        for (k, rule) in [("am", &self.allow_methods), ("ah", &self.allow_headers)] {
            match rule {
                AllowList::Reflect => {}
                AllowList::None => put(k, &["none"]),
                AllowList::Value(v) => put(k, &["v:", v]),
            }
        }
        if let Some(e) = &self.expose_headers {
            put("eh", &[e]);
        }
        match self.options {
            Options::CorsLayer(204) => {}
            Options::CorsLayer(s) => put("opt", &[&s.to_string()]),
            Options::Before {
                status,
                cors_headers,
            } => put(
                "opt",
                &[
                    "before:",
                    &status.to_string(),
                    if cors_headers { ":cors" } else { "" },
                ],
            ),
        }
        if self.get_status != 200 {
            put("gs", &[&self.get_status.to_string()]);
        }
        if self.other_status != 200 {
            put("os", &[&self.other_status.to_string()]);
        }
        if let Some(status) = self.bodiless_status {
            put("bs", &[&status.to_string()]);
        }
        if self.cors_on == CorsOn::Success {
            put("on", &["success"]);
        }
        if let Some(r) = self.redirect.as_ref().filter(|_| with_redirect) {
            let (target, origin) = match &r.target {
                RedirectTarget::TrailingSlash => ("slash", ""),
                RedirectTarget::Origin(o) => ("origin:", o.as_str()),
                RedirectTarget::WithCredentials => ("credentials", ""),
                RedirectTarget::OtherScheme => ("scheme", ""),
            };
            put(
                "rd",
                &[
                    &r.status.to_string(),
                    ":",
                    target,
                    origin,
                    if r.cors_headers { ":cors" } else { "" },
                    if r.preflight_too { ":options" } else { "" },
                ],
            );
        }
    }

    /// Reads the parameters of [`Behaviour::to_query`] from decoded `(name, value)` pairs;
    /// other names are ignored. Anything malformed is an error that names the parameter.
    pub fn from_query<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Behaviour, QueryError> {
        let mut b = Behaviour::default();
        let bad = |k: &str, v: &str| QueryError(format!("{k}={v:?} is not understood"));
        let status = |k: &str, v: &str| {
            v.parse::<u16>()
                .ok()
                .filter(|s| (200..=599).contains(s))
                .ok_or_else(|| bad(k, v))
        };
        for (k, v) in pairs {
            match k {
                "net" => {
                    b.network = match v {
                        "down" => Network::Down,
                        "hangs" => Network::Hangs,
                        _ => return Err(bad(k, v)),
                    }
                }
                "ao" => {
                    b.allow_origin = match v {
                        "none" => AllowOrigin::None,
                        "reflect" => AllowOrigin::Reflect,
                        _ => AllowOrigin::Value(
                            v.strip_prefix("v:").ok_or_else(|| bad(k, v))?.into(),
                        ),
                    }
                }
                "ao2" => b.second_allow_origin = v == "1",
                "ac" => b.allow_credentials = v != "0",
                "am" | "ah" => {
                    let rule = match v {
                        "none" => AllowList::None,
                        "reflect" => AllowList::Reflect,
                        _ => {
                            AllowList::Value(v.strip_prefix("v:").ok_or_else(|| bad(k, v))?.into())
                        }
                    };
                    if k == "am" {
                        b.allow_methods = rule;
                    } else {
                        b.allow_headers = rule;
                    }
                }
                "eh" => b.expose_headers = Some(v.into()),
                "opt" => {
                    b.options = match v.strip_prefix("before:") {
                        None => Options::CorsLayer(status(k, v)?),
                        Some(rest) => {
                            let (s, cors) = match rest.strip_suffix(":cors") {
                                Some(s) => (s, true),
                                None => (rest, false),
                            };
                            Options::Before {
                                status: status(k, s)?,
                                cors_headers: cors,
                            }
                        }
                    }
                }
                "gs" => b.get_status = status(k, v)?,
                "os" => b.other_status = status(k, v)?,
                "bs" => b.bodiless_status = Some(status(k, v)?),
                "on" => {
                    b.cors_on = match v {
                        "success" => CorsOn::Success,
                        "every" => CorsOn::Every,
                        _ => return Err(bad(k, v)),
                    }
                }
                "rd" => b.redirect = Some(parse_redirect(v).ok_or_else(|| bad(k, v))?),
                _ => {}
            }
        }
        Ok(b)
    }
}

fn parse_redirect(v: &str) -> Option<Redirect> {
    let (status, rest) = v.split_once(':')?;
    let status: u16 = status
        .parse()
        .ok()
        .filter(|s| matches!(s, 301 | 302 | 303 | 307 | 308))?;
    let (rest, preflight_too) = match rest.strip_suffix(":options") {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let (rest, cors_headers) = match rest.strip_suffix(":cors") {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let target = match rest {
        "slash" => RedirectTarget::TrailingSlash,
        "credentials" => RedirectTarget::WithCredentials,
        "scheme" => RedirectTarget::OtherScheme,
        _ => RedirectTarget::Origin(rest.strip_prefix("origin:")?.to_string()),
    };
    Some(Redirect {
        status,
        target,
        cors_headers,
        preflight_too,
    })
}

/// `%XX`-escapes everything but unreserved characters, `:` and `*`, onto `out`.
fn escape_into(out: &mut String, v: &str) {
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'*' | b':') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(b & 15));
        }
    }
}

/// The upper-case hex digit for the low four bits of `n`.
fn hex_digit(n: u8) -> char {
    char::from_digit(u32::from(n & 15), 16).map_or('0', |c| c.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(q: &str) -> Vec<(String, String)> {
        q.split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                let mut out = Vec::new();
                let b = v.as_bytes();
                let mut i = 0;
                while i < b.len() {
                    if b[i] == b'%' && i + 2 < b.len() {
                        let h = u8::from_str_radix(&v[i + 1..i + 3], 16).unwrap_or(b'?');
                        out.push(h);
                        i += 3;
                    } else {
                        out.push(b[i]);
                        i += 1;
                    }
                }
                (k.to_string(), String::from_utf8_lossy(&out).into_owned())
            })
            .collect()
    }

    #[test]
    fn query_round_trips() {
        let samples = [
            Behaviour::default(),
            Behaviour {
                network: Network::Hangs,
                allow_origin: AllowOrigin::Value("http://a.example, http://b.example".into()),
                second_allow_origin: true,
                allow_credentials: false,
                allow_methods: AllowList::Value("GET; POST".into()),
                allow_headers: AllowList::None,
                expose_headers: Some("X-Request-Id".into()),
                options: Options::Before {
                    status: 401,
                    cors_headers: true,
                },
                get_status: 500,
                other_status: 502,
                bodiless_status: Some(200),
                cors_on: CorsOn::Success,
                redirect: Some(Redirect {
                    status: 308,
                    target: RedirectTarget::Origin("http://127.0.0.1:9091".into()),
                    cors_headers: true,
                    preflight_too: true,
                }),
            },
        ];
        for b in samples {
            let q = b.to_query();
            let pairs = decode(&q);
            let back = Behaviour::from_query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            assert_eq!(back, Ok(b), "{q}");
        }
        assert!(Behaviour::from_query([("gs", "99")]).is_err());
        assert!(Behaviour::from_query([("rd", "200:slash")]).is_err());
    }

    #[test]
    fn a_redirect_points_at_the_same_behaviour_without_it() {
        let b = Behaviour {
            get_status: 500,
            redirect: Some(Redirect {
                status: 301,
                target: RedirectTarget::TrailingSlash,
                cors_headers: false,
                preflight_too: false,
            }),
            ..Behaviour::default()
        };
        let url = Url::parse(&format!(
            "http://127.0.0.1:9090/behaviour?{}&delay_ms=5",
            b.to_query()
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        let incoming = Incoming {
            hop: 0,
            url: &url,
            origin: Some("http://127.0.0.1:8080"),
            method: "GET",
            request_method: None,
            request_headers: None,
            with_body: false,
        };
        let r = b.respond(&incoming);
        assert_eq!(r.status, 301);
        assert_eq!(
            r.get("location").as_deref(),
            Some("/behaviour/?gs=500&delay_ms=5")
        );
        assert_eq!(r.get("access-control-allow-origin"), None);
    }

    #[test]
    fn a_response_written_over_a_used_buffer_is_the_fresh_one() {
        let b = Behaviour {
            second_allow_origin: true,
            expose_headers: Some("X-Request-Id".into()),
            redirect: Some(Redirect {
                status: 308,
                target: RedirectTarget::WithCredentials,
                cors_headers: true,
                preflight_too: false,
            }),
            ..Behaviour::default()
        };
        let url =
            Url::parse("http://127.0.0.1:9090/api?id=7&rd=x").unwrap_or_else(|e| panic!("{e}"));
        let incoming = |hop, method, request_method| Incoming {
            hop,
            url: &url,
            origin: Some("http://127.0.0.1:8080"),
            method,
            request_method,
            request_headers: Some("content-type,x-api-key"),
            with_body: false,
        };
        let mut buffer = ServerResponse::new(0, &[]);
        for i in [
            incoming(1, "OPTIONS", Some("PUT")),
            incoming(1, "GET", None),
            incoming(0, "GET", None),
            incoming(0, "OPTIONS", Some("PUT")),
            incoming(1, "OPTIONS", Some("PUT")),
        ] {
            let reply = b.answer_into(&i, &mut buffer);
            assert_eq!(reply, Reply::Response(Cow::Owned(b.respond(&i))), "{i:?}");
        }
    }
}
