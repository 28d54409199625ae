//! What each probe showed, in one plain sentence: the evidence listed under a cause.

use super::ProbeRun;
use crate::engine::check::observation::Outcome;
use crate::engine::check::plan::{
    ACTUAL, CONTROL, HEADERS, HEADER_PREFIX, METHOD_ALONE, REACHABILITY, SIMPLE, SIMPLE_CREDENTIALS,
};

/// One sentence per probe that said something.
pub fn sentences(runs: &[ProbeRun]) -> Vec<String> {
    runs.iter().filter_map(sentence).collect()
}

fn sentence(run: &ProbeRun) -> Option<String> {
    let outcome = run.observation.outcome?;
    let name = run.spec.name.as_str();
    let what = match name {
        ACTUAL => "Your request".to_string(),
        REACHABILITY => "A no-cors GET (it resolves whenever a server answers)".into(),
        SIMPLE => "A plain GET without credentials that does not follow redirects".into(),
        SIMPLE_CREDENTIALS => "The same plain GET with credentials".into(),
        HEADERS => "A GET with your headers (a preflight without your method)".into(),
        CONTROL => "A GET asking the preflight only for Content-Type".into(),
        METHOD_ALONE => "Your method alone, without headers or body".into(),
        other => match other.strip_prefix(HEADER_PREFIX) {
            Some(h) => format!("A GET with only `{h}`"),
            None => return None,
        },
    };
    let status = run
        .observation
        .response
        .as_ref()
        .map(|r| format!(" (status {})", r.status))
        .unwrap_or_default();
    let how = match outcome {
        Outcome::Delivered => format!("was delivered{status}"),
        Outcome::Blocked => "was blocked".into(),
        Outcome::Unreachable => "got no answer from any server".into(),
        Outcome::Timeout => "timed out".into(),
        Outcome::Opaque => "got an answer".into(),
        Outcome::OpaqueRedirect => "came back as a redirect".into(),
        Outcome::NotSent => return None,
    };
    let how = if name == REACHABILITY && outcome == Outcome::Blocked {
        "failed too: no server answered".to_string()
    } else {
        how
    };
    Some(format!("{what} {how}."))
}
