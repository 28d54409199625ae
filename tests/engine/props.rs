//! proptest: arbitrary bytes and strings in every field never make the engine panic, and the
//! generated fix always makes a valid request pass. 2,000 cases per property.

use cors_doctor::engine::fetch::*;
use proptest::prelude::*;

fn cfg() -> ProptestConfig {
    ProptestConfig {
        cases: 2_000,
        ..ProptestConfig::default()
    }
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~\t\r\n\u{0}\u{80}-\u{ff}]{0,40}",
        Just("*".to_string()),
        Just("null".to_string()),
        Just("http://127.0.0.1:8080".to_string()),
        Just("true".to_string()),
    ]
}

fn any_url() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "(https?|ftp|data|file)://[a-z0-9.:@\\[\\]%-]{0,20}(/[ -~]{0,10})?",
        Just("http://127.0.0.1:9090/api".to_string()),
        Just("https://192.168.1.1/".to_string()),
        Just("/relative".to_string()),
    ]
}

fn header_pair() -> impl Strategy<Value = (String, String)> {
    (
        prop_oneof![
            any_text(),
            "(Accept|Content-Type|Range|Authorization|X-[A-Za-z]{1,5}|Location|Access-Control-[A-Za-z-]{1,20})",
        ],
        any_text(),
    )
}

fn response() -> impl Strategy<Value = ServerResponse> {
    (any::<u16>(), prop::collection::vec(header_pair(), 0..8))
        .prop_map(|(status, headers)| ServerResponse { status, headers })
}

fn request() -> impl Strategy<Value = Request> {
    (
        any_text(),
        any_url(),
        prop_oneof![any_text(), "(GET|POST|PUT|patch|DELETE|TRACE|[A-Z]{1,6})"],
        prop::collection::vec(header_pair(), 0..6),
        0u8..3,
        0u8..3,
        0u8..3,
        prop::option::of(any_text()),
    )
        .prop_map(|(page, url, method, headers, c, m, r, body)| Request {
            page_origin: page,
            url,
            method,
            headers,
            credentials: [
                CredentialsMode::Omit,
                CredentialsMode::SameOrigin,
                CredentialsMode::Include,
            ][usize::from(c)],
            mode: [
                RequestMode::Cors,
                RequestMode::NoCors,
                RequestMode::SameOrigin,
            ][usize::from(m)],
            redirect: [
                RedirectMode::Follow,
                RedirectMode::Error,
                RedirectMode::Manual,
            ][usize::from(r)],
            body,
        })
}

proptest! {
    #![proptest_config(cfg())]

    #[test]
    fn check_request_never_panics(req in request()) {
        let _ = check_request(&req);
        let _ = needs_preflight(&req);
        let _ = access_control_request_headers(&req);
    }

    #[test]
    fn simulate_never_panics(req in request(), hops in prop::collection::vec((prop::option::of(response()), response()), 0..4)) {
        let answers = ServerAnswers { hops: hops.into_iter().map(|(p, r)| Hop { preflight: p, response: r }).collect() };
        let trace = simulate(&req, &answers);
        prop_assert!(!trace.steps.is_empty() || matches!(trace.verdict, Verdict::NotSent(_)));
        let _ = serde_json::to_string(&trace);
    }

    #[test]
    fn fix_and_expose_never_panic(req in request(), resp in response(), want in prop::collection::vec(any_text(), 0..4)) {
        let _ = fix_headers(&req, &want);
        let _ = exposed_header_names(&req, &resp);
    }

    #[test]
    fn chromium_mapping_never_panics(e in any_text(), p in any_text()) {
        let _ = code_for_chromium(&e, &p);
    }

    #[test]
    fn code_parse_never_panics(s in any_text()) {
        if let Some(c) = Code::parse(&s) {
            prop_assert_eq!(c.as_str(), s);
        }
    }

    /// The fix is exact: a cross-origin request that can be sent passes with the fix's headers.
    #[test]
    fn fix_makes_the_request_pass(
        method in "(GET|POST|PUT|PATCH|delete|[A-Z]{1,8})",
        headers in prop::collection::vec(("(X-[A-Za-z]{1,6}|Accept|Content-Type|Authorization|Range)", "[ -~]{0,20}"), 0..4),
        include in any::<bool>(),
        url in r"(http://127\.0\.0\.1:9090|https://192\.168\.1\.10|http://api\.localhost:3000)/[a-z]{0,5}",
        want in prop::collection::vec("[A-Za-z-]{1,8}", 0..3),
    ) {
        let mut req = Request::new("http://127.0.0.1:8080", &url, &method);
        for (n, v) in &headers { req = req.header(n, v); }
        if include { req = req.credentials(CredentialsMode::Include); }
        prop_assume!(check_request(&req).iter().all(|f| f.code.family() != "input" || f.code == Code::InputForbiddenHeader));
        let fix = fix_headers(&req, &want);
        prop_assert_eq!(fix.preflight.is_some(), needs_preflight(&req));
        let hop = Hop {
            preflight: fix.preflight.clone().map(|h| ServerResponse { status: 204, headers: h }),
            response: ServerResponse { status: 200, headers: fix.actual.clone() },
        };
        let trace = simulate(&req, &ServerAnswers { hops: vec![hop] });
        prop_assert!(matches!(trace.verdict, Verdict::Delivered { .. }), "{:?}", trace.verdict);
    }
}
