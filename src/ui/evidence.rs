//! The server view's box: paste console text, curl output, a HAR file or a copied request; or
//! pick or drop a file. Reading a file is the only side effect here, and it sends nothing.

use wasm_bindgen::JsCast;
use web_sys::{DragEvent, File, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EvidenceBoxProps {
    pub text: AttrValue,
    /// What the last analysis recognised.
    pub note: Option<AttrValue>,
    pub onedit: Callback<String>,
    /// Analyse the box's text.
    pub onrun: Callback<()>,
    /// Analyse a file's text (picked or dropped): `(file name, text)`.
    pub onfile: Callback<(String, String)>,
}

/// Reads `file` as text and hands it to `onfile`; a failure is reported the same way.
pub fn read_file(file: File, onfile: Callback<(String, String)>) {
    let name = file.name();
    wasm_bindgen_futures::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|v| v.as_string());
        match text {
            Some(text) => onfile.emit((name, text)),
            None => onfile.emit((name, String::new())),
        }
    });
}

/// The first file of a drop, if any.
pub fn dropped_file(event: &DragEvent) -> Option<File> {
    event.data_transfer()?.files()?.get(0)
}

#[component]
pub fn EvidenceBox(props: &EvidenceBoxProps) -> Html {
    let oninput = {
        let onedit = props.onedit.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
                onedit.emit(t.value());
            }
        })
    };
    let onchange = {
        let onfile = props.onfile.clone();
        Callback::from(move |e: Event| {
            let input = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok());
            if let Some(file) = input
                .as_ref()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0))
            {
                read_file(file, onfile.clone());
            }
            if let Some(input) = input {
                input.set_value("");
            }
        })
    };
    let onclick = {
        let onrun = props.onrun.clone();
        Callback::from(move |_| onrun.emit(()))
    };
    html! {
        <section class="evidence" aria-labelledby="evidence-title">
            <h2 id="evidence-title">{"Or paste what you already have"}</h2>
            <p class="muted">{"The console error, the output of the curl commands, a HAR file (DevTools → Network → Save all as HAR), or a request copied with “Copy as fetch” / “Copy as cURL”. It is read here, in this page; nothing is sent. You can also drop a file anywhere on the page."}</p>
            <textarea data-testid="evidence" rows="5" spellcheck="false" aria-label="Evidence"
                placeholder="Access to fetch at 'https://api.example.com/items' from origin 'http://localhost:5173' has been blocked by CORS policy: …"
                value={props.text.clone()} {oninput} />
            <div class="row actions">
                <button data-testid="evidence-run" type="button" {onclick}>{"Analyse"}</button>
                <label class="file">{"Open a file… "}
                    <input data-testid="evidence-file" type="file" accept=".har,.json,.txt,.log,application/json,text/plain" {onchange} />
                </label>
            </div>
            if let Some(note) = &props.note {
                <p class="recognised" data-testid="evidence-recognised" role="status">{ note.clone() }</p>
            }
        </section>
    }
}
