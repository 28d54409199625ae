//! Which server behaviours fit what the probes saw: every [hypothesis](super::hypotheses) is run
//! through the simulator for every probe that was sent, the ones whose predictions match the
//! observations are kept, and their verdicts for the user's request (the simulator's, by the
//! Fetch Standard) are the causes, weighted by prior. Causes the probes cannot tell apart come
//! out side by side, ranked, never hidden in prose.

use std::collections::BTreeMap;

use super::hypotheses::{hypotheses, Hypothesis};
use super::probes;
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

/// The hypotheses for one request, each simulated once for every probe the plan can send:
/// built once per check, then [`Table::fit`] only compares.
pub struct Table {
    rows: Vec<Row>,
}

struct Row {
    hypothesis: Hypothesis,
    /// The verdict for the user's request, by the Fetch Standard.
    verdict: Verdict,
    /// Predictions keyed by probe name.
    predicted: Vec<(String, Predicted)>,
}

impl Table {
    /// Simulates every hypothesis for every probe of both phases.
    pub fn build(context: &CheckContext) -> Table {
        let request = context.page_request();
        let mut specs = probes::first_phase(context);
        specs.push(probes::control(context));
        let rows = hypotheses(context)
            .into_iter()
            .map(|hypothesis| {
                let verdict = simulate(&request, &hypothesis.behaviour).verdict;
                let predicted = specs
                    .iter()
                    .map(|s| {
                        let p = predict(&context.page_origin, s, &hypothesis.behaviour);
                        (s.name.clone(), p)
                    })
                    .collect();
                Row {
                    hypothesis,
                    verdict,
                    predicted,
                }
            })
            .collect();
        Table { rows }
    }

    /// How many hypotheses the table holds.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Fits the hypotheses to what the probes saw.
    pub fn fit(&self, context: &CheckContext, runs: &[ProbeRun], reports: &[BrowserReport]) -> Fit {
        let timing = timing::read(runs);
        let mut scored: Vec<(usize, f64, &Verdict)> = Vec::with_capacity(self.rows.len());
        for row in &self.rows {
            let predicted: Vec<Predicted> = runs
                .iter()
                .map(
                    |r| match row.predicted.iter().find(|(n, _)| *n == r.spec.name) {
                        Some((_, p)) => p.clone(),
                        _ => predict(&context.page_origin, &r.spec, &row.hypothesis.behaviour),
                    },
                )
                .collect();
            let m = mismatches(runs, &predicted, reports);
            let factor = timing.factor(runs, &predicted);
            scored.push((m, row.hypothesis.prior * factor, &row.verdict));
        }
        rank(scored, self.rows.len(), timing)
    }
}

/// Fits the hypotheses to what the probes saw (building the [`Table`] on the way).
pub fn fit(context: &CheckContext, runs: &[ProbeRun], reports: &[BrowserReport]) -> Fit {
    Table::build(context).fit(context, runs, reports)
}

fn rank(scored: Vec<(usize, f64, &Verdict)>, considered: usize, timing: Timing) -> Fit {
    let best = scored.iter().map(|s| s.0).min().unwrap_or(0);
    let mut groups: Vec<Fitted> = Vec::new();
    let mut fitting = 0;
    for (m, weight, verdict) in &scored {
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
        considered,
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
