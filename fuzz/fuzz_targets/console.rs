//! Console text (Chromium, Firefox, Safari): `evidence::console::parse` on any text. (The
//! `analyse` target judges what it finds.)
#![no_main]

use cors_doctor::engine::evidence::console::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for message in parse(&text) {
        if let Some(finding) = &message.finding {
            let _ = finding.code.as_str();
        }
    }
});
