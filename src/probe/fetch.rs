//! One probe: a request built with gloo-net from a [`ProbeSpec`], sent with a timeout, read into
//! an [`Observation`].
//!
//! The URL is passed to the browser exactly as given (see [`as_typed`]), so the request the
//! browser sends is the request the user described.

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::{Headers, Method, Request, RequestBuilder};
use js_sys::{Array, Error as JsError, Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, RequestCache, RequestCredentials, RequestInit, RequestMode, RequestRedirect,
    Response, ResponseType,
};

use super::{timing, Cancel};
use crate::engine::check::observation::Observation;
use crate::engine::check::observation::{
    truncate_utf8, Outcome, ResponseDetails, BODY_PREVIEW_LIMIT,
};
use crate::engine::check::plan::{ProbeMode, ProbeRedirect, ProbeSpec};
use crate::engine::check::report::seconds;

/// Sends one probe and waits for it to settle, the start of the body included (see
/// [`read_prefix`]), within `timeout_ms`.
pub async fn send(spec: &ProbeSpec, timeout_ms: u32, cancel: &Cancel) -> Observation {
    if cancel.is_cancelled() {
        return not_sent("Cancelled before it was sent.");
    }
    let controller = match AbortController::new() {
        Ok(controller) => controller,
        Err(err) => return not_sent(&describe_error(&err)),
    };
    cancel.register(&controller);
    let request = match build_request(spec, &controller) {
        Ok(request) => request,
        Err(Refused::Header(message)) => return not_sent(&message),
        // The browser refused to build it (e.g. `no-cors` with a method it does not allow):
        // `fetch()` would have rejected the same way.
        Err(Refused::Request(message)) => return blocked(message),
    };
    let Some(window) = web_sys::window() else {
        return not_sent("No browser window to send from.");
    };

    let timed_out = Rc::new(Cell::new(false));
    let timer = Timer::start(&window, timeout_ms, &controller, timed_out.clone());
    let started_at = timing::now();
    let mut observation = match request.send().await {
        Ok(response) => read_response(&Response::from(response)).await,
        Err(err) => blocked(err.to_string()),
    };
    drop(timer);
    observation.duration_ms = Some(timing::now() - started_at);
    observation.timing = timing::entry_for(&spec.url, started_at);
    let limit = seconds(f64::from(timeout_ms));
    if let (true, Some(response)) = (timed_out.get(), observation.response.as_mut()) {
        // The answer came (the browser delivered it); only its body did not finish in time.
        response.body_truncated = true;
        observation.error = Some(format!(
            "The body did not finish within {limit} s; the preview shows what arrived."
        ));
    } else if timed_out.get() {
        observation.outcome = Some(Outcome::Timeout);
        observation.error = Some(format!("No answer within {limit} s."));
    } else if cancel.is_cancelled() && observation.outcome != Some(Outcome::Delivered) {
        observation.outcome = Some(Outcome::NotSent);
        observation.error = Some("Cancelled.".into());
    }
    observation
}

fn not_sent(message: &str) -> Observation {
    Observation {
        outcome: Some(Outcome::NotSent),
        error: Some(message.to_string()),
        ..Observation::default()
    }
}

/// `fetch()` rejected (or would have): a network error, as JavaScript sees every CORS failure.
fn blocked(error: String) -> Observation {
    Observation {
        outcome: Some(Outcome::Blocked),
        error: Some(error),
        ..Observation::default()
    }
}

/// Why a probe could not be built.
enum Refused {
    /// A header the browser does not accept (its name or value): nothing is sent.
    Header(String),
    /// The browser refused the request as a whole (`new Request()` threw).
    Request(String),
}

/// The probe as a request, from gloo-net's builder: method, headers, body, mode, credentials,
/// redirect mode, cache mode and the abort signal.
fn build_request(spec: &ProbeSpec, controller: &AbortController) -> Result<Request, Refused> {
    let method = Method::from_bytes(spec.method.as_bytes()).map_err(|_| {
        Refused::Request(format!(
            "TypeError: `{}` is not a valid HTTP method.",
            spec.method
        ))
    })?;
    let signal = controller.signal();
    let builder = RequestBuilder::new(&spec.url)
        .method(method)
        .headers(Headers::from_raw(headers(spec)?))
        .mode(match spec.mode {
            ProbeMode::Cors => RequestMode::Cors,
            ProbeMode::NoCors => RequestMode::NoCors,
        })
        .credentials(if spec.include_credentials {
            RequestCredentials::Include
        } else {
            RequestCredentials::Omit
        })
        .redirect(match spec.redirect {
            ProbeRedirect::Follow => RequestRedirect::Follow,
            ProbeRedirect::Manual => RequestRedirect::Manual,
        })
        // Fresh answers only, and no HTTP-cache lock: Chromium makes parallel requests for one
        // URL wait for each other while the first is in flight. The headers the browser adds for
        // this (`Cache-Control`, `Pragma`) never count for CORS.
        .cache(RequestCache::NoStore)
        .abort_signal(Some(&signal));
    let built = match &spec.body {
        Some(body) => builder.body(JsValue::from_str(body)),
        None => builder.build(),
    };
    let request = built.map_err(|e| Refused::Request(e.to_string()))?;
    as_typed(request, spec).map_err(|e| Refused::Request(describe_error(&e)))
}

/// The headers of the probe, appended one by one so a refused one is named.
fn headers(spec: &ProbeSpec) -> Result<web_sys::Headers, Refused> {
    let headers = web_sys::Headers::new().map_err(|e| Refused::Request(describe_error(&e)))?;
    for (name, value) in &spec.headers {
        headers.append(name, value).map_err(|e| {
            Refused::Header(format!(
                "The browser refused header `{name}`: {}",
                describe_error(&e)
            ))
        })?;
    }
    Ok(headers)
}

/// The request aimed at the URL exactly as typed. gloo-net rebuilds the URL to merge query
/// parameters, and its rebuild drops an empty query (`/items?` becomes `/items`); only then is
/// the same request (every option the builder set) re-aimed at the typed URL, so the target the
/// server sees is always the one in the form.
fn as_typed(request: Request, spec: &ProbeSpec) -> Result<Request, JsValue> {
    let raw = web_sys::Request::from(request);
    if raw.url() == web_sys::Url::new(&spec.url)?.href() {
        return Ok(Request::from(raw));
    }
    let init = RequestInit::new();
    init.set_method(&raw.method());
    init.set_headers(&raw.headers());
    init.set_mode(raw.mode());
    init.set_credentials(raw.credentials());
    init.set_redirect(raw.redirect());
    init.set_cache(raw.cache());
    init.set_signal(Some(&raw.signal()));
    if let Some(body) = &spec.body {
        init.set_body(&JsValue::from_str(body));
    }
    web_sys::Request::new_with_str_and_init(&spec.url, &init).map(Request::from)
}

async fn read_response(response: &Response) -> Observation {
    let outcome = match response.type_() {
        ResponseType::Opaque => Outcome::Opaque,
        ResponseType::Opaqueredirect => Outcome::OpaqueRedirect,
        _ => Outcome::Delivered,
    };
    let mut observation = Observation {
        outcome: Some(outcome),
        ..Observation::default()
    };
    if outcome != Outcome::Delivered {
        return observation;
    }
    let mut details = ResponseDetails {
        status: response.status(),
        status_text: response.status_text(),
        headers: header_pairs(&response.headers()),
        body_preview: String::new(),
        body_truncated: false,
        redirected: response.redirected(),
        final_url: response.url(),
    };
    let prefix = read_prefix(response).await;
    let text = String::from_utf8_lossy(&prefix.bytes);
    let (preview, cut) = truncate_utf8(&text, BODY_PREVIEW_LIMIT);
    details.body_preview = preview.to_string();
    details.body_truncated = cut || prefix.more;
    if let Some(err) = prefix.error {
        observation.error = Some(format!("Body: {}", describe_error(&err)));
    }
    observation.response = Some(details);
    observation
}

/// The start of a body, as read by [`read_prefix`].
struct Prefix {
    /// At most [`BODY_PREVIEW_LIMIT`] + 4 bytes (the last character before the limit completed).
    bytes: Vec<u8>,
    /// The body goes on beyond `bytes` (the rest was not read).
    more: bool,
    /// The read failed (a reset, a short body, the timeout) after `bytes`.
    error: Option<JsValue>,
}

/// Reads the body through its stream reader, chunk by chunk, and cancels it once more than
/// [`BODY_PREVIEW_LIMIT`] bytes came in: the page never holds more than one chunk beyond the
/// preview, however large the body (a 50 MB body is not downloaded to the end).
async fn read_prefix(response: &Response) -> Prefix {
    let mut prefix = Prefix {
        bytes: Vec::new(),
        more: false,
        error: None,
    };
    if let Err(err) = read_into(response, &mut prefix).await {
        prefix.error = Some(err);
    }
    prefix
}

async fn read_into(response: &Response, prefix: &mut Prefix) -> Result<(), JsValue> {
    let keep = BODY_PREVIEW_LIMIT + 4;
    let body = Reflect::get(response, &JsValue::from_str("body"))?;
    if body.is_null() || body.is_undefined() {
        return Ok(());
    }
    let reader = method(&body, "getReader")?.call0(&body)?;
    let read = method(&reader, "read")?;
    loop {
        let promise: Promise = read.call0(&reader)?.dyn_into()?;
        let result = JsFuture::from(promise).await?;
        if Reflect::get(&result, &JsValue::from_str("done"))?.is_truthy() {
            return Ok(());
        }
        let chunk: Uint8Array = Reflect::get(&result, &JsValue::from_str("value"))?.dyn_into()?;
        let length = usize::try_from(chunk.length()).unwrap_or(usize::MAX);
        let take = length.min(keep.saturating_sub(prefix.bytes.len()));
        let start = prefix.bytes.len();
        prefix.bytes.resize(start + take, 0);
        if let Some(slot) = prefix.bytes.get_mut(start..) {
            let end = u32::try_from(take).unwrap_or(u32::MAX);
            chunk.subarray(0, end).copy_to(slot);
        }
        if prefix.bytes.len() > BODY_PREVIEW_LIMIT {
            prefix.more = true;
            // Stop the download; the page keeps only the prefix.
            if let Ok(promise) = method(&reader, "cancel")?
                .call0(&reader)?
                .dyn_into::<Promise>()
            {
                let _ = JsFuture::from(promise).await;
            }
            return Ok(());
        }
    }
}

/// `target[name]` as a function.
fn method(target: &JsValue, name: &str) -> Result<Function, JsValue> {
    Reflect::get(target, &JsValue::from_str(name))?.dyn_into()
}

/// The headers the browser exposes, as lower-case pairs, in the browser's (sorted) order.
fn header_pairs(headers: &web_sys::Headers) -> Vec<(String, String)> {
    let Ok(Some(entries)) = js_sys::try_iter(headers) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pair = entry.dyn_into::<Array>().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// `TypeError: Failed to fetch`, or whatever the thrown value says about itself.
pub(crate) fn describe_error(err: &JsValue) -> String {
    match err.dyn_ref::<JsError>() {
        Some(error) => format!(
            "{}: {}",
            String::from(error.name()),
            String::from(error.message())
        ),
        None => err.as_string().unwrap_or_else(|| format!("{err:?}")),
    }
}

/// A `setTimeout` that aborts the fetch; cleared when dropped.
struct Timer {
    window: web_sys::Window,
    id: Option<i32>,
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    fn start(
        window: &web_sys::Window,
        timeout_ms: u32,
        controller: &AbortController,
        timed_out: Rc<Cell<bool>>,
    ) -> Timer {
        let controller = controller.clone();
        let callback = Closure::<dyn FnMut()>::new(move || {
            timed_out.set(true);
            controller.abort();
        });
        let delay = i32::try_from(timeout_ms).unwrap_or(i32::MAX);
        let id = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                delay,
            )
            .ok();
        Timer {
            window: window.clone(),
            id,
            _callback: callback,
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(id) = self.id {
            self.window.clear_timeout_with_handle(id);
        }
    }
}
