//! The server view: HAR 1.2 from Chromium and Firefox → requests, preflights, verdicts.
//!
//! 17 hand-written logs in the writers' real layouts (Chromium's `_resourceType`/`_initiator`/
//! `_error` and HTTP/2 pseudo-headers; Firefox's `pages`/`pageref`, plain `OPTIONS` preflights and
//! offset dates), each checked request by request: method, URL, page origin, header names,
//! credentials, and the simulator's verdict with its key parameters. Then the generated sample
//! (5,000 entries: count, verdicts, linear work), the `NotHar` cases, and two proptests
//! (2,000 arbitrary strings, 2,000 mutated logs: no panic).

use cors_doctor::engine::evidence::har::{self, is_incomplete, sample_har, HarRequest, NotHar};
use cors_doctor::engine::fetch::{simulate, CredentialsMode, RequestMode, Verdict};
use proptest::prelude::*;
use std::time::{Duration, Instant};

use CredentialsMode::{Include, SameOrigin};

// ---------------------------------------------------------------------------------------------
// What one request should be.

struct Want {
    method: &'static str,
    url: &'static str,
    origin: &'static str,
    /// Header names the script set, lower-cased, in order.
    headers: &'static [&'static str],
    credentials: CredentialsMode,
    code: &'static str,
    params: &'static [(&'static str, &'static str)],
    incomplete: bool,
}

const fn want(method: &'static str, url: &'static str, code: &'static str) -> Want {
    Want {
        method,
        url,
        origin: "https://app.example.com",
        headers: &[],
        credentials: SameOrigin,
        code,
        params: &[],
        incomplete: false,
    }
}

/// Parses `har`, checks every request against `wants`, returns what was parsed. On failure
/// prints everything parsed and every verdict.
fn check(name: &str, har: &str, wants: &[Want]) -> Vec<HarRequest> {
    let parsed = match har::parse(har) {
        Ok(p) => p,
        Err(e) => panic!("{name}: not parsed: {e:?}"),
    };
    let dump = || {
        let mut s = format!("--- {name}: {} requests parsed ---\n", parsed.len());
        for r in &parsed {
            let t = simulate(&r.request, &r.answers);
            s.push_str(&format!(
                "{r:#?}\nverdict: {} {:?}\nincomplete: {}\n",
                t.verdict.code(),
                t.verdict.finding().map(|f| &f.params),
                is_incomplete(r)
            ));
        }
        s
    };
    assert_eq!(parsed.len(), wants.len(), "{name}: count\n{}", dump());
    for (i, (r, w)) in parsed.iter().zip(wants).enumerate() {
        let ctx = || format!("{name} #{i}\n{}", dump());
        assert_eq!(r.request.method, w.method, "method: {}", ctx());
        assert_eq!(r.request.url, w.url, "url: {}", ctx());
        assert_eq!(r.request.page_origin, w.origin, "page origin: {}", ctx());
        let names: Vec<String> = r
            .request
            .headers
            .iter()
            .map(|(n, _)| n.to_ascii_lowercase())
            .collect();
        assert_eq!(names, w.headers, "header names: {}", ctx());
        assert_eq!(
            r.request.credentials,
            w.credentials,
            "credentials: {}",
            ctx()
        );
        assert_eq!(r.request.mode, RequestMode::Cors, "mode: {}", ctx());
        let trace = simulate(&r.request, &r.answers);
        assert_eq!(trace.verdict.code().to_string(), w.code, "code: {}", ctx());
        for (k, v) in w.params {
            let got = trace.verdict.finding().and_then(|f| f.param(k));
            assert_eq!(got, Some(*v), "param {k}: {}", ctx());
        }
        assert_eq!(is_incomplete(r), w.incomplete, "incomplete: {}", ctx());
    }
    parsed
}

// ---------------------------------------------------------------------------------------------
// Log envelopes and Chromium entries.

/// Chromium's envelope (`WebInspector`, the page's URL as its title).
fn chromium(entries: &[String]) -> String {
    format!(
        r#"{{"log":{{"version":"1.2","creator":{{"name":"WebInspector","version":"537.36"}},
"pages":[{{"startedDateTime":"2024-05-01T10:00:00.000Z","id":"page_3","title":"https://app.example.com/orders","pageTimings":{{"onContentLoad":301.2,"onLoad":655.8}}}}],
"entries":[{}]}}}}"#,
        entries.join(",\n")
    )
}

/// Firefox's envelope: one page whose title is the page's URL.
fn firefox(entries: &[&str]) -> String {
    format!(
        r#"{{"log":{{"version":"1.2","creator":{{"name":"Firefox","version":"126.0"}},"browser":{{"name":"Firefox","version":"126.0"}},
"pages":[{{"startedDateTime":"2024-05-01T12:00:00.000+02:00","id":"page_1","title":"https://app.example.com/settings","pageTimings":{{"onContentLoad":-1,"onLoad":-1}}}}],
"entries":[{}]}}}}"#,
        entries.join(",\n")
    )
}

/// One Chromium entry.
struct Chrome {
    resource_type: &'static str,
    /// `Some(url)`: a preflight's initiator naming the actual request.
    preflight_for: Option<&'static str>,
    method: &'static str,
    url: &'static str,
    /// Headers the script set (the browser's own are added).
    headers: Vec<(&'static str, &'static str)>,
    origin: bool,
    post: Option<&'static str>,
    status: u16,
    response: Vec<(&'static str, &'static str)>,
    redirect: &'static str,
    error: Option<&'static str>,
    started: &'static str,
}

fn get(url: &'static str, started: &'static str) -> Chrome {
    Chrome {
        resource_type: "fetch",
        preflight_for: None,
        method: "GET",
        url,
        headers: vec![],
        origin: true,
        post: None,
        status: 200,
        response: vec![("content-type", "application/json")],
        redirect: "",
        error: None,
        started,
    }
}

fn preflight(
    url: &'static str,
    method: &'static str,
    asked: &'static str,
    started: &'static str,
) -> Chrome {
    let mut headers = vec![("access-control-request-method", method)];
    if !asked.is_empty() {
        headers.push(("access-control-request-headers", asked));
    }
    Chrome {
        resource_type: "preflight",
        preflight_for: Some(url),
        method: "OPTIONS",
        headers,
        status: 204,
        response: vec![],
        ..get(url, started)
    }
}

fn json_pairs(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(n, v)| format!("{{\"name\":{},\"value\":{}}}", json(n), json(v)))
        .collect::<Vec<_>>()
        .join(",")
}

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

impl Chrome {
    /// The entry as Chromium writes it (HTTP/2: lower-case names, pseudo-headers first).
    fn har(&self) -> String {
        let host = self.url.split('/').nth(2).unwrap_or("");
        let path = format!("/{}", self.url.splitn(4, '/').nth(3).unwrap_or(""));
        let mut req: Vec<(&str, &str)> = vec![
            (":authority", host),
            (":method", self.method),
            (":path", &path),
            (":scheme", "https"),
            ("accept", "*/*"),
            ("accept-encoding", "gzip, deflate, br, zstd"),
            ("accept-language", "en-GB,en;q=0.9"),
        ];
        req.extend(self.headers.iter().copied());
        if self.origin {
            req.push(("origin", "https://app.example.com"));
        }
        req.extend([
            ("priority", "u=1, i"),
            ("referer", "https://app.example.com/"),
            ("sec-ch-ua", "\"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\""),
            ("sec-ch-ua-mobile", "?0"),
            ("sec-fetch-dest", "empty"),
            ("sec-fetch-mode", "cors"),
            ("sec-fetch-site", "same-site"),
            (
                "user-agent",
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
            ),
        ]);
        let initiator = match self.preflight_for {
            Some(u) => format!(r#"{{"type":"preflight","url":{},"requestId":"81234.55"}}"#, json(u)),
            None => r#"{"type":"script","stack":{"callFrames":[{"functionName":"save","scriptId":"12","url":"https://app.example.com/assets/index-4f2a.js","lineNumber":88,"columnNumber":14}]}}"#.to_string(),
        };
        let post = self.post.map_or(String::new(), |text| {
            format!(
                r#","postData":{{"mimeType":"application/json","text":{}}}"#,
                json(text)
            )
        });
        let body_size = self.post.map_or(0, str::len);
        let error = self.error.map_or("null".to_string(), json);
        let content = if self.status == 0 {
            r#"{"size":0,"mimeType":"x-unknown"}"#.to_string()
        } else {
            r#"{"size":42,"mimeType":"application/json","text":"{\"ok\":true,\"items\":[1,2,3],\"note\":\"\\u00e9t\u00e9\"}"}"#.to_string()
        };
        format!(
            r#"{{"_initiator":{initiator},"_priority":"High","_resourceType":"{rt}","cache":{{}},"connection":"887123","pageref":"page_3",
"request":{{"method":"{m}","url":{url},"httpVersion":"http/2.0","headers":[{rh}],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":{body_size}{post}}},
"response":{{"status":{st},"statusText":"","httpVersion":"http/2.0","headers":[{sh}],"cookies":[],"content":{content},"redirectURL":{redir},"headersSize":-1,"bodySize":-1,"_transferSize":0,"_error":{error},"_fetchedViaServiceWorker":false}},
"serverIPAddress":"198.51.100.20","startedDateTime":"{started}","time":87.113,"timings":{{"blocked":1.2,"dns":-1,"ssl":-1,"connect":-1,"send":0.3,"wait":84.1,"receive":1.5,"_blocked_queueing":0.9}}}}"#,
            rt = self.resource_type,
            m = self.method,
            url = json(self.url),
            rh = json_pairs(&req),
            st = self.status,
            sh = json_pairs(&self.response),
            redir = json(self.redirect),
            started = self.started,
        )
    }
}

const CORS_OK: &[(&str, &str)] = &[
    ("access-control-allow-origin", "https://app.example.com"),
    ("content-type", "application/json"),
    ("vary", "Origin"),
];

fn cors_ok() -> Vec<(&'static str, &'static str)> {
    CORS_OK.to_vec()
}

fn allows(methods: &'static str, headers: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("access-control-allow-origin", "https://app.example.com"),
        ("access-control-allow-methods", methods),
        ("access-control-allow-headers", headers),
        ("access-control-max-age", "7200"),
    ]
}

// ---------------------------------------------------------------------------------------------
// Chromium.

/// A PUT preflighted by a `_resourceType: "preflight"` entry that Chromium logs after the actual
/// request (as its network panel lists them); same-origin and `data:` entries skipped; HTTP/2
/// pseudo-headers and browser headers dropped.
#[test]
fn chromium_preflight_entry_after_the_request() {
    let doc = Chrome {
        resource_type: "document",
        origin: false,
        response: vec![("content-type", "text/html")],
        ..get("https://app.example.com/orders", "2024-05-01T10:00:00.000Z")
    };
    let data = Chrome {
        resource_type: "image",
        origin: false,
        ..get(
            "data:image/png;base64,iVBORw0KGgo=",
            "2024-05-01T10:00:00.120Z",
        )
    };
    let same = get("https://app.example.com/api/me", "2024-05-01T10:00:00.200Z");
    let put = Chrome {
        method: "PUT",
        headers: vec![("content-type", "application/json"), ("x-api-key", "k-123")],
        post: Some(r#"{"qty":2}"#),
        response: cors_ok(),
        ..get(
            "https://api.example.com/v1/orders/7",
            "2024-05-01T10:00:01.000Z",
        )
    };
    let mut pf = preflight(
        "https://api.example.com/v1/orders/7",
        "PUT",
        "content-type,x-api-key",
        "2024-05-01T10:00:01.002Z",
    );
    pf.response = allows("GET, PUT", "content-type, x-api-key");
    let har = chromium(&[doc.har(), data.har(), same.har(), put.har(), pf.har()]);
    let parsed = check(
        "chromium preflight after",
        &har,
        &[Want {
            headers: &["content-type", "x-api-key"],
            ..want("PUT", "https://api.example.com/v1/orders/7", "ok")
        }],
    );
    let r = &parsed[0];
    assert_eq!(r.entry, 3);
    assert_eq!(r.status, 200);
    assert_eq!(r.error, None);
    assert!(r.request.body.is_some());
    assert_eq!(r.started_ms, 1_714_557_601_000.0);
    let hop = &r.answers.hops[0];
    assert_eq!(hop.preflight.as_ref().map(|p| p.status), Some(204));
    assert!(r.request.headers.iter().all(|(n, _)| !n.starts_with(':')));
}

/// A redirect chain of three entries (301 trailing slash, 302 to another host) is one request
/// with three hops; the hop entries are not reported on their own.
#[test]
fn chromium_redirect_chain() {
    let a = Chrome {
        status: 301,
        response: vec![
            ("access-control-allow-origin", "https://app.example.com"),
            ("location", "/v1/items/"),
        ],
        redirect: "/v1/items/",
        ..get(
            "https://api.example.com/v1/items",
            "2024-05-01T10:00:02.000Z",
        )
    };
    let b = Chrome {
        status: 302,
        response: vec![
            ("access-control-allow-origin", "https://app.example.com"),
            ("location", "https://files.example.net/items.json"),
        ],
        redirect: "https://files.example.net/items.json",
        ..get(
            "https://api.example.com/v1/items/",
            "2024-05-01T10:00:02.050Z",
        )
    };
    let c = Chrome {
        origin: false,
        response: vec![
            ("access-control-allow-origin", "*"),
            ("content-type", "application/json"),
        ],
        ..get(
            "https://files.example.net/items.json",
            "2024-05-01T10:00:02.090Z",
        )
    };
    let har = chromium(&[a.har(), b.har(), c.har()]);
    let parsed = check(
        "redirect chain",
        &har,
        &[want("GET", "https://api.example.com/v1/items", "ok")],
    );
    let r = &parsed[0];
    assert_eq!(r.answers.hops.len(), 3);
    assert_eq!(r.status, 301);
    let t = simulate(&r.request, &r.answers);
    match t.verdict {
        Verdict::Delivered {
            final_url,
            redirected,
            ..
        } => {
            assert_eq!(final_url, "https://files.example.net/items.json");
            assert!(redirected);
        }
        other => panic!("{other:?}"),
    }
}

/// `net::ERR_FAILED` with status 0 and no headers (the response hidden), and the same with the
/// real status and headers kept.
#[test]
fn chromium_err_failed_with_and_without_headers() {
    let hidden = Chrome {
        status: 0,
        response: vec![],
        error: Some("net::ERR_FAILED"),
        ..get(
            "https://api.partner.io/v2/quote",
            "2024-05-01T10:00:03.000Z",
        )
    };
    let shown = Chrome {
        status: 200,
        response: vec![("content-type", "application/json"), ("server", "envoy")],
        error: Some("net::ERR_FAILED"),
        ..get(
            "https://api.partner.io/v2/rates",
            "2024-05-01T10:00:03.100Z",
        )
    };
    let har = chromium(&[hidden.har(), shown.har()]);
    let parsed = check(
        "err_failed",
        &har,
        &[
            Want {
                params: &[("status", "0")],
                incomplete: true,
                ..want(
                    "GET",
                    "https://api.partner.io/v2/quote",
                    "response/allow-origin/missing",
                )
            },
            Want {
                params: &[("status", "200")],
                ..want(
                    "GET",
                    "https://api.partner.io/v2/rates",
                    "response/allow-origin/missing",
                )
            },
        ],
    );
    assert_eq!(parsed[0].error.as_deref(), Some("net::ERR_FAILED"));
    assert_eq!(parsed[0].status, 0);
    assert_eq!(parsed[1].status, 200);
}

/// A refused connection: nothing answered, and the evidence is complete.
#[test]
fn chromium_connection_refused() {
    let refused = Chrome {
        status: 0,
        response: vec![],
        error: Some("net::ERR_CONNECTION_REFUSED"),
        ..get("https://api.example.com/health", "2024-05-01T10:00:03.200Z")
    };
    let parsed = check(
        "refused",
        &chromium(&[refused.har()]),
        &[Want {
            params: &[("missing", "response")],
            ..want(
                "GET",
                "https://api.example.com/health",
                "network/unreachable",
            )
        }],
    );
    assert_eq!(
        parsed[0].error.as_deref(),
        Some("net::ERR_CONNECTION_REFUSED")
    );
    assert!(parsed[0].answers.hops.is_empty());
}

/// The preflight got a 401 with CORS headers; Chromium logs the actual request as status 0,
/// `net::ERR_FAILED`, with its provisional headers.
#[test]
fn chromium_preflight_401_with_cors_headers() {
    let pf = Chrome {
        status: 401,
        response: vec![
            ("access-control-allow-origin", "https://app.example.com"),
            ("www-authenticate", "Bearer realm=\"api\""),
        ],
        ..preflight(
            "https://api.example.com/v1/orders",
            "POST",
            "authorization,content-type",
            "2024-05-01T10:00:04.003Z",
        )
    };
    let post = Chrome {
        method: "POST",
        headers: vec![
            ("authorization", "Bearer abc"),
            ("content-type", "application/json"),
        ],
        post: Some(r#"{"item":"book"}"#),
        status: 0,
        response: vec![],
        error: Some("net::ERR_FAILED"),
        ..get(
            "https://api.example.com/v1/orders",
            "2024-05-01T10:00:04.000Z",
        )
    };
    let parsed = check(
        "preflight 401 cors",
        &chromium(&[post.har(), pf.har()]),
        &[Want {
            headers: &["authorization", "content-type"],
            params: &[("status", "401")],
            ..want(
                "POST",
                "https://api.example.com/v1/orders",
                "preflight/status",
            )
        }],
    );
    assert_eq!(parsed[0].entry, 0);
    assert_eq!(parsed[0].status, 0);
}

/// `Access-Control-Allow-Origin: *` on a request that carried a cookie.
#[test]
fn chromium_wildcard_with_credentials() {
    let g = Chrome {
        headers: vec![("cookie", "sid=s%3Aabc123; theme=dark")],
        response: vec![
            ("access-control-allow-origin", "*"),
            ("content-type", "application/json"),
        ],
        error: Some("net::ERR_FAILED"),
        ..get(
            "https://api.example.com/v1/profile",
            "2024-05-01T10:00:05.000Z",
        )
    };
    check(
        "wildcard credentials",
        &chromium(&[g.har()]),
        &[Want {
            credentials: Include,
            params: &[("value", "*"), ("status", "200")],
            ..want(
                "GET",
                "https://api.example.com/v1/profile",
                "response/credentials/wildcard-origin",
            )
        }],
    );
}

/// A good preflight, then a 502 without CORS headers: the browser hides the server error.
#[test]
fn chromium_hidden_502_after_good_preflight() {
    let pf = Chrome {
        response: allows("GET, POST, PATCH, DELETE", "authorization, content-type"),
        ..preflight(
            "https://api.example.com/v1/cart",
            "PATCH",
            "authorization,content-type",
            "2024-05-01T10:00:06.001Z",
        )
    };
    let patch = Chrome {
        method: "PATCH",
        headers: vec![
            ("authorization", "Bearer t0k"),
            ("content-type", "application/json"),
        ],
        post: Some(r#"{"qty":3}"#),
        status: 502,
        response: vec![("content-type", "text/html"), ("server", "nginx/1.25.3")],
        error: Some("net::ERR_FAILED"),
        ..get(
            "https://api.example.com/v1/cart",
            "2024-05-01T10:00:06.000Z",
        )
    };
    let parsed = check(
        "hidden 502",
        &chromium(&[pf.har(), patch.har()]),
        &[Want {
            headers: &["authorization", "content-type"],
            params: &[("status", "502")],
            ..want(
                "PATCH",
                "https://api.example.com/v1/cart",
                "response/hidden-server-error",
            )
        }],
    );
    assert_eq!(
        parsed[0].entry, 1,
        "the request's entry, not the preflight's"
    );
    assert_eq!(parsed[0].status, 502);
}

/// Three requests to one host failing the same way (no Allow-Origin at all), among a
/// cross-origin image and a websocket (not CORS requests) and a `crossorigin` font (one).
#[test]
fn chromium_one_host_failing_the_same_way_and_no_cors_loads() {
    let fail = |url: &'static str, started: &'static str| Chrome {
        error: Some("net::ERR_FAILED"),
        ..get(url, started)
    };
    let image = Chrome {
        resource_type: "image",
        origin: false,
        response: vec![("content-type", "image/webp")],
        ..get(
            "https://cdn.example.net/hero.webp",
            "2024-05-01T10:00:07.000Z",
        )
    };
    let ws = Chrome {
        resource_type: "websocket",
        status: 101,
        response: vec![("upgrade", "websocket")],
        ..get("wss://live.example.com/socket", "2024-05-01T10:00:07.010Z")
    };
    let font = Chrome {
        resource_type: "font",
        response: vec![
            ("access-control-allow-origin", "*"),
            ("content-type", "font/woff2"),
        ],
        ..get(
            "https://fonts.example.net/inter.woff2",
            "2024-05-01T10:00:07.020Z",
        )
    };
    let har = chromium(&[
        image.har(),
        ws.har(),
        font.har(),
        fail("https://api.partner.io/v1/a", "2024-05-01T10:00:07.100Z").har(),
        fail("https://api.partner.io/v1/b", "2024-05-01T10:00:07.200Z").har(),
        fail("https://api.partner.io/v1/c", "2024-05-01T10:00:07.300Z").har(),
    ]);
    let missing = |url| Want {
        params: &[("status", "200"), ("origin", "https://app.example.com")],
        ..want("GET", url, "response/allow-origin/missing")
    };
    check(
        "one host",
        &har,
        &[
            want("GET", "https://fonts.example.net/inter.woff2", "ok"),
            missing("https://api.partner.io/v1/a"),
            missing("https://api.partner.io/v1/b"),
            missing("https://api.partner.io/v1/c"),
        ],
    );
}

/// "Export HAR (sanitized)" drops `Authorization`: the preflight's
/// `Access-Control-Request-Headers` brings the name back (value `x`). The second PUT has no
/// preflight entry (the browser's preflight cache): it got a response, so a preflight passed.
#[test]
fn chromium_sanitized_export_and_cached_preflight() {
    let pf = Chrome {
        response: allows("PUT", "authorization, content-type"),
        ..preflight(
            "https://api.example.com/v1/doc/1",
            "PUT",
            "authorization,content-type",
            "2024-05-01T10:00:08.000Z",
        )
    };
    let put = |started| Chrome {
        method: "PUT",
        headers: vec![("content-type", "application/json")],
        post: Some("{}"),
        response: cors_ok(),
        ..get("https://api.example.com/v1/doc/1", started)
    };
    let parsed = check(
        "sanitized",
        &chromium(&[
            pf.har(),
            put("2024-05-01T10:00:08.010Z").har(),
            put("2024-05-01T10:00:09.000Z").har(),
        ]),
        &[
            Want {
                headers: &["content-type", "authorization"],
                ..want("PUT", "https://api.example.com/v1/doc/1", "ok")
            },
            Want {
                headers: &["content-type"],
                ..want("PUT", "https://api.example.com/v1/doc/1", "ok")
            },
        ],
    );
    assert_eq!(parsed[0].request.headers[1].1, "x");
    assert_eq!(
        parsed[1].answers.hops[0]
            .preflight
            .as_ref()
            .map(|p| p.status),
        Some(204),
        "a passed preflight stands in for the cached one"
    );
}

/// A disabled cache adds `pragma`/`cache-control: no-cache` (dropped), but when the preflight
/// asked for `cache-control` the script set it (kept); `accept: application/json` and
/// `x-requested-with` are the script's.
#[test]
fn chromium_disable_cache_headers() {
    let plain = Chrome {
        headers: vec![
            ("accept", "application/json"),
            ("cache-control", "no-cache"),
            ("pragma", "no-cache"),
        ],
        response: cors_ok(),
        ..get("https://api.example.com/v1/a", "2024-05-01T10:00:10.000Z")
    };
    let pf = Chrome {
        response: allows("GET", "cache-control, x-requested-with"),
        ..preflight(
            "https://api.example.com/v1/b",
            "GET",
            "cache-control,x-requested-with",
            "2024-05-01T10:00:10.101Z",
        )
    };
    let asked = Chrome {
        headers: vec![
            ("cache-control", "no-cache"),
            ("x-requested-with", "XMLHttpRequest"),
        ],
        resource_type: "xhr",
        response: cors_ok(),
        ..get("https://api.example.com/v1/b", "2024-05-01T10:00:10.100Z")
    };
    check(
        "disable cache",
        &chromium(&[plain.har(), asked.har(), pf.har()]),
        &[
            Want {
                headers: &["accept"],
                ..want("GET", "https://api.example.com/v1/a", "ok")
            },
            Want {
                headers: &["cache-control", "x-requested-with"],
                ..want("GET", "https://api.example.com/v1/b", "ok")
            },
        ],
    );
}

/// A redirect whose next request is not in the log (the export was cut): the simulator needs
/// a hop the log lacks.
#[test]
fn chromium_redirect_without_its_next_entry() {
    let a = Chrome {
        status: 307,
        response: vec![
            ("access-control-allow-origin", "https://app.example.com"),
            ("location", "https://api2.example.com/v1/x"),
        ],
        redirect: "https://api2.example.com/v1/x",
        ..get("https://api.example.com/v1/x", "2024-05-01T10:00:11.000Z")
    };
    check(
        "cut redirect",
        &chromium(&[a.har()]),
        &[Want {
            params: &[("missing", "response"), ("hop", "1")],
            incomplete: true,
            ..want("GET", "https://api.example.com/v1/x", "network/unreachable")
        }],
    );
}

// ---------------------------------------------------------------------------------------------
// Firefox.

/// Firefox: plain `OPTIONS` preflight before a POST (HTTP/1.1 header case, `+02:00` dates,
/// `postData` on every request), then a GET whose blocked response keeps its real status and
/// its Allow-Origin for another origin.
#[test]
fn firefox_options_preflight_and_blocked_response() {
    let options = r#"{"pageref":"page_1","startedDateTime":"2024-05-01T12:00:01.000+02:00","time":31,
"request":{"bodySize":0,"method":"OPTIONS","url":"https://api.example.com/v1/notes","httpVersion":"HTTP/1.1",
"headers":[{"name":"Host","value":"api.example.com"},{"name":"User-Agent","value":"Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0"},{"name":"Accept","value":"*/*"},{"name":"Accept-Language","value":"en-US,en;q=0.5"},{"name":"Accept-Encoding","value":"gzip, deflate, br, zstd"},{"name":"Access-Control-Request-Method","value":"POST"},{"name":"Access-Control-Request-Headers","value":"authorization,content-type"},{"name":"Referer","value":"https://app.example.com/"},{"name":"Origin","value":"https://app.example.com"},{"name":"Connection","value":"keep-alive"},{"name":"Sec-Fetch-Dest","value":"empty"},{"name":"Sec-Fetch-Mode","value":"cors"},{"name":"Sec-Fetch-Site","value":"same-site"},{"name":"Priority","value":"u=4"},{"name":"Pragma","value":"no-cache"},{"name":"Cache-Control","value":"no-cache"}],
"cookies":[],"queryString":[],"headersSize":520},
"response":{"status":204,"statusText":"No Content","httpVersion":"HTTP/1.1",
"headers":[{"name":"Access-Control-Allow-Origin","value":"https://app.example.com"},{"name":"Access-Control-Allow-Methods","value":"GET,POST,DELETE"},{"name":"Access-Control-Allow-Headers","value":"Authorization,Content-Type"},{"name":"Date","value":"Wed, 01 May 2024 10:00:01 GMT"}],
"cookies":[],"content":{"mimeType":"text/plain","size":0,"text":""},"redirectURL":"","headersSize":210,"bodySize":210},
"cache":{},"timings":{"blocked":0,"dns":0,"connect":0,"ssl":0,"send":0,"wait":31,"receive":0},"serverIPAddress":"198.51.100.20","connection":"443"}"#;
    let post = r#"{"pageref":"page_1","startedDateTime":"2024-05-01T12:00:01.040+02:00","time":55,
"request":{"bodySize":25,"method":"POST","url":"https://api.example.com/v1/notes","httpVersion":"HTTP/1.1",
"headers":[{"name":"Host","value":"api.example.com"},{"name":"User-Agent","value":"Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0"},{"name":"Accept","value":"application/json"},{"name":"Accept-Language","value":"en-US,en;q=0.5"},{"name":"Accept-Encoding","value":"gzip, deflate, br, zstd"},{"name":"Referer","value":"https://app.example.com/"},{"name":"Content-Type","value":"application/json"},{"name":"Authorization","value":"Bearer f00"},{"name":"Content-Length","value":"25"},{"name":"Origin","value":"https://app.example.com"},{"name":"Connection","value":"keep-alive"},{"name":"Sec-Fetch-Dest","value":"empty"},{"name":"Sec-Fetch-Mode","value":"cors"},{"name":"Sec-Fetch-Site","value":"same-site"},{"name":"Pragma","value":"no-cache"},{"name":"Cache-Control","value":"no-cache"}],
"cookies":[],"queryString":[],"headersSize":610,"postData":{"mimeType":"application/json","params":[],"text":"{\"text\":\"buy milk\",\"n\":1}"}},
"response":{"status":201,"statusText":"Created","httpVersion":"HTTP/1.1",
"headers":[{"name":"Content-Type","value":"application/json"},{"name":"Access-Control-Allow-Origin","value":"https://app.example.com"},{"name":"Location","value":"/v1/notes/9"}],
"cookies":[],"content":{"mimeType":"application/json","size":9,"text":"{\"id\":9}"},"redirectURL":"/v1/notes/9","headersSize":190,"bodySize":199},
"cache":{},"timings":{"blocked":0,"dns":0,"connect":0,"ssl":0,"send":0,"wait":55,"receive":0},"serverIPAddress":"198.51.100.20","connection":"443"}"#;
    let get = r#"{"pageref":"page_1","startedDateTime":"2024-05-01T12:00:02.000+02:00","time":40,
"request":{"bodySize":0,"method":"GET","url":"https://api.example.com/v1/notes?page=2#top","httpVersion":"HTTP/1.1",
"headers":[{"name":"Host","value":"api.example.com"},{"name":"Accept","value":"*/*"},{"name":"Origin","value":"https://app.example.com"},{"name":"Referer","value":"https://app.example.com/"},{"name":"TE","value":"trailers"}],
"cookies":[],"queryString":[{"name":"page","value":"2"}],"headersSize":300,"postData":{"mimeType":"","params":[],"text":""}},
"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1",
"headers":[{"name":"Content-Type","value":"application/json"},{"name":"Access-Control-Allow-Origin","value":"https://staging.example.com"}],
"cookies":[],"content":{"mimeType":"application/json","size":2,"text":"[]"},"redirectURL":"","headersSize":120,"bodySize":122},
"cache":{},"timings":{"blocked":0,"dns":0,"connect":0,"ssl":0,"send":0,"wait":40,"receive":0},"serverIPAddress":"198.51.100.20","connection":"443"}"#;
    let parsed = check(
        "firefox",
        &firefox(&[options, post, get]),
        &[
            Want {
                headers: &["accept", "content-type", "authorization"],
                ..want("POST", "https://api.example.com/v1/notes", "ok")
            },
            Want {
                params: &[("value", "https://staging.example.com"), ("status", "200")],
                ..want(
                    "GET",
                    "https://api.example.com/v1/notes?page=2#top",
                    "response/allow-origin/mismatch",
                )
            },
        ],
    );
    // 12:00:01.040+02:00 is 10:00:01.040Z.
    assert_eq!(parsed[0].started_ms, 1_714_557_601_040.0);
    assert_eq!(parsed[0].entry, 1);
    assert!(parsed[0].request.body.is_some());
    assert!(
        parsed[1].request.body.is_none(),
        "Firefox's empty postData is no body"
    );
    assert_eq!(
        parsed[0].answers.hops.len(),
        1,
        "a 201 with Location is no redirect"
    );
}

/// Firefox: the preflight failed with 401 and no CORS headers, so no POST follows; the
/// request is rebuilt from `Access-Control-Request-*`.
#[test]
fn firefox_failed_preflight_without_request() {
    let options = r#"{"pageref":"page_1","startedDateTime":"2024-05-01T12:00:05.000+02:00","time":20,
"request":{"bodySize":0,"method":"OPTIONS","url":"https://api.example.com/v1/upload","httpVersion":"HTTP/2",
"headers":[{"name":"Host","value":"api.example.com"},{"name":"Accept","value":"*/*"},{"name":"Access-Control-Request-Method","value":"PUT"},{"name":"Access-Control-Request-Headers","value":"authorization,content-type"},{"name":"Origin","value":"https://app.example.com"},{"name":"Sec-Fetch-Mode","value":"cors"}],
"cookies":[],"queryString":[],"headersSize":300,"postData":{"mimeType":"","params":[],"text":""}},
"response":{"status":401,"statusText":"Unauthorized","httpVersion":"HTTP/2",
"headers":[{"name":"www-authenticate","value":"Basic realm=\"upload\""},{"name":"content-length","value":"0"}],
"cookies":[],"content":{"mimeType":"text/plain","size":0,"text":""},"redirectURL":"","headersSize":90,"bodySize":90},
"cache":{},"timings":{"blocked":0,"dns":0,"connect":0,"ssl":0,"send":0,"wait":20,"receive":0}}"#;
    let parsed = check(
        "firefox failed preflight",
        &firefox(&[options]),
        &[Want {
            headers: &["authorization", "content-type"],
            params: &[("status", "401")],
            ..want(
                "PUT",
                "https://api.example.com/v1/upload",
                "preflight/allow-origin/missing",
            )
        }],
    );
    let r = &parsed[0];
    assert_eq!(r.entry, 0);
    assert_eq!(r.status, 0);
    assert_eq!(r.answers.hops[0].response.status, 0, "never asked for");
}

/// Firefox: a GET with a cookie (header and `request.cookies`) to an API that allows
/// credentials; and one whose page origin comes from `Referer` (no `Origin`: a no-cors GET, not
/// reported) or from the page (a failed request without `Origin`/`Referer`... only `pageref`).
#[test]
fn firefox_request_with_cookie() {
    let get = r#"{"pageref":"page_1","startedDateTime":"2024-05-01T12:00:06.000+02:00","time":30,
"request":{"bodySize":0,"method":"GET","url":"https://api.example.com/v1/session","httpVersion":"HTTP/2",
"headers":[{"name":"Host","value":"api.example.com"},{"name":"Accept","value":"*/*"},{"name":"Origin","value":"https://app.example.com"},{"name":"Cookie","value":"sid=abc; lang=en"}],
"cookies":[{"name":"sid","value":"abc"},{"name":"lang","value":"en"}],"queryString":[],"headersSize":300,"postData":{"mimeType":"","params":[],"text":""}},
"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/2",
"headers":[{"name":"access-control-allow-origin","value":"https://app.example.com"},{"name":"access-control-allow-credentials","value":"true"},{"name":"content-type","value":"application/json"}],
"cookies":[],"content":{"mimeType":"application/json","size":11,"text":"{\"u\":\"me\"}"},"redirectURL":"","headersSize":90,"bodySize":101},
"cache":{},"timings":{"blocked":0,"dns":0,"connect":0,"ssl":0,"send":0,"wait":30,"receive":0}}"#;
    let img = r#"{"pageref":"page_1","startedDateTime":"2024-05-01T12:00:06.100+02:00","time":10,
"request":{"bodySize":0,"method":"GET","url":"https://cdn.example.net/logo.png","httpVersion":"HTTP/2",
"headers":[{"name":"Accept","value":"image/avif,image/webp,*/*"},{"name":"Referer","value":"https://app.example.com/settings"}],
"cookies":[],"queryString":[],"headersSize":100},
"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/2","headers":[{"name":"content-type","value":"image/png"}],
"cookies":[],"content":{"mimeType":"image/png","size":100},"redirectURL":"","headersSize":50,"bodySize":150},
"cache":{},"timings":{}}"#;
    let failed = r#"{"pageref":"page_1","startedDateTime":"2024-05-01T12:00:07.000+02:00","time":0,
"request":{"bodySize":0,"method":"DELETE","url":"https://api.example.com/v1/session","httpVersion":"",
"headers":[{"name":"Origin","value":"https://app.example.com"}],
"cookies":[{"name":"sid","value":"abc"}],"queryString":[],"headersSize":-1},
"response":{"status":0,"statusText":"","httpVersion":"","headers":[],"cookies":[],"content":{"mimeType":"","size":-1},"redirectURL":"","headersSize":-1,"bodySize":-1},
"cache":{},"timings":{}}"#;
    let parsed = check(
        "firefox cookie",
        &firefox(&[get, img, failed]),
        &[
            Want {
                credentials: Include,
                ..want("GET", "https://api.example.com/v1/session", "ok")
            },
            Want {
                credentials: Include,
                params: &[("missing", "preflight")],
                incomplete: true,
                ..want(
                    "DELETE",
                    "https://api.example.com/v1/session",
                    "network/unreachable",
                )
            },
        ],
    );
    assert_eq!(parsed[1].error, None);
}

/// Firefox: unmarked preflights and POSTs to one URL, logged out of order: each preflight goes
/// to the closest request that starts at or after it; a third preflight (500) has no request
/// after it and yields the rebuilt one. The page origin of a request without `Origin` or
/// `Referer` comes from its page (`pageref`).
#[test]
fn firefox_interleaved_preflights_and_page_origin() {
    let options = |t: &str, status: u16, max_age: u8| {
        format!(
            r#"{{"pageref":"page_1","startedDateTime":"{t}","request":{{"method":"OPTIONS","url":"https://api.example.com/v1/log","headers":[{{"name":"Access-Control-Request-Method","value":"POST"}},{{"name":"Access-Control-Request-Headers","value":"content-type"}},{{"name":"Origin","value":"https://app.example.com"}}],"cookies":[]}},
"response":{{"status":{status},"headers":[{{"name":"Access-Control-Allow-Origin","value":"*"}},{{"name":"Access-Control-Allow-Headers","value":"content-type"}},{{"name":"Access-Control-Max-Age","value":"{max_age}"}}],"content":{{"size":0,"mimeType":""}},"redirectURL":""}}}}"#
        )
    };
    let post = |t: &str| {
        format!(
            r#"{{"pageref":"page_1","startedDateTime":"{t}","request":{{"method":"POST","url":"https://api.example.com/v1/log","headers":[{{"name":"Content-Type","value":"application/json"}},{{"name":"Origin","value":"https://app.example.com"}}],"cookies":[],"postData":{{"mimeType":"application/json","text":"{{}}"}}}},
"response":{{"status":200,"headers":[{{"name":"Access-Control-Allow-Origin","value":"*"}}],"content":{{"size":0,"mimeType":""}},"redirectURL":""}}}}"#
        )
    };
    let entries = [
        options("2024-05-01T12:00:10.000+02:00", 204, 1),
        options("2024-05-01T12:00:10.500+02:00", 204, 2),
        post("2024-05-01T12:00:10.530+02:00"),
        post("2024-05-01T12:00:10.020+02:00"),
        options("2024-05-01T12:00:11.000+02:00", 500, 3),
    ];
    let refs: Vec<&str> = entries.iter().map(String::as_str).collect();
    let ok = || Want {
        headers: &["content-type"],
        ..want("POST", "https://api.example.com/v1/log", "ok")
    };
    let parsed = check(
        "interleaved",
        &firefox(&refs),
        &[
            ok(),
            ok(),
            Want {
                headers: &["content-type"],
                params: &[("status", "500")],
                ..want("POST", "https://api.example.com/v1/log", "preflight/status")
            },
        ],
    );
    let max_age = |r: &HarRequest| {
        r.answers.hops[0]
            .preflight
            .as_ref()
            .and_then(|p| p.get("access-control-max-age"))
    };
    assert_eq!(
        parsed.iter().map(|r| r.entry).collect::<Vec<_>>(),
        vec![2, 3, 4]
    );
    assert_eq!(max_age(&parsed[0]).as_deref(), Some("2"));
    assert_eq!(max_age(&parsed[1]).as_deref(), Some("1"));

    // No Origin, no Referer: the page's title names the origin; a fetch() without them.
    let bare = r#"{"pageref":"page_1","_resourceType":"fetch","startedDateTime":"2024-05-01T12:00:11.000+02:00","request":{"method":"GET","url":"https://api.example.com/v1/ping","headers":[]},
"response":{"status":0,"headers":[],"content":{"size":0,"mimeType":""},"redirectURL":""}}"#;
    check(
        "page origin",
        &firefox(&[bare]),
        &[Want {
            incomplete: true,
            params: &[("status", "0")],
            ..want(
                "GET",
                "https://api.example.com/v1/ping",
                "response/allow-origin/missing",
            )
        }],
    );
}

/// Nothing names the page's origin: `null`, so every http(s) request is cross-origin. The
/// request needs a preflight the log lacks and got a response: a passed preflight stands in.
#[test]
fn unknown_page_origin_is_null() {
    let har = r#"{"log":{"entries":[{"_resourceType":"xhr","startedDateTime":"garbage",
"request":{"method":"GET","url":"https://api.example.com/x","headers":[{"name":"X-Trace","value":"1"}]},
"response":{"status":200,"headers":[{"name":"Access-Control-Allow-Origin","value":"*"}]}}]}}"#;
    let parsed = check(
        "null origin",
        har,
        &[Want {
            origin: "null",
            headers: &["x-trace"],
            ..want("GET", "https://api.example.com/x", "ok")
        }],
    );
    assert_eq!(parsed[0].started_ms, 0.0);
}

// ---------------------------------------------------------------------------------------------
// Not a HAR; lenient fields.

#[test]
fn not_har() {
    for text in [
        "",
        "not json",
        "{\"log\":",
        "[1,2,3]",
        "{}",
        "{\"log\":{}}",
        "{\"log\":{\"entries\":{}}}",
        "{\"log\":{\"entries\":null}}",
        "{\"log\":42}",
        "null",
    ] {
        let r = har::parse(text);
        assert!(matches!(r, Err(NotHar(_))), "{text:?}: {r:?}");
    }
    assert_eq!(har::parse("{\"log\":{\"entries\":[]}}"), Ok(vec![]));
}

/// Mistyped fields read as absent rather than failing the file.
#[test]
fn lenient_fields() {
    let har = r#"{"log":{"pages":[{"id":1,"title":null}],"entries":[
{"request":null,"response":null},
{"_initiator":null,"_resourceType":7,"pageref":{"a":1},"request":{"method":"GET","url":"https://api.example.com/y","headers":[{"name":"Origin","value":"https://app.example.com"},{"name":5,"value":[1]}],"cookies":0,"bodySize":"12"},
 "response":{"status":"200","headers":[{"name":"access-control-allow-origin","value":"https://app.example.com"}],"_error":{"x":1},"redirectURL":false}}
]}}"#;
    check(
        "lenient",
        har,
        &[want("GET", "https://api.example.com/y", "ok")],
    );
}

// ---------------------------------------------------------------------------------------------
// The generated sample.

/// Every entry's `comment`, by index.
fn comments(text: &str) -> Vec<Option<String>> {
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    v["log"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["comment"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn sample_har_parses_to_its_expected_requests() {
    let text = sample_har(5_000, 1);
    assert_eq!(text, sample_har(5_000, 1), "deterministic");
    assert_ne!(text, sample_har(5_000, 2));
    let comments = comments(&text);
    assert_eq!(comments.len(), 5_000);
    let expected: Vec<(usize, String)> = comments
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((i, c.as_deref()?.strip_prefix("expect ")?.to_string())))
        .collect();
    let parsed = har::parse(&text).unwrap();
    assert_eq!(parsed.len(), expected.len());
    assert!(parsed.len() > 2_000, "{} requests", parsed.len());
    let mut codes = std::collections::BTreeMap::new();
    for (r, (entry, code)) in parsed.iter().zip(&expected) {
        assert_eq!(r.entry, *entry, "{r:#?}");
        let got = simulate(&r.request, &r.answers).verdict.code().to_string();
        assert_eq!(&got, code, "{r:#?}");
        *codes.entry(got).or_insert(0usize) += 1;
    }
    assert_eq!(codes.len(), 4, "{codes:?}");
    let mb = text.len() as f64 / 1e6;
    assert!((8.0..30.0).contains(&mb), "{mb} MB");
}

/// Parsing time grows linearly: 5× the entries take well under 25× the time.
#[test]
fn sample_har_parse_is_linear() {
    let small = sample_har(1_000, 7);
    let large = sample_har(5_000, 7);
    let best = |text: &str| {
        (0..3)
            .map(|_| {
                let t = Instant::now();
                let n = har::parse(text).map(|r| r.len()).unwrap_or(0);
                assert!(n > 0);
                t.elapsed()
            })
            .min()
            .unwrap_or(Duration::ZERO)
    };
    let (s, l) = (best(&small), best(&large));
    assert!(
        l < s * 12 + Duration::from_millis(50),
        "1,000 entries: {s:?}; 5,000 entries: {l:?}"
    );
}

/// One URL requested thousands of times (polling): matching stays bounded per entry.
#[test]
fn many_requests_to_one_url() {
    let mut entries = Vec::new();
    for i in 0..3_000 {
        let started: &'static str = Box::leak(
            format!(
                "2024-05-01T10:{:02}:{:02}.{:03}Z",
                i / 600,
                (i / 10) % 60,
                (i % 10) * 100
            )
            .into_boxed_str(),
        );
        let mut pf = preflight(
            "https://api.example.com/poll",
            "POST",
            "content-type",
            started,
        );
        pf.response = allows("POST", "content-type");
        let post = Chrome {
            method: "POST",
            headers: vec![("content-type", "application/json")],
            post: Some("{}"),
            response: cors_ok(),
            ..get("https://api.example.com/poll", started)
        };
        entries.push(post.har());
        entries.push(pf.har());
    }
    let t = Instant::now();
    let parsed = har::parse(&chromium(&entries)).unwrap();
    let took = t.elapsed();
    assert_eq!(parsed.len(), 3_000);
    assert!(parsed
        .iter()
        .all(|r| r.answers.hops[0].preflight.as_ref().map(|p| p.status) == Some(204)));
    assert!(took < Duration::from_secs(5), "{took:?}");
}

// ---------------------------------------------------------------------------------------------
// Property tests: 2,000 cases each.

fn cfg() -> ProptestConfig {
    ProptestConfig {
        cases: 2_000,
        ..ProptestConfig::default()
    }
}

/// Real logs to mutate: a generated sample and the hand-written Chromium and Firefox entries.
fn seeds() -> Vec<String> {
    let put = Chrome {
        method: "PUT",
        headers: vec![("content-type", "application/json")],
        post: Some("{}"),
        status: 307,
        response: vec![("location", "/v2/x#f")],
        redirect: "/v2/x#f",
        ..get("https://api.example.com/v1/x", "2024-05-01T10:00:01.000Z")
    };
    let next = Chrome {
        method: "PUT",
        ..get("https://api.example.com/v2/x", "2024-05-01T10:00:01.100Z")
    };
    let pf = preflight(
        "https://api.example.com/v1/x",
        "PUT",
        "content-type",
        "2024-05-01T10:00:00.990Z",
    );
    vec![
        sample_har(12, 3),
        chromium(&[put.har(), pf.har(), next.har()]),
        firefox(&[
            r#"{"pageref":"page_1","startedDateTime":"2024-05-01T12:00:05.000+02:00","request":{"method":"OPTIONS","url":"https://api.example.com/v1/upload","headers":[{"name":"Access-Control-Request-Method","value":"PUT"},{"name":"Access-Control-Request-Headers","value":"x-a,content-type"},{"name":"Origin","value":"null"}]},"response":{"status":0,"headers":[],"_error":"net::ERR_NAME_NOT_RESOLVED"}}"#,
        ]),
    ]
}

fn exercise(text: &str) {
    if let Ok(requests) = har::parse(text) {
        for r in &requests {
            let _ = simulate(&r.request, &r.answers);
            let _ = is_incomplete(r);
        }
    }
}

/// A random JSON value to splice into a log.
fn any_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        any::<String>().prop_map(Value::String),
        prop_oneof![
            Just("OPTIONS"),
            Just("preflight"),
            Just("https://api.example.com/v1/x"),
            Just("/v2/x"),
            Just("net::ERR_FAILED"),
            Just("Access-Control-Request-Method"),
            Just("2024-05-01T10:00:01.000Z"),
            Just("9999-99-99T99:99:99.9999999+99:99"),
            Just("null"),
        ]
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-z_]{1,8}", inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Replaces the `pick`-th node (depth-first) of `v` with `new`, or removes it from its object.
fn mutate(
    v: &mut serde_json::Value,
    pick: &mut usize,
    new: &serde_json::Value,
    remove: bool,
) -> bool {
    use serde_json::Value;
    if *pick == 0 {
        *v = new.clone();
        return true;
    }
    *pick -= 1;
    match v {
        Value::Array(items) => items.iter_mut().any(|x| mutate(x, pick, new, remove)),
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            for k in keys {
                if *pick == 0 && remove {
                    map.remove(&k);
                    return true;
                }
                if let Some(x) = map.get_mut(&k) {
                    if mutate(x, pick, new, remove) {
                        return true;
                    }
                }
            }
            false
        }
        _ => false,
    }
}

proptest! {
    #![proptest_config(cfg())]

    /// 2,000 arbitrary strings (and JSON-ish ones): `parse` never panics.
    #[test]
    fn parse_never_panics_on_strings(
        s in prop_oneof![
            any::<String>(),
            "[\\[\\]{}\":, 0-9a-z\\\\-]{0,80}",
            "\\{\"log\":\\{\"entries\":\\[[ -~]{0,80}\\]\\}\\}",
        ]
    ) {
        exercise(&s);
    }

    /// 2,000 mutations of real logs: a node replaced or removed, or the text cut, spliced or
    /// overwritten. `parse`, the simulator and `is_incomplete` never panic.
    #[test]
    fn parse_never_panics_on_mutated_logs(
        seed in 0usize..3,
        pick in 0usize..400,
        new in any_json(),
        how in 0u8..5,
        at in 0usize..4_000,
        junk in "[ -~\u{80}-\u{10ffff}]{0,6}",
    ) {
        let text = seeds().swap_remove(seed);
        let mutated = if how < 2 {
            let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
            let mut p = pick;
            mutate(&mut v, &mut p, &new, how == 1);
            v.to_string()
        } else {
            let mut cut = at.min(text.len());
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            match how {
                2 => text[..cut].to_string(),
                3 => format!("{}{junk}{}", &text[..cut], &text[cut..]),
                _ => {
                    let mut end = (cut + junk.len()).min(text.len());
                    while !text.is_char_boundary(end) {
                        end += 1;
                    }
                    format!("{}{junk}{}", &text[..cut], &text[end..])
                }
            }
        };
        exercise(&mutated);
    }
}
