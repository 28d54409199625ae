//! What the page would observe of one probe, asked of the simulator: the bridge between a
//! server's behaviour and the diagnosis. The diagnosis compares these predictions with what
//! the probes really saw; the closed-loop tests compare them with Chromium.

use super::observation::{Observation, Outcome, ResponseDetails};
use super::plan::{ProbeMode, ProbeRedirect, ProbeSpec};
use crate::engine::fetch::{
    simulate_in, Browser, CredentialsMode, RedirectMode, Request, RequestMode, ResponseType,
    Server, Trace, Verdict,
};

/// One probe's predicted observation.
#[derive(Debug, Clone, PartialEq)]
pub struct Predicted {
    pub outcome: Outcome,
    /// The status the page reads (delivered only).
    pub status: Option<u16>,
    /// Lower-case names of the response headers the page can read (delivered only).
    pub exposed: Vec<String>,
    /// HTTP requests the browser sends for it: the round trips the page waits for.
    pub round_trips: u8,
    /// Reports the browser raises on the way (Chromium's deprecation ids).
    pub reports: Vec<&'static str>,
}

/// The request a probe sends, from `page_origin`, as the simulator models it.
pub fn probe_request(page_origin: &str, spec: &ProbeSpec) -> Request {
    Request {
        headers: spec.headers.clone(),
        credentials: if spec.include_credentials {
            CredentialsMode::Include
        } else {
            CredentialsMode::Omit
        },
        mode: match spec.mode {
            ProbeMode::Cors => RequestMode::Cors,
            ProbeMode::NoCors => RequestMode::NoCors,
        },
        redirect: match spec.redirect {
            ProbeRedirect::Follow => RedirectMode::Follow,
            ProbeRedirect::Manual => RedirectMode::Manual,
        },
        body: spec.body.clone(),
        ..Request::new(page_origin, &spec.url, &spec.method)
    }
}

/// Simulates one probe in Chromium against `server`.
pub fn trace(page_origin: &str, spec: &ProbeSpec, server: &dyn Server) -> Trace {
    simulate_in(Browser::Chromium, &probe_request(page_origin, spec), server)
}

/// What the page would see of `spec` sent to `server`.
pub fn predict(page_origin: &str, spec: &ProbeSpec, server: &dyn Server) -> Predicted {
    observe(&trace(page_origin, spec, server))
}

/// The page's view of a simulated trace.
pub fn observe(trace: &Trace) -> Predicted {
    let mut p = Predicted {
        outcome: Outcome::Blocked,
        status: None,
        exposed: Vec::new(),
        round_trips: trace.requests,
        reports: trace.reports.clone(),
    };
    match &trace.verdict {
        Verdict::Delivered {
            response_type,
            status,
            exposed_headers,
            ..
        } => match response_type {
            ResponseType::Opaque => p.outcome = Outcome::Opaque,
            ResponseType::OpaqueRedirect => p.outcome = Outcome::OpaqueRedirect,
            ResponseType::Basic | ResponseType::Cors => {
                p.outcome = Outcome::Delivered;
                p.status = Some(*status);
                p.exposed = exposed_headers.clone();
            }
        },
        Verdict::Blocked(_) => {}
        Verdict::NotSent(_) => p.outcome = Outcome::NotSent,
        Verdict::NoAnswer => p.outcome = Outcome::Timeout,
    }
    p
}

impl Predicted {
    /// An observation as the probe runner would record it, taking `ms_per_round_trip` per
    /// request the browser sent.
    pub fn to_observation(&self, ms_per_round_trip: f64) -> Observation {
        Observation {
            outcome: Some(self.outcome),
            response: self.status.map(|status| ResponseDetails {
                status,
                status_text: String::new(),
                headers: self
                    .exposed
                    .iter()
                    .map(|n| (n.clone(), String::new()))
                    .collect(),
                body_preview: String::new(),
                body_truncated: false,
                redirected: false,
                final_url: String::new(),
            }),
            duration_ms: Some(f64::from(self.round_trips.max(1)) * ms_per_round_trip),
            timing: None,
            error: (self.outcome == Outcome::Blocked).then(|| "TypeError: Failed to fetch".into()),
        }
    }
}
