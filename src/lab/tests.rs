//! Lab tests over raw HTTP/1.1 on loopback (no HTTP client dependency).

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::query::{parse, percent_decode, percent_encode};
use super::Lab;
use crate::engine::fetch::{
    AllowList, AllowOrigin, Behaviour, CorsOn, Incoming, Options, Redirect, RedirectTarget,
};

const ORIGIN: &str = "http://localhost:3000";

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Resp {
    fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.all(name).first().copied()
    }
}

fn raw_request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> String {
    let mut raw =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (name, value) in headers {
        raw.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        raw.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    raw.push_str("\r\n");
    raw.push_str(body);
    raw
}

async fn send(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Resp {
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    let raw = raw_request(port, method, path, headers, body);
    stream.write_all(raw.as_bytes()).await.expect("write");
    let mut buf = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut buf))
        .await
        .expect("response within 10 s")
        .expect("read");
    parse_response(&String::from_utf8_lossy(&buf))
}

fn parse_response(text: &str) -> Resp {
    let (head, body) = text.split_once("\r\n\r\n").expect("header end");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("status line");
    let status = status_line
        .split(' ')
        .nth(1)
        .expect("status")
        .parse()
        .expect("number");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Resp {
        status,
        headers,
        body: body.to_owned(),
    }
}

async fn get(lab: &Lab, path: &str) -> Resp {
    send(lab.primary_port(), "GET", path, &[("Origin", ORIGIN)], "").await
}

#[tokio::test]
async fn correct_preflight() {
    let lab = Lab::start().await.expect("start");
    let headers = [
        ("Origin", ORIGIN),
        ("Access-Control-Request-Method", "PUT"),
        ("Access-Control-Request-Headers", "content-type,x-custom"),
    ];
    let r = send(lab.primary_port(), "OPTIONS", "/preflight-ok", &headers, "").await;
    assert_eq!(r.status, 204);
    assert_eq!(r.all("access-control-allow-origin"), vec![ORIGIN]);
    assert_eq!(
        r.get("access-control-allow-methods"),
        Some("GET, HEAD, POST, PUT, PATCH, DELETE")
    );
    assert_eq!(
        r.get("access-control-allow-headers"),
        Some("content-type,x-custom")
    );
    assert_eq!(r.get("access-control-allow-credentials"), Some("true"));
    assert_eq!(r.get("access-control-max-age"), Some("0"));
    assert_eq!(r.get("vary"), Some("Origin"));
    assert_eq!(r.get("cache-control"), Some("no-store"));
    let r = get(&lab, "/simple-ok").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.get("access-control-allow-origin"), Some(ORIGIN));
    assert_eq!(r.body, r#"{"method":"GET","scenario":"simple-ok"}"#);
    lab.shutdown().await;
}

#[tokio::test]
async fn acao_multiple_sends_two_lines_and_unknown_path_is_404() {
    let lab = Lab::start().await.expect("start");
    let r = get(&lab, "/acao-multiple").await;
    assert_eq!(r.all("access-control-allow-origin"), vec![ORIGIN, ORIGIN]);
    let pf = [("Origin", ORIGIN), ("Access-Control-Request-Method", "PUT")];
    let r = send(lab.primary_port(), "OPTIONS", "/acao-multiple", &pf, "").await;
    assert_eq!(r.all("access-control-allow-origin").len(), 2);
    let r = get(&lab, "/nope").await;
    assert_eq!(r.status, 404);
    assert!(r.all("access-control-allow-origin").is_empty());
    let r = send(lab.primary_port(), "OPTIONS", "/preflight-401", &pf, "").await;
    assert_eq!((r.status, r.get("www-authenticate")), (401, Some("Bearer")));
    assert!(r.get("access-control-allow-origin").is_none());
    let r = get(&lab, "/").await;
    assert_eq!(r.get("access-control-allow-origin"), Some("*"));
    assert!(r.body.contains("/never-answers"));
    lab.shutdown().await;
}

#[tokio::test]
async fn generic_follows_parameters() {
    let lab = Lab::start().await.expect("start");
    let path =
        "/generic?pf_status=200&pf_h=Access-Control-Allow-Origin:{origin}&pf_h=X-A:1&pf_h=X-A:%202";
    let r = send(
        lab.primary_port(),
        "OPTIONS",
        path,
        &[("Origin", ORIGIN)],
        "",
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.get("access-control-allow-origin"), Some(ORIGIN));
    assert_eq!(r.all("x-a"), vec!["1", "2"]);
    assert!(r.get("vary").is_none());
    let path = "/generic?status=302&h=X-B:a+b%2Bc&location=/x?o={origin}";
    let r = get(&lab, path).await;
    assert_eq!(r.status, 302);
    assert_eq!(r.get("x-b"), Some("a+b+c"));
    assert_eq!(r.get("location"), Some("/x?o=http://localhost:3000"));
    assert!(r.get("access-control-allow-origin").is_none());
    assert_eq!(r.get("cache-control"), Some("no-store"));
    assert_eq!(get(&lab, "/generic?status=abc").await.status, 400);
    lab.shutdown().await;
}

#[tokio::test]
async fn delay_ms_delays() {
    let lab = Lab::start().await.expect("start");
    let started = Instant::now();
    let r = get(&lab, "/simple-ok?delay_ms=300").await;
    assert_eq!(r.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    lab.shutdown().await;
}

#[tokio::test]
async fn hidden_error_status() {
    let lab = Lab::start().await.expect("start");
    let r = get(&lab, "/hidden-error?status=503&all=1").await;
    assert_eq!(r.status, 503);
    assert!(r.get("access-control-allow-origin").is_none());
    assert!(r.body.contains("<html>"));
    assert_eq!(get(&lab, "/hidden-error?all=1").await.status, 500);
    assert_eq!(
        get(&lab, "/hidden-error?status=200&all=1").await.status,
        500
    );
    // Reads work; the write fails without CORS headers.
    let r = get(&lab, "/hidden-error").await;
    assert_eq!(
        (r.status, r.get("access-control-allow-origin")),
        (200, Some(ORIGIN))
    );
    let r = send(
        lab.primary_port(),
        "POST",
        "/hidden-error?status=401",
        &[("Origin", ORIGIN)],
        "{}",
    )
    .await;
    assert_eq!(
        (r.status, r.get("access-control-allow-origin")),
        (401, None)
    );
    // Without a body the write fails validation the ordinary way, CORS headers included.
    let r = send(
        lab.primary_port(),
        "PATCH",
        "/hidden-error",
        &[("Origin", ORIGIN)],
        "",
    )
    .await;
    assert_eq!(
        (r.status, r.get("access-control-allow-origin")),
        (400, Some(ORIGIN))
    );
    let r = get(&lab, "/error-cors?status=404").await;
    assert_eq!(
        (r.status, r.get("access-control-allow-origin")),
        (404, Some(ORIGIN))
    );
    lab.shutdown().await;
}

#[tokio::test]
async fn redirect_cross_origin_points_to_secondary() {
    let lab = Lab::start().await.expect("start");
    let r = get(&lab, "/redirect-cross-origin").await;
    assert_eq!(r.status, 302);
    assert_eq!(r.get("access-control-allow-origin"), Some(ORIGIN));
    let expected = format!(
        "{}/redirect-target?allow=http%3A%2F%2Flocalhost%3A3000",
        lab.secondary_origin()
    );
    assert_eq!(r.get("location"), Some(expected.as_str()));
    let target = expected.trim_start_matches(&lab.secondary_origin());
    let r = send(
        lab.secondary_port(),
        "GET",
        target,
        &[("Origin", "null")],
        "",
    )
    .await;
    assert_eq!(r.get("access-control-allow-origin"), Some(ORIGIN));
    let r = get(&lab, "/redirect-cross-origin?target_allow=*&code=307").await;
    assert_eq!(r.status, 307);
    let location = r.get("location").expect("location");
    assert!(location.ends_with("/redirect-target?allow=*"), "{location}");
    let r = get(&lab, "/redirect-userinfo").await;
    let expected = format!(
        "http://user:pass@127.0.0.1:{}/simple-ok",
        lab.primary_port()
    );
    assert_eq!(r.get("location"), Some(expected.as_str()));
    assert_eq!(
        lab.requests().last().map(|r| r.port),
        Some(lab.primary_port())
    );
    assert!(lab
        .requests()
        .iter()
        .any(|r| r.port == lab.secondary_port()));
    lab.shutdown().await;
}

#[tokio::test]
async fn log_records_requests() {
    let lab = Lab::start().await.expect("start");
    send(
        lab.primary_port(),
        "POST",
        "/simple-ok?a=1",
        &[("Origin", ORIGIN)],
        "hello",
    )
    .await;
    send(lab.secondary_port(), "OPTIONS", "/unknown", &[], "").await;
    send(lab.primary_port(), "FROB", "/simple-ok", &[], "").await;
    let log = lab.requests();
    assert_eq!(log.len(), 3);
    assert_eq!((log[0].method.as_str(), log[0].body_len), ("POST", 5));
    assert_eq!(
        (log[0].path.as_str(), log[0].query.as_str()),
        ("/simple-ok", "a=1")
    );
    assert_eq!(log[0].origin.as_deref(), Some(ORIGIN));
    assert_eq!(log[0].port, lab.primary_port());
    assert!(log[0]
        .headers
        .iter()
        .any(|(n, v)| n == "content-length" && v == "5"));
    assert_eq!(
        (log[1].method.as_str(), log[1].port),
        ("OPTIONS", lab.secondary_port())
    );
    assert_eq!(log[2].method, "FROB");
    let r = send(lab.primary_port(), "GET", "/__log", &[], "").await;
    assert!(r.body.contains("\"body_len\":5"));
    lab.clear_log();
    assert!(lab.requests().is_empty());
    lab.shutdown().await;
}

#[tokio::test]
async fn closed_port_refuses() {
    let lab = Lab::start().await.expect("start");
    let url = lab.closed_port_url("/x");
    let port: u16 = url
        .trim_start_matches("http://127.0.0.1:")
        .trim_end_matches("/x")
        .parse()
        .expect("port");
    assert!(TcpStream::connect(("127.0.0.1", port)).await.is_err());
    lab.shutdown().await;
}

#[tokio::test]
async fn never_answers_until_shutdown() {
    let lab = Lab::start().await.expect("start");
    let port = lab.primary_port();
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    let raw = raw_request(port, "GET", "/never-answers", &[("Origin", ORIGIN)], "");
    stream.write_all(raw.as_bytes()).await.expect("write");
    let mut buf = [0u8; 64];
    let early = tokio::time::timeout(Duration::from_millis(300), stream.read(&mut buf)).await;
    assert!(early.is_err(), "never-answers answered");
    let started = Instant::now();
    tokio::time::timeout(Duration::from_secs(2), lab.shutdown())
        .await
        .expect("shutdown within 2 s");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn query_decoding_keeps_plus() {
    assert_eq!(percent_decode("a+b%20c%2Bd%zz%4"), "a+b c+d%zz%4");
    let pairs = parse("h=X:1&h=Y%3A2&flag&=v");
    assert_eq!(pairs[0], ("h".to_owned(), "X:1".to_owned()));
    assert_eq!(pairs[1], ("h".to_owned(), "Y:2".to_owned()));
    assert_eq!(pairs[2], ("flag".to_owned(), String::new()));
    assert_eq!(percent_encode("http://a:1/ *"), "http%3A%2F%2Fa%3A1%2F%20*");
}

#[tokio::test]
async fn shutdown_closes_idle_connections_promptly() {
    let lab = Lab::start().await.expect("start");
    let _idle = TcpStream::connect(("127.0.0.1", lab.primary_port()))
        .await
        .expect("c");
    let mut ka = TcpStream::connect(("127.0.0.1", lab.secondary_port()))
        .await
        .expect("c");
    ka.write_all(b"GET /simple-ok HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("w");
    let mut buf = [0u8; 512];
    let _ = ka.read(&mut buf).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = Instant::now();
    lab.shutdown().await;
    assert!(started.elapsed() < Duration::from_secs(1));
}

/// Everything the lab sends for one request, until it closes (a reset reads as what came before).
async fn send_raw(port: u16, method: &str, path: &str, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    let raw = raw_request(port, method, path, headers, "");
    stream.write_all(raw.as_bytes()).await.expect("write");
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut buf))
        .await
        .expect("closed within 10 s");
    if let Err(e) = read {
        assert!(
            matches!(
                e.kind(),
                std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted
            ),
            "{e}"
        );
    }
    buf
}

const PREFLIGHT_PUT: [(&str, &str); 3] = [
    ("Origin", ORIGIN),
    ("Access-Control-Request-Method", "PUT"),
    ("Access-Control-Request-Headers", "x-a"),
];

#[tokio::test]
async fn behaviour_answers_preflights_and_duplicates() {
    let lab = Lab::start().await.expect("start");
    let port = lab.primary_port();
    let r = send(port, "OPTIONS", "/behaviour?ao=none", &PREFLIGHT_PUT, "").await;
    assert_eq!(r.status, 204);
    assert!(r.get("access-control-allow-origin").is_none());
    assert_eq!(r.get("access-control-allow-methods"), Some("PUT"));
    assert_eq!(r.get("cache-control"), Some("no-store"));
    assert_eq!(r.body, "");
    let r = get(&lab, "/behaviour?ao2=1").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.all("access-control-allow-origin"), vec![ORIGIN, ORIGIN]);
    assert_eq!(r.get("x-request-id"), Some("42"));
    assert_eq!(r.body, r#"{"method":"GET","scenario":"behaviour"}"#);
    let r = send(
        port,
        "OPTIONS",
        "/behaviour?opt=before:401",
        &PREFLIGHT_PUT,
        "",
    )
    .await;
    assert_eq!(r.status, 401);
    assert!(
        r.headers
            .iter()
            .all(|(n, _)| !n.starts_with("access-control-") && n != "vary"),
        "{:?}",
        r.headers
    );
    let r = get(&lab, "/behaviour?gs=99").await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("gs"), "{}", r.body);
    assert!(r.get("access-control-allow-origin").is_none());
    assert!(lab.requests().iter().all(|r| r.path == "/behaviour"));
    lab.shutdown().await;
}

#[tokio::test]
async fn behaviour_redirects_to_itself_without_the_redirect() {
    let lab = Lab::start().await.expect("start");
    let r = get(&lab, "/behaviour?rd=308:slash&ao2=1&delay_ms=0").await;
    assert_eq!(r.status, 308);
    assert_eq!(r.get("location"), Some("/behaviour/?ao2=1&delay_ms=0"));
    assert!(r.get("access-control-allow-origin").is_none());
    assert_eq!(r.body, "");
    let r = get(&lab, "/behaviour/?ao2=1&delay_ms=0").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.all("access-control-allow-origin"), vec![ORIGIN, ORIGIN]);

    let behaviour = Behaviour {
        redirect: Some(Redirect {
            status: 307,
            target: RedirectTarget::Origin(lab.secondary_origin()),
            cors_headers: true,
            preflight_too: false,
        }),
        ..Behaviour::default()
    };
    let query = behaviour.to_query();
    assert!(query.starts_with("rd=307:origin:http"), "{query}");
    let r = get(&lab, &format!("/behaviour?{query}")).await;
    assert_eq!(r.status, 307);
    let expected = format!("{}/behaviour", lab.secondary_origin());
    assert_eq!(r.get("location"), Some(expected.as_str()));
    assert_eq!(r.get("access-control-allow-origin"), Some(ORIGIN));
    let r = send(
        lab.secondary_port(),
        "GET",
        "/behaviour",
        &[("Origin", ORIGIN)],
        "",
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.get("access-control-allow-origin"), Some(ORIGIN));
    lab.shutdown().await;
}

#[tokio::test]
async fn behaviour_network_down_closes_without_a_response() {
    let lab = Lab::start().await.expect("start");
    let port = lab.primary_port();
    for (method, headers) in [
        ("GET", &[("Origin", ORIGIN)][..]),
        ("OPTIONS", &PREFLIGHT_PUT[..]),
    ] {
        let bytes = send_raw(port, method, "/behaviour?net=down&delay_ms=10", headers).await;
        assert!(bytes.is_empty(), "{:?}", String::from_utf8_lossy(&bytes));
    }
    // A keep-alive connection that already answered is cut too: nothing more arrives.
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    let first = "GET /behaviour HTTP/1.1\r\nHost: x\r\n\r\n";
    stream.write_all(first.as_bytes()).await.expect("write");
    let body = r#"{"method":"GET","scenario":"behaviour"}"#;
    let mut buf = Vec::new();
    while !String::from_utf8_lossy(&buf).ends_with(body) {
        let mut chunk = [0u8; 1024];
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk))
            .await
            .expect("first answer within 10 s")
            .expect("read");
        assert!(n > 0, "closed before the first answer");
        buf.extend_from_slice(&chunk[..n]);
    }
    let second = "GET /behaviour?net=down HTTP/1.1\r\nHost: x\r\n\r\n";
    stream.write_all(second.as_bytes()).await.expect("write");
    let mut rest = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut rest))
        .await
        .expect("closed within 10 s");
    assert!(rest.is_empty(), "{:?}", String::from_utf8_lossy(&rest));
    // The port keeps answering other connections.
    assert_eq!(get(&lab, "/behaviour").await.status, 200);
    assert_eq!(lab.requests().len(), 5);
    lab.shutdown().await;
}

#[tokio::test]
async fn behaviour_network_hangs_until_shutdown() {
    let lab = Lab::start().await.expect("start");
    let port = lab.primary_port();
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    let raw = raw_request(
        port,
        "GET",
        "/behaviour?net=hangs",
        &[("Origin", ORIGIN)],
        "",
    );
    stream.write_all(raw.as_bytes()).await.expect("write");
    let mut buf = [0u8; 64];
    let early = tokio::time::timeout(Duration::from_millis(300), stream.read(&mut buf)).await;
    assert!(early.is_err(), "net=hangs answered");
    tokio::time::timeout(Duration::from_secs(2), lab.shutdown())
        .await
        .expect("shutdown within 2 s");
}

/// What the lab sends is what the model says, line for line (only `Cache-Control`, the body's
/// `Content-Type` and hyper's `Content-Length` / `Date` / `Connection` are added).
#[tokio::test]
async fn behaviour_on_the_wire_is_the_model() {
    let lab = Lab::start().await.expect("start");
    let port = lab.primary_port();
    let redirect = |status, target, cors_headers, preflight_too| {
        Some(Redirect {
            status,
            target,
            cors_headers,
            preflight_too,
        })
    };
    let behaviours = [
        Behaviour::default(),
        Behaviour {
            allow_origin: AllowOrigin::Value("*".into()),
            allow_credentials: false,
            allow_methods: AllowList::Value("GET; POST".into()),
            allow_headers: AllowList::None,
            expose_headers: Some("X-Request-Id".into()),
            ..Behaviour::default()
        },
        Behaviour {
            allow_origin: AllowOrigin::Value(format!("{ORIGIN}/, http://b.example")),
            second_allow_origin: true,
            options: Options::Before {
                status: 403,
                cors_headers: true,
            },
            ..Behaviour::default()
        },
        Behaviour {
            get_status: 500,
            other_status: 502,
            cors_on: CorsOn::Success,
            options: Options::CorsLayer(200),
            ..Behaviour::default()
        },
        Behaviour {
            redirect: redirect(302, RedirectTarget::WithCredentials, true, false),
            ..Behaviour::default()
        },
        Behaviour {
            redirect: redirect(301, RedirectTarget::OtherScheme, false, true),
            ..Behaviour::default()
        },
    ];
    let requests: [(&str, &[(&str, &str)]); 4] = [
        ("GET", &[("Origin", ORIGIN)]),
        ("GET", &[]),
        ("POST", &[("Origin", ORIGIN)]),
        ("OPTIONS", &PREFLIGHT_PUT),
    ];
    // Added by the lab (Cache-Control, the body's Content-Type) and by hyper.
    let added = [
        "cache-control",
        "content-type",
        "content-length",
        "date",
        "connection",
    ];
    for behaviour in &behaviours {
        let query = behaviour.to_query();
        let path = format!("/behaviour?{query}&delay_ms=0").replace("?&", "?");
        let url = url::Url::parse(&format!("http://127.0.0.1:{port}{path}")).expect("url");
        for (method, headers) in requests {
            let header = |name: &str| {
                headers
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(name))
                    .map(|(_, v)| *v)
            };
            let expected = behaviour.respond(&Incoming {
                hop: 0,
                url: &url,
                origin: header("origin"),
                method,
                request_method: header("access-control-request-method"),
                request_headers: header("access-control-request-headers"),
                with_body: false,
            });
            let r = send(port, method, &path, headers, "").await;
            let expected_lines: Vec<(String, String)> = expected
                .headers
                .iter()
                .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_owned()))
                .collect();
            let wire: Vec<(String, String)> = r
                .headers
                .iter()
                .filter(|(n, _)| !added.contains(&n.as_str()))
                .cloned()
                .collect();
            let case = format!("{method} {path} {headers:?}");
            assert_eq!(r.status, expected.status, "{case}");
            assert_eq!(wire, expected_lines, "{case}");
            assert_eq!(r.get("cache-control"), Some("no-store"), "{case}");
        }
    }
    lab.shutdown().await;
}
