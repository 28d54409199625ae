//! The public API's shapes: fix headers, Chromium's names, serde, exposed names.

use cors_doctor::engine::fetch::*;

use crate::util::request;

#[test]
fn fix_headers_exact() {
    let req = request("include PUT {api} | Content-Type: application/json | X-Api-Key: k");
    let fix = fix_headers(&req, &["X-Total".into(), "content-type".into()]);
    let pf = fix.preflight.expect("preflight");
    let s = |v: &[(&str, &str)]| {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        pf,
        s(&[
            ("Access-Control-Allow-Origin", "http://127.0.0.1:8080"),
            ("Access-Control-Allow-Credentials", "true"),
            ("Access-Control-Allow-Methods", "PUT"),
            ("Access-Control-Allow-Headers", "content-type, x-api-key"),
        ])
    );
    assert_eq!(
        fix.actual,
        s(&[
            ("Access-Control-Allow-Origin", "http://127.0.0.1:8080"),
            ("Access-Control-Allow-Credentials", "true"),
            ("Access-Control-Expose-Headers", "x-total"),
        ])
    );
    let simple = fix_headers(&request("GET {api}"), &[]);
    assert_eq!(simple.preflight, None);
    assert_eq!(fix_headers(&request("GET {page}/x"), &[]).actual, vec![]);
    let lna = fix_headers(
        &request("from=https://app.example GET https://10.0.0.1/"),
        &[],
    );
    assert!(lna
        .preflight
        .unwrap()
        .contains(&("Access-Control-Allow-Private-Network".into(), "true".into())));
}

#[test]
fn preflight_values() {
    assert!(!needs_preflight(&request(
        "POST {api} | Content-Type: text/plain;charset=utf-8"
    )));
    assert!(needs_preflight(&request("patch {api}")));
    assert!(!needs_preflight(&request("PUT {page}/same")));
    assert_eq!(
        access_control_request_headers(&request(
            "GET {api} | X-B: 1 | Authorization: x | accept: */* | X-A: 2"
        ))
        .as_deref(),
        Some("authorization,x-a,x-b")
    );
    // Over 1024 bytes of safelisted values: they all become unsafe.
    let v = "a".repeat(128);
    let mut req = request("GET {api}");
    for i in 0..9 {
        req = req.header(
            if i % 2 == 0 {
                "Accept"
            } else {
                "Content-Language"
            },
            &v,
        );
    }
    assert_eq!(
        access_control_request_headers(&req).as_deref(),
        Some("accept,content-language")
    );
}

#[test]
fn exposed_names() {
    let resp = ServerResponse::new(
        200,
        &[
            ("ACCESS-CONTROL-EXPOSE-HEADERS", "x-a"),
            ("X-A", "1"),
            ("X-B", "2"),
            ("Content-Type", "t"),
        ],
    );
    assert_eq!(
        exposed_header_names(&request("GET {api}"), &resp),
        ["content-type", "x-a"]
    );
    assert_eq!(
        exposed_header_names(&request("no-cors GET {api}"), &resp),
        Vec::<String>::new()
    );
    assert_eq!(
        exposed_header_names(&request("GET {page}/x"), &resp).len(),
        4
    );
    let missing = missing_exposed_headers(
        &["X-B".into()],
        &exposed_header_names(&request("GET {api}"), &resp),
    )
    .unwrap();
    assert_eq!(missing.code.as_str(), "ok/header-not-exposed");
    assert_eq!(missing.param("header"), Some("x-b"));
}

#[test]
fn chromium_names() {
    let rows: &[(&str, &str, &str, &str)] = &[
        ("DisallowedByMode", "", "input/disallowed-by-mode", ""),
        ("CorsDisabledScheme", "", "input/unsupported-scheme", ""),
        (
            "MissingAllowOriginHeader",
            "",
            "response/allow-origin/missing",
            "",
        ),
        (
            "MultipleAllowOriginValues",
            "*, *",
            "response/allow-origin/multiple",
            "value",
        ),
        (
            "InvalidAllowOriginValue",
            "foo",
            "response/allow-origin/invalid",
            "value",
        ),
        (
            "AllowOriginMismatch",
            "http://a.test",
            "response/allow-origin/mismatch",
            "value",
        ),
        (
            "WildcardOriginNotAllowed",
            "",
            "response/credentials/wildcard-origin",
            "",
        ),
        (
            "InvalidAllowCredentials",
            "True",
            "response/credentials/missing-allow",
            "value",
        ),
        ("PreflightInvalidStatus", "", "preflight/status", ""),
        ("PreflightDisallowedRedirect", "", "preflight/redirect", ""),
        (
            "PreflightWildcardOriginNotAllowed",
            "",
            "preflight/allow-origin/wildcard-with-credentials",
            "",
        ),
        (
            "PreflightMissingAllowOriginHeader",
            "",
            "preflight/allow-origin/missing",
            "",
        ),
        (
            "PreflightMultipleAllowOriginValues",
            "a, b",
            "preflight/allow-origin/multiple",
            "value",
        ),
        (
            "PreflightInvalidAllowOriginValue",
            "x",
            "preflight/allow-origin/invalid",
            "value",
        ),
        (
            "PreflightAllowOriginMismatch",
            "http://b.test",
            "preflight/allow-origin/mismatch",
            "value",
        ),
        (
            "PreflightInvalidAllowCredentials",
            "",
            "preflight/credentials",
            "",
        ),
        (
            "PreflightMissingAllowPrivateNetwork",
            "",
            "preflight/local-network",
            "",
        ),
        (
            "PreflightInvalidAllowPrivateNetwork",
            "yes",
            "preflight/local-network",
            "value",
        ),
        (
            "InvalidAllowMethodsPreflightResponse",
            "BAD M",
            "preflight/invalid-allow-list",
            "value",
        ),
        (
            "InvalidAllowHeadersPreflightResponse",
            "a b",
            "preflight/invalid-allow-list",
            "value",
        ),
        (
            "MethodDisallowedByPreflightResponse",
            "PUT",
            "preflight/method-not-allowed",
            "method",
        ),
        (
            "HeaderDisallowedByPreflightResponse",
            "X-Api-Key",
            "preflight/header-not-allowed",
            "header",
        ),
        (
            "RedirectContainsCredentials",
            "",
            "redirect/credentials-in-url",
            "",
        ),
        (
            "InsecurePrivateNetwork",
            "",
            "network/local-network-access",
            "",
        ),
        (
            "InvalidPrivateNetworkAccess",
            "",
            "network/local-network-access",
            "",
        ),
        (
            "UnexpectedPrivateNetworkAccess",
            "",
            "network/local-network-access",
            "",
        ),
        (
            "PreflightMissingPrivateNetworkAccessId",
            "",
            "network/local-network-access",
            "",
        ),
        (
            "PreflightMissingPrivateNetworkAccessName",
            "",
            "network/local-network-access",
            "",
        ),
        (
            "PrivateNetworkAccessPermissionUserDenied",
            "",
            "network/local-network-access",
            "",
        ),
        (
            "LocalNetworkAccessPermissionDenied",
            "",
            "network/local-network-access",
            "",
        ),
        (
            "kAllowOriginMismatch",
            "",
            "response/allow-origin/mismatch",
            "",
        ),
    ];
    for (name, param, code, key) in rows {
        let f = code_for_chromium(name, param).unwrap_or_else(|| panic!("{name} unmapped"));
        assert_eq!(f.code.as_str(), *code, "{name}");
        if !key.is_empty() {
            assert!(f.params.contains_key(*key), "{name}: {:?}", f.params);
        }
    }
    assert_eq!(
        code_for_chromium("HeaderDisallowedByPreflightResponse", "X-Api-Key")
            .unwrap()
            .param("header"),
        Some("x-api-key")
    );
    assert!(code_for_chromium("InvalidResponse", "").is_none());
    assert!(code_for_chromium("SomethingNew", "").is_none());
}

#[test]
fn serde_shapes() {
    let req = request("include PUT {api}");
    let json = serde_json::to_value(&req).unwrap();
    assert_eq!(json["credentials"], "include");
    assert_eq!(json["mode"], "cors");
    assert_eq!(json["redirect"], "follow");
    assert_eq!(serde_json::from_value::<Request>(json).unwrap(), req);
    assert_eq!(
        Request::new("http://a", "http://b", "GET").credentials,
        CredentialsMode::SameOrigin
    );
    let f = Finding::new(Code::PreflightAllowOrigin(AllowOriginDetail::Missing), "m")
        .with("status", "404");
    let v = serde_json::to_value(&f).unwrap();
    assert_eq!(v["code"], "preflight/allow-origin/missing");
    assert_eq!(serde_json::from_value::<Finding>(v).unwrap(), f);
    assert_eq!(Code::ResponseHiddenServerError.family(), "response");
    assert_eq!(
        Code::parse("response/credentials/wildcard-origin"),
        Some(Code::ResponseCredentials(CredentialsDetail::WildcardOrigin))
    );
    let trace = simulate(&req, &ServerAnswers::default());
    assert!(serde_json::to_string(&trace)
        .unwrap()
        .contains("network/unreachable"));
}

#[test]
fn trace_texts() {
    let req = request("PUT {api}");
    let answers = crate::util::answers(
        "OPTIONS 204 | ACAO: * | ACAM: PUT | ACMA: 86400 ; 304 | ACAO: *",
        "http://127.0.0.1:8080",
    );
    let t = simulate(&req, &answers);
    let text: Vec<String> = t.steps.iter().map(|s| s.text()).collect();
    assert!(
        text.iter()
            .any(|s| s.contains("Access-Control-Request-Method: PUT")),
        "{text:?}"
    );
    assert!(
        text.iter().any(|s| s.contains("capped at 7200")),
        "{text:?}"
    );
    assert!(text.iter().any(|s| s.contains("304")), "{text:?}");
    let t = simulate(
        &request("PUT {api}"),
        &crate::util::answers("OPTIONS 204 | ACAO: * | ACAM: PUT ; 200 | ACAO: *", "x"),
    );
    assert!(t.steps.iter().any(|s| s.text().contains("cached for 5 s")));
}
