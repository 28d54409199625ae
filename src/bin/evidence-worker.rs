//! The server view's Web Worker: reads pasted evidence off the page's main thread, so a 20 MB
//! HAR never freezes the page, and keeps the parsers out of the page's first load (the worker is
//! fetched on the first analysis). A thin shell around [`cors_doctor::worker::start`].

#[cfg(target_arch = "wasm32")]
fn main() {
    cors_doctor::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "evidence-worker runs in the browser: trunk builds it with the page (see README.md)."
    );
}
