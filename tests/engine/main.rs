//! The engine's one integration-test binary (`cargo test --test engine`).

mod api;
mod diagnosis; // the in-browser diagnosis: form + probe outcomes → top cause; the probe plan's safety // public API shapes: fix headers, Chromium's corsError names, serde
mod props;
mod rules; // rule tables: input, simple, credentials, preflight, local network, redirects, exposure
mod util; // the check helper and its one-line case DSL
mod wpt; // cases from web-platform-tests (fetch/api/cors, cors/) // proptest: arbitrary bytes never panic; the fix always passes (2,000 cases each)
