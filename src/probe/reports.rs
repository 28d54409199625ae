//! The browser's own reports (`ReportingObserver`): Chromium tells pages about deprecations such
//! as `Access-Control-Allow-Headers: *` covering `Authorization`, which it still allows.
//!
//! web-sys has no binding for `ReportingObserver`, so it is reached through `js_sys::Reflect`;
//! where the browser lacks it, the watcher simply sees nothing.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::engine::check::observation::BrowserReport;

/// Collects reports from creation until [`ReportWatcher::finish`].
pub struct ReportWatcher {
    observer: Option<JsValue>,
    seen: Rc<RefCell<Vec<BrowserReport>>>,
    _callback: Closure<dyn FnMut(Array)>,
}

impl ReportWatcher {
    pub fn start() -> ReportWatcher {
        let seen: Rc<RefCell<Vec<BrowserReport>>> = Rc::default();
        let sink = seen.clone();
        let callback = Closure::<dyn FnMut(Array)>::new(move |reports: Array| {
            sink.borrow_mut().extend(
                reports
                    .iter()
                    .map(|r| to_report(&r))
                    .filter(about_the_server),
            );
        });
        let observer = construct(callback.as_ref());
        if let Some(observer) = &observer {
            let _ = call(observer, "observe");
        }
        ReportWatcher {
            observer,
            seen,
            _callback: callback,
        }
    }

    /// Stops watching and returns every report seen, queued ones included.
    pub fn finish(self) -> Vec<BrowserReport> {
        if let Some(observer) = &self.observer {
            if let Some(queued) =
                call(observer, "takeRecords").and_then(|v| v.dyn_into::<Array>().ok())
            {
                self.seen.borrow_mut().extend(
                    queued
                        .iter()
                        .map(|r| to_report(&r))
                        .filter(about_the_server),
                );
            }
            let _ = call(observer, "disconnect");
        }
        self.seen.take()
    }
}

/// `new ReportingObserver(callback, { buffered: false })`, when the browser has it.
fn construct(callback: &JsValue) -> Option<JsValue> {
    let window = web_sys::window()?;
    let class = Reflect::get(&window, &JsValue::from_str("ReportingObserver"))
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    let options = Object::new();
    Reflect::set(&options, &JsValue::from_str("buffered"), &JsValue::FALSE).ok()?;
    Reflect::construct(&class, &Array::of2(callback, &options)).ok()
}

fn call(target: &JsValue, method: &str) -> Option<JsValue> {
    let function = Reflect::get(target, &JsValue::from_str(method))
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    function.call0(target).ok()
}

/// Reports about this page's own Content-Security-Policy (a probe redirected to a scheme the
/// policy does not list) say nothing about the server under test: they are left out.
fn about_the_server(report: &BrowserReport) -> bool {
    report.kind != "csp-violation"
}

fn to_report(report: &JsValue) -> BrowserReport {
    let text = |value: &JsValue, key: &str| {
        Reflect::get(value, &JsValue::from_str(key))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    let body = Reflect::get(report, &JsValue::from_str("body")).unwrap_or(JsValue::UNDEFINED);
    BrowserReport {
        kind: text(report, "type"),
        id: text(&body, "id"),
        message: text(&body, "message"),
    }
}
