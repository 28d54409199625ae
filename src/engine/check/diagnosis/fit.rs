//! Which server behaviours fit what the probes saw: every [hypothesis](super::hypotheses) is run
//! through the simulator for every probe that was sent, the ones whose predictions match the
//! observations are kept, and their verdicts for the user's request (the simulator's, by the
//! Fetch Standard) are the causes, weighted by prior. Causes the probes cannot tell apart come
//! out side by side, ranked, never hidden in prose.

use std::collections::BTreeMap;

use super::hypotheses::{hypotheses, Hypothesis};
use super::timing::{self, Timing};
use super::{CheckContext, ProbeRun};
use crate::engine::check::observation::{BrowserReport, Outcome};
use crate::engine::check::predict::{predict, Predicted};
use crate::engine::fetch::{simulate, AllowOriginDetail, Code, Verdict};

/// A ranked cause before it is explained.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub code: Code,
    /// The parameters that tell causes of one code apart (`header`, `method`).
    pub params: BTreeMap<String, String>,
    /// Share of the fitting behaviours' weight, 0 to 1.
    pub weight: f64,
}

/// The outcome of fitting.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub causes: Vec<Fitted>,
    /// Behaviours weighed, and how many fit.
    pub considered: usize,
    pub fitting: usize,
    /// Probes the best-fitting behaviours still predict wrongly (0 when some fit exactly).
    pub mismatches: usize,
    pub timing: Timing,
}

/// Probes whose outcome says something about the server (not cancelled, not skipped).
fn informative(run: &ProbeRun) -> Option<Outcome> {
    match run.observation.outcome? {
        Outcome::NotSent | Outcome::Unreachable => None,
        other => Some(other),
    }
}

fn mismatches(runs: &[ProbeRun], predicted: &[Predicted], reports: &[BrowserReport]) -> usize {
    let mut n = 0;
    for (run, p) in runs.iter().zip(predicted) {
        if informative(run).is_some_and(|o| o != p.outcome) {
            n += 1;
        }
    }
    // Chromium's Authorization deprecation report appears exactly when the model says so.
    let seen = |id: &str| reports.iter().any(|r| r.id == id);
    let said: Vec<&str> = predicted
        .iter()
        .flat_map(|p| p.reports.iter().copied())
        .collect();
    if said.iter().any(|id| !seen(id)) {
        n += 1;
    }
    n
}

/// Fits the hypotheses to what the probes saw.
pub fn fit(context: &CheckContext, runs: &[ProbeRun], reports: &[BrowserReport]) -> Fit {
    let all = hypotheses(context);
    let request = context.page_request();
    let timing = timing::read(runs);
    let mut scored: Vec<(usize, f64, &Hypothesis, Verdict)> = Vec::with_capacity(all.len());
    for h in &all {
        let predicted: Vec<Predicted> = runs
            .iter()
            .map(|r| predict(&context.page_origin, &r.spec, &h.behaviour))
            .collect();
        let m = mismatches(runs, &predicted, reports);
        let factor = timing.factor(runs, &predicted);
        let verdict = simulate(&request, &h.behaviour).verdict;
        scored.push((m, h.prior * factor, h, verdict));
    }
    let best = scored.iter().map(|s| s.0).min().unwrap_or(0);
    let mut groups: Vec<Fitted> = Vec::new();
    let mut fitting = 0;
    for (m, weight, _, verdict) in &scored {
        if *m != best {
            continue;
        }
        fitting += 1;
        let Some(finding) = verdict.finding() else {
            continue;
        };
        let mut params = BTreeMap::new();
        for key in ["header", "method"] {
            if let Some(v) = finding.param(key) {
                params.insert(key.to_string(), v.to_string());
            }
        }
        let code = finding.code;
        match groups
            .iter_mut()
            .find(|g| g.code == code && g.params == params)
        {
            Some(g) => g.weight += weight,
            None => groups.push(Fitted {
                code,
                params,
                weight: *weight,
            }),
        }
    }
    let mut causes = merge_details(groups);
    let total: f64 = causes.iter().map(|c| c.weight).sum();
    if total > 0.0 {
        for c in &mut causes {
            c.weight /= total;
        }
    }
    causes.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    Fit {
        causes,
        considered: all.len(),
        fitting,
        mismatches: best,
        timing,
    }
}

/// Allow-Origin details the page cannot tell apart (missing, another origin, several values)
/// become one less certain cause: `preflight/allow-origin`, `response/allow-origin`.
fn merge_details(groups: Vec<Fitted>) -> Vec<Fitted> {
    let mut out: Vec<Fitted> = Vec::new();
    for family in [
        Code::PreflightAllowOrigin(AllowOriginDetail::Unknown),
        Code::ResponseAllowOrigin(AllowOriginDetail::Unknown),
    ] {
        let members: Vec<&Fitted> = groups.iter().filter(|g| family.covers(&g.code)).collect();
        let distinct = {
            let mut codes: Vec<Code> = members.iter().map(|g| g.code).collect();
            codes.dedup();
            codes.sort_by_key(|c| c.as_str());
            codes.dedup();
            codes.len()
        };
        if distinct > 1 {
            out.push(Fitted {
                code: family,
                params: BTreeMap::new(),
                weight: members.iter().map(|g| g.weight).sum(),
            });
        } else {
            out.extend(members.into_iter().cloned());
        }
    }
    out.extend(groups.into_iter().filter(|g| {
        !matches!(
            g.code,
            Code::PreflightAllowOrigin(_) | Code::ResponseAllowOrigin(_)
        )
    }));
    out
}
