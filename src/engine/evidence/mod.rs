//! The server view: what the developer already holds (console text, `curl` output, a HAR file, a
//! request copied from DevTools) read into a request and the server's answers, and judged by the
//! same simulator the in-browser check inverts. Built on [`crate::engine::fetch`] and
//! [`crate::engine::check`]; neither imports this layer.

pub mod console;
pub mod curl_output;
pub mod har;
pub mod import;
