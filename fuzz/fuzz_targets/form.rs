//! The form: `parse_form` and `check_form` on arbitrary fields (URL, method, header text, body,
//! timeout, app origins, credentials), the helpers the page calls on the same fields, and the
//! invariants `check_form` promises when it lets a request through.
#![no_main]

mod common;

use cors_doctor::engine::check::form::{
    app_origins, check_form, first_app_origin, parse_form, parse_header_lines, parse_name_list,
    shown, MAX_HEADER_LINES, MAX_METHOD_CHARS, MAX_URL_CHARS,
};
use cors_doctor::engine::check::{mask, share};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (input, page) = common::form(data);
    let parsed = parse_form(&input, &page);
    let checked = check_form(&input, &page);
    match &checked {
        Ok(ok) => {
            // What check_form lets through, parse_form reads the same way, within the limits.
            assert_eq!(parsed.as_ref().ok(), Some(ok));
            assert!(ok.url.chars().count() <= MAX_URL_CHARS);
            assert!(ok.method.chars().count() <= MAX_METHOD_CHARS);
            assert!(ok.headers.len() <= MAX_HEADER_LINES);
            assert!(
                ok.timeout_ms > 0 && ok.timeout_ms <= 300_000,
                "{}",
                ok.timeout_ms
            );
        }
        Err(problems) => {
            assert!(!problems.is_empty());
            assert!(problems.iter().all(|p| !p.message.is_empty()));
        }
    }
    if let Err(problems) = &parsed {
        assert!(!problems.is_empty());
    }
    let _ = share::problems(&input, &page);
    let _ = parse_header_lines(&input.headers, &mut Vec::new());
    let _ = parse_name_list(&input.want_headers);
    let _ = app_origins(&input.app_origin);
    let _ = first_app_origin(&input.app_origin);
    let _ = shown(&input.url);
    let _ = mask::mask_header_text(&input.headers);
    let _ = mask::mask_url(&input.url);
    let _ = mask::secrets_in_text(&input.url, &input.headers);
});
