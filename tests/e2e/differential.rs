//! The differential test: the pure-Rust simulator against real headless Chromium.
//!
//! A seeded generator builds a few hundred requests and server answers. Each case is sent once
//! with `fetch()` from the loaded CORS Doctor page to the lab's `/generic` path (which answers
//! exactly what the case says), and simulated with `engine::simulate` on exactly the same headers.
//! Chromium's verdict (delivered + status, or its own `corsErrorStatus` mapped by
//! `code_for_chromium`) must equal the simulator's, or be one of the Chromium deviations documented
//! in `tests/e2e/deviations.md` (recognized by [`known_deviation`], each pinned by its own test).

use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, Instant};

use cors_doctor::engine::fetch::normalize_method as normalize;
use cors_doctor::engine::fetch::{
    code_for_chromium, simulate, AllowOriginDetail, Code, CredentialsMode, Hop, Request,
    ServerAnswers, ServerResponse, Verdict,
};
use serde_json::{json, Value};

use crate::util::{ChromiumRecord, Harness, Tab};

/// Fixed seed: the same cases on every run.
const SEED: u64 = 0x00C0_25D0_C70E_2026;
/// How many cases the generator makes.
const CASES: usize = 360;
/// A value for `Access-Control-Allow-Origin` that is some other, valid origin.
const OTHER_ORIGIN: &str = "http://other.test";

// ---------------------------------------------------------------------------------------------
// The generator

/// SplitMix64: tiny, seedable, good enough for picking test cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One item, each drawn with its weight.
    fn weighted<T: Copy>(&mut self, items: &[(u64, T)]) -> T {
        let total: u64 = items.iter().map(|(w, _)| w).sum();
        let mut roll = self.below(total);
        for (weight, item) in items {
            if roll < *weight {
                return *item;
            }
            roll -= weight;
        }
        items[items.len() - 1].1
    }
}

/// `Access-Control-Allow-Origin` as the case asks the lab to send it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Acao {
    Absent,
    Echo,
    Star,
    Other,
    TrailingSlash,
    TwoLines,
    Null,
    /// Not an origin at all (a bare host).
    Bare,
}

/// `Access-Control-Allow-Credentials`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Acac {
    Absent,
    True,
    Upper,
    False,
}

/// `Access-Control-Allow-Methods`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Acam {
    Absent,
    Exact,
    Lower,
    Upper,
    Star,
    GetPost,
    ListWith,
    /// Not a token list (`GET; POST`).
    Invalid,
}

/// `Access-Control-Allow-Headers`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Acah {
    Absent,
    All,
    Star,
    Partial,
    /// Not a token list (names separated by spaces).
    Invalid,
}

const METHODS: &[(u64, &str)] = &[
    (3, "GET"),
    (1, "HEAD"),
    (3, "POST"),
    (2, "PUT"),
    (2, "PATCH"),
    (2, "DELETE"),
    (1, "patch"),
    (1, "put"),
];

/// The request-header pool: safelisted names with safe and unsafe values, and unsafe names.
const HEADER_POOL: &[(&str, &str)] = &[
    ("Content-Type", "text/plain"),
    ("Content-Type", "application/json"),
    ("Content-Type", "application/x-www-form-urlencoded"),
    ("Accept-Language", "en-US,en;q=0.9"),
    ("Accept-Language", "en_US"),
    ("X-Foo", "1"),
    ("X-Bar", "two words"),
    ("Authorization", "Bearer x"),
];

const PF_STATUS: &[(u64, u16)] = &[
    (6, 200),
    (7, 204),
    (1, 206),
    (1, 301),
    (1, 400),
    (1, 401),
    (1, 404),
    (1, 500),
];
const STATUS: &[(u64, u16)] = &[(7, 200), (2, 204), (1, 404), (1, 500)];
const ACAO: &[(u64, Acao)] = &[
    (4, Acao::Absent),
    (10, Acao::Echo),
    (4, Acao::Star),
    (1, Acao::Other),
    (1, Acao::TrailingSlash),
    (1, Acao::TwoLines),
    (1, Acao::Null),
    (1, Acao::Bare),
];
const ACAC: &[(u64, Acac)] = &[
    (5, Acac::Absent),
    (6, Acac::True),
    (1, Acac::Upper),
    (1, Acac::False),
];
const ACAM: &[(u64, Acam)] = &[
    (2, Acam::Absent),
    (5, Acam::Exact),
    (1, Acam::Lower),
    (1, Acam::Upper),
    (2, Acam::Star),
    (1, Acam::GetPost),
    (3, Acam::ListWith),
    (1, Acam::Invalid),
];
const ACAH: &[(u64, Acah)] = &[
    (2, Acah::Absent),
    (5, Acah::All),
    (4, Acah::Star),
    (2, Acah::Partial),
    (1, Acah::Invalid),
];

/// One generated case: the request the page makes and what the lab answers.
#[derive(Debug, Clone)]
pub struct Case {
    pub n: usize,
    /// The method as the script passes it to `fetch()` (may be lower-case).
    pub method: &'static str,
    pub headers: Vec<(&'static str, &'static str)>,
    pub include: bool,
    pub pf_status: u16,
    /// Preflight headers, `{origin}` unreplaced (as the lab is told).
    pub pf_headers: Vec<(String, String)>,
    pub status: u16,
    /// Actual-response headers, `{origin}` unreplaced.
    pub headers_actual: Vec<(String, String)>,
}

fn acao_lines(acao: Acao) -> Vec<(String, String)> {
    let line = |v: &str| ("Access-Control-Allow-Origin".to_string(), v.to_string());
    match acao {
        Acao::Absent => vec![],
        Acao::Echo => vec![line("{origin}")],
        Acao::Star => vec![line("*")],
        Acao::Other => vec![line(OTHER_ORIGIN)],
        Acao::TrailingSlash => vec![line("{origin}/")],
        Acao::TwoLines => vec![line("{origin}"), line("{origin}")],
        Acao::Null => vec![line("null")],
        Acao::Bare => vec![line("127.0.0.1")],
    }
}

fn acac_lines(acac: Acac) -> Vec<(String, String)> {
    let value = match acac {
        Acac::Absent => return vec![],
        Acac::True => "true",
        Acac::Upper => "TRUE",
        Acac::False => "false",
    };
    vec![(
        "Access-Control-Allow-Credentials".to_string(),
        value.to_string(),
    )]
}

impl Case {
    /// Draws case `n`. About a third of the cases start from a working setup (each field keeps its
    /// good value with high probability), so that a good share is delivered and single
    /// misconfigurations are common; the rest draw every field from its weighted pool.
    fn generate(rng: &mut Rng, n: usize) -> Case {
        let healthy = rng.chance(35);
        let good = |rng: &mut Rng| healthy && !rng.chance(12);
        let method = rng.weighted(METHODS);
        let count = rng.weighted(&[(3, 0usize), (4, 1), (2, 2), (1, 3)]);
        let mut headers: Vec<(&'static str, &'static str)> = Vec::new();
        for _ in 0..count * 3 {
            if headers.len() == count {
                break;
            }
            let h = HEADER_POOL[usize::try_from(rng.below(HEADER_POOL.len() as u64)).unwrap()];
            if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(h.0)) {
                headers.push(h);
            }
        }
        let include = rng.chance(35);
        let sent = normalize(method);

        let pf_status = if good(rng) {
            204
        } else {
            rng.weighted(PF_STATUS)
        };
        let mut pf_headers = Vec::new();
        let acao = if good(rng) {
            Acao::Echo
        } else {
            rng.weighted(ACAO)
        };
        pf_headers.extend(acao_lines(acao));
        let acac = if good(rng) {
            Acac::True
        } else {
            rng.weighted(ACAC)
        };
        pf_headers.extend(acac_lines(acac));
        let acam = if good(rng) {
            Acam::Exact
        } else {
            rng.weighted(ACAM)
        };
        let acam_value = match acam {
            Acam::Absent => None,
            Acam::Exact => Some(sent.clone()),
            Acam::Lower => Some(sent.to_ascii_lowercase()),
            Acam::Upper => Some(sent.to_ascii_uppercase()),
            Acam::Star => Some("*".to_string()),
            Acam::GetPost => Some("GET, POST".to_string()),
            Acam::ListWith => Some(format!("GET, {sent}, OPTIONS")),
            Acam::Invalid => Some(format!("GET; {sent}")),
        };
        if let Some(v) = acam_value {
            pf_headers.push(("Access-Control-Allow-Methods".into(), v));
        }
        let acah = if good(rng) {
            Acah::All
        } else {
            rng.weighted(ACAH)
        };
        let names: Vec<&str> = headers.iter().map(|(n, _)| *n).collect();
        let acah_value = match acah {
            Acah::Absent => None,
            Acah::All if names.is_empty() => None,
            Acah::All => Some(names.join(", ")),
            Acah::Star => Some("*".to_string()),
            Acah::Partial if names.len() >= 2 => Some(names[1..].join(", ")),
            Acah::Partial => Some("X-Other".to_string()),
            Acah::Invalid => Some(format!("X-Other {}", names.join(" "))),
        };
        if let Some(v) = acah_value {
            pf_headers.push(("Access-Control-Allow-Headers".into(), v));
        }
        if pf_status == 301 {
            pf_headers.push(("Location".into(), "/generic?moved=1".into()));
        }

        let status = if good(rng) { 200 } else { rng.weighted(STATUS) };
        let mut headers_actual = Vec::new();
        let acao = if good(rng) {
            Acao::Echo
        } else {
            rng.weighted(ACAO)
        };
        headers_actual.extend(acao_lines(acao));
        let acac = if good(rng) {
            Acac::True
        } else {
            rng.weighted(ACAC)
        };
        headers_actual.extend(acac_lines(acac));
        Case {
            n,
            method,
            headers,
            include,
            pf_status,
            pf_headers,
            status,
            headers_actual,
        }
    }

    /// The `/generic` path and query that makes the lab answer this case. `tag` keeps URLs unique
    /// (so Chromium's preflight cache never answers for a case).
    fn path(&self, tag: &str) -> String {
        let mut q = format!(
            "/generic?case={tag}{}&pf_status={}&status={}",
            self.n, self.pf_status, self.status
        );
        for (name, value) in &self.pf_headers {
            q.push_str(&format!("&pf_h={}", encode(&format!("{name}:{value}"))));
        }
        for (name, value) in &self.headers_actual {
            q.push_str(&format!("&h={}", encode(&format!("{name}:{value}"))));
        }
        q
    }

    /// The method on the wire (what Chromium's records show).
    fn wire_method(&self) -> String {
        normalize(self.method)
    }

    fn has_body(&self) -> bool {
        !matches!(self.wire_method().as_str(), "GET" | "HEAD")
    }

    /// The simulator's request for `url`, from a page at `page_origin`.
    fn request(&self, page_origin: &str, url: &str) -> Request {
        let mut req = Request::new(page_origin, url, self.method).credentials(if self.include {
            CredentialsMode::Include
        } else {
            CredentialsMode::Omit
        });
        for (name, value) in &self.headers {
            req = req.header(name, value);
        }
        if self.has_body() {
            req = req.body("x");
        }
        req
    }

    /// Exactly what the lab answers, `{origin}` replaced by the page origin.
    fn answers(&self, page_origin: &str) -> ServerAnswers {
        let response = |status: u16, headers: &[(String, String)]| {
            let mut headers: Vec<(String, String)> = headers
                .iter()
                .map(|(n, v)| (n.clone(), v.replace("{origin}", page_origin)))
                .collect();
            headers.push(("Cache-Control".into(), "no-store".into()));
            ServerResponse { status, headers }
        };
        ServerAnswers {
            hops: vec![Hop::new(
                Some(response(self.pf_status, &self.pf_headers)),
                response(self.status, &self.headers_actual),
            )],
        }
    }

    fn pf_value(&self, name: &str) -> Option<&str> {
        self.pf_headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "#{} {} headers={:?} credentials={} | preflight {} {:?} | actual {} {:?}",
            self.n,
            self.method,
            self.headers,
            if self.include { "include" } else { "omit" },
            self.pf_status,
            self.pf_headers,
            self.status,
            self.headers_actual
        )
    }
}

/// Percent-encodes everything but unreserved characters (the lab decodes `%XX` only).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The generated cases, then a few written by hand for corners the random mix reaches rarely
/// (each one's setup passes every other check, so the corner decides the verdict).
pub fn cases() -> Vec<Case> {
    let mut rng = Rng(SEED);
    let mut all: Vec<Case> = (0..CASES).map(|n| Case::generate(&mut rng, n)).collect();
    for (i, mut case) in targeted().into_iter().enumerate() {
        case.n = CASES + i;
        all.push(case);
    }
    all
}

fn targeted() -> Vec<Case> {
    const ECHO: (&str, &str) = ("Access-Control-Allow-Origin", "{origin}");
    const CRED: (&str, &str) = ("Access-Control-Allow-Credentials", "true");
    let acam = |v| ("Access-Control-Allow-Methods", v);
    let acah = |v| ("Access-Control-Allow-Headers", v);
    let auth = ("Authorization", "Bearer x");
    vec![
        // Methods compare byte for byte; `patch` is not normalized, `put` is.
        pinned_case(
            "patch",
            vec![],
            false,
            204,
            &[ECHO, acam("PATCH")],
            200,
            &[ECHO],
        ),
        pinned_case(
            "patch",
            vec![],
            false,
            204,
            &[ECHO, acam("patch")],
            200,
            &[ECHO],
        ),
        pinned_case(
            "patch",
            vec![],
            false,
            204,
            &[ECHO, acam("*")],
            200,
            &[ECHO],
        ),
        pinned_case(
            "patch",
            vec![],
            true,
            204,
            &[ECHO, CRED, acam("*")],
            200,
            &[ECHO, CRED],
        ),
        pinned_case(
            "put",
            vec![],
            false,
            204,
            &[ECHO, acam("put")],
            200,
            &[ECHO],
        ),
        pinned_case(
            "PATCH",
            vec![],
            false,
            204,
            &[ECHO, acam("patch")],
            200,
            &[ECHO],
        ),
        // `*` in Access-Control-Allow-Headers and Authorization.
        pinned_case(
            "GET",
            vec![auth],
            false,
            204,
            &[ECHO, acah("*")],
            200,
            &[ECHO],
        ),
        pinned_case(
            "PUT",
            vec![auth, ("X-Foo", "1")],
            false,
            204,
            &[ECHO, acam("PUT"), acah("*")],
            200,
            &[ECHO],
        ),
        pinned_case(
            "GET",
            vec![auth],
            true,
            204,
            &[ECHO, CRED, acah("*")],
            200,
            &[ECHO, CRED],
        ),
        pinned_case(
            "GET",
            vec![auth],
            false,
            204,
            &[ECHO, acah("*, authorization")],
            200,
            &[ECHO],
        ),
        pinned_case(
            "GET",
            vec![("X-Foo", "1")],
            true,
            204,
            &[ECHO, CRED, acah("*")],
            200,
            &[ECHO, CRED],
        ),
        // Non-2xx preflights with and without an allowed origin.
        pinned_case("PUT", vec![], false, 401, &[], 200, &[ECHO]),
        pinned_case("PUT", vec![], false, 403, &[acam("PUT")], 200, &[ECHO]),
        pinned_case(
            "PUT",
            vec![],
            false,
            401,
            &[ECHO, acam("PUT")],
            200,
            &[ECHO],
        ),
        pinned_case("PUT", vec![], true, 404, &[ECHO, acam("PUT")], 200, &[ECHO]),
        pinned_case(
            "PUT",
            vec![],
            false,
            500,
            &[("Access-Control-Allow-Origin", "*")],
            200,
            &[ECHO],
        ),
        // Error responses without CORS headers after a passed preflight (hidden server error).
        pinned_case("PUT", vec![], false, 204, &[ECHO, acam("PUT")], 500, &[]),
        pinned_case(
            "DELETE",
            vec![],
            true,
            204,
            &[ECHO, CRED, acam("DELETE")],
            404,
            &[],
        ),
        // Odd Access-Control-Allow-Origin values on a simple request.
        pinned_case(
            "GET",
            vec![],
            false,
            204,
            &[],
            200,
            &[("Access-Control-Allow-Origin", "null")],
        ),
        pinned_case(
            "GET",
            vec![],
            false,
            204,
            &[],
            200,
            &[("Access-Control-Allow-Origin", "127.0.0.1")],
        ),
        pinned_case(
            "GET",
            vec![],
            false,
            204,
            &[],
            200,
            &[("Access-Control-Allow-Origin", "{origin}, {origin}")],
        ),
        pinned_case(
            "GET",
            vec![],
            false,
            204,
            &[],
            200,
            &[("Access-Control-Allow-Origin", "{origin}:80")],
        ),
        pinned_case(
            "GET",
            vec![],
            false,
            204,
            &[],
            200,
            &[("Access-Control-Allow-Origin", " {origin} ")],
        ),
        pinned_case(
            "GET",
            vec![],
            false,
            204,
            &[],
            200,
            &[
                ("Access-Control-Allow-Origin", "*"),
                ("Access-Control-Allow-Origin", "*"),
            ],
        ),
        pinned_case(
            "GET",
            vec![],
            true,
            204,
            &[],
            200,
            &[ECHO, ("Access-Control-Allow-Credentials", "True")],
        ),
        // Lists that do not parse.
        pinned_case(
            "PUT",
            vec![],
            false,
            204,
            &[ECHO, acam("PUT;")],
            200,
            &[ECHO],
        ),
        pinned_case(
            "PUT",
            vec![("X-Foo", "1")],
            false,
            204,
            &[ECHO, acam("PUT"), acah("X-Foo;")],
            200,
            &[ECHO],
        ),
        pinned_case(
            "PUT",
            vec![],
            false,
            204,
            &[ECHO, acam("PUT,,")],
            200,
            &[ECHO],
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Outcomes and comparison

/// A verdict at the level both sides can express.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered(u16),
    /// A cause code string.
    Blocked(String),
    /// Anything else (no CORS reason from Chromium, an unexpected simulator verdict).
    Other(String),
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Delivered(s) => write!(f, "delivered {s}"),
            Outcome::Blocked(c) => write!(f, "blocked {c}"),
            Outcome::Other(o) => write!(f, "other: {o}"),
        }
    }
}

/// The code as Chromium can express it. Chromium reports an error response without CORS headers
/// after a passed preflight as plain `MissingAllowOriginHeader`: it has no name for our
/// `response/hidden-server-error`, so that compares as `response/allow-origin/missing`. Every
/// other code compares as is (the failed parameter is not compared: when several request headers
/// are not allowed, the spec names `authorization` first while Chromium names the first in
/// sorted order; the code is the same).
fn comparable(code: Code) -> String {
    match code {
        Code::ResponseHiddenServerError => {
            Code::ResponseAllowOrigin(AllowOriginDetail::Missing).as_str()
        }
        other => other.as_str(),
    }
}

fn simulator_outcome(case: &Case, page_origin: &str, url: &str) -> Outcome {
    let trace = simulate(&case.request(page_origin, url), &case.answers(page_origin));
    match trace.verdict {
        Verdict::Delivered { status, .. } => Outcome::Delivered(status),
        Verdict::Blocked(f) => Outcome::Blocked(comparable(f.code)),
        Verdict::NotSent(f) => Outcome::Other(format!("not sent: {}", f.code.as_str())),
        Verdict::NoAnswer => Outcome::Other("no answer".into()),
    }
}

/// Sends the case's `fetch()` from the loaded page and reads Chromium's verdict.
async fn chromium_outcome(tab: &Tab, case: &Case, url: &str) -> (Outcome, Vec<ChromiumRecord>) {
    let init = json!({
        "method": case.method,
        "headers": case.headers.iter().map(|(n, v)| [n, v]).collect::<Vec<_>>(),
        "credentials": if case.include { "include" } else { "omit" },
        "mode": "cors",
    });
    let body = if case.has_body() { "'x'" } else { "undefined" };
    let script = format!(
        "(async () => {{ const init = {init}; init.body = {body}; \
         try {{ const r = await fetch({url}, init); await r.text().catch(() => ''); \
         return {{ ok: true, status: r.status }}; }} \
         catch (e) {{ return {{ ok: false, error: String(e) }}; }} }})()",
        url = serde_json::to_string(url).expect("json"),
    );
    let page: Value = tab.eval(&script).await;
    let ok = page["ok"].as_bool().unwrap_or(false);
    // DevTools events trail the page's view: wait until the request's record carries the part
    // that matches what the page saw (a status when delivered, a failure otherwise).
    let method = case.wire_method();
    let deadline = Instant::now() + Duration::from_secs(5);
    let records = loop {
        let records = tab.chromium_records(url, &method).await;
        let done = if ok {
            records.iter().any(|r| r.status.is_some())
        } else {
            records.iter().any(|r| r.error_text.is_some())
        };
        if done || Instant::now() >= deadline {
            break records;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let outcome = if ok {
        let status = page["status"].as_u64().unwrap_or(0);
        match records.iter().find_map(|r| r.cors_error.clone()) {
            Some(e) => Outcome::Other(format!("page got {status} but Chromium reported {e}")),
            None => Outcome::Delivered(u16::try_from(status).unwrap_or(0)),
        }
    } else {
        match records.iter().find(|r| r.cors_error.is_some()) {
            Some(r) => {
                let e = r.cors_error.as_deref().unwrap_or_default();
                let p = r.failed_parameter.as_deref().unwrap_or_default();
                match code_for_chromium(e, p) {
                    Some(f) => Outcome::Blocked(comparable(f.code)),
                    None => Outcome::Other(format!("unmapped corsError {e} ({p:?})")),
                }
            }
            None => Outcome::Other(format!(
                "page error {}, records {records:?}",
                page["error"].as_str().unwrap_or("?")
            )),
        }
    };
    (outcome, records)
}

/// A documented deviation kind (see `tests/e2e/deviations.md`).
pub const AUTHORIZATION_WILDCARD: &str = "authorization-covered-by-wildcard";

/// Recognizes exactly the Chromium deviations documented in `deviations.md`: the difference must
/// be the deviation's, and Chromium's verdict must be what the simulator says once the case is
/// rewritten to Chromium's rule (so a deviation never hides a second, unrelated difference).
pub fn known_deviation(
    case: &Case,
    page_origin: &str,
    url: &str,
    chromium: &Outcome,
    simulator: &Outcome,
) -> Option<&'static str> {
    // `Access-Control-Allow-Headers: *` covers `Authorization` in Chromium 156 (without
    // credentials; with them `*` is no wildcard for anyone). Chromium's rule = list authorization.
    let authorization_wildcard = *simulator
        == Outcome::Blocked(Code::PreflightAuthorizationWildcard.as_str())
        && case.has_header("Authorization")
        && !case.include
        && case.pf_value("Access-Control-Allow-Headers") == Some("*");
    if authorization_wildcard {
        let mut chromium_rule = case.clone();
        for (name, value) in &mut chromium_rule.pf_headers {
            if name.eq_ignore_ascii_case("Access-Control-Allow-Headers") {
                *value = "*, Authorization".into();
            }
        }
        if simulator_outcome(&chromium_rule, page_origin, url) == *chromium {
            return Some(AUTHORIZATION_WILDCARD);
        }
    }
    None
}

/// One loaded CORS Doctor page to send cases from.
async fn page_tab(harness: &Harness) -> Tab {
    let tab = harness.chromium.tab().await;
    tab.page
        .goto(harness.site.page_url())
        .await
        .expect("load page");
    tab.wait_for(
        "document.readyState === 'complete' && document.querySelector('[data-testid=run]') !== null",
        Duration::from_secs(20),
    )
    .await;
    tab
}

// ---------------------------------------------------------------------------------------------
// The tests

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simulator_agrees_with_chromium() {
    let started = Instant::now();
    let harness = Harness::start().await;
    let tab = page_tab(&harness).await;
    let origin = harness.site.origin.clone();
    let cases = cases();
    let mut agree = 0usize;
    let mut deviations: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut unexplained = Vec::new();
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    for case in &cases {
        let url = harness.lab.url(&case.path("d"));
        let (chromium, records) = chromium_outcome(&tab, case, &url).await;
        let simulator = simulator_outcome(case, &origin, &url);
        *by_code
            .entry(match &chromium {
                Outcome::Delivered(_) => "delivered".to_string(),
                Outcome::Blocked(c) => c.clone(),
                Outcome::Other(_) => "other".to_string(),
            })
            .or_default() += 1;
        if chromium == simulator {
            agree += 1;
        } else if let Some(kind) = known_deviation(case, &origin, &url, &chromium, &simulator) {
            println!("differential: deviation {kind}: {case}: Chromium {chromium}, simulator {simulator}");
            deviations.entry(kind).or_default().push(case.n);
        } else {
            unexplained.push(format!(
                "{case}\n    url: {url}\n    Chromium: {chromium}\n    simulator: {simulator}\n    records: {records:?}"
            ));
        }
    }
    harness.stop().await;
    let documented: usize = deviations.values().map(Vec::len).sum();
    let kinds: Vec<String> = deviations
        .iter()
        .map(|(k, v)| format!("{k}: {} {v:?}", v.len()))
        .collect();
    println!("differential: Chromium verdicts by code: {by_code:?}");
    println!(
        "differential: {} cases, {agree} agree, {documented} documented deviations (by kind: {}), {} unexplained ({:.1} s)",
        cases.len(),
        if kinds.is_empty() { "none".to_string() } else { kinds.join("; ") },
        unexplained.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        unexplained.is_empty(),
        "{} unexplained difference(s) between Chromium and the simulator:\n{}",
        unexplained.len(),
        unexplained.join("\n")
    );
}

/// Runs one hand-written case in a fresh Chromium: (Chromium's outcome, the simulator's, the
/// deviation kind `known_deviation` sees).
async fn run_pinned(case: &Case, tag: &str) -> (Outcome, Outcome, Option<&'static str>) {
    let harness = Harness::start().await;
    let tab = page_tab(&harness).await;
    let origin = harness.site.origin.clone();
    let url = harness.lab.url(&case.path(tag));
    let (chromium, _) = chromium_outcome(&tab, case, &url).await;
    let simulator = simulator_outcome(case, &origin, &url);
    let kind = known_deviation(case, &origin, &url, &chromium, &simulator);
    drop(tab);
    harness.stop().await;
    (chromium, simulator, kind)
}

fn pinned_case(
    method: &'static str,
    headers: Vec<(&'static str, &'static str)>,
    include: bool,
    pf_status: u16,
    pf_headers: &[(&str, &str)],
    status: u16,
    headers_actual: &[(&str, &str)],
) -> Case {
    let own = |h: &[(&str, &str)]| {
        h.iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    };
    Case {
        n: 0,
        method,
        headers,
        include,
        pf_status,
        pf_headers: own(pf_headers),
        status,
        headers_actual: own(headers_actual),
    }
}

/// Deviation `authorization-covered-by-wildcard`: Chromium 156 delivers a request with
/// `Authorization` when the preflight answers `Access-Control-Allow-Headers: *`; the spec (and the
/// simulator) block it. If this fails, Chromium changed: update `deviations.md`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pinned_authorization_covered_by_wildcard() {
    let case = pinned_case(
        "GET",
        vec![("Authorization", "Bearer x")],
        false,
        204,
        &[
            ("Access-Control-Allow-Origin", "{origin}"),
            ("Access-Control-Allow-Headers", "*"),
        ],
        200,
        &[("Access-Control-Allow-Origin", "{origin}")],
    );
    let (chromium, simulator, kind) = run_pinned(&case, "pin-auth").await;
    assert_eq!(chromium, Outcome::Delivered(200), "Chromium changed");
    assert_eq!(
        simulator,
        Outcome::Blocked("preflight/authorization-wildcard".into())
    );
    assert_eq!(kind, Some(AUTHORIZATION_WILDCARD));
}
