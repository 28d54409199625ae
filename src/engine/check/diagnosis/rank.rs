//! From what the probes showed to ranked causes: a delivered, timed-out or refused request says
//! so directly; a blocked one is explained by the server behaviours that fit ([`super::fit`]).

use std::collections::BTreeMap;

use super::causes::about;
use super::fit::Table;
use super::{evidence, CheckContext, ProbeRun};
use crate::engine::check::observation::{BrowserReport, Observation, Outcome};
use crate::engine::check::plan::ACTUAL;
use crate::engine::check::report::seconds;
use crate::engine::fetch::{Code, AUTHORIZATION_WILDCARD_REPORT};

/// A cause before the fix is attached.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub code: Code,
    pub confidence: f64,
    pub params: BTreeMap<String, String>,
    /// A sentence for this very case; `None` uses the cause's own summary.
    pub summary: Option<String>,
    pub evidence: Vec<String>,
    pub alternatives: Vec<String>,
}

impl Draft {
    fn new(code: Code, confidence: f64) -> Draft {
        Draft {
            code,
            confidence,
            params: BTreeMap::new(),
            summary: None,
            evidence: Vec::new(),
            alternatives: Vec::new(),
        }
    }

    fn param(mut self, key: &str, value: impl Into<String>) -> Draft {
        self.params.insert(key.into(), value.into());
        self
    }

    fn summary(mut self, sentence: impl Into<String>) -> Draft {
        self.summary = Some(sentence.into());
        self
    }

    fn because(mut self, sentence: impl Into<String>) -> Draft {
        self.evidence.push(sentence.into());
        self
    }
}

/// The causes, most likely first.
/// `table` is the hypotheses simulated for this request, when the caller already built it.
pub fn causes(
    context: &CheckContext,
    runs: &[ProbeRun],
    reports: &[BrowserReport],
    table: Option<&Table>,
) -> Vec<Draft> {
    let Some(actual) = runs.iter().find(|r| r.spec.name == ACTUAL) else {
        return Vec::new();
    };
    let actual = &actual.observation;
    let mut drafts = match actual.outcome {
        Some(Outcome::Delivered) => delivered(context, actual, reports),
        Some(Outcome::Timeout) => vec![timeout(context, runs)],
        Some(Outcome::Blocked | Outcome::Unreachable) => blocked(context, runs, reports, table),
        Some(Outcome::NotSent) => not_sent(actual),
        _ => Vec::new(),
    };
    if context.same_origin() {
        drafts.insert(
            0,
            Draft::new(Code::OkSameOrigin, 1.0).because(format!(
                "Page origin and URL origin are both {}.",
                context.page_origin
            )),
        );
    }
    // Each branch ranks its own causes (`blocked` puts family prefixes after the most likely
    // cause, whatever their combined weight): no sort here.
    drafts
}

fn delivered(
    context: &CheckContext,
    actual: &Observation,
    reports: &[BrowserReport],
) -> Vec<Draft> {
    let status = actual.response.as_ref().map_or(0, |r| r.status);
    let mut drafts = Vec::new();
    if wildcard_reported(reports) {
        drafts.push(wildcard_draft(0.97, "Delivered here only because Chromium still lets `Access-Control-Allow-Headers: *` cover `Authorization`. The Fetch Standard, Firefox and Safari do not, and Chromium is phasing it out: list Authorization explicitly."));
    }
    let exposed: Vec<&str> = actual
        .response
        .iter()
        .flat_map(|r| r.headers.iter().map(|(n, _)| n.as_str()))
        .collect();
    let missing: Vec<&String> = context
        .form
        .want_headers
        .iter()
        .filter(|w| !exposed.iter().any(|e| e.eq_ignore_ascii_case(w)))
        .collect();
    if let Some(first) = missing.first() {
        let names = missing
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut draft = Draft::new(Code::OkHeaderNotExposed, 0.95)
            .param("header", first.as_str())
            .summary(format!("The response was delivered, but your code cannot read {names}: the server does not expose it."))
            .because(format!("The browser exposed only: {}.", if exposed.is_empty() { "no headers".into() } else { exposed.join(", ") }));
        draft.alternatives.push("If the server does not send the header at all, exposing it will not help: check with the curl command below.".into());
        drafts.push(draft);
    }
    let summary = if status >= 400 {
        format!("CORS is fine: the browser delivered the response. The server answered {status}, which your code can read and handle.")
    } else {
        format!("The browser delivered the response (status {status}); CORS allows this request.")
    };
    drafts.push(
        Draft::new(Code::Ok, if drafts.is_empty() { 1.0 } else { 0.5 })
            .param("status", status.to_string())
            .summary(summary),
    );
    drafts
}

fn timeout(context: &CheckContext, runs: &[ProbeRun]) -> Draft {
    let secs = seconds(f64::from(context.form.timeout_ms));
    let draft = Draft::new(Code::NetworkTimeout, 0.9)
        .param("timeout_ms", context.form.timeout_ms.to_string())
        .summary(format!("No answer within {secs} s: the server accepted the request but never answered, or the network dropped it."));
    let up = runs.iter().any(|r| {
        matches!(
            r.observation.outcome,
            Some(Outcome::Opaque | Outcome::Delivered)
        )
    });
    if up {
        draft.because("Another probe got an answer, so the server is up: your request is slow or stuck in its handler.")
    } else {
        draft.because("The no-cors GET got no answer either.")
    }
}

fn not_sent(actual: &Observation) -> Vec<Draft> {
    let detail = actual.error.clone().unwrap_or_default();
    if detail.starts_with("Cancelled") {
        return Vec::new();
    }
    vec![Draft::new(Code::InputInvalidHeader, 0.8)
        .summary(format!("The browser refused to send the request: {detail}"))]
}

/// The request was blocked: the causes are the verdicts of the behaviours that fit.
fn blocked(
    context: &CheckContext,
    runs: &[ProbeRun],
    reports: &[BrowserReport],
    table: Option<&Table>,
) -> Vec<Draft> {
    let built;
    let table = match table {
        Some(t) => t,
        None => {
            built = Table::build(context);
            &built
        }
    };
    let fitted = table.fit(context, runs, reports);
    let seen = evidence::sentences(runs);
    let exact = fitted.mismatches == 0;
    let mut drafts: Vec<Draft> = fitted
        .causes
        .iter()
        .map(|c| Draft {
            code: c.code,
            confidence: if exact { c.weight } else { c.weight * 0.5 },
            params: c.params.clone(),
            summary: None,
            evidence: Vec::new(),
            alternatives: Vec::new(),
        })
        .collect();
    if drafts.is_empty() {
        let code = if context.preflighted() {
            Code::PreflightAny
        } else {
            Code::ResponseAny
        };
        drafts.push(Draft::new(code, 0.3));
    }
    if context.form.app_origin != context.page_origin {
        for d in &mut drafts {
            // Origin checks made from this page say little about the app's own origin.
            if matches!(
                d.code,
                Code::PreflightAllowOrigin(_)
                    | Code::ResponseAllowOrigin(_)
                    | Code::ResponseCredentials(_)
                    | Code::PreflightCredentials
            ) {
                d.confidence *= 0.6;
            }
        }
    }
    drafts.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    wildcard_authorization(&mut drafts, reports);
    cover_the_rest(&mut drafts);
    let others: Vec<(Code, BTreeMap<String, String>)> =
        drafts.iter().map(|d| (d.code, d.params.clone())).collect();
    if let Some(top) = drafts.first_mut() {
        top.evidence = seen;
        if let Some(note) = &fitted.timing.note {
            top.evidence.push(note.clone());
        }
        top.evidence.push(if exact {
            format!(
                "Of {} server set-ups the simulator weighed, {} fit every probe; this is the most likely verdict among them.",
                fitted.considered, fitted.fitting
            )
        } else {
            format!(
                "No server set-up the simulator weighed fits every probe ({} disagree at best): the ranking is a best guess.",
                fitted.mismatches
            )
        });
        for (code, params) in others.iter().skip(1) {
            let settle = about(*code, context, params).settle;
            top.alternatives.push(if settle.is_empty() {
                format!("{code} fits what the probes saw too.")
            } else {
                format!("{code} fits what the probes saw too: {settle}.")
            });
        }
    }
    if context.form.app_origin != context.page_origin {
        if let Some(top) = drafts.first_mut() {
            top.alternatives.insert(
                0,
                format!(
                    "These probes ran from {}; your app runs on {}. A server that allows only {} fails here but may work for your app: the curl commands below use your app's origin.",
                    context.page_origin, context.form.app_origin, context.form.app_origin
                ),
            );
        }
    }
    drafts
}

/// Chromium said the preflight relied on `Access-Control-Allow-Headers: *` for `Authorization`
/// (its `AuthorizationCoveredByWildcard` report), yet the request failed for another reason:
/// that second mistake is certain, and the Fetch Standard (Firefox, Safari) fails the request
/// on it first. It takes second place.
fn wildcard_authorization(drafts: &mut Vec<Draft>, reports: &[BrowserReport]) {
    if !wildcard_reported(reports) {
        return;
    }
    let ranked = drafts
        .iter()
        .position(|d| d.code == Code::PreflightAuthorizationWildcard);
    if ranked.is_some_and(|i| i <= 1) {
        return;
    }
    let draft = match ranked {
        Some(i) => drafts.remove(i),
        None => wildcard_draft(
            drafts.first().map_or(0.5, |d| d.confidence),
            "The preflight lets `Authorization` through only because Chromium still counts `Access-Control-Allow-Headers: *` for it; the Fetch Standard, Firefox and Safari do not: list Authorization explicitly.",
        ),
    };
    let at = drafts.len().min(1);
    drafts.insert(at, draft);
}

/// Whether Chromium raised its `AuthorizationCoveredByWildcard` report for the request.
fn wildcard_reported(reports: &[BrowserReport]) -> bool {
    reports
        .iter()
        .any(|r| r.id == AUTHORIZATION_WILDCARD_REPORT)
}

/// `preflight/authorization-wildcard`, on the evidence of Chromium's report.
fn wildcard_draft(confidence: f64, summary: &str) -> Draft {
    Draft::new(Code::PreflightAuthorizationWildcard, confidence)
        .param("header", "authorization")
        .summary(summary)
        .because("Chromium raised its `AuthorizationCoveredByWildcard` deprecation report for this request.")
}

/// The first three places name every cause that fits. When more than three fit, the most likely
/// keep their places (two if they can, else one) and the causes below them are covered by their
/// families' prefixes (the preflight, the response), most likely family first: the probes cannot
/// tell those apart, and the step that settles them is the same `curl`. The covered causes stay
/// listed below.
fn cover_the_rest(drafts: &mut Vec<Draft>) {
    const PLACES: usize = 3;
    if drafts.len() <= PLACES {
        return;
    }
    for shown in (1..PLACES).rev() {
        let Some(families) = drafts.get(shown..).and_then(families_of) else {
            continue;
        };
        if shown + families.len() > PLACES {
            continue;
        }
        let mut placed: Vec<Draft> = Vec::new();
        for family in families {
            let members: Vec<usize> = (shown..drafts.len())
                .filter(|&i| drafts.get(i).is_some_and(|d| family.covers(&d.code)))
                .collect();
            match members.as_slice() {
                // A family of one keeps its own name.
                [only] => placed.push(drafts.remove(*only)),
                _ => {
                    let covered: Vec<&Draft> =
                        members.iter().filter_map(|&i| drafts.get(i)).collect();
                    placed.push(family_draft(family, &covered));
                }
            }
        }
        placed.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
        for (offset, draft) in placed.into_iter().enumerate() {
            drafts.insert(shown + offset, draft);
        }
        return;
    }
}

/// The family prefixes that cover `rest`, or `None` when one of them has no prefix.
fn families_of(rest: &[Draft]) -> Option<Vec<Code>> {
    let mut families = Vec::new();
    for draft in rest {
        let family = match draft.code.family() {
            "preflight" => Code::PreflightAny,
            "response" => Code::ResponseAny,
            _ => return None,
        };
        if !families.contains(&family) {
            families.push(family);
        }
    }
    Some(families)
}

/// One place for the causes of one family the probes cannot tell apart.
fn family_draft(family: Code, members: &[&Draft]) -> Draft {
    let mut names: Vec<String> = Vec::new();
    for draft in members {
        let name = format!("`{}`", draft.code);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let confidence = members.iter().map(|d| d.confidence).sum();
    let what = match family {
        Code::PreflightAny => "the preflight (OPTIONS)",
        _ => "the response to your request",
    };
    let summary = match names.as_slice() {
        [one] => format!("Or {what} fails another way: {one}."),
        _ => format!(
            "Or {what} fails another way; the probes cannot say which of {}.",
            names.join(", ")
        ),
    };
    Draft::new(family, confidence).summary(summary)
}
