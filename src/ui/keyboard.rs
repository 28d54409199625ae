//! Page-wide keys: a window listener that lives as long as the returned guard.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Removes its `keydown` listener when dropped.
pub struct KeyListener {
    callback: Closure<dyn FnMut(web_sys::KeyboardEvent)>,
}

impl Drop for KeyListener {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            let _ = window.remove_event_listener_with_callback(
                "keydown",
                self.callback.as_ref().unchecked_ref(),
            );
        }
    }
}

/// Calls `action` when Escape is pressed anywhere on the page.
pub fn on_escape(mut action: impl FnMut() + 'static) -> Option<KeyListener> {
    let callback =
        Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
            if e.key() == "Escape" {
                action();
            }
        });
    let window = web_sys::window()?;
    window
        .add_event_listener_with_callback("keydown", callback.as_ref().unchecked_ref())
        .ok()?;
    Some(KeyListener { callback })
}
