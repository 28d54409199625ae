//! The engine's one integration-test binary (`cargo test --test engine`).

mod api; // public API shapes: fix headers, Chromium's corsError names, serde
mod app; // the app snippet: small valid JavaScript carrying the engine's plan; its link read back; both views
mod bad_input; // the bad-input table: each mistake found beside its field, before anything is sent
mod closed_loop; // the closed loop: generated misconfigurations, simulated probes, diagnosis vs the simulator
mod diagnosis; // the in-browser diagnosis: form + probe outcomes → top cause; the probe plan's safety
mod evidence_console; // the server view: console texts of three browsers → cause, URL, origin, status
mod evidence_curl; // the server view: curl -i/-v output → answers → the simulator's verdict
mod evidence_har; // the server view: HAR 1.2 from Chromium and Firefox → requests, preflights, verdicts
mod evidence_import; // the server view: Copy as fetch / Copy as cURL → the form
mod fixes; // fixes in the developer's stack: the spec a report gives, a snippet from every stack

// inputs the fuzz targets (fuzz/, scripts/fuzz) found to panic, kept as tests
mod fuzz_regressions;
mod layers; // the engine's module graph: no cycles, and the fetch layer never imports the check layer
mod props; // proptest: arbitrary bytes never panic; the fix always passes
mod rules; // rule tables: input, simple, credentials, preflight, local network, redirects, exposure
mod server_view; // the server view as a whole: recognise, judge, group, mask, export
mod stacks; // fixes in the developer's stack: documented schemas of the stacks the suite cannot run
mod util; // the check helper and its one-line case DSL
mod wpt; // cases from web-platform-tests (fetch/api/cors, cors/)
