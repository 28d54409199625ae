//! What a scenario sees of the request ([`Ctx`]) and how it answers ([`Reply`], [`Cors`]).

use axum::body::Body;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_MAX_AGE, CACHE_CONTROL, CONTENT_TYPE, VARY,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;

/// The methods a correct preflight allows.
pub(crate) const ALLOW_METHODS: &str = "GET, HEAD, POST, PUT, PATCH, DELETE";

/// The request, as far as scenarios care.
pub(crate) struct Ctx {
    pub method: Method,
    pub path: String,
    /// The raw query string without `?` (still percent-encoded; empty when there is none).
    pub raw_query: String,
    /// The port that received the request (primary or secondary).
    pub port: u16,
    /// The `Origin` header, if any.
    pub origin: Option<String>,
    /// The `Access-Control-Request-Method` header, if any.
    pub acrm: Option<String>,
    /// The `Access-Control-Request-Headers` header, if any.
    pub acrh: Option<String>,
    /// Decoded query pairs (see `query.rs`).
    pub query: Vec<(String, String)>,
    pub primary_port: u16,
    pub secondary_port: u16,
    /// Bytes in the request body.
    pub body_len: usize,
}

impl Ctx {
    pub(crate) fn is_preflight(&self) -> bool {
        self.method == Method::OPTIONS
    }

    /// The first value of a query parameter.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a (repeatable) query parameter, in order.
    pub(crate) fn params<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.query
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value "reflect" sends: the request's Origin, or `*` when it has none.
    pub(crate) fn reflect(&self) -> String {
        self.origin.clone().unwrap_or_else(|| "*".to_owned())
    }

    /// A status code from query parameter `name`, if it parses and lies in `range`.
    pub(crate) fn status_param(
        &self,
        name: &str,
        default: u16,
        range: std::ops::RangeInclusive<u16>,
    ) -> StatusCode {
        let code = self
            .param(name)
            .and_then(|v| v.trim().parse::<u16>().ok())
            .filter(|c| range.contains(c))
            .unwrap_or(default);
        StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// `{"scenario":"…","method":"…"}`
    pub(crate) fn ok_body(&self) -> String {
        serde_json::json!({
            "scenario": self.path.trim_start_matches('/'),
            "method": self.method.as_str(),
        })
        .to_string()
    }
}

/// A response under construction. Every reply gets `Cache-Control: no-store`; replies carrying
/// any `Access-Control-*` header also get `Vary: Origin` unless [`Reply::raw`] was called.
pub(crate) struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
    content_type: &'static str,
    auto_vary: bool,
}

impl Reply {
    pub(crate) fn new(status: StatusCode) -> Self {
        Reply {
            status,
            headers: HeaderMap::new(),
            body: String::new(),
            content_type: "text/plain; charset=utf-8",
            auto_vary: true,
        }
    }

    /// Appends a header (duplicates kept). Values the wire cannot carry are skipped.
    pub(crate) fn header(self, name: HeaderName, value: &str) -> Self {
        match HeaderValue::from_bytes(value.as_bytes()) {
            Ok(value) => self.header_value(name, value),
            Err(_) => self,
        }
    }

    pub(crate) fn header_value(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.append(name, value);
        self
    }

    /// No automatic `Vary: Origin` (for `/generic`, which sends only what it is told).
    pub(crate) fn raw(mut self) -> Self {
        self.auto_vary = false;
        self
    }

    pub(crate) fn text(mut self, body: impl Into<String>) -> Self {
        self.body = body.into();
        self.content_type = "text/plain; charset=utf-8";
        self
    }

    pub(crate) fn json(mut self, body: impl Into<String>) -> Self {
        self.body = body.into();
        self.content_type = "application/json";
        self
    }

    pub(crate) fn html(mut self, body: impl Into<String>) -> Self {
        self.body = body.into();
        self.content_type = "text/html; charset=utf-8";
        self
    }

    pub(crate) fn into_response(self) -> Response {
        let Reply {
            status,
            mut headers,
            mut body,
            content_type,
            auto_vary,
        } = self;
        if matches!(status.as_u16(), 204 | 304) || status.is_informational() {
            body.clear();
        }
        if !body.is_empty() && !headers.contains_key(CONTENT_TYPE) {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        let has_cors = headers
            .keys()
            .any(|name| name.as_str().starts_with("access-control-"));
        if auto_vary && has_cors {
            headers.append(VARY, HeaderValue::from_static("Origin"));
        }
        headers.append(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = status;
        *response.headers_mut() = headers;
        response
    }
}

/// The CORS headers a scenario puts on its responses.
pub(crate) struct Cors {
    /// One `Access-Control-Allow-Origin` line per entry (none: no ACAO).
    pub origins: Vec<String>,
    /// Send `Access-Control-Allow-Credentials: true`.
    pub credentials: bool,
}

/// How a preflight answers `Access-Control-Allow-Headers`.
pub(crate) enum AllowHeaders {
    /// Echo the request's `Access-Control-Request-Headers` (omitted when absent).
    Echo,
    Fixed(&'static str),
}

impl Cors {
    /// ACAO = the request's Origin, with credentials.
    pub(crate) fn reflect(ctx: &Ctx) -> Self {
        Cors::fixed(ctx.reflect(), true)
    }

    pub(crate) fn fixed(origin: impl Into<String>, credentials: bool) -> Self {
        Cors {
            origins: vec![origin.into()],
            credentials,
        }
    }

    pub(crate) fn none() -> Self {
        Cors {
            origins: Vec::new(),
            credentials: false,
        }
    }

    pub(crate) fn apply(&self, mut reply: Reply) -> Reply {
        for origin in &self.origins {
            reply = reply.header(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        }
        if self.credentials {
            reply = reply.header(ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
        reply
    }

    /// A 204 preflight answer with these origins/credentials and the given allow lists.
    pub(crate) fn preflight(&self, ctx: &Ctx, methods: &str, headers: AllowHeaders) -> Reply {
        allow_lists(
            ctx,
            self.apply(Reply::new(StatusCode::NO_CONTENT)),
            methods,
            headers,
        )
    }

    /// The usual preflight: allowed methods, echoed headers.
    pub(crate) fn correct_preflight(&self, ctx: &Ctx) -> Reply {
        self.preflight(ctx, ALLOW_METHODS, AllowHeaders::Echo)
    }

    /// A 200 actual answer with the `ok_body` (JSON text, sent as `text/plain`).
    pub(crate) fn ok(&self, ctx: &Ctx) -> Reply {
        self.apply(Reply::new(StatusCode::OK)).text(ctx.ok_body())
    }
}

/// Adds `Access-Control-Allow-Methods`, `-Headers` and `Max-Age: 0`.
pub(crate) fn allow_lists(ctx: &Ctx, reply: Reply, methods: &str, headers: AllowHeaders) -> Reply {
    let reply = reply.header(ACCESS_CONTROL_ALLOW_METHODS, methods);
    let reply = match (headers, &ctx.acrh) {
        (AllowHeaders::Fixed(list), _) => reply.header(ACCESS_CONTROL_ALLOW_HEADERS, list),
        (AllowHeaders::Echo, Some(requested)) => {
            reply.header(ACCESS_CONTROL_ALLOW_HEADERS, requested)
        }
        (AllowHeaders::Echo, None) => reply,
    };
    reply.header(ACCESS_CONTROL_MAX_AGE, "0")
}
