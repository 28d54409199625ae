//! The request form: every control carries the contract's `data-testid`.

use web_sys::{HtmlInputElement, HtmlTextAreaElement, KeyboardEvent};
use yew::prelude::*;

use super::clipboard::{self, page_address, CopyButton};
use super::state::Field;
use crate::engine::check::form::{FormInput, FormProblem};
use crate::engine::check::share::{self, to_fragment_with, Secrets, Shared};

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

/// What the page's share link (if any) said when the page loaded: the form it filled and that
/// form's problems, or the notice for a link that was not read.
#[derive(Debug, Clone, PartialEq, Default)]
struct LoadedLink {
    form: Option<FormInput>,
    problems: Vec<FormProblem>,
    notice: Option<share::Notice>,
}

impl LoadedLink {
    fn read() -> LoadedLink {
        match share::read_fragment(&clipboard::fragment()) {
            Shared::Nothing => LoadedLink::default(),
            Shared::Refused(notice) => LoadedLink {
                notice: Some(notice),
                ..LoadedLink::default()
            },
            Shared::Form(form) => LoadedLink {
                problems: share::problems(&form, &super::check::page_origin()),
                form: Some(*form),
                notice: None,
            },
        }
    }
}

#[component]
pub fn RequestForm(props: &RequestFormProps) -> Html {
    let link = use_state(LoadedLink::read);
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
    // The problems shown: the last check's; before any, those of the form a share link filled,
    // while the form is still as the link filled it.
    let from_link =
        props.problems.is_empty() && !props.running && link.form.as_ref() == Some(&props.form);
    let problems: &[FormProblem] = if from_link {
        &link.problems
    } else {
        &props.problems
    };
    let has_problem = |field: &str| problems.iter().any(|p| p.field == field);
    let invalid = |field: &str| has_problem(field).then_some("true");
    let described = |field: &str| has_problem(field).then(|| format!("problem-{field}"));
    let problem_for = |field: &str| -> Html {
        let mine: Vec<&FormProblem> = problems.iter().filter(|p| p.field == field).collect();
        if mine.is_empty() {
            return Html::default();
        }
        html! {
            <span class="problem" id={format!("problem-{field}")} role="alert">
                { for mine.iter().map(|p| html! {
                    <span class="problem-line" data-testid="problem" data-field={p.field}
                        data-code={p.code.to_string()}>{ &p.message }<br /></span>
                }) }
            </span>
        }
    };
    let notice = match (&link.notice, from_link && !link.problems.is_empty()) {
        (Some(notice), _) => html! {
            <p class="problem" data-testid="share-notice" data-code={notice.code.to_string()} role="status">
                { &notice.message }
            </p>
        },
        (None, true) => html! {
            <p class="problem" data-testid="share-notice"
                data-code={link.problems.first().map(|p| p.code.to_string())} role="status">
                { "This form was filled from a share link and nothing was sent: fix the marked fields before you press Check." }
            </p>
        },
        (None, false) => Html::default(),
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
            { notice }
            <div class="row url-row">
                <label class="grow">{"API URL"}
                    <input data-testid="url" type="text" inputmode="url" spellcheck="false"
                        placeholder="https://api.example.com/v1/items" autocomplete="off"
                        aria-invalid={invalid("url")} aria-describedby={described("url")}
                        value={form.url.clone()} oninput={input(Field::Url)} />
                    { problem_for("url") }
                </label>
                <label class="method">{"Method"}
                    <input data-testid="method" type="text" list="methods" spellcheck="false"
                        aria-invalid={invalid("method")} aria-describedby={described("method")}
                        value={form.method.clone()} oninput={input(Field::Method)} />
                    { problem_for("method") }
                    <datalist id="methods">
                        { for METHODS.iter().map(|m| html! { <option value={*m} /> }) }
                    </datalist>
                </label>
            </div>
            <div class="row">
                <label class="grow">{"Request headers "}<small>{"(one Name: value per line)"}</small>
                    <textarea data-testid="headers" rows="3" spellcheck="false"
                        placeholder={"Content-Type: application/json\nAuthorization: Bearer …"}
                        aria-invalid={invalid("headers")} aria-describedby={described("headers")}
                        value={form.headers.clone()} oninput={input(Field::Headers)} />
                    { problem_for("headers") }
                </label>
                <label class="grow">{"Body"}
                    <textarea data-testid="body" rows="3" spellcheck="false"
                        aria-invalid={invalid("body")} aria-describedby={described("body")}
                        value={form.body.clone()} oninput={input(Field::Body)} />
                    { problem_for("body") }
                </label>
            </div>
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
                        aria-invalid={invalid("app-origin")} aria-describedby={described("app-origin")}
                        value={form.app_origin.clone()} oninput={input(Field::AppOrigin)} />
                    { problem_for("app-origin") }
                </label>
                <label class="timeout">{"Timeout (s)"}
                    // Text, not `number`: the page then sees what was typed and can say what is wrong.
                    <input data-testid="timeout" type="text" inputmode="decimal" spellcheck="false"
                        autocomplete="off"
                        aria-invalid={invalid("timeout")} aria-describedby={described("timeout")}
                        value={form.timeout.clone()} oninput={input(Field::Timeout)} />
                    { problem_for("timeout") }
                </label>
            </div>
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
