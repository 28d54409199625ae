//! HAR files: `evidence::har::parse` on any text, every request found replayed, and the form
//! and check context the server view derives from it. (The `analyse` target builds the report.)
#![no_main]

use cors_doctor::engine::evidence::har::{is_incomplete, parse, replay};
use cors_doctor::engine::evidence::{context_for, form_for};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(requests) = parse(&text) else {
        return;
    };
    for r in &requests {
        let (trace, _) = replay(r);
        let _ = trace.verdict.code();
        let _ = is_incomplete(r);
        let _ = form_for(&r.request);
        let _ = context_for(&r.request);
    }
});
