//! What the probes showed, digested into the facts the reasoning needs.

use super::{CheckContext, ProbeRun};
use crate::engine::check::observation::Observation;
use crate::engine::check::observation::Outcome;
use crate::engine::check::plan::{
    ACTUAL, CONTROL, HEADERS, HEADER_PREFIX, METHOD_ALONE, REACHABILITY, SIMPLE, SIMPLE_CREDENTIALS,
};
use crate::engine::check::report::whole;

/// Did a CORS probe get through? `None` when it says nothing either way (timeout, not sent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    Yes,
    No,
}

/// Timing below this many ms per round trip is lost in noise (loopback, a fast LAN).
const MIN_TRUSTED_RTT_MS: f64 = 20.0;

#[derive(Debug, Default)]
pub struct Seen<'a> {
    pub actual: Option<&'a Observation>,
    /// Some HTTP server answered at this URL (`no-cors` resolved, or a redirect was seen).
    pub reachable: Option<bool>,
    /// The `no-cors` GET itself resolved.
    pub no_cors: Option<bool>,
    pub redirects: Option<bool>,
    /// A plain GET without credentials (the user's own request when that is what it is).
    pub simple: Option<Pass>,
    pub simple_credentials: Option<Pass>,
    /// GET with all the user's headers: the user's preflight, minus the method.
    pub headers: Option<Pass>,
    /// GET with one header each.
    pub per_header: Vec<(String, Pass)>,
    pub control: Option<Pass>,
    /// The user's method alone (opt-in).
    pub method_alone: Option<Pass>,
    /// How many round trips the blocked request took, when timing can tell (1 or 2).
    pub round_trips: Option<u8>,
    /// Sentences describing the timing evidence.
    pub timing_note: Option<String>,
}

pub fn digest<'a>(context: &CheckContext, runs: &'a [ProbeRun]) -> Seen<'a> {
    let find = |name: &str| {
        runs.iter()
            .find(|r| r.spec.name == name)
            .map(|r| &r.observation)
    };
    let pass = |name: &str| find(name).and_then(pass_of);
    let actual = find(ACTUAL);
    let reachability = find(REACHABILITY).and_then(|o| o.outcome);
    // The plain GET does not follow redirects: it doubles as the redirect probe.
    let redirect = find(SIMPLE).and_then(|o| o.outcome);
    let redirects = match redirect {
        Some(Outcome::OpaqueRedirect) => Some(true),
        Some(Outcome::Delivered | Outcome::Blocked) => Some(false),
        _ => None,
    };
    let any_delivered = runs
        .iter()
        .any(|r| r.observation.outcome == Some(Outcome::Delivered));
    let no_cors = match reachability {
        Some(Outcome::Opaque | Outcome::Delivered) => Some(true),
        Some(Outcome::Blocked | Outcome::Unreachable) => Some(false),
        _ => None,
    };
    let reachable = if redirects == Some(true) || any_delivered {
        Some(true)
    } else {
        no_cors
    };
    let unsafe_names = context.unsafe_header_names();
    let is_get = context.form.method.eq_ignore_ascii_case("GET") && context.form.body.is_none();
    let actual_pass = actual.and_then(pass_of);
    let simple_credentials = pass(SIMPLE_CREDENTIALS).or(if is_get && unsafe_names.is_empty() {
        actual_pass
    } else {
        None
    });
    let mut per_header: Vec<(String, Pass)> = runs
        .iter()
        .filter_map(|r| {
            let name = r.spec.name.strip_prefix(HEADER_PREFIX)?;
            Some((name.to_string(), pass_of(&r.observation)?))
        })
        .collect();
    // With several headers, "all headers" is what each one alone says: any refusal refuses all.
    let headers = pass(HEADERS).or(if per_header.is_empty() {
        None
    } else if per_header.iter().any(|(_, p)| *p == Pass::No) {
        Some(Pass::No)
    } else {
        Some(Pass::Yes)
    });
    let headers = headers.or(if is_get { actual_pass } else { None });
    if per_header.is_empty() && unsafe_names.len() == 1 {
        if let (Some(name), Some(p)) = (unsafe_names.first(), headers) {
            per_header.push((name.clone(), p));
        }
    }
    let (round_trips, timing_note) = round_trips(actual, find(REACHABILITY), find(HEADERS));
    Seen {
        actual,
        reachable,
        no_cors,
        redirects,
        simple: pass(SIMPLE),
        simple_credentials,
        headers,
        per_header,
        control: pass(CONTROL),
        method_alone: pass(METHOD_ALONE),
        round_trips,
        timing_note,
    }
}

impl Seen<'_> {
    /// The user's own request was blocked or did not reach a server.
    pub fn actual_blocked(&self) -> bool {
        matches!(
            self.actual.and_then(|a| a.outcome),
            Some(Outcome::Blocked | Outcome::Unreachable)
        )
    }
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

fn pass_of(observation: &Observation) -> Option<Pass> {
    match observation.outcome? {
        Outcome::Delivered => Some(Pass::Yes),
        Outcome::Blocked => Some(Pass::No),
        _ => None,
    }
}

/// Compares the blocked request's duration with one round trip (the `no-cors` GET) and two (a
/// delivered preflighted GET): a request stopped at its preflight takes one, a request whose
/// response failed the CORS check takes two.
fn round_trips(
    actual: Option<&Observation>,
    one: Option<&Observation>,
    two: Option<&Observation>,
) -> (Option<u8>, Option<String>) {
    let (Some(actual), Some(one)) = (actual, one) else {
        return (None, None);
    };
    if actual.outcome != Some(Outcome::Blocked) || one.outcome != Some(Outcome::Opaque) {
        return (None, None);
    }
    let (Some(took), Some(rtt)) = (network_ms(actual), network_ms(one)) else {
        return (None, None);
    };
    if rtt < MIN_TRUSTED_RTT_MS {
        return (
            None,
            Some(format!(
                "One round trip takes only {} ms here, too fast for timing to tell whether the preflight passed.",
                whole(rtt)
            )),
        );
    }
    let two_trips = two
        .filter(|o| o.outcome == Some(Outcome::Delivered))
        .and_then(network_ms)
        .filter(|d| *d > rtt * 1.5)
        .unwrap_or(rtt * 2.0);
    let trips = if (took - rtt).abs() <= (took - two_trips).abs() {
        1
    } else {
        2
    };
    let note = format!(
        "Your request failed after {} ms; one round trip takes about {} ms and two about {} ms, so it took {trips} round trip{}.",
        whole(took),
        whole(rtt),
        whole(two_trips),
        if trips == 1 { "" } else { "s" }
    );
    (Some(trips), Some(note))
}
