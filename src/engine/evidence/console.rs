//! Console text from Chromium, Firefox and Safari (see `shared/console-messages.md`): every CORS
//! message in a paste, with the URL, origin, method and status it names, and the exact cause.

use crate::engine::fetch::Finding;

/// Which browser wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsoleBrowser {
    Chromium,
    Firefox,
    Safari,
}

/// Whether the browser failed the request or only warned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One CORS failure (or warning) found in pasted console text, with what its companion lines add.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsoleMessage {
    pub browser: ConsoleBrowser,
    pub severity: Severity,
    /// The request URL the message names (for a redirect chain: the URL that failed).
    pub url: Option<String>,
    /// Chromium's `(redirected from '…')`: the URL the script asked for.
    pub redirected_from: Option<String>,
    /// The page's origin (`from origin '…'`, Safari's `Origin … is not allowed`).
    pub origin: Option<String>,
    /// The method, from a companion line such as `POST <url> net::ERR_FAILED 502 (Bad Gateway)`.
    pub method: Option<String>,
    /// The HTTP status the text reveals (`Status code: 500`, `net::ERR_FAILED 500`); `None` when
    /// it gives none or says `(null)`.
    pub status: Option<u16>,
    /// The preflight failed (Chromium's "Response to preflight request …", Firefox's "CORS
    /// preflight …", Safari's "Preflight response …", or a reason only a preflight has).
    pub preflight: bool,
    /// The cause the text names, with its params; `None` when the text names no reason.
    pub finding: Option<Finding>,
    /// The message's own line(s), trimmed, for the report's evidence.
    pub text: String,
}

/// Every CORS message in `text`, in the order found. Never panics; ignores anything else.
pub fn parse(text: &str) -> Vec<ConsoleMessage> {
    let _ = text;
    Vec::new()
}
