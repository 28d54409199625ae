//! The worker (wasm only): the server view's analysis and the stack fixes, off the page's main
//! thread and out of its first load. First `["ready"]` out; then per job one message in and one
//! out:
//!
//! - an analysis: `[id, text, form JSON, page origin]` → `[id, analysis JSON, HAR view]`
//!   ([`crate::engine::evidence::analyse`]). The text comes as a string (a paste, copied) or as
//!   UTF-8 bytes (a file's `Uint8Array`, whose buffer the page transferred). For a HAR, the
//!   page's copy of the report leaves its `har` list and the analysis its `har_forms` out: the
//!   HAR view (`[report JSON, Markdown, list markup, forms JSON]`, else `undefined`) carries
//!   what the page shows of them, written here, so the page neither parses nor renders
//!   thousands of entries on its own thread;
//! - fixes: `["fix", id, report JSON, stack id]` → `["fix", id, JSON of one optional snippet per
//!   cause, stack id]` ([`crate::engine::stack::snippets_for`]).
//!
//! It never touches the network.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::engine::check::form::FormInput;
use crate::engine::check::markdown::report_markdown;
use crate::engine::check::report::{report_json, Report};
use crate::engine::evidence::{analyse, Analysis};
use crate::engine::stack::{snippets_for, Stack};

/// The first element of a fixes message, in and out.
pub const FIX: &str = "fix";

/// The first message the worker sends, once it can take jobs.
pub const READY: &str = "ready";

/// Runs a small HAR through the analysis once, so the browser has optimized the hot code before
/// the user's evidence arrives (WebAssembly starts in the baseline compiler). The page starts the
/// worker when the evidence box gets focus or a file is dragged over, so this runs while the user
/// pastes. Measured with `cargo bench --bench har` (first analysis of the 5,000-entry HAR in a
/// fresh page, median of 7): 716 ms without, 551–585 ms with.
fn warm_up() {
    let sample = crate::engine::evidence::har::sample_har(400, 7);
    let mut analysis = analyse(&sample, &FormInput::default(), "https://warm-up.invalid");
    let _ = har_view(&mut analysis);
}

/// `["fix", id, report JSON, stack id]` → `["fix", id, snippets JSON, stack id]` (an empty list
/// when the report or the stack cannot be read).
fn fixes(data: &js_sys::Array) -> js_sys::Array {
    let report: Option<Report> = data
        .get(2)
        .as_string()
        .and_then(|json| serde_json::from_str(&json).ok());
    let stack = data.get(3).as_string().and_then(|id| Stack::from_id(&id));
    let snippets = match (report, stack) {
        (Some(report), Some(stack)) => snippets_for(&report, stack),
        _ => Vec::new(),
    };
    let json = serde_json::to_string(&snippets).unwrap_or_else(|_| "[]".into());
    js_sys::Array::of4(
        &JsValue::from_str(FIX),
        &data.get(1),
        &JsValue::from_str(&json),
        &data.get(3),
    )
}

/// The evidence as text: UTF-8 bytes (invalid sequences become U+FFFD, as the browser's own
/// `File.text()` does) or a string.
fn evidence_text(value: &JsValue) -> String {
    match value.dyn_ref::<js_sys::Uint8Array>() {
        Some(bytes) => match String::from_utf8(bytes.to_vec()) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        },
        None => value.as_string().unwrap_or_default(),
    }
}

/// Takes a HAR report's entries and forms out of `analysis` and writes what the page shows of
/// them: `[report JSON, Markdown, list markup, forms JSON]`; `undefined` for anything else.
fn har_view(analysis: &mut Analysis) -> JsValue {
    let Some(report) = analysis.report.as_mut().filter(|r| !r.har.is_empty()) else {
        return JsValue::UNDEFINED;
    };
    let json = report_json(report);
    let markdown = report_markdown(report);
    let rows = crate::html::har_rows(&report.har);
    report.har = Vec::new();
    let forms = serde_json::to_string(&std::mem::take(&mut analysis.har_forms)).unwrap_or_default();
    js_sys::Array::of4(
        &JsValue::from_str(&json),
        &JsValue::from_str(&markdown),
        &JsValue::from_str(&rows),
        &JsValue::from_str(&forms),
    )
    .into()
}

/// Installs the message handler, then says it is ready.
pub fn start() {
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return;
    };
    let reply_to = scope.clone();
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let data = js_sys::Array::from(&event.data());
        if data.get(0).as_string().as_deref() == Some(FIX) {
            let reply = fixes(&data);
            let _ = reply_to.post_message(&reply);
            return;
        }
        let id = data.get(0);
        let text = evidence_text(&data.get(1));
        let form: FormInput = data
            .get(2)
            .as_string()
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        let page_origin = data.get(3).as_string().unwrap_or_default();
        let mut analysis = analyse(&text, &form, &page_origin);
        let har = har_view(&mut analysis);
        let json = serde_json::to_string(&analysis).unwrap_or_else(|e| {
            serde_json::to_string(&Analysis::failed(&format!(
                "The analysis could not be sent back to the page: {e}"
            )))
            .unwrap_or_default()
        });
        let reply = js_sys::Array::of3(&id, &JsValue::from_str(&json), &har);
        let _ = reply_to.post_message(&reply);
    });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    onmessage.forget();
    warm_up();
    // Messages sent before this point were dropped: the page waits for this one.
    let _ = scope.post_message(&js_sys::Array::of1(&JsValue::from_str(READY)));
}
