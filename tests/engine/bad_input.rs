//! The bad-input table (issue 10) against the engine: each row's mistake is found before anything
//! is sent, beside its field, with its contract code and a message that says what to change; the
//! rows that are not mistakes pass. Share links: garbage and oversized links are refused with a
//! notice, never a panic. The same table runs through the page in `tests/e2e/bad_input.rs`.

#[path = "../e2e/bad_input_rows.rs"]
mod rows;

use cors_doctor::engine::check::form::{
    check_form, FormInput, FormProblem, MAX_PROBLEMS_PER_FIELD,
};
use cors_doctor::engine::check::share::{self, Shared, MAX_FRAGMENT_CHARS};
use proptest::prelude::*;
use rows::{Expect, LinkExpect, Row, BASE_URL, LINKS, ROWS};

const PAGE: &str = "http://127.0.0.1:8080";
const LAB: &str = "http://127.0.0.1:9090";

/// The row's form: the valid base with the row's fields set.
fn form_of(row: &Row, n: usize) -> FormInput {
    let mut form = FormInput {
        url: rows::Text::Plain(BASE_URL).render(LAB, n),
        ..FormInput::default()
    };
    for (field, text) in row.set {
        let value = text.render(LAB, n);
        match *field {
            "url" => form.url = value,
            "method" => form.method = value,
            "headers" => form.headers = value,
            "body" => form.body = value,
            "timeout" => form.timeout = value,
            "app-origin" => form.app_origin = value,
            other => panic!("{}: unknown field {other}", row.name),
        }
    }
    // The page hands the engine a Unicode host in the browser's own `xn--` form (the engine
    // carries no IDNA tables; `ui::check::ascii_url`); the e2e table proves Chromium's.
    form.url = form
        .url
        .replace("bücher.localhost", "xn--bcher-kva.localhost");
    form
}

fn describe(problems: &[FormProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("{} {} {}", p.field, p.code, p.message))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_row_is_found_beside_its_field_or_passes() {
    assert!(ROWS.len() >= 50, "the table has {} rows", ROWS.len());
    let mut failures = Vec::new();
    for (n, row) in ROWS.iter().enumerate() {
        let result = check_form(&form_of(row, n), PAGE);
        match (&row.expect, result) {
            (Expect::Refused { field, code, says }, Err(problems)) => {
                let found = problems
                    .iter()
                    .find(|p| p.field == *field && p.code.as_str() == *code);
                match found {
                    Some(p) => {
                        for needle in *says {
                            if !p.message.contains(needle) {
                                failures.push(format!(
                                    "{}: message lacks {needle:?}: {}",
                                    row.name, p.message
                                ));
                            }
                        }
                        if p.message.chars().count() > 400 {
                            failures.push(format!("{}: message too long", row.name));
                        }
                    }
                    None => failures.push(format!(
                        "{}: no {code} beside {field}:\n{}",
                        row.name,
                        describe(&problems)
                    )),
                }
                // The row's mistake is the only one: the base form is valid.
                if let Some(other) = problems.iter().find(|p| p.field != *field) {
                    failures.push(format!("{}: unexpected problem {other:?}", row.name));
                }
            }
            (Expect::Refused { .. }, Ok(_)) => {
                failures.push(format!("{}: passed, but must be refused", row.name))
            }
            (Expect::Sent { .. }, Ok(parsed)) => {
                assert!(!parsed.url.is_empty());
            }
            (Expect::Sent { .. }, Err(problems)) => failures.push(format!(
                "{}: refused, but is valid:\n{}",
                row.name,
                describe(&problems)
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn many_mistakes_in_one_field_are_listed_boundedly() {
    let form = FormInput {
        url: format!("{LAB}/a"),
        headers: "no colon\n".repeat(80),
        app_origin: "a b c d e f g h".into(),
        ..FormInput::default()
    };
    let problems = check_form(&form, PAGE).err().unwrap_or_default();
    for field in ["headers", "app-origin"] {
        let mine: Vec<_> = problems.iter().filter(|p| p.field == field).collect();
        assert_eq!(
            mine.len(),
            MAX_PROBLEMS_PER_FIELD + 1,
            "{}",
            describe(&problems)
        );
        assert!(mine[MAX_PROBLEMS_PER_FIELD]
            .message
            .contains("more problems"));
    }
    // In the form's order: headers before the app origin.
    assert_eq!(problems[0].field, "headers");
}

#[test]
fn every_field_is_checked_at_once() {
    let form = FormInput {
        url: "ftp://x".into(),
        method: "TRACE".into(),
        headers: "Cookie: a=1".into(),
        body: "x".repeat(2_000_000),
        app_origin: "null".into(),
        timeout: "0".into(),
        ..FormInput::default()
    };
    let problems = check_form(&form, PAGE).err().unwrap_or_default();
    let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
    assert_eq!(
        fields,
        ["url", "method", "headers", "body", "app-origin", "timeout"]
    );
}

#[test]
fn share_links_are_read_or_refused_with_a_notice() {
    for (n, link) in LINKS.iter().enumerate() {
        let fragment = format!("#{}", link.fragment.render(LAB, n));
        match (&link.expect, share::read_fragment(&fragment)) {
            (LinkExpect::Notice { code, says }, Shared::Refused(notice)) => {
                assert_eq!(notice.code.as_str(), *code, "{}", link.name);
                assert!(
                    notice.message.contains(says),
                    "{}: {}",
                    link.name,
                    notice.message
                );
                assert!(notice.message.chars().count() < 500, "{}", link.name);
                assert_eq!(share::from_fragment(&fragment), None, "{}", link.name);
            }
            (
                LinkExpect::Filled {
                    field,
                    value,
                    problems,
                },
                Shared::Form(form),
            ) => {
                let got = match *field {
                    "url" => &form.url,
                    "method" => &form.method,
                    other => panic!("{other}"),
                };
                assert_eq!(got, value, "{}", link.name);
                let found: Vec<(&str, String)> = share::problems(&form, PAGE)
                    .iter()
                    .map(|p| (p.field, p.code.as_str()))
                    .collect();
                let wanted: Vec<(&str, String)> =
                    problems.iter().map(|(f, c)| (*f, c.to_string())).collect();
                assert_eq!(found, wanted, "{}", link.name);
            }
            (_, other) => panic!("{}: {other:?}", link.name),
        }
    }
    assert_eq!(share::read_fragment(""), Shared::Nothing);
    assert_eq!(share::read_fragment("#"), Shared::Nothing);
    assert_eq!(share::read_fragment("#observations=abc"), Shared::Nothing);
}

#[test]
fn the_page_never_makes_a_link_it_refuses_to_read() {
    let form = FormInput {
        url: format!("{LAB}/{}", "é".repeat(4_000)),
        headers: format!("X-Big: {}", "%".repeat(10_000)),
        body: "{\"a\":1}".repeat(100_000),
        ..FormInput::default()
    };
    let fragment = share::to_fragment(&form);
    assert!(fragment.len() <= MAX_FRAGMENT_CHARS, "{}", fragment.len());
    let read = share::from_fragment(&fragment).unwrap_or_default();
    assert_eq!(read.url, form.url);
    assert_eq!(read.headers, form.headers);
    assert_eq!(read.body, "", "a large body is left out of the link");
}

fn cfg() -> ProptestConfig {
    ProptestConfig {
        cases: 2_000,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(cfg())]

    #[test]
    fn any_form_is_checked_without_panic(
        url in any::<String>(),
        method in "[ -~\u{0}\u{80}-\u{ff}]{0,12}",
        headers in any::<String>(),
        body in any::<String>(),
        app_origin in any::<String>(),
        timeout in "[-+0-9.,eE a-z]{0,8}",
    ) {
        let form = FormInput { url, method, headers, body, app_origin, timeout, ..FormInput::default() };
        if let Err(problems) = check_form(&form, PAGE) {
            prop_assert!(!problems.is_empty());
            for p in &problems {
                prop_assert!(!p.message.is_empty());
                prop_assert_eq!(p.code.family(), "input");
            }
        }
    }

    #[test]
    fn any_fragment_is_read_without_panic(fragment in any::<String>()) {
        if let Shared::Refused(notice) = share::read_fragment(&fragment) {
            prop_assert!(notice.message.chars().count() < 500);
        }
    }
}
