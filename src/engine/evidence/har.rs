//! HAR 1.2 from Chromium and Firefox: every request in the log, preflights matched to the
//! requests they precede, each request's answers ready for the simulator.

use crate::engine::fetch::{Request, ServerAnswers};

/// One request of the log with what the simulator needs to judge it.
#[derive(Debug, Clone, PartialEq)]
pub struct HarRequest {
    /// Index of the entry in `log.entries`.
    pub entry: usize,
    /// `startedDateTime` in ms since the epoch (0 when it does not parse).
    pub started_ms: f64,
    /// The request as the page made it: `page_origin` from the `Origin` request header, else
    /// the page's (`log.pages`) or `Referer`'s origin; headers the script set (browser-added
    /// ones dropped); credentials `include` when it sent cookies or Authorization the page
    /// cannot have set; mode `cors`.
    pub request: Request,
    /// Its answers: the preflight matched to it (when any), the response, redirects as hops.
    pub answers: ServerAnswers,
    /// Chromium's `_error` / Firefox's status-0 note (`net::ERR_FAILED`, …), verbatim.
    pub error: Option<String>,
    /// The entry's own status (0: no response the browser let through).
    pub status: u16,
}

/// Why the text is not a HAR.
#[derive(Debug, Clone, PartialEq)]
pub struct NotHar(pub String);

/// The cross-origin requests in a HAR, in log order, preflight entries folded into the request
/// they belong to. Never panics.
pub fn parse(text: &str) -> Result<Vec<HarRequest>, NotHar> {
    let _ = text;
    Err(NotHar("not implemented".into()))
}
