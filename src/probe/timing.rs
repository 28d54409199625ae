//! Resource Timing lookups: the browser records an entry even for a blocked request, and its
//! timings tell how many round trips happened.

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::PerformanceResourceTiming;

use crate::engine::check::observation::Timing;

/// Room for the entries of many checks; the default buffer (250) fills up on long sessions.
const BUFFER_SIZE: u32 = 2000;

/// Makes sure new entries are recorded.
pub fn prepare() {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        performance.set_resource_timing_buffer_size(BUFFER_SIZE);
    }
}

/// Milliseconds since the page's time origin.
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// The entry for `url` that started closest after `started_at`, for a fetch sent at that moment.
pub fn entry_for(url: &str, started_at: f64) -> Option<Timing> {
    let performance = web_sys::window()?.performance()?;
    let entries = performance.get_entries_by_name_with_entry_type(url, "resource");
    entries
        .iter()
        .filter_map(|entry| entry.dyn_into::<PerformanceResourceTiming>().ok())
        .filter(|entry| entry.start_time() + 1.0 >= started_at)
        .min_by(|a, b| a.start_time().total_cmp(&b.start_time()))
        .map(|entry| Timing {
            response_status: response_status(&entry),
            duration_ms: entry.duration(),
            request_start_ms: entry.request_start(),
            response_start_ms: entry.response_start(),
        })
}

/// `responseStatus` is newer than web-sys's bindings; read it by name.
fn response_status(entry: &PerformanceResourceTiming) -> u16 {
    Reflect::get(entry, &JsValue::from_str("responseStatus"))
        .ok()
        .and_then(|v| v.as_f64())
        .map(|v| v.clamp(0.0, 999.0) as u16)
        .unwrap_or(0)
}
