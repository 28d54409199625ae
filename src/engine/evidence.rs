//! What the browser let the page see of one probe: the diagnosis's input.

use serde::{Deserialize, Serialize};

use super::report::{Outcome, ResponseDetails};

/// One probe's result as the runner saw it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Observation {
    /// `delivered`, `opaque`, `opaque-redirect`, `timeout`, `not-sent`; a rejected fetch is
    /// `blocked` here and becomes `unreachable` once the `no-cors` probe shows nothing answers.
    pub outcome: Option<Outcome>,
    /// What the page could read, when the browser delivered the response.
    pub response: Option<ResponseDetails>,
    /// Wall time from `fetch()` to its settling (and the body read), in ms.
    pub duration_ms: Option<f64>,
    /// The Resource Timing entry, when the browser recorded one.
    pub timing: Option<Timing>,
    /// The error's name and message, verbatim (`TypeError: Failed to fetch`).
    pub error: Option<String>,
}

/// The parts of a `PerformanceResourceTiming` entry that tell round trips apart.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Timing {
    /// 0 when the browser hid the response (a CORS failure or a network error).
    pub response_status: u16,
    pub duration_ms: f64,
    pub request_start_ms: f64,
    pub response_start_ms: f64,
}

/// A report the browser raised during the check (`ReportingObserver`), e.g. a deprecation.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct BrowserReport {
    /// `deprecation`, `intervention`, …
    pub kind: String,
    /// The report body's id, e.g. `AuthorizationCoveredByWildcard`.
    pub id: String,
    pub message: String,
}
