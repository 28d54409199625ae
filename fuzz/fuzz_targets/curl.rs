//! `curl -i` / `curl -v` output: `evidence::curl_output::parse` on any text, then the answers
//! it gives replayed through the simulator for a simple and a preflighted request. (The
//! `analyse` target builds the report.)
#![no_main]

use cors_doctor::engine::evidence::curl_output::{answers, has_actual, parse};
use cors_doctor::engine::fetch::{simulate, Request};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(exchanges) = parse(&text) else {
        return;
    };
    assert!(!exchanges.is_empty());
    let simple = Request::new(
        "https://app.example.com",
        "https://api.example.com/items",
        "GET",
    );
    let preflighted = Request::new(
        "https://app.example.com",
        "https://api.example.com/items",
        "PUT",
    )
    .header("Content-Type", "application/json");
    for request in [simple, preflighted] {
        let replayed = answers(&exchanges, &request);
        let _ = has_actual(&exchanges, &request);
        let trace = simulate(&request, &replayed);
        assert!(!trace.steps.is_empty());
    }
});
