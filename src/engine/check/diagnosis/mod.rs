//! The in-browser diagnosis: plans the probes, then asks the simulator which server behaviours
//! fit what the browser let the page see, and ranks their verdicts as causes with evidence, fixes
//! and `curl` commands. Pure: `src/probe` does the sending.
//!
//! - [`probes`]: which requests to send (two phases at most; only the user's own is not a GET).
//! - [`hypotheses`]: the server behaviours weighed; [`fit`]: which of them the probes fit (with
//!   `timing` as a tie-breaker); `rank`: the causes, with `evidence` sentences.
//! - [`causes`]: one home per cause (summary, fix, how to settle it, picture, who fixes it);
//!   `explain`: the exact headers; `curl`: commands that show the server's real answers;
//!   [`sequence`]: the steps of the picture.

pub mod causes;
mod curl;
mod evidence;
mod explain;
mod fit;
mod hypotheses;
pub mod probes;
mod rank;
pub mod sequence;
mod timing;

pub use fit::{fit, Fit, Fitted, Table};
pub use hypotheses::{hypotheses, Hypothesis};
pub use rank::Draft;
pub use timing::MIN_TRUSTED_RTT_MS;

use super::form::{FormInput, FormProblem, ParsedForm};
use super::mask::{mask_headers, mask_url, scrub, secrets_in, secrets_in_text};
use super::observation::{BrowserReport, Observation, Outcome};
use super::plan::{self, ProbeMode, ProbeSpec};
use super::report::{CauseReport, ProbeRecord, Report, RequestSummary, Source};
use crate::engine::fetch::{
    check_request, cors_unsafe_header_names, needs_preflight, Code, CredentialsMode, Finding,
    Request,
};

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

impl CheckContext {
    /// The user's request as the engine models it, sent from `origin`.
    fn request_from(&self, origin: &str) -> Request {
        let form = &self.form;
        Request {
            headers: form.headers.clone(),
            credentials: if form.credentials {
                CredentialsMode::Include
            } else {
                CredentialsMode::Omit
            },
            body: form.body.clone(),
            ..Request::new(origin, &form.url, &form.method)
        }
    }

    /// The request as the probes send it, from this page.
    pub fn page_request(&self) -> Request {
        self.request_from(&self.page_origin)
    }

    /// The request as the user's app sends it: fixes and curl commands use this one.
    pub fn app_request(&self) -> Request {
        self.request_from(&self.form.app_origin)
    }

    /// Lower-case names of the headers that make the request need a preflight.
    pub fn unsafe_header_names(&self) -> Vec<String> {
        cors_unsafe_header_names(&self.page_request())
    }

    pub fn preflighted(&self) -> bool {
        needs_preflight(&self.page_request())
    }

    pub fn same_origin(&self) -> bool {
        check_request(&self.page_request())
            .iter()
            .any(|f| f.code == Code::OkSameOrigin)
    }

    /// Findings that stop the request before anything is sent.
    pub fn blocking_findings(&self) -> Vec<Finding> {
        check_request(&self.page_request())
            .into_iter()
            .filter(|f| {
                f.code.family() == "input"
                    || f.code == Code::NetworkMixedContent
                    || f.params.get("secure_context").is_some_and(|s| s == "false")
            })
            .collect()
    }
}

/// The probes to send next, given what the earlier phases saw; empty when done.
///
/// Each phase goes out in parallel, so it takes about as long as its slowest request. There are
/// at most two phases, and the second is a single request sent only when the first cannot tell
/// a refused header from a broken preflight.
pub fn next_probes(context: &CheckContext, done: &[ProbeRun]) -> Vec<ProbeSpec> {
    if !context.blocking_findings().is_empty() {
        return Vec::new();
    }
    if done.is_empty() {
        return probes::first_phase(context);
    }
    let sent_control = done.iter().any(|r| r.spec.name == plan::CONTROL);
    if sent_control {
        return Vec::new();
    }
    probes::second_phase(context, done)
}

/// Builds the report from every probe run and the browser's own reports.
pub fn report(
    context: &CheckContext,
    runs: &[ProbeRun],
    browser_reports: &[BrowserReport],
) -> Report {
    report_with(context, runs, browser_reports, None)
}

/// [`report`] with the hypotheses already simulated for this request (the closed loop reuses
/// one [`Table`] for many server behaviours).
pub fn report_with(
    context: &CheckContext,
    runs: &[ProbeRun],
    browser_reports: &[BrowserReport],
    table: Option<&Table>,
) -> Report {
    let blocking = context.blocking_findings();
    let drafts = if blocking.is_empty() {
        rank::causes(context, runs, browser_reports, table)
    } else {
        blocking.iter().map(draft_from_finding).collect()
    };
    let reachable = reachable(runs);
    let probes: Vec<ProbeRecord> = runs.iter().map(|r| probe_record(r, reachable)).collect();
    let top = drafts.first().map(|d| d.code);
    let causes: Vec<CauseReport> = drafts
        .into_iter()
        .map(|d| cause_report(context, d))
        .collect();
    let form = &context.form;
    let response = runs
        .iter()
        .find(|r| r.spec.name == plan::ACTUAL)
        .and_then(|r| r.observation.response.clone());
    let report = Report {
        source: Source::Check,
        recognised: None,
        har: Vec::new(),
        page_origin: context.page_origin.clone(),
        checked_from: None,
        app_origin: form.app_origin.clone(),
        extra_origins: form.extra_origins.clone(),
        request: request_summary(form),
        sequence: sequence::steps(context, top),
        curl: if blocking.is_empty() {
            curl::commands(context)
        } else {
            Vec::new()
        },
        causes,
        probes,
        response,
        browser_reports: browser_reports.to_vec(),
    };
    without_secrets(report, form)
}

/// The report for probes the app snippet ran in the user's own app tab (`context.page_origin`
/// is the app's origin): the check's own diagnosis, marked with where it ran. A request the app
/// page's Content-Security-Policy refused (`csp`: the violated directive and URL) is that, not a
/// CORS failure; `framed` says the snippet ran inside a frame (whose origin the requests carry).
pub fn app_report(
    context: &CheckContext,
    runs: &[ProbeRun],
    csp: Option<&str>,
    framed: bool,
) -> Report {
    let mut report = report(context, runs, &[]);
    report.source = Source::App;
    report.checked_from = Some(context.page_origin.clone());
    if let Some(violation) = csp {
        let directive = violation.split(' ').next().unwrap_or("connect-src");
        let draft = Draft {
            code: Code::NetworkContentSecurityPolicy,
            confidence: 1.0,
            params: [("directive".to_string(), directive.to_string())]
                .into_iter()
                .collect(),
            summary: None,
            evidence: vec![format!(
                "While the snippet ran, your app's page reported a Content-Security-Policy violation: `{violation}`."
            )],
            alternatives: Vec::new(),
        };
        report.causes = cause_reports(context, vec![draft]);
        report.sequence = sequence::steps(context, Some(Code::NetworkContentSecurityPolicy));
        report.curl = Vec::new();
    }
    if framed {
        if let Some(top) = report.causes.first_mut() {
            top.evidence.push(format!(
                "The snippet ran inside a frame: the requests carried the frame's origin ({}), which may not be your app's.",
                context.page_origin
            ));
        }
    }
    without_secrets(report, &context.form)
}

/// The report with no secret of `form` left in any of its strings: the named fields are masked
/// already ([`request_summary`], the curl commands); this catches free text that quotes one.
fn without_secrets(report: Report, form: &ParsedForm) -> Report {
    scrub(report, &secrets_in(&form.url, &form.headers))
}

/// The report for evidence the user pasted (the server view): `drafts` are its causes, ranked;
/// no probes were sent. The sequence picture, fixes and curl commands are the check's own.
pub fn evidence_report(context: &CheckContext, drafts: Vec<Draft>, source: Source) -> Report {
    evidence_report_with(context, cause_reports(context, drafts), source)
}

/// Each draft as a report's cause (fix, fix headers and summary for `context`'s request).
pub fn cause_reports(context: &CheckContext, drafts: Vec<Draft>) -> Vec<CauseReport> {
    drafts
        .into_iter()
        .map(|d| cause_report(context, d))
        .collect()
}

/// [`evidence_report`] with causes already built, each maybe for another request (a HAR's
/// groups); the picture and curl commands are `context`'s.
pub fn evidence_report_with(
    context: &CheckContext,
    causes: Vec<CauseReport>,
    source: Source,
) -> Report {
    let top = causes.first().map(|c| c.code);
    let form = &context.form;
    let report = Report {
        source,
        recognised: None,
        har: Vec::new(),
        page_origin: context.page_origin.clone(),
        checked_from: None,
        app_origin: form.app_origin.clone(),
        extra_origins: form.extra_origins.clone(),
        request: request_summary(form),
        probes: Vec::new(),
        causes,
        response: None,
        curl: curl::commands(context),
        sequence: sequence::steps(context, top),
        browser_reports: Vec::new(),
    };
    without_secrets(report, form)
}

/// The user's request as the report lists it, secret values masked.
fn request_summary(form: &ParsedForm) -> RequestSummary {
    RequestSummary {
        url: mask_url(&form.url),
        method: form.method.clone(),
        headers: mask_headers(&form.headers),
        credentials: if form.credentials { "include" } else { "omit" }.into(),
        body_bytes: form.body.as_ref().map_or(0, String::len),
    }
}

/// Some HTTP server answered at the URL: the `no-cors` GET resolved, or any probe got a
/// response or a redirect. `None` when nothing says either way.
fn reachable(runs: &[ProbeRun]) -> Option<bool> {
    let answered = runs.iter().any(|r| {
        matches!(
            r.observation.outcome,
            Some(Outcome::Delivered | Outcome::Opaque | Outcome::OpaqueRedirect)
        )
    });
    if answered {
        return Some(true);
    }
    let no_cors = runs
        .iter()
        .find(|r| r.spec.name == plan::REACHABILITY)
        .and_then(|r| r.observation.outcome);
    match no_cors {
        Some(Outcome::Blocked | Outcome::Unreachable) => Some(false),
        _ => None,
    }
}

/// The report for a form that did not parse: its mistakes are the causes, and nothing was sent.
pub fn form_problems_report(
    page_origin: &str,
    input: &FormInput,
    problems: &[FormProblem],
) -> Report {
    let causes = problems
        .iter()
        .map(|p| CauseReport {
            code: p.code,
            confidence: 1.0,
            params: [("field".to_string(), p.field.to_string())]
                .into_iter()
                .collect(),
            summary: p.message.clone(),
            evidence: vec!["Found in the form, before sending anything.".into()],
            fix: "Correct the field marked in the form.".into(),
            fix_headers: None,
            alternatives: Vec::new(),
        })
        .collect::<Vec<_>>();
    let report = Report {
        source: Source::Check,
        recognised: None,
        har: Vec::new(),
        page_origin: page_origin.to_string(),
        checked_from: None,
        app_origin: input.app_origin.clone(),
        extra_origins: Vec::new(),
        request: RequestSummary {
            url: mask_url(input.url.trim()),
            method: input.method.trim().to_string(),
            headers: Vec::new(),
            credentials: if input.credentials { "include" } else { "omit" }.into(),
            body_bytes: input.body.len(),
        },
        probes: Vec::new(),
        sequence: sequence::not_sent(causes.first().map(|c| c.code)),
        causes,
        response: None,
        curl: Vec::new(),
        browser_reports: Vec::new(),
    };
    // A problem's message may quote the line it is about (`Authorization Bearer …`).
    scrub(report, &secrets_in_text(&input.url, &input.headers))
}

fn draft_from_finding(finding: &Finding) -> Draft {
    Draft {
        code: finding.code,
        confidence: 1.0,
        params: finding.params.clone(),
        summary: Some(finding.message.clone()),
        evidence: vec!["Found in the request itself, before sending anything.".into()],
        alternatives: Vec::new(),
    }
}

fn cause_report(context: &CheckContext, draft: Draft) -> CauseReport {
    let about = causes::about(draft.code, context, &draft.params);
    let fix_headers = match about.fixed_by {
        causes::FixedBy::Server => explain::fix_headers_for(context),
        causes::FixedBy::Request | causes::FixedBy::Nobody => None,
    };
    CauseReport {
        fix: about.fix,
        fix_headers,
        code: draft.code,
        confidence: (draft.confidence.clamp(0.0, 1.0) * 100.0).round() / 100.0,
        params: draft.params,
        summary: draft.summary.unwrap_or(about.summary),
        evidence: draft.evidence,
        alternatives: draft.alternatives,
    }
}

/// A rejected fetch is `blocked` when a server answers at the URL, `unreachable` when none does.
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
        status: observation.response.as_ref().map(|r| r.status),
        duration_ms: observation.duration_ms.map(|d| (d * 10.0).round() / 10.0),
        detail: observation.error.clone(),
    }
}
