//! Running one check: the side effects (fetches, timers) at the edge, results back as [`Action`]s.

use futures::future::join_all;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::UseReducerDispatcher;

use super::state::{Action, AppState, ProbeProgress};
use crate::engine::check::diagnosis::{self, CheckContext, ProbeRun};
use crate::engine::check::form::{check_form, FormInput};
use crate::engine::check::observation::Outcome;
use crate::engine::check::plan::ProbeSpec;
use crate::probe::{self, Cancel};

/// This page's origin, e.g. `http://127.0.0.1:8080`.
pub fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// Validates the form, then runs the probes phase by phase and dispatches the report.
pub fn start(
    mut form: FormInput,
    run: u64,
    cancel: Cancel,
    dispatch: UseReducerDispatcher<AppState>,
) {
    let page_origin = page_origin();
    form.url = ascii_url(&form.url);
    let parsed = match check_form(&form, &page_origin) {
        Ok(parsed) => parsed,
        Err(problems) => {
            // Nothing is sent; the mistakes are the report, so tools waiting for "done" see them.
            let report = diagnosis::form_problems_report(&page_origin, &form, &problems);
            dispatch.dispatch(Action::Start { run });
            dispatch.dispatch(Action::Invalid(problems));
            dispatch.dispatch(Action::Finished {
                run,
                report: Box::new(report),
            });
            return;
        }
    };
    dispatch.dispatch(Action::Start { run });
    let context = CheckContext {
        page_origin,
        form: parsed,
    };
    wasm_bindgen_futures::spawn_local(async move {
        let ticker = Ticker::start(run, dispatch.clone());
        let watcher = probe::ReportWatcher::start();
        let runs = run_phases(&context, run, &cancel, &dispatch).await;
        let browser_reports = watcher.finish();
        drop(ticker);
        let report = diagnosis::report(&context, &runs, &browser_reports);
        dispatch.dispatch(Action::Finished {
            run,
            report: Box::new(report),
        });
    });
}

/// A URL with a non-ASCII host, in the punycode form the browser itself sends; others unchanged.
/// The page carries no Unicode IDNA tables of its own: the browser's URL parser is the same
/// WHATWG parser, so this is exactly the URL `fetch()` would use.
fn ascii_url(url: &str) -> String {
    if url.is_ascii() {
        return url.to_string();
    }
    web_sys::Url::new(url.trim())
        .map(|parsed| parsed.href())
        .unwrap_or_else(|_| url.to_string())
}

async fn run_phases(
    context: &CheckContext,
    run: u64,
    cancel: &Cancel,
    dispatch: &UseReducerDispatcher<AppState>,
) -> Vec<ProbeRun> {
    let mut runs: Vec<ProbeRun> = Vec::new();
    // Each phase is planned from what the earlier ones saw; the planner bounds the number of phases.
    loop {
        let probes = diagnosis::next_probes(context, &runs);
        if probes.is_empty() || cancel.is_cancelled() {
            return runs;
        }
        let first_index = runs.len();
        dispatch.dispatch(Action::Planned {
            run,
            probes: probes.iter().map(progress_row).collect(),
        });
        let sends = probes.iter().enumerate().map(|(offset, spec)| {
            let dispatch = dispatch.clone();
            async move {
                let observation = probe::send(spec, context.form.timeout_ms, cancel).await;
                dispatch.dispatch(Action::ProbeDone {
                    run,
                    index: first_index + offset,
                    outcome: observation.outcome.unwrap_or(Outcome::NotSent),
                    duration_ms: observation.duration_ms,
                });
                observation
            }
        });
        let observations = join_all(sends).await;
        runs.extend(
            probes
                .into_iter()
                .zip(observations)
                .map(|(spec, observation)| ProbeRun { spec, observation }),
        );
    }
}

fn progress_row(spec: &ProbeSpec) -> ProbeProgress {
    ProbeProgress {
        name: spec.name.clone(),
        method: spec.method.clone(),
        mode: spec.mode.as_str(),
        outcome: None,
        duration_ms: None,
        started_ms: 0.0,
    }
}

/// Dispatches the elapsed time every 100 ms while a check runs; stops when dropped.
struct Ticker {
    id: Option<i32>,
    _callback: Closure<dyn FnMut()>,
}

impl Ticker {
    fn start(run: u64, dispatch: UseReducerDispatcher<AppState>) -> Ticker {
        let started = probe::now();
        let callback = Closure::<dyn FnMut()>::new(move || {
            let elapsed = probe::now() - started;
            dispatch.dispatch(Action::Tick {
                run,
                elapsed_ms: elapsed,
            });
        });
        let id = web_sys::window().and_then(|w| {
            w.set_interval_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                100,
            )
            .ok()
        });
        Ticker {
            id,
            _callback: callback,
        }
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        if let (Some(id), Some(window)) = (self.id, web_sys::window()) {
            window.clear_interval_with_handle(id);
        }
    }
}
