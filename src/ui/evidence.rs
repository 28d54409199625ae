//! The server view's box: paste console text, curl output, a HAR file or a copied request; or
//! pick or drop a file. Reading a file is the only side effect here, and it sends nothing.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
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

/// One analysis as it lands: its job number, the analysis, and for a HAR what the worker wrote
/// of its entries.
pub type Analysed = (u64, Analysis, Option<HarView>);

#[wasm_bindgen]
extern "C" {
    /// `document.createTextNode` for a JS string, which never passes through wasm memory.
    #[wasm_bindgen(js_namespace = document, js_name = createTextNode)]
    fn create_text_node_of(data: &JsValue) -> web_sys::Text;
}

/// What the page shows of a HAR's entries, written by the worker: the list (one `<ol>` built
/// from escaped markup, [`crate::html::har_rows`]), the report's JSON and Markdown with every
/// entry, and the entries' forms (read on a click). The strings stay JS strings: the page's
/// wasm never copies or parses them up front. Two views are equal when they are the same view.
#[derive(Clone)]
pub struct HarView(Rc<HarParts>);

struct HarParts {
    list: web_sys::Element,
    json_node: web_sys::Text,
    json: JsValue,
    markdown: JsValue,
    forms: JsValue,
}

impl PartialEq for HarView {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for HarView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HarView")
    }
}

impl HarView {
    /// Reads the worker's `[report JSON, Markdown, list markup, forms JSON]`.
    fn from_worker(value: &JsValue) -> Option<HarView> {
        let parts = value.dyn_ref::<js_sys::Array>()?;
        let document = web_sys::window()?.document()?;
        let list = document.create_element("ol").ok()?;
        list.set_class_name("har");
        js_sys::Reflect::set(&list, &JsValue::from_str("innerHTML"), &parts.get(2)).ok()?;
        let json = parts.get(0);
        Some(HarView(Rc::new(HarParts {
            list,
            json_node: create_text_node_of(&json),
            json,
            markdown: parts.get(1),
            forms: parts.get(3),
        })))
    }

    /// The list of requests (always the same element).
    pub fn list(&self) -> Html {
        Html::VRef(self.0.list.clone().into())
    }

    /// The report's JSON as a text node (always the same node).
    pub fn json_node(&self) -> Html {
        Html::VRef(self.0.json_node.clone().into())
    }

    /// The report's JSON, to copy.
    pub fn json(&self) -> JsValue {
        self.0.json.clone()
    }

    /// The report's Markdown, to copy.
    pub fn markdown(&self) -> JsValue {
        self.0.markdown.clone()
    }

    /// The form of the `index`-th entry in the list.
    pub fn form(&self, index: usize) -> Option<FormInput> {
        let json = self.0.forms.as_string()?;
        let mut forms: Vec<FormInput> = serde_json::from_str(&json).ok()?;
        (index < forms.len()).then(|| forms.swap_remove(index))
    }
}

/// The loader Trunk writes for the `evidence-worker` binary, next to the page.
const WORKER_SCRIPT: &str = "evidence-worker_loader.js";

/// The worker: evidence goes in and an [`Analysis`] comes back; a report and a stack go in and
/// that stack's fixes come back; all off the main thread and out of the page's first load.
pub struct EvidenceWorker {
    worker: Worker,
    /// Set once the worker says it is ready; jobs sent earlier would be lost.
    ready: Rc<Cell<bool>>,
    /// The latest analysis and the latest fixes request sent before the worker was ready.
    pending: Rc<RefCell<[Option<Message>; 2]>>,
    _onmessage: Closure<dyn Fn(MessageEvent)>,
    _onerror: Closure<dyn Fn(ErrorEvent)>,
}

/// A message for the worker and the buffers it hands over with it.
type Message = (js_sys::Array, js_sys::Array);

impl EvidenceWorker {
    /// Starts the worker; each analysis (or failure) reaches `done` with its job number, each
    /// set of fixes reaches `fixed`.
    pub fn start(
        done: Callback<Analysed>,
        fixed: Callback<Fixes>,
    ) -> Result<EvidenceWorker, String> {
        let worker = Worker::new(WORKER_SCRIPT)
            .map_err(|e| format!("The analysis worker could not start: {e:?}"))?;
        let on_result = done.clone();
        let ready = Rc::new(Cell::new(false));
        let pending: Rc<RefCell<[Option<Message>; 2]>> = Rc::default();
        let (is_ready, queued, target) = (ready.clone(), pending.clone(), worker.clone());
        let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let data = js_sys::Array::from(&event.data());
            let kind = data.get(0).as_string();
            if kind.as_deref() == Some(crate::worker::READY) {
                is_ready.set(true);
                for (job, transfer) in queued.borrow_mut().iter_mut().filter_map(Option::take) {
                    let _ = target.post_message_with_transfer(&job, &transfer);
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
            let har = HarView::from_worker(&data.get(2));
            on_result.emit((job, analysis, har));
        });
        let onerror = Closure::<dyn Fn(ErrorEvent)>::new(move |event: ErrorEvent| {
            event.prevent_default();
            let why = format!(
                "The analysis stopped: {}. Reload the page to try again.",
                event.message()
            );
            done.emit((u64::MAX, Analysis::failed(&why), None));
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

    /// Sends one job; nothing goes to the network. A file's bytes are handed to the worker
    /// (transferred, not copied; `text` is empty afterwards), a paste is copied: neither enters
    /// the page's wasm memory, only the worker's.
    pub fn analyse(&self, job: u64, text: &JsText, form: &FormInput, page_origin: &str) {
        let form = serde_json::to_string(form).unwrap_or_default();
        let message = js_sys::Array::of4(
            &JsValue::from_f64(job as f64),
            &text.0,
            &JsValue::from_str(&form),
            &JsValue::from_str(page_origin),
        );
        let transfer = match text.0.dyn_ref::<js_sys::Uint8Array>() {
            Some(bytes) => js_sys::Array::of1(&bytes.buffer()),
            None => js_sys::Array::new(),
        };
        self.post((message, transfer), 0);
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
        self.post((message, js_sys::Array::new()), 1);
    }

    /// Sends `message` now, or keeps it as the latest of its kind until the worker is ready.
    fn post(&self, message: Message, kind: usize) {
        if self.ready.get() {
            let _ = self
                .worker
                .post_message_with_transfer(&message.0, &message.1);
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

/// Evidence, kept out of the page's wasm memory: the box's value (a JS string, which the
/// worker gets a copy of) or a file's bytes (a `Uint8Array`, whose buffer is handed over).
/// Encoding a pasted string to UTF-8 here instead was measured slower on the page's thread than
/// copying it to the worker (`cargo bench --bench har`: 55–110 ms for 11 MB).
#[derive(Debug, Clone, PartialEq)]
pub struct JsText(JsValue);

impl JsText {
    /// Its length in bytes (UTF-16 units for a string), for the progress note.
    pub fn len(&self) -> usize {
        match self.0.dyn_ref::<js_sys::Uint8Array>() {
            Some(bytes) => bytes.byte_length() as usize,
            None => self
                .0
                .dyn_ref::<js_sys::JsString>()
                .map_or(0, |s| s.length() as usize),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Reads `file`'s bytes and hands them to `onfile` (the worker reads them as UTF-8); a file that
/// cannot be read arrives empty.
pub fn read_file(file: File, onfile: Callback<(String, JsText)>) {
    let name = file.name();
    wasm_bindgen_futures::spawn_local(async move {
        let bytes = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
            .await
            .ok()
            .filter(|b| b.is_instance_of::<js_sys::ArrayBuffer>())
            .map_or_else(
                || js_sys::Uint8Array::new_with_length(0),
                |b| js_sys::Uint8Array::new(&b),
            );
        onfile.emit((name, JsText(bytes.into())));
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
