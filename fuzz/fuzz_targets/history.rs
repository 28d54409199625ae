//! The history as `localStorage` holds it: `History::load` on any stored string never panics,
//! keeps at most `MAX_ENTRIES`, and what it loads stores and loads back the same (times within a float's rounding).
#![no_main]

use cors_doctor::engine::check::history::{History, MAX_ENTRIES};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (history, notice) = History::load(Some(&text));
    assert!(history.entries.len() <= MAX_ENTRIES);
    if notice.is_some() {
        assert!(history.entries.is_empty());
    }
    for entry in &history.entries {
        let _ = entry.label();
    }
    let stored = history.to_json();
    let (again, notice) = History::load(Some(&stored));
    if !history.entries.is_empty() {
        assert_eq!(notice, None);
        assert_eq!(again.entries.len(), history.entries.len());
        for (a, b) in again.entries.iter().zip(&history.entries) {
            assert_eq!((&a.form, a.source, &a.code), (&b.form, b.source, &b.code));
            // serde_json may read a float back one ulp off; anything more is a bug.
            let close = a.at_ms == b.at_ms || (a.at_ms - b.at_ms).abs() <= b.at_ms.abs() * 1e-12;
            assert!(close, "{} vs {}", a.at_ms, b.at_ms);
        }
    }
});
