//! "Run it from my app": the snippet the page writes (small, valid JavaScript, the engine's own
//! plan, real values sent but masked in what comes back), the `#observations=` link it returns
//! read back into a report, and the side-by-side comparison.

use std::process::Command;

use cors_doctor::engine::check::app::{bookmarklet, read_link, snippet, AppLink, SnippetContext};
use cors_doctor::engine::check::compare::compare;
use cors_doctor::engine::check::diagnosis::{next_probes, probes, CheckContext};
use cors_doctor::engine::check::form::{check_form, FormInput};
use cors_doctor::engine::check::report::{Report, Source};
use serde_json::{json, Value};

const PAGE: &str = "http://127.0.0.1:8080/some/sub-path/";
const PAGE_ORIGIN: &str = "http://127.0.0.1:8080";
const APP: &str = "http://localhost:5173";
const API: &str = "http://127.0.0.1:9090/simple-ok?case=app";
const SECRET: &str = "Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.sig";

fn at() -> SnippetContext<'static> {
    SnippetContext {
        page_address: PAGE,
        page_origin: PAGE_ORIGIN,
    }
}

fn forms() -> Vec<(&'static str, FormInput)> {
    vec![
        (
            "simple GET",
            FormInput {
                url: API.into(),
                ..FormInput::default()
            },
        ),
        (
            "PUT with headers, body, credentials and an app origin",
            FormInput {
                url: API.into(),
                method: "PUT".into(),
                headers: format!("Content-Type: application/json\nX-Trace-One: 1\nX-Trace-Two: 2\nAuthorization: {SECRET}"),
                body: "{\"name\":\"value\",\"items\":[1,2,3]}".into(),
                credentials: true,
                app_origin: APP.into(),
                ..FormInput::default()
            },
        ),
        (
            "GET with one custom header",
            FormInput {
                url: API.into(),
                headers: "X-Api-Key: 123456789abcdef".into(),
                ..FormInput::default()
            },
        ),
    ]
}

/// The plan JSON the snippet carries: the argument of its final call.
fn plan_of(snippet: &str) -> Value {
    let start = snippet.rfind("})(").expect("the snippet ends in a call") + 3;
    let json = snippet[start..].strip_suffix(')').expect("closing paren");
    serde_json::from_str(json).unwrap_or_else(|e| panic!("plan JSON ({e}): {json}"))
}

#[test]
fn snippets_are_small_valid_javascript() {
    let dir = std::env::temp_dir().join(format!("cors-doctor-app-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (name, form) in forms() {
        let text = snippet(&form, at()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(text.len() < 4096, "{name}: {} bytes", text.len());
        println!("{name}: the snippet is {} bytes", text.len());
        let file = dir.join("snippet.js");
        std::fs::write(&file, &text).expect("write snippet");
        let out = Command::new("node")
            .arg("--check")
            .arg(&file)
            .output()
            .expect("node runs (scripts/setup needs it for Trunk's hooks too)");
        assert!(
            out.status.success(),
            "{name}: node --check refuses the snippet:\n{}\n{text}",
            String::from_utf8_lossy(&out.stderr)
        );
        let link = bookmarklet(&text);
        assert!(link.starts_with("javascript:") && !link.contains(' ') && !link.contains('\n'));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_snippet_carries_the_engines_plan() {
    for (name, form) in forms() {
        let plan = plan_of(&snippet(&form, at()).expect("snippet"));
        let origin = if form.app_origin.is_empty() {
            PAGE_ORIGIN
        } else {
            APP
        };
        let context = CheckContext {
            page_origin: origin.into(),
            form: check_form(&form, origin).expect("form parses"),
        };
        let first = next_probes(&context, &[]);
        let names: Vec<&str> = first.iter().map(|p| p.name.as_str()).collect();
        let planned: Vec<&str> = plan["p1"]
            .as_array()
            .expect("p1")
            .iter()
            .map(|p| p["n"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(planned, names, "{name}");
        let rule = probes::second_phase_rule(&context, &names);
        match rule {
            Some(rule) => {
                assert_eq!(plan["p2"]["probe"]["n"], rule.probe.name.as_str(), "{name}");
                assert_eq!(plan["p2"]["when"], json!(rule.when_blocked), "{name}");
            }
            None => assert!(plan["p2"].is_null(), "{name}: {}", plan["p2"]),
        }
        assert_eq!(plan["back"], PAGE);
        assert_eq!(plan["u"], API);
        // The user's method, body and real header values go out from the app's tab...
        let actual = &plan["p1"][0];
        assert_eq!(actual["n"], "actual");
        if form.method != "GET" {
            assert_eq!(actual["m"], form.method.as_str(), "{name}");
            assert_eq!(actual["b"], form.body.as_str(), "{name}");
        }
        let resolved: Vec<Value> = actual["h"]
            .as_array()
            .map(|h| {
                h.iter()
                    .map(|x| {
                        x.as_u64()
                            .map_or(x.clone(), |i| plan["h"][i as usize].clone())
                    })
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            json!(resolved),
            json!(context.form.headers),
            "{name}: {actual}"
        );
        if form.headers.contains(SECRET) {
            assert!(
                plan["h"].to_string().contains(SECRET),
                "{name}: {}",
                plan["h"]
            );
            // ...but the form that comes back in the link is masked.
            let back = plan["form"].as_str().unwrap_or_default();
            assert!(
                !back.contains("eyJhbGci"),
                "{name}: the link's form holds the secret: {back}"
            );
            assert!(back.contains("Authorization"), "{name}: {back}");
        }
    }
}

/// A link as the snippet writes it, for `form` run from `from` with these probe outcomes.
fn link(from: &str, form: &FormInput, runs: Value, env: Value) -> String {
    let data = json!({
        "v": 1,
        "from": from,
        "form": cors_doctor::engine::check::share::to_fragment(form),
        "runs": runs,
        "env": env,
    });
    let encoded: String =
        url::form_urlencoded::byte_serialize(data.to_string().as_bytes()).collect();
    format!("#observations={encoded}")
}

fn delivered(name: &str) -> Value {
    json!({ "n": name, "o": { "outcome": "delivered", "duration_ms": 12.0, "response": {
        "status": 200, "status_text": "OK", "headers": [["content-type", "application/json"]],
        "body_preview": "{}", "body_truncated": false, "redirected": false, "final_url": API } } })
}

fn blocked(name: &str) -> Value {
    json!({ "n": name, "o": { "outcome": "blocked", "error": "TypeError: Failed to fetch", "duration_ms": 9.0 } })
}

fn opaque(name: &str) -> Value {
    json!({ "n": name, "o": { "outcome": "opaque", "duration_ms": 9.0 } })
}

fn report_of(fragment: &str) -> (FormInput, Report) {
    match read_link(fragment) {
        AppLink::Report { form, report } => (*form, *report),
        other => panic!("not read as a report: {other:?}"),
    }
}

fn get_form() -> FormInput {
    FormInput {
        url: API.into(),
        headers: format!("Authorization: {SECRET}"),
        ..FormInput::default()
    }
}

#[test]
fn a_link_from_the_app_is_diagnosed_for_the_apps_origin() {
    let form = get_form();
    let runs = json!([
        delivered("actual"),
        opaque("reachability"),
        delivered("simple-get")
    ]);
    let (filled, report) = report_of(&link(APP, &form, runs, json!([])));
    assert_eq!(report.source, Source::App);
    assert_eq!(report.checked_from.as_deref(), Some(APP));
    assert_eq!(report.page_origin, APP);
    assert_eq!(report.causes[0].code.to_string(), "ok");
    assert_eq!(report.probes.len(), 3);
    assert_eq!(filled.url, API);
    let text = serde_json::to_string(&report).expect("json");
    assert!(!text.contains("eyJhbGci"), "a secret in the report: {text}");
    assert!(
        !filled.headers.contains("eyJhbGci"),
        "a secret in the form: {}",
        filled.headers
    );
}

#[test]
fn blocked_from_the_app_gets_the_checks_own_cause() {
    let runs = json!([
        blocked("actual"),
        opaque("reachability"),
        delivered("simple-get")
    ]);
    let form = FormInput {
        url: API.into(),
        headers: "X-Api-Key: 1".into(),
        ..FormInput::default()
    };
    let (_, report) = report_of(&link(APP, &form, runs, json!([])));
    let top = report.causes[0].code.to_string();
    assert!(top.starts_with("preflight"), "top cause {top}");
}

#[test]
fn the_apps_csp_is_not_a_cors_failure() {
    let runs = json!([
        blocked("actual"),
        blocked("reachability"),
        blocked("simple-get")
    ]);
    let env = json!([{ "kind": "csp", "detail": "connect-src http://127.0.0.1:9090/simple-ok" }]);
    let (_, report) = report_of(&link(APP, &get_form(), runs, env));
    let top = &report.causes[0];
    assert_eq!(top.code.to_string(), "network/content-security-policy");
    assert_eq!(
        top.params.get("directive").map(String::as_str),
        Some("connect-src")
    );
    assert!(top.fix.contains("connect-src"), "{}", top.fix);
    assert_eq!(report.causes.len(), 1);
}

#[test]
fn bad_links_are_refused_with_a_reason_and_never_panic() {
    let cases = [
        ("#observations=", "input/invalid-url"),
        ("#observations=not%20json", "input/invalid-url"),
        ("#observations=%7B%22v%22%3A2%7D", "input/invalid-url"),
        (
            "#observations=%7B%22v%22%3A1%2C%22from%22%3A%22x%22%2C%22form%22%3A%22%22%2C%22runs%22%3A%5B%5D%7D",
            "input/invalid-url",
        ),
    ];
    for (fragment, code) in cases {
        match read_link(fragment) {
            AppLink::Refused(notice) => {
                assert_eq!(notice.code.to_string(), code, "{fragment}");
                assert!(
                    notice.message.contains("nothing was sent"),
                    "{}",
                    notice.message
                );
            }
            other => panic!("{fragment}: {other:?}"),
        }
    }
    let huge = format!("#observations={}", "a".repeat(200_000));
    assert!(
        matches!(read_link(&huge), AppLink::Refused(n) if n.code.to_string() == "input/too-large")
    );
    for other in [
        "",
        "#",
        "#url=http%3A%2F%2Fa.example%2F",
        "#observationsX=1",
    ] {
        assert_eq!(read_link(other), AppLink::Nothing, "{other}");
    }
}

#[test]
fn side_by_side_explains_where_the_origins_differ() {
    let form = FormInput {
        url: API.into(),
        ..FormInput::default()
    };
    let ok = json!([
        delivered("actual"),
        opaque("reachability"),
        delivered("simple-get")
    ]);
    let refused = json!([
        blocked("actual"),
        opaque("reachability"),
        blocked("simple-get")
    ]);
    let (_, app_ok) = report_of(&link(APP, &form, ok.clone(), json!([])));
    let (_, here_refused) = report_of(&link(PAGE_ORIGIN, &form, refused.clone(), json!([])));
    let here_refused = Report {
        source: Source::Check,
        checked_from: None,
        ..here_refused
    };
    let c = compare(&app_ok, &here_refused).expect("same request");
    assert!(!c.same);
    assert!(
        c.text.contains("Allowed for your app's origin")
            && c.text.contains(APP)
            && c.text.contains(PAGE_ORIGIN)
            && c.text.contains("Nothing to fix"),
        "{}",
        c.text
    );
    // The other way round: the fix is for the app's origin.
    let (_, app_refused) = report_of(&link(APP, &form, refused, json!([])));
    let (_, here_ok) = report_of(&link(PAGE_ORIGIN, &form, ok, json!([])));
    let c = compare(&app_refused, &here_ok).expect("same request");
    assert!(
        c.text.contains("Refused for your app's origin"),
        "{}",
        c.text
    );
    assert!(c.text.contains(&app_refused.causes[0].fix), "{}", c.text);
    // The same verdict, and another request.
    assert!(compare(&app_ok, &app_ok).expect("same").same);
    let other = Report {
        request: cors_doctor::engine::check::report::RequestSummary {
            url: "http://127.0.0.1:9090/other".into(),
            ..app_ok.request.clone()
        },
        ..app_ok.clone()
    };
    assert_eq!(compare(&app_ok, &other), None);
}
