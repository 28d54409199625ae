//! The server view as a whole: `evidence::analyse` (recognise the paste: HAR, curl output,
//! console text or a copied command; judge it) with an arbitrary form, then the report's
//! Markdown and the history entry the page would keep.
//!
//! The input is the pasted text, then (after U+001E) the nine form fields of `common::form`.
#![no_main]

mod common;

use cors_doctor::engine::check::history::{Entry, History};
use cors_doctor::engine::check::markdown::report_markdown;
use cors_doctor::engine::evidence::analyse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, rest) = match data.iter().position(|&b| b == 0x1e) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let text = String::from_utf8_lossy(text);
    let (form, page) = common::form(rest);
    let analysis = analyse(&text, &form, &page);
    assert!(!analysis.recognised.is_empty());
    if let Some(report) = &analysis.report {
        let markdown = report_markdown(report);
        assert!(!markdown.is_empty());
        let mut history = History::default();
        history.record(Entry::new(
            analysis.form.as_ref().unwrap_or(&form),
            report,
            0.0,
        ));
        let stored = history.to_json();
        let (back, notice) = History::load(Some(&stored));
        assert_eq!(notice, None);
        assert_eq!(back.entries.len(), 1);
    }
});
