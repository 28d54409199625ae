//! The Fetch rules: an arbitrary request (page origin, URL, method, headers, credentials, mode,
//! redirect mode, body) against an arbitrary server (fixed answers per hop, or a `Behaviour`,
//! the configurable server model) through `fetch::simulate_in` (spec or Chromium). Never panics,
//! and the trace is consistent: a request the browser refuses to send went out 0 times, any
//! other verdict after at least one request, and a `Behaviour` survives its lab query (`to_query` →
//! `from_query`).
//!
//! Strings are drawn from small tables of realistic values most of the time (so that the rules
//! past the input checks are reached) and are arbitrary otherwise.
#![no_main]

use arbitrary::Arbitrary;
use cors_doctor::engine::fetch::{
    check_request, simulate_in, AllowList, AllowOrigin, Behaviour, Browser, CorsOn,
    CredentialsMode, Hop, Network, Options, Redirect, RedirectMode, RedirectTarget, Request,
    RequestMode, ServerAnswers, ServerResponse, Verdict,
};
use libfuzzer_sys::fuzz_target;

const ORIGINS: &[&str] = &[
    "https://app.example.com",
    "http://127.0.0.1:8080",
    "http://localhost:3000",
    "null",
    "https://api.example.com",
    "http://192.168.1.10",
];
const URLS: &[&str] = &[
    "https://api.example.com/items",
    "http://127.0.0.1:9090/api?x=1",
    "https://app.example.com/same",
    "http://192.168.1.10/admin",
    "http://api.example.com/items/",
    "https://user:pw@api.example.com/x",
    "ftp://api.example.com/",
    "/relative",
];
const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "DELETE", "patch", "HEAD", "OPTIONS", "CONNECT", "X-Custom",
];
const REQUEST_NAMES: &[&str] = &[
    "Content-Type",
    "Authorization",
    "X-Api-Key",
    "Accept",
    "Range",
    "Cookie",
    "Accept-Language",
    "X-Requested-With",
];
const RESPONSE_NAMES: &[&str] = &[
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Credentials",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
    "Access-Control-Expose-Headers",
    "Access-Control-Max-Age",
    "Access-Control-Allow-Private-Network",
    "Location",
    "Vary",
    "X-Request-Id",
];
const VALUES: &[&str] = &[
    "*",
    "https://app.example.com",
    "http://127.0.0.1:8080",
    "null",
    "true",
    "TRUE",
    "application/json",
    "text/plain;charset=UTF-8",
    "GET, POST, PUT",
    "content-type, authorization, x-api-key",
    "Bearer abc",
    "bytes=0-10",
    "600",
    "https://api.example.com/next",
    "/next",
    "",
];

#[derive(Arbitrary, Debug)]
enum Text {
    Known(u8),
    Raw(String),
}

impl Text {
    fn pick(&self, table: &[&str]) -> String {
        match self {
            Text::Known(i) => table
                .get(usize::from(*i) % table.len().max(1))
                .copied()
                .unwrap_or("")
                .to_string(),
            Text::Raw(s) => s.clone(),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Response {
    status: u16,
    headers: Vec<(Text, Text)>,
}

impl Response {
    fn build(&self) -> ServerResponse {
        ServerResponse {
            status: self.status,
            headers: self
                .headers
                .iter()
                .map(|(n, v)| (n.pick(RESPONSE_NAMES), v.pick(VALUES)))
                .collect(),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Model {
    network: u8,
    allow_origin: (u8, Text),
    second_allow_origin: bool,
    allow_credentials: bool,
    allow_methods: (u8, Text),
    allow_headers: (u8, Text),
    expose_headers: Option<Text>,
    options: (bool, u16, bool),
    get_status: u16,
    other_status: u16,
    bodiless_status: Option<u16>,
    cors_on_success: bool,
    redirect: Option<(u16, u8, Text, bool, bool)>,
}

fn list(rule: &(u8, Text)) -> AllowList {
    match rule.0 % 3 {
        0 => AllowList::Reflect,
        1 => AllowList::None,
        _ => AllowList::Value(rule.1.pick(VALUES)),
    }
}

impl Model {
    fn build(&self) -> Behaviour {
        Behaviour {
            network: [Network::Up, Network::Down, Network::Hangs][usize::from(self.network % 3)],
            allow_origin: match self.allow_origin.0 % 3 {
                0 => AllowOrigin::Reflect,
                1 => AllowOrigin::None,
                _ => AllowOrigin::Value(self.allow_origin.1.pick(VALUES)),
            },
            second_allow_origin: self.second_allow_origin,
            allow_credentials: self.allow_credentials,
            allow_methods: list(&self.allow_methods),
            allow_headers: list(&self.allow_headers),
            expose_headers: self.expose_headers.as_ref().map(|t| t.pick(VALUES)),
            options: match self.options {
                (false, status, _) => Options::CorsLayer(status),
                (true, status, cors_headers) => Options::Before {
                    status,
                    cors_headers,
                },
            },
            get_status: self.get_status,
            other_status: self.other_status,
            bodiless_status: self.bodiless_status,
            cors_on: if self.cors_on_success {
                CorsOn::Success
            } else {
                CorsOn::Every
            },
            redirect: self.redirect.as_ref().map(
                |(status, target, origin, cors_headers, preflight_too)| Redirect {
                    status: *status,
                    target: match target % 4 {
                        0 => RedirectTarget::TrailingSlash,
                        1 => RedirectTarget::Origin(origin.pick(ORIGINS)),
                        2 => RedirectTarget::WithCredentials,
                        _ => RedirectTarget::OtherScheme,
                    },
                    cors_headers: *cors_headers,
                    preflight_too: *preflight_too,
                },
            ),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Server {
    Answers(Vec<(Option<Response>, Response)>),
    Model(Model),
}

#[derive(Arbitrary, Debug)]
struct Input {
    chromium: bool,
    page_origin: Text,
    url: Text,
    method: Text,
    headers: Vec<(Text, Text)>,
    credentials: u8,
    mode: u8,
    redirect: u8,
    body: Option<Text>,
    server: Server,
}

fn check(browser: Browser, request: &Request, server: &dyn cors_doctor::engine::fetch::Server) {
    let trace = simulate_in(browser, request, server);
    match &trace.verdict {
        Verdict::NotSent(_) => assert_eq!(trace.requests, 0, "{trace:?}"),
        _ => assert!(trace.requests > 0, "{trace:?}"),
    }
    let _ = trace.verdict.code();
    for step in &trace.steps {
        let _ = step.text();
    }
}

fuzz_target!(|input: Input| {
    let request = Request {
        page_origin: input.page_origin.pick(ORIGINS),
        url: input.url.pick(URLS),
        method: input.method.pick(METHODS),
        headers: input
            .headers
            .iter()
            .map(|(n, v)| (n.pick(REQUEST_NAMES), v.pick(VALUES)))
            .collect(),
        credentials: [
            CredentialsMode::SameOrigin,
            CredentialsMode::Include,
            CredentialsMode::Omit,
        ][usize::from(input.credentials % 3)],
        mode: [
            RequestMode::Cors,
            RequestMode::NoCors,
            RequestMode::SameOrigin,
        ][usize::from(input.mode % 3)],
        redirect: [
            RedirectMode::Follow,
            RedirectMode::Error,
            RedirectMode::Manual,
        ][usize::from(input.redirect % 3)],
        body: input.body.as_ref().map(|b| b.pick(VALUES)),
    };
    let _ = check_request(&request);
    let browser = if input.chromium {
        Browser::Chromium
    } else {
        Browser::Spec
    };
    match &input.server {
        Server::Answers(hops) => {
            let answers = ServerAnswers {
                hops: hops
                    .iter()
                    .map(|(p, r)| Hop::new(p.as_ref().map(Response::build), r.build()))
                    .collect(),
            };
            check(browser, &request, &answers);
        }
        Server::Model(model) => {
            let behaviour = model.build();
            check(browser, &request, &behaviour);
            // The lab reads the same behaviour from its query.
            let query = behaviour.to_query();
            let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect();
            let read = Behaviour::from_query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            if let Ok(read) = read {
                assert_eq!(read, behaviour, "{query}");
            }
        }
    }
});
