//! Which requests the page sends to tell causes apart, and in which order.
//!
//! Safety rules (see `shared/design.md`): the user's own request is sent exactly once; every other
//! probe is a `GET`/`HEAD` or a request whose preflight fails before the handler runs; all are listed
//! in the report.

use serde::{Deserialize, Serialize};

/// Probe names (the report lists them; `header:<name>` probes carry one custom header each).
pub const ACTUAL: &str = "actual";
pub const REACHABILITY: &str = "reachability";
pub const SIMPLE: &str = "simple-get";
pub const SIMPLE_CREDENTIALS: &str = "simple-get-credentials";
pub const HEADERS: &str = "headers-get";
pub const HEADER_PREFIX: &str = "header:";
pub const CONTROL: &str = "preflight-control";
pub const METHOD_ALONE: &str = "method-alone";

/// One probe per custom header at most this many times.
pub const MAX_HEADER_PROBES: usize = 8;

/// `cors` is what the user's code does; `no-cors` tells "reachable" from "unreachable".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProbeMode {
    Cors,
    NoCors,
}

impl ProbeMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ProbeMode::Cors => "cors",
            ProbeMode::NoCors => "no-cors",
        }
    }
}

/// `follow` is the default; `manual` reveals that a redirect happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProbeRedirect {
    Follow,
    Manual,
}

/// One request for the probe runner to send, exactly as described.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeSpec {
    pub name: String,
    pub purpose: String,
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub mode: ProbeMode,
    /// `true` sends `credentials: "include"`, `false` sends `"omit"`.
    pub include_credentials: bool,
    pub redirect: ProbeRedirect,
}

impl ProbeSpec {
    pub fn credentials_str(&self) -> &'static str {
        if self.include_credentials {
            "include"
        } else {
            "omit"
        }
    }
}
