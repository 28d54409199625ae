//! Inputs the fuzz targets (`fuzz/`, `scripts/fuzz`) found to panic, kept as tests.

use cors_doctor::engine::check::form::{check_form, FormInput};
use cors_doctor::engine::check::share::{read_fragment, to_fragment, Shared};
use cors_doctor::engine::fetch::Code;

const PAGE: &str = "http://127.0.0.1:8080";

/// Host names with an upper-case ASCII letter beside a non-ASCII one (found by the `form`,
/// `share` and `import` targets). The `url` crate hands such a host to `idna_adapter` 1.0.0 (the
/// wasm build's pin, which Cargo.lock gives native builds too), whose `debug_assert!` rejects
/// upper-case ASCII: a panic in debug builds (`cargo test`), an IDNA error in release ones. The
/// page turns non-ASCII hosts into punycode before the engine sees them; typed into the engine
/// directly, they must be a URL problem beside the field, never a panic. `Cargo.toml` turns off
/// that crate's debug assertions in the dev profile, so debug builds answer as release ones.
const MIXED_CASE_IDN: [&str; 3] = [
    "https://Bücher.example/",
    "http://API.bücher.example:8080/x",
    "https://apiag,E-R\u{f5}.example/",
];

#[test]
fn a_mixed_case_non_ascii_host_is_a_url_problem_not_a_panic() {
    for url in MIXED_CASE_IDN {
        let form = FormInput {
            url: url.into(),
            ..FormInput::default()
        };
        let problems = check_form(&form, PAGE).err().unwrap_or_default();
        assert!(
            problems
                .iter()
                .any(|p| p.field == "url" && p.code == Code::InputInvalidUrl),
            "{url}: {problems:?}"
        );
    }
}

#[test]
fn a_mixed_case_non_ascii_app_origin_is_an_app_origin_problem_not_a_panic() {
    for origin in MIXED_CASE_IDN {
        let form = FormInput {
            url: "https://api.example.com/x".into(),
            app_origin: origin.into(),
            ..FormInput::default()
        };
        let problems = check_form(&form, PAGE).err().unwrap_or_default();
        assert!(
            problems
                .iter()
                .any(|p| p.field == "app-origin" && p.code == Code::InputInvalidUrl),
            "{origin}: {problems:?}"
        );
    }
}

#[test]
fn a_share_link_with_a_mixed_case_non_ascii_host_round_trips() {
    for url in MIXED_CASE_IDN {
        let form = FormInput {
            url: url.into(),
            ..FormInput::default()
        };
        let fragment = to_fragment(&form);
        match read_fragment(&fragment) {
            Shared::Form(back) => assert_eq!(back.url, url, "{fragment}"),
            other => panic!("{url}: {other:?}"),
        }
    }
}
