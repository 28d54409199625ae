//! The root component: owns the state reducer and wires the form to the check runner.

use yew::prelude::*;

use super::check;
use super::form::RequestForm;
use super::report_view::ReportView;
use super::state::{AppState, Field, Status};
use crate::probe::Cancel;

#[component]
pub fn App() -> Html {
    let state = use_reducer(AppState::default);
    let cancel = use_mut_ref(Cancel::new);
    crate::probe::prepare_timing();

    let onedit = {
        let dispatcher = state.dispatcher();
        Callback::from(move |(field, value): (Field, String)| {
            dispatcher.dispatch(super::state::Action::Edit(field, value))
        })
    };
    let oncredentials = {
        let dispatcher = state.dispatcher();
        Callback::from(move |on: bool| {
            dispatcher.dispatch(super::state::Action::SetCredentials(on))
        })
    };
    let onrun = {
        let state = state.clone();
        let cancel = cancel.clone();
        Callback::from(move |()| {
            if state.status() == Status::Running {
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
                form={state.form.clone()}
                problems={state.problems.clone()}
                running={state.status() == Status::Running}
                {onedit} {oncredentials} {onrun} {oncancel} />
            <ReportView
                status={state.status()}
                progress={state.progress.clone()}
                report={state.report.clone()}
                elapsed_ms={state.elapsed_ms} />
        </>
    }
}
