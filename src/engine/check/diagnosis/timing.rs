//! Timing as evidence: durations of probes that ran side by side are compared with the round
//! trips a hypothesis predicts for them (a blocked request that took one round trip more than the
//! `no-cors` GET got past its preflight; a `no-cors` GET that took one more than the plain GET
//! followed a redirect). Timing never rules a hypothesis out, it only weighs it down, and only
//! when one round trip is long enough to measure.

use super::ProbeRun;
use crate::engine::check::observation::{Observation, Outcome};
use crate::engine::check::plan::{ACTUAL, REACHABILITY, SIMPLE};
use crate::engine::check::predict::Predicted;
use crate::engine::check::report::whole;

/// The clock counts only when the `no-cors` GET takes at least this long: below it, the browser's
/// own overhead (tens of ms on loopback, seen in Chromium 156) drowns the round trips.
pub const MIN_TRUSTED_RTT_MS: f64 = 60.0;

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

fn find<'a>(runs: &'a [ProbeRun], name: &str) -> Option<&'a ProbeRun> {
    runs.iter().find(|r| r.spec.name == name)
}

/// Reads the ratio from the user's blocked request and the `no-cors` GET.
pub fn read(runs: &[ProbeRun]) -> Timing {
    let (Some(a), Some(r)) = (find(runs, ACTUAL), find(runs, REACHABILITY)) else {
        return Timing::default();
    };
    let (actual, reach) = (&a.observation, &r.observation);
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

/// The pairs of probes whose durations are compared: the user's request against the `no-cors`
/// GET (did it get past its preflight?), and the `no-cors` GET, which follows redirects, against
/// the plain GET, which does not (does the URL redirect?). Only these run side by side from the
/// first moment, so browser overhead and queueing hit both alike.
const PAIRS: &[(&str, &str)] = &[(ACTUAL, REACHABILITY), (REACHABILITY, SIMPLE)];

/// How far a measured ratio may stray from the predicted one: a factor of √2 either way, the
/// midpoint between one and two round trips.
const TOLERANCE: f64 = std::f64::consts::SQRT_2;

impl Timing {
    /// 1 when the hypothesis's round trips fit the clock (or the clock says nothing), less when
    /// not: for each pair whose durations are both at least [`MIN_TRUSTED_RTT_MS`], the ratio of
    /// the durations must be the ratio of the predicted round trips, within [`TOLERANCE`].
    pub fn factor(&self, runs: &[ProbeRun], predicted: &[Predicted]) -> f64 {
        if self.ratio.is_none() {
            return 1.0;
        }
        let measured = |name: &str| {
            let i = index(runs, name)?;
            let run = runs.get(i)?;
            let answered = matches!(
                run.observation.outcome,
                Some(
                    Outcome::Blocked
                        | Outcome::Delivered
                        | Outcome::Opaque
                        | Outcome::OpaqueRedirect
                )
            );
            let k = predicted.get(i)?.round_trips;
            (answered && k > 0).then_some(())?;
            Some((f64::from(k), network_ms(&run.observation)?))
        };
        for (a, b) in PAIRS {
            let (Some((ka, da)), Some((kb, db))) = (measured(a), measured(b)) else {
                continue;
            };
            // Either duration below the floor is the browser's overhead, not round trips (a
            // loaded machine slows probes unevenly: a blocked request after 38 ms beside a
            // `no-cors` GET after 62 ms, seen in CI), so the pair says nothing.
            if da.min(db) < MIN_TRUSTED_RTT_MS {
                continue;
            }
            let off = (da / db) / (ka / kb);
            if !(1.0 / TOLERANCE..=TOLERANCE).contains(&off) {
                return DISAGREES;
            }
        }
        1.0
    }
}
