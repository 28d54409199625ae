//! The root component: owns the state reducer and wires the form to the check runner.

use yew::prelude::*;

use super::form::RequestForm;
use super::report_view::ReportView;
use super::state::Action;
use super::state::{AppState, Field, Status};
use super::{check, clipboard};
use crate::engine::check::share;
use crate::probe::Cancel;

#[component]
pub fn App() -> Html {
    let state = use_reducer(AppState::default);
    let cancel = use_mut_ref(Cancel::new);
    {
        // Once: room for timing entries, and a share link pre-fills the form (it never runs it).
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            crate::probe::prepare_timing();
            if let Some(form) = share::from_fragment(&clipboard::fragment()) {
                dispatcher.dispatch(Action::Load(Box::new(form)));
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
    let oncancel = {
        let cancel = cancel.clone();
        Callback::from(move |()| cancel.borrow().cancel())
    };

    html! {
        <>
            <header class="masthead">
                <h1>{"CORS Doctor"}</h1>
                <p>{"Why did the browser block your cross-origin request? Check it from this browser, see the likely cause and the exact fix."}</p>
            </header>
            <RequestForm
                share_link={format!("{}#{}", clipboard::page_address(), share::to_fragment(&state.form))}
                form={state.form.clone()}
                problems={state.problems.clone()}
                running={state.status == Status::Running}
                {onedit} {oncredentials} {onmethodprobe} {onrun} {oncancel} />
            <ReportView
                status={state.status}
                progress={state.progress.clone()}
                report={state.report.clone()}
                elapsed_ms={state.elapsed_ms} />
        </>
    }
}
