//! The server view's box: paste console text, curl output, a HAR file or a copied request; or
//! pick or drop a file. Reading a file is the only side effect here, and it sends nothing.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    DragEvent, ErrorEvent, File, HtmlInputElement, HtmlTextAreaElement, MessageEvent, Worker,
};
use yew::prelude::*;

use crate::engine::check::form::FormInput;
use crate::engine::check::report::Report;
use crate::engine::evidence::Analysis;
use crate::engine::stack::{Snippet, Stack};

/// Fixes for one report in one stack, as the worker wrote them: one per cause.
pub type Fixes = (u64, Stack, Vec<Option<Snippet>>);

/// The loader Trunk writes for the `evidence-worker` binary, next to the page.
const WORKER_SCRIPT: &str = "evidence-worker_loader.js";

/// The worker: evidence goes in and an [`Analysis`] comes back; a report and a stack go in and
/// that stack's fixes come back; all off the main thread and out of the page's first load.
pub struct EvidenceWorker {
    worker: Worker,
    /// Set once the worker says it is ready; jobs sent earlier would be lost.
    ready: Rc<Cell<bool>>,
    /// The latest analysis and the latest fixes request sent before the worker was ready.
    pending: Rc<RefCell<[Option<js_sys::Array>; 2]>>,
    _onmessage: Closure<dyn Fn(MessageEvent)>,
    _onerror: Closure<dyn Fn(ErrorEvent)>,
}

impl EvidenceWorker {
    /// Starts the worker; each analysis (or failure) reaches `done` with its job number, each
    /// set of fixes reaches `fixed`.
    pub fn start(
        done: Callback<(u64, Analysis)>,
        fixed: Callback<Fixes>,
    ) -> Result<EvidenceWorker, String> {
        let worker = Worker::new(WORKER_SCRIPT)
            .map_err(|e| format!("The analysis worker could not start: {e:?}"))?;
        let on_result = done.clone();
        let ready = Rc::new(Cell::new(false));
        let pending: Rc<RefCell<[Option<js_sys::Array>; 2]>> = Rc::default();
        let (is_ready, queued, target) = (ready.clone(), pending.clone(), worker.clone());
        let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let data = js_sys::Array::from(&event.data());
            let kind = data.get(0).as_string();
            if kind.as_deref() == Some(crate::worker::READY) {
                is_ready.set(true);
                for job in queued.borrow_mut().iter_mut().filter_map(Option::take) {
                    let _ = target.post_message(&job);
                }
                return;
            }
            if kind.as_deref() == Some(crate::worker::FIX) {
                let job = data.get(1).as_f64().unwrap_or(0.0) as u64;
                let stack = data.get(3).as_string().and_then(|id| Stack::from_id(&id));
                let snippets = data
                    .get(2)
                    .as_string()
                    .and_then(|json| serde_json::from_str::<Vec<Option<Snippet>>>(&json).ok());
                if let (Some(stack), Some(snippets)) = (stack, snippets) {
                    fixed.emit((job, stack, snippets));
                }
                return;
            }
            let job = data.get(0).as_f64().unwrap_or(0.0) as u64;
            let analysis = data
                .get(1)
                .as_string()
                .and_then(|json| serde_json::from_str::<Analysis>(&json).ok())
                .unwrap_or_else(|| Analysis::failed("The analysis came back unreadable."));
            on_result.emit((job, analysis));
        });
        let onerror = Closure::<dyn Fn(ErrorEvent)>::new(move |event: ErrorEvent| {
            event.prevent_default();
            let why = format!(
                "The analysis stopped: {}. Reload the page to try again.",
                event.message()
            );
            done.emit((u64::MAX, Analysis::failed(&why)));
        });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        Ok(EvidenceWorker {
            worker,
            ready,
            pending,
            _onmessage: onmessage,
            _onerror: onerror,
        })
    }

    /// Sends one job; the text is copied to the worker, nothing goes to the network.
    /// `text` is a JS string, handed over as it is: a 20 MB paste is never copied into the page's
    /// wasm memory, only into the worker's.
    pub fn analyse(&self, job: u64, text: &JsText, form: &FormInput, page_origin: &str) {
        let form = serde_json::to_string(form).unwrap_or_default();
        let message = js_sys::Array::of4(
            &JsValue::from_f64(job as f64),
            &text.0,
            &JsValue::from_str(&form),
            &JsValue::from_str(page_origin),
        );
        self.post(message, 0);
    }

    /// Asks for `stack`'s fixes of `report`'s causes; they come back as [`Fixes`] with `job`.
    pub fn fixes(&self, job: u64, report: &Report, stack: Stack) {
        let report = serde_json::to_string(report).unwrap_or_default();
        let message = js_sys::Array::of4(
            &JsValue::from_str(crate::worker::FIX),
            &JsValue::from_f64(job as f64),
            &JsValue::from_str(&report),
            &JsValue::from_str(stack.id()),
        );
        self.post(message, 1);
    }

    /// Sends `message` now, or keeps it as the latest of its kind until the worker is ready.
    fn post(&self, message: js_sys::Array, kind: usize) {
        if self.ready.get() {
            let _ = self.worker.post_message(&message);
        } else if let Some(slot) = self.pending.borrow_mut().get_mut(kind) {
            *slot = Some(message);
        }
    }
}

impl Drop for EvidenceWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

#[derive(Properties, PartialEq)]
pub struct EvidenceBoxProps {
    /// What the last analysis recognised.
    pub note: Option<AttrValue>,
    /// Analyse the box's text.
    pub onrun: Callback<JsText>,
    /// The box got focus: a good moment to start the worker.
    pub onprepare: Callback<()>,
    /// Analyse a file's text (picked or dropped): `(file name, text)`.
    pub onfile: Callback<(String, JsText)>,
}

/// Evidence text as a JS string (kept out of the page's wasm memory).
#[derive(Debug, Clone, PartialEq)]
pub struct JsText(JsValue);

impl JsText {
    /// Its length in UTF-16 units (about bytes, for the progress note).
    pub fn len(&self) -> usize {
        self.0
            .dyn_ref::<js_sys::JsString>()
            .map_or(0, |s| s.length() as usize)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Reads `file` as text and hands it to `onfile`; a failure is reported the same way.
pub fn read_file(file: File, onfile: Callback<(String, JsText)>) {
    let name = file.name();
    wasm_bindgen_futures::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .ok()
            .filter(JsValue::is_string)
            .unwrap_or_else(|| JsValue::from_str(""));
        onfile.emit((name, JsText(text)));
    });
}

/// The first file of a drop, if any.
pub fn dropped_file(event: &DragEvent) -> Option<File> {
    event.data_transfer()?.files()?.get(0)
}

#[component]
pub fn EvidenceBox(props: &EvidenceBoxProps) -> Html {
    // The box is uncontrolled: a 20 MB paste stays in the DOM and is read once, on Analyse
    // (copying it into the state on every keystroke, or writing it back on every render, would
    // stall the page).
    let textarea = use_node_ref();
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
    let onfocus = {
        let onprepare = props.onprepare.clone();
        Callback::from(move |_: FocusEvent| onprepare.emit(()))
    };
    let onclick = {
        let onrun = props.onrun.clone();
        let textarea = textarea.clone();
        Callback::from(move |_| {
            if let Some(t) = textarea.cast::<HtmlTextAreaElement>() {
                let value = js_sys::Reflect::get(&t, &JsValue::from_str("value"))
                    .ok()
                    .filter(JsValue::is_string)
                    .unwrap_or_else(|| JsValue::from_str(""));
                onrun.emit(JsText(value));
            }
        })
    };
    html! {
        <section class="evidence" aria-labelledby="evidence-title">
            <h2 id="evidence-title">{"Or paste what you already have"}</h2>
            <p class="muted">{"The console error, the output of the curl commands, a HAR file (DevTools → Network → Save all as HAR), or a request copied with “Copy as fetch” / “Copy as cURL”. It is read here, in this page; nothing is sent. You can also drop a file anywhere on the page."}</p>
            <textarea data-testid="evidence" rows="5" spellcheck="false" aria-label="Evidence"
                placeholder="Access to fetch at 'https://api.example.com/items' from origin 'http://localhost:5173' has been blocked by CORS policy: …"
                ref={textarea} onfocus={onfocus} />
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
