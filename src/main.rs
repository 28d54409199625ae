//! The wasm entry point: a thin shell around [`cors_doctor::ui::start`].

#[cfg(target_arch = "wasm32")]
fn main() {
    cors_doctor::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("cors-doctor is a web page: build it with `trunk build --release` (see README.md).");
}
