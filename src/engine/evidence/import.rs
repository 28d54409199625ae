//! DevTools' "Copy as fetch", "Copy as fetch (Node.js)", "Copy as cURL (bash)" / "(cmd)" and the
//! page's own `curl` commands, turned into the form's fields. Nothing is sent.

use crate::engine::check::form::FormInput;

/// What a pasted command filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The form with URL, method, headers (one `Name: value` per line), body and credentials
    /// set; other fields at their defaults.
    pub form: FormInput,
    /// The page origin the command names (an `Origin` header, or `Referer`'s origin), if any.
    pub origin: Option<String>,
    /// Headers the browser adds itself (`sec-ch-ua`, `user-agent`, `referer`, `origin`,
    /// `cookie`, …), dropped from the form: `Name: value` with values of secrets masked.
    pub dropped: Vec<String>,
    /// Which form it was.
    pub kind: ImportKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Fetch,
    FetchNode,
    CurlBash,
    CurlCmd,
}

/// Why the text is not a command this module reads.
#[derive(Debug, Clone, PartialEq)]
pub struct NotACommand(pub String);

/// Reads one command. Never panics.
pub fn parse(text: &str) -> Result<Imported, NotACommand> {
    let _ = text;
    Err(NotACommand("not implemented".into()))
}
