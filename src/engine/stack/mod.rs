//! Fixes in the developer's own stack: the fourth engine layer, on top of `check`.
//!
//! A report's server-fixable cause carries the exact headers that make the request pass
//! ([`crate::engine::check::report::FixHeaderSet`]); [`FixSpec`] reads them once, and one file
//! per stack (`stacks/`) writes that configuration in the stack's own terms, naming the pitfall
//! that produces this verdict there. `tests/e2e/stacks/` applies these very snippets to real
//! servers and checks them in headless Chromium.
//!
//! Invariants: pure text generation; never panics; `fetch`, `check` and `evidence` never import it.

mod catalog;
mod pitfall;
mod snippet;
mod spec;
mod stacks;

pub use catalog::{Comment, Stack, Verified};
pub use pitfall::Pitfall;
pub use snippet::{Part, Slot, Snippet};
pub use spec::{FixSpec, MAX_AGE_SECS};

use crate::engine::check::report::{CauseReport, Report};

/// The fix for `cause` in `stack`, or `None` when no server change fixes it.
pub fn snippet_for(report: &Report, cause: &CauseReport, stack: Stack) -> Option<Snippet> {
    let spec = FixSpec::new(report, cause)?;
    Some(write(&spec, Pitfall::of(cause.code), stack))
}

/// The fix for each of `report`'s causes in `stack`, in the causes' order (`None`: no server
/// change fixes that cause). What the page asks the worker for.
pub fn snippets_for(report: &Report, stack: Stack) -> Vec<Option<Snippet>> {
    report
        .causes
        .iter()
        .map(|cause| snippet_for(report, cause, stack))
        .collect()
}

/// The fix for `spec` in `stack`, naming the pitfall behind the verdict.
pub fn write(spec: &FixSpec, pitfall: Pitfall, stack: Stack) -> Snippet {
    let (pitfall_text, parts) = stacks::write(spec, pitfall, stack);
    Snippet {
        stack,
        pitfall,
        pitfall_text,
        parts,
    }
}
