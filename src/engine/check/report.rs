//! The report: what the page shows and what `report-json` holds (see `shared/contract.md`).
//!
//! Plain data, serialized with serde. The contract names the fields; more may be added, never renamed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::observation::{BrowserReport, Outcome, ResponseDetails};
use crate::engine::fetch::Code;

/// The whole result of one check, or of one analysis of pasted server evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Where the evidence came from: this page's probes, or what the user pasted.
    #[serde(default)]
    pub source: Source,
    /// What the server view recognised in the pasted evidence, in one sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recognised: Option<String>,
    /// The origin the probes ran from (this page's origin, or the app's for the app snippet).
    pub page_origin: String,
    /// The app's origin, when the probes ran there (the app snippet): "checked from …".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_from: Option<String>,
    /// The origin the user's own frontend runs on; fixes and curl commands use it.
    pub app_origin: String,
    /// More origins the user's fix must allow (an allow-list with `Vary: Origin`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_origins: Vec<String>,
    pub request: RequestSummary,
    pub probes: Vec<ProbeRecord>,
    /// Ranked, most likely first.
    pub causes: Vec<CauseReport>,
    /// What the page could read of the user's request, when the browser delivered it.
    pub response: Option<ResponseDetails>,
    /// Commands that confirm the verdict from outside the browser.
    pub curl: Vec<String>,
    /// The exchange the browser had for the user's request, for the sequence picture.
    pub sequence: Vec<SequenceStep>,
    /// Reports the browser raised during the check (deprecations and the like).
    pub browser_reports: Vec<BrowserReport>,
    /// A HAR's requests, each with its verdict: failures first, identical failures together.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub har: Vec<HarEntry>,
}

/// Where a report's evidence came from (the contract's `source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// This page's probes.
    #[default]
    Check,
    /// The app snippet's probes, run from the user's own app.
    App,
    /// Pasted console text.
    Console,
    /// Pasted `curl -i` / `curl -v` output.
    Curl,
    /// A HAR file.
    Har,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Check => "check",
            Source::App => "app",
            Source::Console => "console",
            Source::Curl => "curl",
            Source::Har => "har",
        }
    }
}

/// One request of a HAR with its verdict (secrets masked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HarEntry {
    pub url: String,
    pub method: String,
    /// The simulator's verdict for it.
    pub code: Code,
    /// The status the HAR recorded (0: none).
    pub status: u16,
    pub page_origin: String,
    /// Names of the headers the script set.
    pub header_names: Vec<String>,
    /// The verdict in one sentence.
    pub summary: String,
    /// Which group of identical verdicts it belongs to (index into the report's causes for
    /// failures); requests of one group share host, code and failing value.
    pub group: usize,
    /// How many requests the group holds.
    pub group_size: usize,
}

/// The user's request as the page sent it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestSummary {
    pub url: String,
    pub method: String,
    pub headers: Vec<(String, String)>,
    /// `omit` or `include`: credentials are off unless the user ticks the box.
    pub credentials: String,
    pub body_bytes: usize,
}

/// One probe as it is listed in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeRecord {
    /// `actual` for the user's own request; other names say what the probe varies.
    pub name: String,
    /// Why this probe was sent, in one sentence.
    pub purpose: String,
    pub method: String,
    pub url: String,
    /// `cors` or `no-cors`.
    pub mode: String,
    pub credentials: String,
    /// Names of the request headers sent (values stay in the request summary).
    pub header_names: Vec<String>,
    pub outcome: Outcome,
    /// The status the page could read (delivered only).
    pub status: Option<u16>,
    pub duration_ms: Option<f64>,
    /// The browser's error text or other detail, verbatim.
    pub detail: Option<String>,
}

/// One arrow of the sequence picture: the exchange the browser had for the user's request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SequenceStep {
    /// `request` (browser → server), `response` (server → browser) or `result` (browser → page).
    pub direction: String,
    pub label: String,
    /// `ok`, `failed`, `unknown` (the page cannot see it) or `skipped` (never happened).
    pub state: String,
}

/// One likely cause, with what points to it and how to fix it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CauseReport {
    /// A contract cause code: `family/kind/detail`, or a shorter prefix when the evidence cannot
    /// settle it. Serialized as the contract's string.
    pub code: Code,
    /// 0.0 to 1.0: how sure the engine is.
    pub confidence: f64,
    pub params: BTreeMap<String, String>,
    /// One plain sentence.
    pub summary: String,
    /// What the page saw that points to this cause, in plain sentences.
    pub evidence: Vec<String>,
    /// What to change, in plain words.
    pub fix: String,
    /// The exact response headers that make the request pass, when a server change is the fix.
    pub fix_headers: Option<FixHeaderSet>,
    /// Other causes this evidence cannot rule out, and how to tell them apart.
    pub alternatives: Vec<String>,
}

/// Response headers the server must send, split by the response they belong on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FixHeaderSet {
    /// For the `OPTIONS` preflight; `None` when the request needs no preflight.
    pub preflight: Option<Vec<(String, String)>>,
    pub actual: Vec<(String, String)>,
}

/// `report` as the page shows and copies it (`report-json`): pretty JSON, or a JSON object that
/// says why it could not be written.
pub fn report_json(report: &Report) -> String {
    serde_json::to_string_pretty(report)
        .unwrap_or_else(|e| format!("{{\"error\": \"the report could not be serialized: {e}\"}}"))
}

/// `ms` rounded to a whole number, for display (integer formatting keeps the page small).
pub fn whole(ms: f64) -> i64 {
    if ms.is_finite() {
        ms.round().clamp(i64::MIN as f64, i64::MAX as f64) as i64
    } else {
        0
    }
}

/// Milliseconds as seconds with one decimal, e.g. `1.5`, without float formatting.
pub fn seconds(ms: f64) -> String {
    let tenths = whole(ms / 100.0).max(0);
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_for_display() {
        assert_eq!(whole(12.5), 13);
        assert_eq!(whole(f64::NAN), 0);
        assert_eq!(seconds(1549.0), "1.5");
        assert_eq!(seconds(60.0), "0.1");
        assert_eq!(seconds(15000.0), "15.0");
    }
}
