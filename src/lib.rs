//! CORS Doctor: finds out why the browser blocked a cross-origin request.
//!
//! See `ARCHITECTURE.md` for the bird's-eye view. The [`engine`] is pure Rust and builds
//! everywhere; `probe` and `ui` exist only in the browser (wasm32); `lab` only natively.
//!
//! Outside tests nothing may `unwrap` or `expect` (bad input gets a message, never a panic); the
//! engine also forbids unchecked indexing and slicing (see `engine`).

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod engine;
pub mod html;

#[cfg(not(target_arch = "wasm32"))]
pub mod lab;

#[cfg(target_arch = "wasm32")]
pub mod probe;

#[cfg(target_arch = "wasm32")]
pub mod ui;

#[cfg(target_arch = "wasm32")]
pub mod worker;
