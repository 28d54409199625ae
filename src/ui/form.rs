//! The request form: every control carries the contract's `data-testid`.

use web_sys::{HtmlInputElement, HtmlTextAreaElement, KeyboardEvent};
use yew::prelude::*;

use super::clipboard::{page_address, CopyButton};
use super::state::Field;
use crate::engine::check::form::{FormInput, FormProblem};
use crate::engine::check::share::{to_fragment_with, Secrets};

#[derive(Properties, PartialEq)]
pub struct RequestFormProps {
    pub form: FormInput,
    /// A link that pre-fills this form (never runs it).
    pub share_link: AttrValue,
    pub problems: Vec<FormProblem>,
    pub running: bool,
    pub onedit: Callback<(Field, String)>,
    pub oncredentials: Callback<bool>,
    pub onmethodprobe: Callback<bool>,
    pub onrun: Callback<()>,
    pub oncancel: Callback<()>,
}

/// Methods offered in the picker; any other token can be typed.
const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

#[component]
pub fn RequestForm(props: &RequestFormProps) -> Html {
    let input = |field: Field| {
        let onedit = props.onedit.clone();
        Callback::from(move |e: InputEvent| {
            let value = e
                .target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .or_else(|| {
                    e.target_dyn_into::<HtmlTextAreaElement>()
                        .map(|t| t.value())
                })
                .unwrap_or_default();
            onedit.emit((field, value));
        })
    };
    let checkbox = |cb: &Callback<bool>| {
        let cb = cb.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                cb.emit(input.checked());
            }
        })
    };
    let oncredentials = checkbox(&props.oncredentials);
    let onmethodprobe = checkbox(&props.onmethodprobe);
    // Ctrl+Enter (or Cmd+Enter) runs the check from anywhere in the form.
    let onkeydown = {
        let onrun = props.onrun.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                onrun.emit(());
            }
        })
    };
    let onsubmit = {
        let onrun = props.onrun.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            onrun.emit(());
        })
    };
    let oncancel = {
        let cb = props.oncancel.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let problem_for = |field: &str| -> Html {
        props
            .problems
            .iter()
            .filter(|p| p.field == field)
            .map(|p| html! { <p class="problem" role="alert" data-code={p.code.to_string()}>{ &p.message }</p> })
            .collect()
    };
    let form = &props.form;
    // The share link masks secrets (`props.share_link`) unless the user ticks the box; the choice
    // lives with the form, off on every load.
    let include_secrets = use_state(|| false);
    let share_link = if *include_secrets {
        AttrValue::from(format!(
            "{}#{}",
            page_address(),
            to_fragment_with(form, Secrets::Include)
        ))
    } else {
        props.share_link.clone()
    };
    let onsecrets = {
        let include_secrets = include_secrets.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                include_secrets.set(input.checked());
            }
        })
    };
    html! {
        <form class="request-form" {onsubmit} {onkeydown} novalidate=true>
            <div class="row url-row">
                <label class="grow">{"API URL"}
                    <input data-testid="url" type="text" inputmode="url" spellcheck="false"
                        placeholder="https://api.example.com/v1/items" autocomplete="off"
                        value={form.url.clone()} oninput={input(Field::Url)} />
                </label>
                <label class="method">{"Method"}
                    <input data-testid="method" type="text" list="methods" spellcheck="false"
                        value={form.method.clone()} oninput={input(Field::Method)} />
                    <datalist id="methods">
                        { for METHODS.iter().map(|m| html! { <option value={*m} /> }) }
                    </datalist>
                </label>
            </div>
            { problem_for("url") }
            { problem_for("method") }
            <div class="row">
                <label class="grow">{"Request headers "}<small>{"(one Name: value per line)"}</small>
                    <textarea data-testid="headers" rows="3" spellcheck="false"
                        placeholder="Content-Type: application/json&#10;Authorization: Bearer …"
                        value={form.headers.clone()} oninput={input(Field::Headers)} />
                </label>
                <label class="grow">{"Body"}
                    <textarea data-testid="body" rows="3" spellcheck="false"
                        value={form.body.clone()} oninput={input(Field::Body)} />
                </label>
            </div>
            { problem_for("headers") }
            <div class="row options">
                <label class="check">
                    <input data-testid="credentials" type="checkbox" checked={form.credentials}
                        onchange={oncredentials} />
                    {" Send credentials (cookies, HTTP auth)"}
                </label>
                <label class="check" title="Off by default: it sends your method a second time.">
                    <input data-testid="allow-method-probe" type="checkbox" checked={form.allow_method_probe}
                        onchange={onmethodprobe} />
                    {" Also send my method alone (no headers, no body) to test the preflight"}
                </label>
                <label>{"Response headers your code reads"}
                    <input data-testid="want-headers" type="text" spellcheck="false"
                        placeholder="X-Total-Count, ETag"
                        value={form.want_headers.clone()} oninput={input(Field::WantHeaders)} />
                </label>
                <label>{"Your app's origin(s)"}
                    <input data-testid="app-origin" type="text" spellcheck="false"
                        placeholder="this page's origin" title="One origin, or several separated by spaces: the first is your app's, all go into the fix's allow-list"
                        value={form.app_origin.clone()} oninput={input(Field::AppOrigin)} />
                </label>
                <label class="timeout">{"Timeout (s)"}
                    <input data-testid="timeout" type="number" min="0.1" max="300" step="any"
                        value={form.timeout.clone()} oninput={input(Field::Timeout)} />
                </label>
            </div>
            { problem_for("app-origin") }
            { problem_for("timeout") }
            <div class="row actions">
                <button data-testid="run" type="submit" class="primary" disabled={props.running}>
                    { if props.running { "Checking…" } else { "Check" } }
                </button>
                if props.running {
                    <button data-testid="cancel" type="button" onclick={oncancel}>{"Cancel"}</button>
                }
                <CopyButton text={share_link} label="Copy share link" testid="share" />
                <label class="check" title="Off: Authorization, cookies, tokens and keys go into the link as ••••.">
                    <input data-testid="share-secrets" type="checkbox" checked={*include_secrets}
                        onchange={onsecrets} />
                    {" Include secrets in the link"}
                </label>
                <span class="hint">{"Ctrl+Enter runs the check. Nothing is sent until you ask."}</span>
            </div>
        </form>
    }
}
