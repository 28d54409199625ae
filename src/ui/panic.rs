//! A panic in wasm kills the whole app: make sure the user sees that it happened, and what to do.

/// Shows any panic in the page's `#fatal` banner (and the console), instead of a silently dead page.
///
/// Installed through Yew: its renderer replaces a plain `std::panic::set_hook` with its own
/// console-only hook unless told about ours.
pub fn install_hook() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = format!(
            "CORS Doctor hit an internal error and stopped: {info}. Reload the page to start again; \
             the report below (if any) is from before the error."
        );
        web_sys::console::error_1(&message.clone().into());
        show_fatal(&message);
    }));
}

/// Writes `message` into the `#fatal` banner as text and un-hides it.
pub fn show_fatal(message: &str) {
    let Some(banner) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("fatal"))
    else {
        return;
    };
    banner.set_text_content(Some(message));
    let _ = banner.remove_attribute("hidden");
}

/// Panics on purpose, so a test (or a curious user, from the console as
/// `wasmBindings.panicSelfTest()`) can see that a panic reaches the banner.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = panicSelfTest)]
pub fn panic_self_test() {
    panic!("panic self-test, on request");
}
