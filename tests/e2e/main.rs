//! End-to-end tests: the built page (`dist/`) in a real headless Chromium, against the CORS lab on
//! other loopback origins. Run `trunk build --release` first (`scripts/test` does).
//!
//! One test binary, ripgrep style; each module is one group of scenarios.

// Shared harness: static server for dist/, the lab, Chromium and its own CORS verdicts.
mod util;

// Chromium's own verdict for a request, compared with an expectation.
mod verdict;

// The foundation: outcomes (delivered, blocked, unreachable, timeout) and Chromium's reasons.
mod foundation;

// The diagnosis: one row per lab scenario, the page's top cause and Chromium's reason.
mod diagnosis;

// The differential test: the simulator against Chromium on generated cases (see deviations.md).
mod differential;

// The server view: console text, curl output, HAR files and copied requests in the evidence box.
mod server_view;

// The closed loop in Chromium: generated configurations through the lab's /behaviour and the page.
mod closed_loop;

// Comfort: dark mode and its toggle, a 360 px layout, the picture's text alternative.
mod comfort;

// The history: remembered across reloads, secrets masked, loaded without running, corrupt values set aside.
mod history;

// Fixes in the developer's stack: real servers broken, the page's snippet applied, proven fixed.
mod stacks;

// Hostile servers: the lab's misbehaving paths end in a verdict, in time, responsive, nothing runs.
mod hostile;

// Bad input: every field's mistakes get a specific message, nothing is sent, the page keeps working.
mod bad_input;

// The Content-Security-Policy holds (the page works, injected script is refused); secrets never leak.
mod csp;

// Accessibility: axe-core finds no violation (idle, report, form problems; both themes; 360 px).
mod accessibility;

// The README's screenshots (idle, a diagnosis, the server view), taken so they stay current.
mod screenshots;

// Checking from the app's origin: the console snippet in a lab frontend tab, its link, both views.
mod app_origin;
