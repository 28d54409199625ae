//! Share links: `read_fragment` on any fragment never panics, and a link written from a form
//! (`to_fragment_with`) reads back to the same form, but for what links leave out by design
//! (the timeout and the method probe; a body over `MAX_SHARED_BODY_BYTES`; an empty method is
//! `GET`). Masking is idempotent: a masked link's form, masked again, fills the same form.
//!
//! An input with a U+001E separator is a form (see `common::form`); any other is a fragment.
#![no_main]

mod common;

use cors_doctor::engine::check::form::FormInput;
use cors_doctor::engine::check::share::{
    from_fragment, read_fragment, to_fragment, to_fragment_with, Secrets, Shared,
    MAX_FRAGMENT_CHARS, MAX_SHARED_BODY_BYTES,
};
use libfuzzer_sys::fuzz_target;

/// The form a link written from `form` fills.
fn expected(form: &FormInput) -> FormInput {
    FormInput {
        method: if form.method.is_empty() {
            FormInput::default().method
        } else {
            form.method.clone()
        },
        body: if form.body.len() > MAX_SHARED_BODY_BYTES {
            String::new()
        } else {
            form.body.clone()
        },
        allow_method_probe: false,
        timeout: FormInput::default().timeout,
        ..form.clone()
    }
}

fn round_trip(form: &FormInput) {
    let fragment = to_fragment_with(form, Secrets::Include);
    let read = read_fragment(&fragment);
    if fragment.chars().count() > MAX_FRAGMENT_CHARS {
        assert!(matches!(read, Shared::Refused(_)), "{read:?}");
        return;
    }
    if fragment.is_empty() {
        assert_eq!(read, Shared::Nothing);
        return;
    }
    assert_eq!(read, Shared::Form(Box::new(expected(form))), "{fragment}");
    // With `#`, as the page's location gives it.
    assert_eq!(
        from_fragment(&format!("#{fragment}")),
        Some(expected(form)),
        "{fragment}"
    );

    // Masked: the form a masked link fills, masked again, fills the same form.
    let masked = to_fragment(form);
    if let Shared::Form(once) = read_fragment(&masked) {
        let again = to_fragment(&once);
        if again.chars().count() <= MAX_FRAGMENT_CHARS {
            assert_eq!(read_fragment(&again), Shared::Form(once), "{masked}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if data.contains(&0x1e) {
        let (form, _) = common::form(data);
        round_trip(&form);
    } else {
        let text = String::from_utf8_lossy(data);
        match read_fragment(&text) {
            Shared::Form(form) => round_trip(&form),
            Shared::Refused(notice) => assert!(!notice.message.is_empty()),
            Shared::Nothing => {}
        }
    }
});
