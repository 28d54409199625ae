//! Small text helpers the stack writers share.

use super::super::pitfall::Pitfall;
use super::super::snippet::{Part, Slot};
use super::super::spec::FixSpec;

/// `["a", "b"]` with double quotes (JSON, JavaScript, Python, Rust string arrays).
pub fn quoted(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    format!("[{}]", inner.join(", "))
}

/// `'a', 'b'` with single quotes, no brackets.
pub fn single_quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("'{i}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A stand-in writer that lists the headers to send; replaced by each stack's own.
pub fn headers_only(spec: &FixSpec, _pitfall: Pitfall) -> (String, Vec<Part>) {
    let mut lines = vec![format!("Access-Control-Allow-Origin: {}", spec.origin())];
    if spec.credentials {
        lines.push("Access-Control-Allow-Credentials: true".into());
    }
    if spec.preflight {
        lines.push(format!("Access-Control-Allow-Methods: {}", spec.methods_list()));
        if !spec.headers.is_empty() {
            lines.push(format!("Access-Control-Allow-Headers: {}", spec.headers_list()));
        }
    }
    (
        "Send these headers on every answer, errors included.".into(),
        vec![Part {
            slot: Slot::Top,
            place: "on every response of the API".into(),
            code: lines.join("\n"),
        }],
    )
}
