//! The root component: owns the state reducer and wires the form to the check runner.

use yew::prelude::*;

use std::cell::RefCell;
use std::rc::Rc;

use super::evidence::{self, EvidenceBox, EvidenceWorker, JsText};
use super::fix::use_stack;
use super::form::RequestForm;
use super::history::{use_history, HistoryList};
use super::report_view::ReportView;
use super::state::Action;
use super::state::{AppState, Field, Status};
use super::{check, clipboard, keyboard};
use crate::engine::check::app::{self, AppLink};
use crate::engine::check::share;
use crate::engine::evidence::Analysis;
use crate::probe::Cancel;

#[component]
pub fn App() -> Html {
    let state = use_reducer(AppState::default);
    let cancel = use_mut_ref(Cancel::new);
    let worker = use_mut_ref(|| None::<EvidenceWorker>);
    let history = use_history();
    let (stack, onstack) = use_stack();
    {
        // A report with server-fixable causes and a chosen stack: the worker writes the fixes.
        let state = state.clone();
        let worker = worker.clone();
        let key = (state.run, state.status, stack);
        use_effect_with(key, move |&(run, status, stack)| {
            let wanted = state.report.as_ref().filter(|r| {
                status == Status::Done && r.causes.iter().any(|c| c.fix_headers.is_some())
            });
            if let (Some(report), Some(stack)) = (wanted, stack) {
                if started(&state, &worker) {
                    if let Some(worker) = worker.borrow().as_ref() {
                        worker.fixes(run, report, stack);
                    }
                }
            }
        });
    }
    {
        // A finished check or analysis joins the history (secrets masked by the engine).
        let record = history.record.clone();
        let snapshot = state.clone();
        use_effect_with((state.run, state.status), move |&(_, status)| {
            if let (Status::Done, Some(report)) = (status, &snapshot.report) {
                if !report.causes.is_empty() {
                    record.emit((snapshot.form.clone(), report.clone()));
                }
            }
        });
    }
    let onhistory = {
        let dispatcher = state.dispatcher();
        Callback::from(move |form: crate::engine::check::form::FormInput| {
            dispatcher.dispatch(Action::Load(Box::new(form)))
        })
    };
    {
        // Once, after the first render: the form is interactive (the page benchmark reads this
        // mark), room for timing entries, and a share link pre-fills the form (it never runs it).
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
                let _ = performance.mark("cors-doctor-interactive");
            }
            crate::probe::prepare_timing();
            let fragment = clipboard::fragment();
            if let Some(form) = share::from_fragment(&fragment) {
                dispatcher.dispatch(Action::Load(Box::new(form)));
            }
            // The app snippet's link: its diagnosis shows at once; nothing is sent.
            match app::read_link(&fragment) {
                AppLink::Nothing => {}
                AppLink::Report { form, report } => {
                    dispatcher.dispatch(Action::FromApp { form, report })
                }
                AppLink::Refused(notice) => dispatcher.dispatch(Action::AppLinkRefused(notice)),
            }
        });
    }

    let onedit = {
        let dispatcher = state.dispatcher();
        Callback::from(move |(field, value): (Field, String)| {
            dispatcher.dispatch(Action::Edit(field, value))
        })
    };
    let oncredentials = {
        let dispatcher = state.dispatcher();
        Callback::from(move |on: bool| dispatcher.dispatch(Action::SetCredentials(on)))
    };
    let onmethodprobe = {
        let dispatcher = state.dispatcher();
        Callback::from(move |on: bool| dispatcher.dispatch(Action::SetMethodProbe(on)))
    };
    let onrun = {
        let state = state.clone();
        let cancel = cancel.clone();
        Callback::from(move |()| {
            if state.status == Status::Running {
                return;
            }
            let token = Cancel::new();
            *cancel.borrow_mut() = token.clone();
            check::start(state.form.clone(), state.run + 1, token, state.dispatcher());
        })
    };
    let onevidence = {
        let state = state.clone();
        let worker = worker.clone();
        Callback::from(move |text: JsText| analyse(&state, &worker, &text))
    };
    let onprepare = {
        let state = state.clone();
        let worker = worker.clone();
        Callback::from(move |()| {
            let _ = started(&state, &worker);
        })
    };
    let onfile = {
        let state = state.clone();
        let worker = worker.clone();
        Callback::from(move |(name, text): (String, JsText)| {
            if text.is_empty() {
                state.dispatch(Action::Analysed {
                    job: u64::MAX,
                    analysis: Box::new(Analysis::unreadable(&name)),
                    har: None,
                });
            } else {
                analyse(&state, &worker, &text);
            }
        })
    };
    let ondragover = {
        let onprepare = onprepare.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            onprepare.emit(());
        })
    };
    let ondrop = {
        let onfile = onfile.clone();
        Callback::from(move |e: DragEvent| {
            if let Some(file) = evidence::dropped_file(&e) {
                e.prevent_default();
                evidence::read_file(file, onfile.clone());
            }
        })
    };
    let onharentry = {
        let dispatcher = state.dispatcher();
        Callback::from(move |index: usize| dispatcher.dispatch(Action::LoadHarEntry(index)))
    };
    let oncancel = {
        let cancel = cancel.clone();
        Callback::from(move |()| cancel.borrow().cancel())
    };
    {
        // Escape cancels a running check, wherever the focus is.
        let oncancel = oncancel.clone();
        use_effect_with((), move |_| {
            let listener = keyboard::on_escape(move || oncancel.emit(()));
            move || drop(listener)
        });
    }

    html! {
        <div class="page" {ondragover} {ondrop}>
            <header class="masthead">
                <div>
                    <h1>{"CORS Doctor"}</h1>
                    <p>{"Why did the browser block your cross-origin request? Check it from this browser, see the likely cause and the exact fix."}</p>
                </div>
                <super::theme::ThemeToggle />
            </header>
            <super::samples::Samples onpick={onhistory.clone()} />
            <RequestForm
                share_link={format!("{}#{}", clipboard::page_address(), share::to_fragment(&state.form))}
                form={state.form.clone()}
                problems={state.problems.clone()}
                running={state.status == Status::Running}
                {onedit} {oncredentials} {onmethodprobe} {onrun} {oncancel} />
            <super::app_run::AppRun
                form={state.form.clone()}
                app_report={state.app_report.clone()}
                report={state.report.clone()}
                notice={state.app_notice.clone()} />
            <HistoryList handle={history} onload={onhistory} />
            <ReportView
                status={state.status}
                progress={state.progress.clone()}
                report={state.report.clone()}
                elapsed_ms={state.elapsed_ms}
                {stack} {onstack}
                fixes={state.fixes.clone().filter(|(s, _)| Some(*s) == stack).map(|(_, f)| f)}
                har={state.har.clone()} {onharentry} />
            <EvidenceBox note={state.evidence_note.clone().map(AttrValue::from)}
                onrun={onevidence} {onprepare} {onfile} />
        </div>
    }
}

/// Hands evidence to the worker (started on first use), with the form as it stands; the result
/// lands as [`Action::Analysed`].
fn analyse(
    state: &UseReducerHandle<AppState>,
    worker: &Rc<RefCell<Option<EvidenceWorker>>>,
    text: &JsText,
) {
    if !started(state, worker) {
        return;
    }
    let job = state.evidence_job + 1;
    state.dispatch(Action::Analysing {
        job,
        bytes: text.len(),
    });
    if let Some(worker) = worker.borrow().as_ref() {
        worker.analyse(job, text, &state.form, &check::page_origin());
    }
}

/// Starts the worker unless it runs; `false` (and a note saying why) when it cannot start.
fn started(
    state: &UseReducerHandle<AppState>,
    worker: &Rc<RefCell<Option<EvidenceWorker>>>,
) -> bool {
    let mut slot = worker.borrow_mut();
    if slot.is_some() {
        return true;
    }
    let dispatcher = state.dispatcher();
    let done = Callback::from(move |(job, analysis, har): evidence::Analysed| {
        dispatcher.dispatch(Action::Analysed {
            job,
            analysis: Box::new(analysis),
            har,
        })
    });
    let dispatcher = state.dispatcher();
    let fixed = Callback::from(move |(job, stack, snippets): evidence::Fixes| {
        dispatcher.dispatch(Action::Fixed {
            job,
            stack,
            snippets,
        })
    });
    match EvidenceWorker::start(done, fixed) {
        Ok(running) => {
            *slot = Some(running);
            true
        }
        Err(why) => {
            state.dispatch(Action::Analysed {
                job: u64::MAX,
                analysis: Box::new(Analysis::failed(&why)),
                har: None,
            });
            false
        }
    }
}
