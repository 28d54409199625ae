//! Evidence → report: the server's recorded answers are replayed through the simulator (the same
//! one the in-browser diagnosis inverts), so a verdict from evidence is exact; console text names
//! the cause itself, and says which causes it leaves open.

use std::collections::{BTreeMap, HashMap};

use super::console::{ConsoleMessage, Severity};
use super::har::HarRequest;
use crate::engine::check::diagnosis::{
    cause_reports, evidence_report, evidence_report_with, CheckContext, Draft,
};
use crate::engine::check::form::{
    first_app_origin, parse_header_lines, FormInput, ParsedForm, DEFAULT_TIMEOUT_SECS,
};
use crate::engine::check::mask::mask_headers;
use crate::engine::check::report::{HarEntry, Report, Source};
use crate::engine::fetch::{
    needs_preflight, simulate, AllowOriginDetail, Code, CredentialsMode, Request, ServerAnswers,
    Trace, Verdict,
};

/// The check's context for a request read from evidence, secrets masked (everything built from
/// it, the report, fixes and curl commands, leaves the page).
pub fn context_for(request: &Request) -> CheckContext {
    CheckContext {
        page_origin: request.page_origin.clone(),
        form: ParsedForm {
            url: request.url.clone(),
            method: request.method.clone(),
            headers: mask_headers(&request.headers),
            body: request.body.clone(),
            credentials: request.credentials == CredentialsMode::Include,
            allow_method_probe: false,
            want_headers: Vec::new(),
            app_origin: request.page_origin.clone(),
            extra_origins: Vec::new(),
            timeout_ms: DEFAULT_TIMEOUT_SECS * 1000,
        },
    }
}

/// The form that repeats `request` (secrets unmasked: the form never leaves the page).
pub fn form_for(request: &Request) -> FormInput {
    FormInput {
        url: request.url.clone(),
        method: request.method.clone(),
        headers: request
            .headers
            .iter()
            .map(|(n, v)| format!("{n}: {v}"))
            .collect::<Vec<_>>()
            .join("\n"),
        body: request.body.clone().unwrap_or_default(),
        credentials: request.credentials == CredentialsMode::Include,
        app_origin: request.page_origin.clone(),
        ..FormInput::default()
    }
}

/// The request a form describes, sent from `origin` (the form's app origin when it has one).
pub fn request_for(form: &FormInput, origin: &str) -> Request {
    let app = first_app_origin(&form.app_origin).trim_end_matches('/');
    let origin = if app.is_empty() { origin } else { app };
    // Lenient: lines the form would flag are left out (evidence is judged, not the form).
    let headers = parse_header_lines(&form.headers, &mut Vec::new());
    let method = match form.method.trim() {
        "" => "GET",
        m => m,
    };
    Request {
        headers,
        credentials: if form.credentials {
            CredentialsMode::Include
        } else {
            CredentialsMode::Omit
        },
        body: (!form.body.is_empty()).then(|| form.body.clone()),
        ..Request::new(origin, form.url.trim(), method)
    }
}

/// The simulator's verdict on `request` against the recorded `answers` as a cause: exact, so
/// certain unless `notes` say what was assumed, with every step the browser took as its evidence.
pub fn trace_draft(trace: &Trace, notes: &[String]) -> Draft {
    let mut evidence: Vec<String> = notes.to_vec();
    evidence.extend(
        trace
            .steps
            .iter()
            .map(|s| format!("{} {}", if s.passed { "✓" } else { "✗" }, s.text())),
    );
    let (code, params, summary) = match &trace.verdict {
        Verdict::Delivered { status, .. } => (
            Code::Ok,
            BTreeMap::from([("status".to_string(), status.to_string())]),
            None,
        ),
        Verdict::NoAnswer => (Code::NetworkTimeout, BTreeMap::new(), None),
        Verdict::Blocked(f) | Verdict::NotSent(f) => {
            (f.code, f.params.clone(), Some(f.message.clone()))
        }
    };
    let confidence = if notes.is_empty() { 1.0 } else { 0.9 };
    Draft {
        code,
        confidence,
        params,
        summary,
        evidence,
        alternatives: Vec::new(),
    }
}

/// The report for one request replayed against recorded answers (`curl` output).
pub fn replay_report(request: &Request, answers: &ServerAnswers, notes: &[String]) -> Report {
    let trace = simulate(request, answers);
    let context = context_for(request);
    evidence_report(&context, vec![trace_draft(&trace, notes)], Source::Curl)
}

/// Whether `request` needs a preflight that `answers` do not show.
pub fn preflight_missing(request: &Request, answers: &ServerAnswers) -> bool {
    needs_preflight(request)
        && answers
            .hops
            .first()
            .is_some_and(|hop| hop.preflight.is_none())
}

// ---------------------------------------------------------------------------------------------
// Console text

/// The request the console names, filled into `form`: URL (the one the script asked for),
/// method and app origin; the form's headers and body stay when it is about the same URL.
pub fn console_form(message: &ConsoleMessage, form: &FormInput) -> FormInput {
    let url = message
        .redirected_from
        .clone()
        .or_else(|| message.url.clone())
        .unwrap_or_else(|| form.url.clone());
    let same = url.trim() == form.url.trim();
    let base = if same {
        form.clone()
    } else {
        FormInput::default()
    };
    FormInput {
        method: message.method.clone().unwrap_or(base.method.clone()),
        app_origin: message.origin.clone().unwrap_or(base.app_origin.clone()),
        url,
        ..base
    }
}

/// The first failure in the paste (the one the report is about).
pub fn primary(messages: &[ConsoleMessage]) -> Option<&ConsoleMessage> {
    messages
        .iter()
        .find(|m| m.severity == Severity::Error && m.finding.is_some())
        .or_else(|| messages.iter().find(|m| m.severity == Severity::Error))
        .or_else(|| messages.first())
}

/// The causes a console message names, ranked. Exact when the text settles it; when it does
/// not (a missing `Access-Control-Allow-Origin` on the actual response: a CORS set-up missing
/// here, or an error response that skips it), both, with what tells them apart.
pub fn console_drafts(message: &ConsoleMessage, context: &CheckContext) -> Vec<Draft> {
    let Some(finding) = &message.finding else {
        return vec![Draft {
            code: if message.preflight {
                Code::PreflightAny
            } else {
                Code::ResponseAny
            },
            confidence: 0.5,
            params: BTreeMap::new(),
            summary: None,
            evidence: vec![format!(
                "The console says: “{}”, without a reason CORS Doctor can read.",
                message.text
            )],
            alternatives: Vec::new(),
        }];
    };
    let said = format!("The console says: “{}”", message.text);
    let mut params = finding.params.clone();
    if let Some(status) = message.status {
        params.insert("status".into(), status.to_string());
    }
    let exact = Draft {
        code: finding.code,
        confidence: 1.0,
        params: params.clone(),
        summary: None,
        evidence: vec![said.clone()],
        alternatives: Vec::new(),
    };
    let open = matches!(
        finding.code,
        Code::ResponseAllowOrigin(AllowOriginDetail::Missing | AllowOriginDetail::Unknown)
    ) && !message.preflight;
    if !open {
        return vec![exact];
    }
    hidden_or_missing(message, context, exact, &said)
}

/// A missing `Access-Control-Allow-Origin` on the actual response: settled by the status when
/// the text has one (below 400 the CORS set-up is missing; an error after a preflight that passed
/// is a hidden server error), ranked otherwise.
fn hidden_or_missing(
    message: &ConsoleMessage,
    context: &CheckContext,
    exact: Draft,
    said: &str,
) -> Vec<Draft> {
    let preflighted = context.preflighted();
    let mut hidden = Draft {
        code: Code::ResponseHiddenServerError,
        confidence: 0.5,
        params: exact.params.clone(),
        summary: None,
        evidence: vec![said.to_string()],
        alternatives: Vec::new(),
    };
    let mut missing = exact;
    match message.status {
        Some(status) if status < 400 => {
            missing.evidence.push(format!(
                "The server answered {status}, a success, without Access-Control-Allow-Origin: its CORS set-up does not cover this response."
            ));
            vec![missing]
        }
        Some(status) if preflighted => {
            hidden.confidence = 1.0;
            hidden.evidence.push(format!(
                "The server answered {status} and the preflight passed (the console names no preflight failure): the error response skips the CORS headers, so the browser hides the {status}."
            ));
            vec![hidden]
        }
        Some(status) => {
            hidden.confidence = 0.7;
            missing.confidence = 0.3;
            hidden.evidence.push(format!(
                "The server answered {status}, an error, without CORS headers: either its error responses skip the CORS set-up, or it has none."
            ));
            let settle = "A successful request to the same server (the curl command below, or a GET that works) shows whether it sends CORS headers at all.".to_string();
            hidden.alternatives.push(settle.clone());
            missing.alternatives.push(settle);
            vec![hidden, missing]
        }
        None => {
            let note = "The console does not show the response's status: an error status means a hidden server error, a success means no CORS set-up. Chromium's line `<METHOD> <URL> net::ERR_FAILED <status>`, or the curl command below, shows it; the form is filled in, so Check runs the in-browser check too.".to_string();
            missing.confidence = if preflighted { 0.4 } else { 0.6 };
            hidden.confidence = 1.0 - missing.confidence;
            missing.alternatives.push(note.clone());
            hidden.alternatives.push(note);
            let mut both = vec![missing, hidden];
            both.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
            both
        }
    }
}

/// The report for pasted console text, about its first failure.
pub fn console_report(messages: &[ConsoleMessage], form: &FormInput, page_origin: &str) -> Report {
    let Some(message) = primary(messages) else {
        let context = context_for(&request_for(form, page_origin));
        return evidence_report(&context, Vec::new(), Source::Console);
    };
    let filled = console_form(message, form);
    let request = request_for(&filled, page_origin);
    let context = context_for(&request);
    let mut drafts = console_drafts(message, &context);
    for other in messages.iter().filter(|m| !std::ptr::eq(*m, message)) {
        if let (Some(first), Some(finding)) = (drafts.first_mut(), &other.finding) {
            first.evidence.push(format!(
                "Also in the paste ({}): {} — {}",
                match other.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                finding.code,
                other.text
            ));
        }
    }
    evidence_report(&context, drafts, Source::Console)
}

// ---------------------------------------------------------------------------------------------
// HAR

/// What makes two HAR verdicts "the same failure": host, cause, failing value.
type GroupKey = (String, Code, String);

/// One judged request of a HAR.
struct Judged<'a> {
    har: &'a HarRequest,
    trace: Trace,
    key: GroupKey,
    /// The HAR lacks an answer the verdict needed (a blocked response logged without headers).
    incomplete: bool,
}

fn host_of(url: &str) -> String {
    crate::engine::fetch::host_is_ascii(url)
        .then(|| url::Url::parse(url).ok())
        .flatten()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| url.to_string())
}

/// A HAR's report: every cross-origin request judged by the simulator; identical failures
/// (same host, cause and failing value) grouped, failures first, largest group first. Also the
/// form for each entry of `report.har`, in order.
pub fn har_report(requests: &[HarRequest], page_origin: &str) -> (Report, Vec<FormInput>) {
    let judged: Vec<Judged<'_>> = requests
        .iter()
        .map(|har| {
            let (trace, recorded) = super::har::replay(har);
            let code = trace.verdict.code();
            let value = trace
                .verdict
                .finding()
                .and_then(|f| f.params.get("value").or_else(|| f.params.get("header")))
                .cloned()
                .unwrap_or_default();
            let key = (host_of(&har.request.url), code, value);
            Judged {
                har,
                trace,
                key,
                incomplete: recorded == super::har::Recorded::Incomplete,
            }
        })
        .collect();
    // Groups in order of first appearance, then failures first and larger groups first.
    let mut groups: Vec<(&GroupKey, Vec<usize>)> = Vec::new();
    let mut index: HashMap<&GroupKey, usize> = HashMap::new();
    for (i, j) in judged.iter().enumerate() {
        match index.get(&j.key).and_then(|&g| groups.get_mut(g)) {
            Some((_, members)) => members.push(i),
            None => {
                index.insert(&j.key, groups.len());
                groups.push((&j.key, vec![i]));
            }
        }
    }
    let passed = |code: Code| code.family() == "ok";
    groups.sort_by(|(ka, a), (kb, b)| passed(ka.1).cmp(&passed(kb.1)).then(b.len().cmp(&a.len())));
    let mut entries = Vec::new();
    let mut forms = Vec::new();
    let mut causes = Vec::new();
    let mut first_context = None;
    for (group, (key, members)) in groups.iter().enumerate() {
        for &i in members {
            let Some(j) = judged.get(i) else { continue };
            let request = &j.har.request;
            entries.push(HarEntry {
                url: request.url.clone(),
                method: request.method.clone(),
                code: j.trace.verdict.code(),
                status: j.har.status,
                page_origin: request.page_origin.clone(),
                header_names: request.headers.iter().map(|(n, _)| n.clone()).collect(),
                summary: if j.incomplete {
                    format!("{} {INCOMPLETE}", verdict_sentence(&j.trace))
                } else {
                    verdict_sentence(&j.trace)
                },
                group,
                group_size: members.len(),
            });
            forms.push(form_for(request));
        }
        let Some(first) = members.first().and_then(|&i| judged.get(i)) else {
            continue;
        };
        // Passing groups get one cause only when nothing failed.
        if passed(key.1) && !causes.is_empty() {
            continue;
        }
        let notes = if first.incomplete {
            vec![INCOMPLETE.to_string()]
        } else {
            Vec::new()
        };
        let mut draft = trace_draft(&first.trace, &notes);
        draft
            .evidence
            .insert(0, group_sentence(key, members.len(), first.har));
        let context = context_for(&first.har.request);
        causes.extend(cause_reports(&context, vec![draft]));
        first_context.get_or_insert(context);
    }
    let context =
        first_context.unwrap_or_else(|| context_for(&Request::new(page_origin, "", "GET")));
    let mut report = evidence_report_with(&context, causes, Source::Har);
    report.har = entries;
    (report, forms)
}

/// "12 requests to api.example.com fail the same way (first: GET …)."
fn group_sentence(key: &GroupKey, n: usize, first: &HarRequest) -> String {
    let what = if key.1.family() == "ok" {
        "pass"
    } else {
        "fail"
    };
    let request = format!("{} {}", first.request.method, first.request.url);
    if n == 1 {
        format!("1 request to {} in the HAR: {request}.", key.0)
    } else {
        format!(
            "{n} requests to {} {what} the same way (first: {request}).",
            key.0
        )
    }
}

/// Said of a verdict the HAR cannot settle.
const INCOMPLETE: &str = "The HAR does not record the blocked response's headers (Chromium logs it as status 0): the curl commands below show them.";

/// The verdict in one sentence.
fn verdict_sentence(trace: &Trace) -> String {
    match &trace.verdict {
        Verdict::Delivered { status, .. } => format!("Delivered to the page (status {status})."),
        Verdict::NoAnswer => "The server never answered.".to_string(),
        Verdict::Blocked(f) | Verdict::NotSent(f) => f.message.clone(),
    }
}
