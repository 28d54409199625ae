//! The page: Yew function components, state in a reducer, side effects in [`check`].

mod app;
mod app_run;
mod check;
mod clipboard;
mod evidence;
mod fix;
mod form;
mod history;
mod keyboard;
mod panic;
mod report_view;
mod samples;
mod sequence;
mod state;
mod theme;

/// Installs the panic hook and mounts the app on `#app`. The `cors-doctor-start` mark tells the
/// page benchmark when the wasm began to run (compiled and instantiated), before the first render.
pub fn start() {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark("cors-doctor-start");
    }
    panic::install_hook();
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"))
    else {
        panic::show_fatal("The page has no #app element to render into.");
        return;
    };
    yew::Renderer::<app::App>::with_root(root).render();
}
