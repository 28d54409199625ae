//! Timing as evidence: each probe's duration is compared with the round trips a hypothesis
//! predicts for it (a blocked request that took one round trip more than the `no-cors` GET got
//! past its preflight; a `no-cors` GET that took one more followed a redirect). Timing never rules
//! a hypothesis out, it only weighs it down, and only when one round trip is long enough to
//! measure.

use super::ProbeRun;
use crate::engine::check::observation::{Observation, Outcome};
use crate::engine::check::plan::{ACTUAL, CONTROL, REACHABILITY};
use crate::engine::check::predict::Predicted;
use crate::engine::check::report::whole;

/// The clock counts only when the `no-cors` GET takes at least this long: below it, the browser's
/// own overhead (tens of ms on loopback, seen in Chromium 156) drowns the round trips.
pub const MIN_TRUSTED_RTT_MS: f64 = 60.0;

/// Durations of alike probes differ by this much on their own (scheduling, connection set-up).
const NOISE_MS: f64 = 25.0;

/// The weight left to a hypothesis whose round trips disagree with the clock.
const DISAGREES: f64 = 0.05;

/// What the clock says about the user's request.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timing {
    /// The blocked request's duration over the `no-cors` GET's, when both are trustworthy.
    pub ratio: Option<f64>,
    /// One sentence for the report.
    pub note: Option<String>,
}

/// The browser's own Resource Timing duration when it recorded one (it leaves out the page's
/// overhead), else the wall time the probe runner measured.
fn network_ms(observation: &Observation) -> Option<f64> {
    observation
        .timing
        .as_ref()
        .map(|t| t.duration_ms)
        .filter(|d| *d > 0.0)
        .or(observation.duration_ms)
}

fn index(runs: &[ProbeRun], name: &str) -> Option<usize> {
    runs.iter().position(|r| r.spec.name == name)
}

/// Reads the ratio from the user's blocked request and the `no-cors` GET.
pub fn read(runs: &[ProbeRun]) -> Timing {
    let (Some(a), Some(r)) = (index(runs, ACTUAL), index(runs, REACHABILITY)) else {
        return Timing::default();
    };
    let (actual, reach) = (&runs[a].observation, &runs[r].observation);
    if actual.outcome != Some(Outcome::Blocked) || reach.outcome != Some(Outcome::Opaque) {
        return Timing::default();
    }
    let (Some(took), Some(one)) = (network_ms(actual), network_ms(reach)) else {
        return Timing::default();
    };
    if one < MIN_TRUSTED_RTT_MS {
        return Timing {
            ratio: None,
            note: Some(format!(
                "The no-cors GET took only {} ms here, too fast for timing to tell how far your request got.",
                whole(one)
            )),
        };
    }
    Timing {
        ratio: Some(took / one),
        note: Some(format!(
            "Your request failed after {} ms; a no-cors GET of the same URL took {} ms.",
            whole(took),
            whole(one)
        )),
    }
}

/// Probes that share the browser's six connections per host without queueing: the first six
/// of phase 1, and the phase-2 control.
const PARALLEL: usize = 6;

impl Timing {
    /// 1 when the hypothesis's round trips fit the clock (or the clock says nothing), less when
    /// not. Each trusted probe's duration is fitted to `a + k·u` (k its predicted round trips,
    /// u one round trip, a the overhead every probe pays); the fit must leave every probe within
    /// a third of a round trip or the noise, whichever is more.
    pub fn factor(&self, runs: &[ProbeRun], predicted: &[Predicted]) -> f64 {
        if self.ratio.is_none() {
            return 1.0;
        }
        let points: Vec<(f64, f64)> = runs
            .iter()
            .zip(predicted)
            .enumerate()
            .filter(|(i, (r, _))| *i < PARALLEL || r.spec.name == CONTROL)
            .filter(|(_, (r, _))| {
                matches!(
                    r.observation.outcome,
                    Some(
                        Outcome::Blocked
                            | Outcome::Delivered
                            | Outcome::Opaque
                            | Outcome::OpaqueRedirect
                    )
                )
            })
            .filter_map(|(_, (r, p))| Some((f64::from(p.round_trips), network_ms(&r.observation)?)))
            .filter(|(k, _)| *k > 0.0)
            .collect();
        if fits(&points) {
            1.0
        } else {
            DISAGREES
        }
    }
}

/// Whether durations `d` fit `a + k·u` for round trips `k`.
fn fits(points: &[(f64, f64)]) -> bool {
    let n = points.len() as f64;
    if points.len() < 2 {
        return true;
    }
    let mean_k = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_d = points.iter().map(|p| p.1).sum::<f64>() / n;
    let var_k = points.iter().map(|p| (p.0 - mean_k).powi(2)).sum::<f64>();
    let (min_d, max_d) = points
        .iter()
        .fold((f64::MAX, 0.0f64), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)));
    if var_k == 0.0 {
        // Every probe takes as many round trips: their durations must be alike.
        return max_d - min_d <= NOISE_MS + min_d * SPREAD;
    }
    let u = points
        .iter()
        .map(|p| (p.0 - mean_k) * (p.1 - mean_d))
        .sum::<f64>()
        / var_k;
    let a = mean_d - u * mean_k;
    if u < NOISE_MS || a < -u / 3.0 {
        return false;
    }
    let tolerance = (u / 3.0).max(NOISE_MS);
    points
        .iter()
        .all(|(k, d)| (d - (a + k * u)).abs() <= tolerance)
}

/// How much longer than the quickest an alike probe may take, beyond [`NOISE_MS`].
const SPREAD: f64 = 0.3;
