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

    fn allows_origin_elsewhere(&self, origin: &str) -> bool {
        !self.second_allow_origin
            && match &self.allow_origin {
                AllowOrigin::None => false,
                AllowOrigin::Reflect => true,
                AllowOrigin::Value(v) => v == origin || v == "*",
            }
    }
}

impl Behaviour {
    /// The HTTP response to one request (the network is assumed up).
    pub fn respond(&self, incoming: &Incoming<'_>) -> ServerResponse {
        let preflight = incoming.method.eq_ignore_ascii_case("OPTIONS");
        if let Some(redirect) = self.redirect.as_ref().filter(|_| incoming.hop == 0) {
            if !preflight || redirect.preflight_too {
                return self.redirect_response(redirect, incoming);
            }
        }
        if preflight && incoming.request_method.is_some() {
            return self.preflight_response(incoming);
        }
        let status = match (incoming.method, self.bodiless_status) {
            ("GET" | "HEAD", _) => self.get_status,
            (_, Some(status)) if !incoming.with_body => status,
            _ => self.other_status,
        };
        let mut headers = Vec::new();
        if self.cors_on == CorsOn::Every || status < 400 {
            self.cors_headers(incoming, &mut headers);
            if let Some(expose) = &self.expose_headers {
                headers.push(("Access-Control-Expose-Headers".into(), expose.clone()));
            }
        }
        headers.push((APP_HEADER.0.into(), APP_HEADER.1.into()));
        ServerResponse { status, headers }
    }

    fn preflight_response(&self, incoming: &Incoming<'_>) -> ServerResponse {
        let (status, with_cors) = match self.options {
            Options::CorsLayer(status) => (status, true),
            Options::Before {
                status,
                cors_headers,
            } => (status, cors_headers),
        };
        let mut headers = Vec::new();
        if with_cors {
            self.cors_headers(incoming, &mut headers);
            let list = |rule: &AllowList, asked: Option<&str>| match rule {
                AllowList::None => None,
                AllowList::Reflect => asked.map(str::to_string),
                AllowList::Value(v) => Some(v.clone()),
            };
            if let Some(v) = list(&self.allow_methods, incoming.request_method) {
                headers.push(("Access-Control-Allow-Methods".into(), v));
            }
            if let Some(v) = list(&self.allow_headers, incoming.request_headers) {
                headers.push(("Access-Control-Allow-Headers".into(), v));
            }
        }
        ServerResponse { status, headers }
    }

    fn redirect_response(&self, redirect: &Redirect, incoming: &Incoming<'_>) -> ServerResponse {
        let mut headers = vec![("Location".to_string(), self.location(redirect, incoming))];
        if redirect.cors_headers {
            self.cors_headers(incoming, &mut headers);
        }
        ServerResponse {
            status: redirect.status,
            headers,
        }
    }

    /// Where the redirect points: the target keeps the path and the query without the redirect,
    /// so that the lab's target answers as this behaviour without it.
    fn location(&self, redirect: &Redirect, incoming: &Incoming<'_>) -> String {
        let url = incoming.url;
        let target = Behaviour {
            redirect: None,
            ..self.clone()
        };
        let path = url.path();
        let query = rewrite_query(url.query(), &target);
        match &redirect.target {
            RedirectTarget::TrailingSlash => format!("{}/{query}", path.trim_end_matches('/')),
            RedirectTarget::Origin(origin) => format!("{origin}{path}{query}"),
            RedirectTarget::WithCredentials => {
                let host = url.host_str().unwrap_or("");
                let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
                format!("{}://user:secret@{host}{port}{path}{query}", url.scheme())
            }
            RedirectTarget::OtherScheme => format!("ftp://{}{path}", url.host_str().unwrap_or("")),
        }
    }

    fn cors_headers(&self, incoming: &Incoming<'_>, headers: &mut Vec<(String, String)>) {
        let value = match &self.allow_origin {
            AllowOrigin::None => return,
            AllowOrigin::Reflect => match incoming.origin {
                Some(o) => o.to_string(),
                None => return,
            },
            AllowOrigin::Value(v) => v.clone(),
        };
        headers.push(("Access-Control-Allow-Origin".into(), value.clone()));
        if self.second_allow_origin {
            headers.push(("Access-Control-Allow-Origin".into(), value));
        }
        if self.allow_credentials {
            headers.push(("Access-Control-Allow-Credentials".into(), "true".into()));
        }
        headers.push(("Vary".into(), "Origin".into()));
    }
}

/// The query of the redirect target: this behaviour's own parameters replaced by `target`'s.
fn rewrite_query(query: Option<&str>, target: &Behaviour) -> String {
    let kept: Vec<&str> = query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty() && !KEYS.iter().any(|k| p.split('=').next() == Some(k)))
        .collect();
    let mut out = target.to_query();
    for p in kept {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(p);
    }
    if out.is_empty() {
        out
    } else {
        format!("?{out}")
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
        let d = Behaviour::default();
        let mut out: Vec<String> = Vec::new();
        let mut put = |k: &str, v: String| out.push(format!("{k}={}", escape(&v)));
        match self.network {
            Network::Up => {}
            Network::Down => put("net", "down".into()),
            Network::Hangs => put("net", "hangs".into()),
        }
        if self.allow_origin != d.allow_origin {
            put("ao", rule_text(&self.allow_origin));
        }
        if self.second_allow_origin {
            put("ao2", "1".into());
        }
        if !self.allow_credentials {
            put("ac", "0".into());
        }
        for (k, rule) in [("am", &self.allow_methods), ("ah", &self.allow_headers)] {
            match rule {
                AllowList::Reflect => {}
                AllowList::None => put(k, "none".into()),
                AllowList::Value(v) => put(k, format!("v:{v}")),
            }
        }
        if let Some(e) = &self.expose_headers {
            put("eh", e.clone());
        }
        if self.options != d.options {
            put(
                "opt",
                match self.options {
                    Options::CorsLayer(s) => s.to_string(),
                    Options::Before {
                        status,
                        cors_headers,
                    } => format!("before:{status}{}", if cors_headers { ":cors" } else { "" }),
                },
            );
        }
        if self.get_status != 200 {
            put("gs", self.get_status.to_string());
        }
        if self.other_status != 200 {
            put("os", self.other_status.to_string());
        }
        if let Some(status) = self.bodiless_status {
            put("bs", status.to_string());
        }
        if self.cors_on == CorsOn::Success {
            put("on", "success".into());
        }
        if let Some(r) = &self.redirect {
            let target = match &r.target {
                RedirectTarget::TrailingSlash => "slash".to_string(),
                RedirectTarget::Origin(o) => format!("origin:{o}"),
                RedirectTarget::WithCredentials => "credentials".into(),
                RedirectTarget::OtherScheme => "scheme".into(),
            };
            let mut v = format!("{}:{target}", r.status);
            if r.cors_headers {
                v.push_str(":cors");
            }
            if r.preflight_too {
                v.push_str(":options");
            }
            put("rd", v);
        }
        out.join("&")
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

fn rule_text(rule: &AllowOrigin) -> String {
    match rule {
        AllowOrigin::None => "none".into(),
        AllowOrigin::Reflect => "reflect".into(),
        AllowOrigin::Value(v) => format!("v:{v}"),
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

/// `%XX`-escapes everything but unreserved characters, `:` and `*`.
fn escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'*' | b':') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

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
}
