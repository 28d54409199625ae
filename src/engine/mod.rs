//! The engine, in two layers a reader sees in the tree:
//!
//! - [`fetch`]: the Fetch Standard's CORS rules (one private file per rule), the request model,
//!   typed cause codes, the server-behaviour model and the simulator: request + a server's
//!   behaviour → exactly what the browser does and sees. It knows nothing of the page.
//! - [`check`]: the page's model, built on `fetch` only: the form, share links, the probe plan,
//!   observations, the diagnosis (which server behaviours fit what the probes saw), the report
//!   and its Markdown.
//!
//! Invariants: no I/O, no web crates, never panics. `fetch` never imports `check`. Clippy holds
//! the "never panics" part: outside tests the engine may not index or slice unchecked (nor, like
//! the whole crate, `unwrap` or `expect`).

#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

pub mod check;
pub mod evidence;
pub mod fetch;
pub mod stack;
