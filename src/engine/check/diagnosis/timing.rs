//! Timing as evidence: a blocked request that took as long as the `no-cors` GET stopped after
//! as many round trips; one that took twice as long went one round trip further (the preflight
//! passed, or a redirect was followed). The ratio is compared with each hypothesis's predicted
//! round trips; it never rules a hypothesis out, it only weighs it down.

use super::ProbeRun;
use crate::engine::check::observation::{Observation, Outcome};
use crate::engine::check::plan::{ACTUAL, REACHABILITY};
use crate::engine::check::predict::Predicted;
use crate::engine::check::report::whole;

/// Timing below this many ms per round trip is lost in noise (loopback, a fast LAN).
pub const MIN_TRUSTED_RTT_MS: f64 = 20.0;

/// How far a measured ratio may stray from the predicted one (a factor of √2 either way: the
/// midpoint between one and two round trips).
const TOLERANCE: f64 = std::f64::consts::SQRT_2;

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

impl Timing {
    /// 1 when the hypothesis's round trips fit the clock (or the clock says nothing), less when not.
    pub fn factor(&self, runs: &[ProbeRun], predicted: &[Predicted]) -> f64 {
        let Some(ratio) = self.ratio else {
            return 1.0;
        };
        let (Some(a), Some(r)) = (index(runs, ACTUAL), index(runs, REACHABILITY)) else {
            return 1.0;
        };
        let (Some(pa), Some(pr)) = (predicted.get(a), predicted.get(r)) else {
            return 1.0;
        };
        if pa.round_trips == 0 || pr.round_trips == 0 {
            return 1.0;
        }
        let expected = f64::from(pa.round_trips) / f64::from(pr.round_trips);
        let off = ratio / expected;
        if (1.0 / TOLERANCE..=TOLERANCE).contains(&off) {
            1.0
        } else {
            DISAGREES
        }
    }
}
