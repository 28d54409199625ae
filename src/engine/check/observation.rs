//! What the browser let the page see of one probe: the diagnosis's input.

use serde::{Deserialize, Serialize};

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

/// What became of one request the page sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The browser handed the response to the page.
    Delivered,
    /// A `TypeError` while the server is reachable: the browser blocked it.
    Blocked,
    /// No HTTP response at all: DNS, refused connection, TLS, reset.
    Unreachable,
    /// No answer within the time limit.
    Timeout,
    /// A `no-cors` request resolved: the server answered, the page may not look.
    Opaque,
    /// A `redirect: "manual"` request met a redirect.
    OpaqueRedirect,
    /// The page did not send it (bad input, cancelled, or not needed).
    NotSent,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Delivered => "delivered",
            Outcome::Blocked => "blocked",
            Outcome::Unreachable => "unreachable",
            Outcome::Timeout => "timeout",
            Outcome::Opaque => "opaque",
            Outcome::OpaqueRedirect => "opaque-redirect",
            Outcome::NotSent => "not-sent",
        }
    }
}

/// What the page could read of a delivered response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseDetails {
    pub status: u16,
    pub status_text: String,
    /// The response headers the browser exposed to the page (lower-case names).
    pub headers: Vec<(String, String)>,
    /// The start of the body as text, capped at [`BODY_PREVIEW_LIMIT`] bytes.
    pub body_preview: String,
    pub body_truncated: bool,
    pub redirected: bool,
    pub final_url: String,
}

/// The body preview keeps at most this many bytes.
pub const BODY_PREVIEW_LIMIT: usize = 16 * 1024;

/// Truncates text to at most `limit` bytes on a character boundary, never panicking.
pub fn truncate_utf8(text: &str, limit: usize) -> (&str, bool) {
    if text.len() <= limit {
        return (text, false);
    }
    let mut end = limit;
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    (text.get(..end).unwrap_or(""), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_serializes_as_contract_words() {
        let words: Vec<String> = [
            Outcome::Delivered,
            Outcome::Blocked,
            Outcome::Unreachable,
            Outcome::Timeout,
            Outcome::Opaque,
            Outcome::OpaqueRedirect,
            Outcome::NotSent,
        ]
        .iter()
        .map(|o| serde_json::to_string(o).unwrap_or_default())
        .collect();
        assert_eq!(
            words,
            [
                "\"delivered\"",
                "\"blocked\"",
                "\"unreachable\"",
                "\"timeout\"",
                "\"opaque\"",
                "\"opaque-redirect\"",
                "\"not-sent\""
            ]
        );
        assert_eq!(Outcome::OpaqueRedirect.as_str(), "opaque-redirect");
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        assert_eq!(truncate_utf8("héllo", 2), ("h", true));
        assert_eq!(truncate_utf8("héllo", 3), ("hé", true));
        assert_eq!(truncate_utf8("abc", 10), ("abc", false));
    }
}
