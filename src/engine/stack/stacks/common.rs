//! Small text helpers the stack writers share.

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
