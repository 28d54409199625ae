//! The in-browser diagnosis: plans the probes, then reasons from what the browser let the page see
//! to ranked causes. Pure: the probe runner does the sending.

use super::evidence::Observation;
use super::form::ParsedForm;
use super::plan::{ProbeMode, ProbeRedirect, ProbeSpec};
use super::report::{CauseReport, Outcome, ProbeRecord, Report, RequestSummary, ResponseDetails};

/// What one check is about.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckContext {
    pub page_origin: String,
    pub form: ParsedForm,
}

/// A probe and what became of it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeRun {
    pub spec: ProbeSpec,
    pub observation: Observation,
}

/// The probes to send next, given what the earlier phases saw; empty when done.
pub fn next_probes(context: &CheckContext, done: &[ProbeRun]) -> Vec<ProbeSpec> {
    if done.is_empty() {
        vec![actual_probe(context), reachability_probe(context)]
    } else {
        Vec::new()
    }
}

fn actual_probe(context: &CheckContext) -> ProbeSpec {
    let form = &context.form;
    ProbeSpec {
        name: "actual".into(),
        purpose: "Your request, exactly as your frontend sends it.".into(),
        method: form.method.clone(),
        url: form.url.clone(),
        headers: form.headers.clone(),
        body: form.body.clone(),
        mode: ProbeMode::Cors,
        include_credentials: form.credentials,
        redirect: ProbeRedirect::Follow,
    }
}

fn reachability_probe(context: &CheckContext) -> ProbeSpec {
    ProbeSpec {
        name: "reachability".into(),
        purpose: "A no-cors GET: it resolves when any HTTP server answers, CORS or not.".into(),
        method: "GET".into(),
        url: context.form.url.clone(),
        headers: Vec::new(),
        body: None,
        mode: ProbeMode::NoCors,
        include_credentials: false,
        redirect: ProbeRedirect::Follow,
    }
}

/// Builds the report from every probe run.
pub fn report(context: &CheckContext, runs: &[ProbeRun]) -> Report {
    let reachable = runs
        .iter()
        .find(|r| r.spec.mode == ProbeMode::NoCors)
        .map(|r| r.observation.outcome == Some(Outcome::Opaque));
    let probes = runs
        .iter()
        .map(|r| probe_record(r, reachable))
        .collect::<Vec<_>>();
    let actual = runs.iter().find(|r| r.spec.name == "actual");
    let response = actual.and_then(|r| response_details(&r.observation));
    let form = &context.form;
    Report {
        page_origin: context.page_origin.clone(),
        app_origin: form.app_origin.clone(),
        request: RequestSummary {
            url: form.url.clone(),
            method: form.method.clone(),
            headers: form.headers.clone(),
            credentials: if form.credentials { "include" } else { "omit" }.into(),
            body_bytes: form.body.as_ref().map_or(0, String::len),
        },
        causes: causes(actual, &probes),
        probes,
        response,
        curl: Vec::new(),
    }
}

/// A rejected fetch is `blocked` when something answers the `no-cors` probe, `unreachable` when not.
fn probe_record(run: &ProbeRun, reachable: Option<bool>) -> ProbeRecord {
    let observation = &run.observation;
    let outcome = match observation.outcome.unwrap_or(Outcome::NotSent) {
        Outcome::Blocked if run.spec.mode == ProbeMode::NoCors || reachable == Some(false) => {
            Outcome::Unreachable
        }
        other => other,
    };
    ProbeRecord {
        name: run.spec.name.clone(),
        purpose: run.spec.purpose.clone(),
        method: run.spec.method.clone(),
        url: run.spec.url.clone(),
        mode: run.spec.mode.as_str().into(),
        credentials: run.spec.credentials_str().into(),
        header_names: run.spec.headers.iter().map(|(n, _)| n.clone()).collect(),
        outcome,
        status: observation.status,
        duration_ms: observation.duration_ms,
        detail: observation.error.clone(),
    }
}

fn response_details(observation: &Observation) -> Option<ResponseDetails> {
    if observation.outcome != Some(Outcome::Delivered) {
        return None;
    }
    Some(ResponseDetails {
        status: observation.status.unwrap_or(0),
        status_text: observation.status_text.clone(),
        headers: observation.headers.clone(),
        body_preview: observation.body_preview.clone(),
        body_truncated: observation.body_truncated,
        redirected: observation.redirected,
        final_url: observation.final_url.clone(),
    })
}

fn causes(actual: Option<&ProbeRun>, probes: &[ProbeRecord]) -> Vec<CauseReport> {
    let outcome = probes
        .iter()
        .find(|p| p.name == "actual")
        .map(|p| p.outcome);
    let cause = |code: &str, confidence: f64, summary: &str| CauseReport {
        code: code.into(),
        confidence,
        params: Default::default(),
        summary: summary.into(),
        evidence: Vec::new(),
        fix: String::new(),
        fix_headers: None,
        alternatives: Vec::new(),
    };
    let status = actual.and_then(|a| a.observation.status);
    match outcome {
        Some(Outcome::Delivered) => vec![cause(
            "ok",
            1.0,
            &format!(
                "The browser delivered the response (status {}).",
                status.unwrap_or(0)
            ),
        )],
        Some(Outcome::Unreachable) => vec![cause(
            "network/unreachable",
            0.9,
            "Nothing answered: the no-cors probe failed too.",
        )],
        Some(Outcome::Timeout) => vec![cause(
            "network/timeout",
            0.9,
            "No answer within the time limit.",
        )],
        Some(Outcome::Blocked) => vec![cause(
            "response/allow-origin",
            0.5,
            "The server answered, but the browser blocked the response.",
        )],
        _ => Vec::new(),
    }
}
