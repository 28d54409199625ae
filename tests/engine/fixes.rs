//! Fixes in the developer's stack, through the public API: a report's server-fixable causes give
//! a [`FixSpec`] with what the request needs; every stack writes a snippet for it.

use cors_doctor::engine::check::form::FormInput;
use cors_doctor::engine::check::report::Report;
use cors_doctor::engine::evidence::analyse;
use cors_doctor::engine::fetch::Code;
use cors_doctor::engine::stack::{snippet_for, FixSpec, Pitfall, Slot, Stack};

const PAGE: &str = "https://cors-doctor.example";

/// The report for a Chromium console message, with the form's app-origin field set to `app`.
fn console_report(message: &str, app: &str) -> Report {
    let form = FormInput {
        app_origin: app.into(),
        ..FormInput::default()
    };
    analyse(message, &form, PAGE)
        .report
        .unwrap_or_else(|| panic!("no report for {message}"))
}

const HEADER_REFUSED: &str = "Access to fetch at 'http://127.0.0.1:8000/api/items/7' from origin \
    'http://localhost:5173' has been blocked by CORS policy: Request header field x-api-key is not \
    allowed by Access-Control-Allow-Headers in preflight response.";

const WILDCARD_WITH_CREDENTIALS: &str =
    "Access to fetch at 'http://127.0.0.1:8000/api/items' from \
    origin 'http://localhost:5173' has been blocked by CORS policy: The value of the \
    'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the \
    request's credentials mode is 'include'.";

#[test]
fn the_spec_holds_what_the_request_needs() {
    let report = console_report(HEADER_REFUSED, "");
    let top = &report.causes[0];
    assert_eq!(
        top.code,
        Code::PreflightHeaderNotAllowed,
        "{:#?}",
        report.causes
    );
    let spec = FixSpec::new(&report, top).expect("a server fix");
    assert_eq!(spec.origins, ["http://localhost:5173"]);
    assert!(spec.headers.contains(&"x-api-key".to_string()), "{spec:?}");
    assert!(spec.preflight);
    assert!(!spec.credentials);
    assert_eq!(spec.api_origin, "http://127.0.0.1:8000");
    assert_eq!(spec.path, "/api/items/7");
    assert_eq!(spec.prefix, "/api/");
    assert!(spec.methods.iter().any(|m| m == "GET"), "{spec:?}");
    assert_eq!(Pitfall::of(top.code), Pitfall::ListIncomplete);
}

#[test]
fn credentials_and_several_origins_reach_the_spec() {
    let report = console_report(
        WILDCARD_WITH_CREDENTIALS,
        "http://localhost:5173, https://admin.example.com  https://app.example.com",
    );
    let top = &report.causes[0];
    assert_eq!(
        Pitfall::of(top.code),
        Pitfall::Credentials,
        "{:?}",
        top.code
    );
    let spec = FixSpec::new(&report, top).expect("a server fix");
    assert!(spec.credentials);
    assert_eq!(
        spec.origins,
        [
            "http://localhost:5173",
            "https://admin.example.com",
            "https://app.example.com"
        ]
    );
    assert!(spec.is_allow_list());
}

#[test]
fn every_stack_writes_a_fix_with_its_origin() {
    for (message, app) in [
        (HEADER_REFUSED, ""),
        (
            WILDCARD_WITH_CREDENTIALS,
            "http://localhost:5173 https://admin.example.com",
        ),
    ] {
        let report = console_report(message, app);
        let top = &report.causes[0];
        for stack in Stack::ALL {
            let snippet = snippet_for(&report, top, stack)
                .unwrap_or_else(|| panic!("{}: no snippet for {}", stack.id(), top.code));
            let text = snippet.text();
            assert!(!snippet.parts.is_empty(), "{}: no parts", stack.id());
            assert!(
                !snippet.pitfall_text.trim().is_empty(),
                "{}: no pitfall",
                stack.id()
            );
            // The dev-server proxy avoids CORS: it names the API, not the app's origin.
            let must_name = match stack {
                Stack::ViteProxy => "127.0.0.1:8000",
                _ => "http://localhost:5173",
            };
            assert!(
                text.contains(must_name),
                "{}: no {must_name} in\n{text}",
                stack.id()
            );
            if app.contains("admin") && stack != Stack::ViteProxy {
                // As written, or escaped inside a regular expression (Apache, nginx `map`).
                assert!(
                    text.contains("https://admin.example.com")
                        || text.contains(r"https://admin\.example\.com"),
                    "{}: the allow-list lacks the second origin:\n{text}",
                    stack.id()
                );
            }
            for part in &snippet.parts {
                assert!(
                    !part.code.trim().is_empty(),
                    "{}: an empty part",
                    stack.id()
                );
                assert!(
                    !part.code.contains(Slot::Top.marker()),
                    "{}: a marker left in the code",
                    stack.id()
                );
            }
        }
    }
}

#[test]
fn request_side_causes_get_no_stack_fix() {
    // A header line without a colon is the request's fault: no server change helps.
    let form = FormInput {
        url: "http://127.0.0.1:8000/api".into(),
        headers: "X-Trace-One 1".into(),
        ..FormInput::default()
    };
    let problems = cors_doctor::engine::check::form::parse_form(&form, PAGE)
        .expect_err("a line without a colon is a problem");
    let report =
        cors_doctor::engine::check::diagnosis::form_problems_report(PAGE, &form, &problems);
    assert!(!report.causes.is_empty());
    for cause in &report.causes {
        for stack in Stack::ALL {
            assert!(
                snippet_for(&report, cause, stack).is_none(),
                "{}",
                cause.code
            );
        }
    }
}

#[test]
fn every_stack_has_a_fix_page_naming_verdicts() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/fixes");
    let index = std::fs::read_to_string(dir.join("README.md")).expect("docs/fixes/README.md");
    for stack in Stack::ALL {
        let page = dir.join(format!("{}.md", stack.id()));
        let text =
            std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        assert!(
            index.contains(&format!("({}.md)", stack.id())),
            "docs/fixes/README.md does not link {}.md",
            stack.id()
        );
        // Each pitfall names the verdict it produces, as a contract cause code.
        let codes = ["preflight/", "response/", "ok/"];
        assert!(
            codes.iter().any(|c| text.contains(c)),
            "{} names no cause code",
            page.display()
        );
    }
}

#[test]
fn every_stack_names_each_pitfall_in_its_own_words() {
    let report = console_report(HEADER_REFUSED, "");
    let spec = FixSpec::new(&report, &report.causes[0]).expect("a server fix");
    for stack in Stack::ALL {
        let mut texts: Vec<String> = Pitfall::ALL
            .iter()
            .map(|&pitfall| cors_doctor::engine::stack::write(&spec, pitfall, stack).pitfall_text)
            .collect();
        assert!(
            texts.iter().all(|t| t.len() > 40),
            "{}: a pitfall without words: {texts:?}",
            stack.id()
        );
        texts.sort();
        texts.dedup();
        assert_eq!(
            texts.len(),
            Pitfall::ALL.len(),
            "{}: two pitfalls share a text",
            stack.id()
        );
    }
}
