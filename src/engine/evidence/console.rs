//! Console text from Chromium, Firefox and Safari (see `shared/console-messages.md`): every CORS
//! message in a paste, with the URL, origin, method and status it names, and the exact cause.
//!
//! The wordings come from the browsers' own sources:
//! - Chromium: [`cors_error_string.cc`](https://source.chromium.org/chromium/chromium/src/+/main:third_party/blink/renderer/platform/loader/cors/cors_error_string.cc)
//!   (and the pre-2018 forms `XMLHttpRequest cannot load …`, `Failed to load <url>: …`,
//!   `Redirect from '…' to '…' has been blocked by CORS policy: …`), the DevTools companion lines
//!   `POST <url> net::ERR_FAILED 502 (Bad Gateway)` and the `Mixed Content:` warning;
//! - Firefox: [`security.properties`](https://searchfox.org/mozilla-central/source/dom/locales/en-US/chrome/security/security.properties)
//!   (`Cross-Origin Request Blocked: …`, `Cross-Origin Request Warning: …`);
//! - Safari: WebKit's [`CrossOriginAccessControl.cpp`](https://github.com/WebKit/WebKit/blob/main/Source/WebCore/loader/CrossOriginAccessControl.cpp)
//!   and [`CrossOriginPreflightResultCache.cpp`](https://github.com/WebKit/WebKit/blob/main/Source/WebCore/loader/CrossOriginPreflightResultCache.cpp)
//!   (a reason line, then `Fetch API cannot load <url> due to access control checks.`, then
//!   `Failed to load resource: <reason>`: one message).
//!
//! Choices where a text does not settle the contract code:
//! - Firefox `CORS request external redirect not allowed` is logged by Gecko's preflight listener
//!   when the *preflight* is redirected (the Fetch Standard fails a redirected preflight):
//!   `preflight/redirect`.
//! - Firefox `CORS disabled` (the `content.cors.disable` preference refuses every cross-origin
//!   request): `input/disallowed-by-mode` with `reason=cors-disabled`.
//! - Firefox `CORS header 'Origin' cannot be added` names no server cause: `finding: None`.
//! - Safari's `Origin … is not allowed by Access-Control-Allow-Origin` is the same text for a
//!   missing and a mismatched header, and for the preflight and the actual response:
//!   `response/allow-origin` (the prefix code).
//! - A Chromium preflight message whose reason is cut off gives the prefix code `preflight`.
//! - A Firefox `CORS request did not succeed). Status code: (null).` right after another Firefox
//!   failure for the same URL is the second line Firefox prints after a failed preflight: it is
//!   folded into that message, which becomes a preflight failure (`response/…` → `preflight/…`).
//! - A DevTools `GET <url> net::ERR_CONNECTION_REFUSED` line (or another "no HTTP response"
//!   error) is a message of its own: `network/unreachable` / `network/timeout` / a redirect code,
//!   with the net error's name as `error`. `net::ERR_FAILED` lines only lend their method and
//!   status to the CORS message for the same URL; a preflight failure takes a status only from
//!   an `OPTIONS` line (Chromium never prints a failed preflight's status).
//! - A status that only a companion line reveals stays on the code the text names: a
//!   `response/allow-origin/missing` with `status=500` is what the diagnosis weighs as a hidden
//!   server error, not this reader.

use crate::engine::fetch::{AllowOriginDetail, Code, CredentialsDetail, Finding};

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
    let segs = segments(text);
    let mut state = State::default();
    let mut i = 0;
    while i < segs.len() {
        let Some(seg) = segs.get(i) else { break };
        let kind = classify(&seg.norm);
        let mut used = 1;
        match kind {
            Kind::Chromium | Kind::Firefox => {
                let (norm, raw, n) = join_wrapped(&segs, i, kind);
                used = n;
                if kind == Kind::Chromium {
                    state.chromium(&norm, raw);
                } else {
                    state.firefox(&norm, raw);
                }
            }
            Kind::Net => state.net_line(&seg.norm, seg.raw),
            Kind::Mixed => state.mixed(&seg.norm, seg.raw),
            Kind::CannotLoad => state.cannot_load(&seg.norm, seg.raw),
            Kind::SafariReason => state.safari_reason(&seg.norm, seg.raw),
            Kind::Blank | Kind::Ignored | Kind::Other => {}
        }
        i += used.max(1);
    }
    state.finish()
}

// ---------------------------------------------------------------------------------------------
// Lines: noise, quotes, several messages on one line.

/// One message-sized piece of a line: the original text (noise cut off) and a copy with
/// straight quotes that every reader below works on.
struct Seg<'a> {
    raw: &'a str,
    norm: String,
}

fn segments(text: &str) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    for line in text.split('\n') {
        let line = strip_noise(line);
        for part in split_at_message_starts(line) {
            let raw = strip_noise(part);
            out.push(Seg {
                raw,
                norm: straight_quotes(raw),
            });
        }
    }
    out
}

/// Curly quotes (‘ ’ “ ” and friends) and non-breaking spaces read as their plain forms.
fn straight_quotes(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => '"',
            '\u{a0}' => ' ',
            c => c,
        })
        .collect()
}

/// Cuts timestamps, `(index):1`-style source links, `[Error]` tags and `Uncaught (in promise)`
/// off the front, and Firefox's `[Learn More]` and Safari's `(name, line 0)` off the end.
fn strip_noise(s: &str) -> &str {
    let mut s = s.trim();
    for _ in 0..16 {
        let next = strip_bracket_tag(s)
            .or_else(|| strip_timestamp(s))
            .or_else(|| s.strip_prefix("Uncaught (in promise)"))
            .or_else(|| s.strip_prefix("Uncaught "))
            .or_else(|| strip_source_link(s));
        match next {
            Some(n) => s = n.trim(),
            None => break,
        }
    }
    strip_tail(s)
}

fn strip_bracket_tag(s: &str) -> Option<&str> {
    let inner_and_rest = s.strip_prefix('[')?;
    let (inner, rest) = inner_and_rest.split_once(']')?;
    const TAGS: &[&str] = &[
        "error",
        "warning",
        "log",
        "info",
        "debug",
        "blocked",
        "violation",
        "verbose",
    ];
    let is_tag = TAGS.iter().any(|t| inner.trim().eq_ignore_ascii_case(t));
    (is_tag || is_timestamp(inner.trim())).then_some(rest)
}

fn is_timestamp(t: &str) -> bool {
    t.starts_with(|c: char| c.is_ascii_digit())
        && (t.contains(':') || t.contains('-'))
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | '-' | 'T' | 'Z' | '+' | ','))
}

fn strip_timestamp(s: &str) -> Option<&str> {
    let (token, rest) = first_token(s);
    (is_timestamp(token) && !rest.is_empty()).then_some(rest)
}

/// `(index):1 `, `index.js:42 `, `VM12:3:7 `, `localhost/:1 `: a token ending in `:<line>`.
fn strip_source_link(s: &str) -> Option<&str> {
    let (token, rest) = first_token(s);
    (!rest.is_empty() && is_source_link(token)).then_some(rest)
}

fn is_source_link(token: &str) -> bool {
    if token.contains("://") {
        return false;
    }
    let mut t = token;
    let mut numbers = 0;
    while let Some((before, after)) = t.rsplit_once(':') {
        if after.is_empty() || !after.bytes().all(|b| b.is_ascii_digit()) {
            break;
        }
        t = before;
        numbers += 1;
    }
    numbers > 0 && !t.is_empty()
}

fn first_token(s: &str) -> (&str, &str) {
    match s.split_once(char::is_whitespace) {
        Some((t, rest)) => (t, rest.trim_start()),
        None => (s, ""),
    }
}

fn strip_tail(s: &str) -> &str {
    let mut s = s.trim_end();
    for tag in ["[Learn More]", "[Learn more]"] {
        if let Some(t) = s.strip_suffix(tag) {
            s = t.trim_end();
        }
    }
    // A source link copied at the end of a line: `… resource.   index.js:42`.
    if let Some((before, token)) = s.rsplit_once(char::is_whitespace) {
        let tab = s
            .get(before.len()..)
            .is_some_and(|sep| sep.starts_with('\t'));
        let wide = tab || before.ends_with(char::is_whitespace);
        if wide && is_source_link(token) {
            s = before.trim_end();
        }
    }
    // Safari: `Failed to load resource: … (api, line 0)`.
    if let Some(body) = s.strip_suffix(')') {
        if let Some((before, group)) = body.rsplit_once('(') {
            let is_line_ref = group
                .rsplit_once(", line ")
                .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            if is_line_ref && group.len() < 200 {
                s = before.trim_end();
            }
        }
    }
    s
}

/// Splits a line where a second Chromium or Firefox message starts (a paste that lost its line
/// breaks). Linear: each anchor is searched once from left to right.
fn split_at_message_starts(line: &str) -> Vec<&str> {
    let mut cuts: Vec<usize> = Vec::new();
    for anchor in [
        "Access to ",
        "Cross-Origin Request Blocked:",
        "Cross-Origin Request Warning:",
    ] {
        let mut from = 0;
        while let Some(found) = line.get(from..).and_then(|rest| rest.find(anchor)) {
            let at = from + found;
            if at > 0
                && (anchor != "Access to " || is_access_to_start(line.get(at..).unwrap_or("")))
            {
                cuts.push(at);
            }
            from = at + anchor.len();
        }
    }
    if cuts.is_empty() {
        return vec![line];
    }
    cuts.sort_unstable();
    let mut parts = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for cut in cuts {
        if let Some(p) = line.get(start..cut) {
            parts.push(p);
        }
        start = cut;
    }
    if let Some(p) = line.get(start..) {
        parts.push(p);
    }
    parts
}

/// `Access to <initiator words> at '` (the initiator is `fetch`, `XMLHttpRequest`, `font`,
/// `CSS stylesheet`, …; the quote may be curly).
fn is_access_to_start(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("Access to ") else {
        return false;
    };
    let window: String = rest.chars().take(48).collect();
    let Some((words, after)) = window.split_once(" at ") else {
        return false;
    };
    !words.is_empty()
        && words
            .chars()
            .all(|c| c.is_alphanumeric() || c == ' ' || c == '-')
        && after.starts_with(['\'', '\u{2018}', '\u{2019}', '"'])
}

// ---------------------------------------------------------------------------------------------
// What a line is.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Blank,
    /// `Access to … blocked by CORS policy`, `Redirect from …`, `Failed to load <url>: …`.
    Chromium,
    /// `Cross-Origin Request Blocked: …` / `Cross-Origin Request Warning: …`.
    Firefox,
    /// A DevTools line with `net::ERR_…`.
    Net,
    Mixed,
    /// `Fetch API cannot load <url> …` (Safari; old Chromium with an inline reason).
    CannotLoad,
    /// A WebKit reason on its own line (or in `Failed to load resource: …`).
    SafariReason,
    /// Exceptions and stack frames: not messages, never part of one.
    Ignored,
    Other,
}

fn classify(s: &str) -> Kind {
    if s.is_empty() {
        Kind::Blank
    } else if s.contains("Cross-Origin Request Blocked:")
        || s.contains("Cross-Origin Request Warning:")
    {
        Kind::Firefox
    } else if is_chromium_start(s) {
        Kind::Chromium
    } else if is_mixed_content(s) {
        Kind::Mixed
    } else if s.contains("net::ERR_") {
        Kind::Net
    } else if s.contains(" cannot load ") || s.starts_with("Cannot load ") {
        Kind::CannotLoad
    } else if is_webkit_reason_line(s) {
        Kind::SafariReason
    } else if is_ignored(s) {
        Kind::Ignored
    } else {
        Kind::Other
    }
}

fn is_chromium_start(s: &str) -> bool {
    s.find("Access to ")
        .and_then(|i| s.get(i..))
        .is_some_and(is_access_to_start)
        || (s.contains("Redirect from '") && s.contains("blocked by CORS policy"))
        || s.contains("Access blocked by CORS policy")
        || old_failed_to_load(s).is_some()
}

/// Chromium 64–66: `Failed to load http://…/: <reason>`.
fn old_failed_to_load(s: &str) -> Option<(&str, &str)> {
    let rest = s.get(s.find("Failed to load ")? + "Failed to load ".len()..)?;
    let (token, reason) = first_token(rest);
    let url = token.strip_suffix(':')?;
    url.contains("://").then_some((url, reason))
}

fn is_mixed_content(s: &str) -> bool {
    s.contains("Mixed Content: The page at ")
        || s.contains("mixed active content")
        || s.contains("mixed display content")
        || (s.contains("The page at ") && s.contains("insecure content from "))
}

fn is_ignored(s: &str) -> bool {
    s.starts_with("at ")
        || s.starts_with("TypeError")
        || s.starts_with("Promise.")
        || s.contains("Failed to fetch")
        || s.contains("NetworkError when attempting to fetch")
}

/// WebKit reason wordings (a line of their own in Safari's console).
const WEBKIT_REASONS: &[(&str, &str)] = &[
    ("Origin ", "is not allowed by Access-Control-Allow-Origin"),
    ("Cannot use wildcard in Access-Control-Allow-Origin", ""),
    (
        "Access-Control-Allow-Origin cannot contain more than one origin",
        "",
    ),
    (
        "Credentials flag is true, but Access-Control-Allow-Credentials",
        "",
    ),
    ("Preflight response is not successful", ""),
    ("Method ", "is not allowed by Access-Control-Allow-Methods"),
    (
        "Request header field ",
        "is not allowed by Access-Control-Allow-Headers",
    ),
    ("Header Access-Control-Allow-", "has an invalid value"),
    ("not allowed to follow a cross-origin CORS redirection", ""),
    ("redirection URL ", "has credentials"),
    (
        "Cross-origin redirection to ",
        "denied by Cross-Origin Resource Sharing policy",
    ),
];

/// WebKit's network-error descriptions (NSURLError), which Safari prints before `Fetch API
/// cannot load <url> due to access control checks.` when no HTTP response came.
const WEBKIT_NETWORK: &[&str] = &[
    "Could not connect to the server",
    "A server with the specified hostname could not be found",
    "The network connection was lost",
    "The request timed out",
    "An SSL error has occurred",
    "The certificate for this server is invalid",
];

fn is_webkit_reason_line(s: &str) -> bool {
    let r = s.strip_prefix("Failed to load resource: ").unwrap_or(s);
    let cors = !r.contains("in preflight response")
        && WEBKIT_REASONS
            .iter()
            .any(|(start, also)| r.starts_with(start) && r.contains(also));
    cors || is_webkit_network_reason(r)
}

fn is_webkit_network_reason(r: &str) -> bool {
    WEBKIT_NETWORK.iter().any(|start| r.starts_with(start))
}

// ---------------------------------------------------------------------------------------------
// Wrapped messages: a message the paste broke over several lines is read as one.

/// Joins the lines after `segs[i]` that continue its message; returns the joined text (straight
/// quotes), the original lines and how many segments it used. At most 8 lines are joined.
fn join_wrapped(segs: &[Seg<'_>], i: usize, kind: Kind) -> (String, String, usize) {
    let Some(first) = segs.get(i) else {
        return (String::new(), String::new(), 1);
    };
    let mut norm = first.norm.clone();
    let mut raw = first.raw.to_string();
    let mut used = 1;
    while used < 8 {
        let Some(next) = segs.get(i + used) else {
            break;
        };
        let next_kind = classify(&next.norm);
        let want = match wants_more(&norm, kind) {
            Want::Nothing => false,
            Want::Anything => matches!(next_kind, Kind::Other | Kind::SafariReason),
            Want::Words => next_kind == Kind::Other,
        };
        if !want {
            break;
        }
        if !norm.ends_with('-') {
            norm.push(' ');
        }
        norm.push_str(&next.norm);
        raw.push('\n');
        raw.push_str(next.raw);
        used += 1;
    }
    (norm, raw, used)
}

enum Want {
    Nothing,
    /// The reason has not started: any plain line continues it.
    Anything,
    /// The reason is there but not readable yet and has no final period.
    Words,
}

fn wants_more(s: &str, kind: Kind) -> Want {
    if s.ends_with(':') || s.ends_with('-') {
        return Want::Anything;
    }
    let ended = s.ends_with('.') || s.ends_with(')');
    if kind == Kind::Firefox {
        return match s.find("(Reason:") {
            None if !ended => Want::Anything,
            Some(at) if !s.get(at..).is_some_and(|r| r.contains(')')) => Want::Words,
            _ => Want::Nothing,
        };
    }
    let head = chromium_head(s);
    if head.reason.is_none()
        && !s.contains("Access blocked by CORS policy")
        && old_failed_to_load(s).is_none()
    {
        return Want::Anything;
    }
    let reason = head.reason.unwrap_or("");
    let (preflight, body) = split_preflight(reason);
    if body.is_empty() && (!preflight || !ended) {
        return Want::Anything;
    }
    if read_reason(body).is_none() && !ended {
        Want::Words
    } else {
        Want::Nothing
    }
}

// ---------------------------------------------------------------------------------------------
// The messages, and how lines join them.

/// A DevTools `<METHOD> <URL> net::ERR_FAILED <status>` line waiting for its CORS message.
struct Companion {
    method: Option<String>,
    url: String,
    status: Option<u16>,
}

/// A Safari reason line waiting for its `… cannot load <url>` line.
struct PendingReason {
    reason: String,
    raw: String,
    /// A CORS reason (or a `Failed to load resource:` line) is a message even without its URL
    /// line; a bare network sentence is not.
    standalone: bool,
}

/// How many recent messages a companion line may attach to, and how many may wait.
const COMPANION_REACH: usize = 8;

#[derive(Default)]
struct State {
    out: Vec<ConsoleMessage>,
    /// Parallel to `out`: the Firefox message already took its trailing `(null)` line.
    folded: Vec<bool>,
    pending_safari: Option<PendingReason>,
    last_safari_reason: Option<String>,
    companions: Vec<Companion>,
}

impl State {
    fn finish(mut self) -> Vec<ConsoleMessage> {
        self.flush_safari();
        self.out
    }

    fn push(&mut self, m: ConsoleMessage) {
        // A Safari reason still waiting for its URL line came first.
        self.flush_safari();
        self.out.push(m);
        self.folded.push(false);
    }

    fn chromium(&mut self, norm: &str, raw: String) {
        let mut m = chromium_message(norm, raw);
        self.take_waiting_companion(&mut m);
        self.push(m);
    }

    fn firefox(&mut self, norm: &str, raw: String) {
        let (m, null_line) = firefox_message(norm, raw);
        if null_line && self.fold_null_line(&m) {
            return;
        }
        self.push(m);
    }

    /// Firefox's second `CORS request did not succeed). Status code: (null).` line after a failed
    /// preflight: it joins the failure just before it (same URL), which was the preflight's.
    fn fold_null_line(&mut self, m: &ConsoleMessage) -> bool {
        let Some(idx) = self.out.len().checked_sub(1) else {
            return false;
        };
        let already = self.folded.get(idx).copied().unwrap_or(true);
        let Some(last) = self.out.get_mut(idx) else {
            return false;
        };
        let same_url = last.url.as_deref().map(url_key) == m.url.as_deref().map(url_key);
        let unreachable = last
            .finding
            .as_ref()
            .is_some_and(|f| f.code == Code::NetworkUnreachable);
        if already || last.browser != ConsoleBrowser::Firefox || !same_url || unreachable {
            return false;
        }
        last.preflight = true;
        if let Some(f) = last.finding.as_mut() {
            f.code = to_preflight(f.code);
        }
        last.text.push('\n');
        last.text.push_str(&m.text);
        if let Some(flag) = self.folded.get_mut(idx) {
            *flag = true;
        }
        true
    }

    fn net_line(&mut self, norm: &str, raw: &str) {
        let Some(net) = read_net_line(norm) else {
            return;
        };
        if net.error == "ERR_FAILED" {
            if let Some(url) = net.url {
                self.companion(Companion {
                    method: net.method.map(str::to_string),
                    url: url.to_string(),
                    status: net.status,
                });
            }
            return;
        }
        let Some(code) = network_code(net.error) else {
            return;
        };
        let finding = Finding::new(code, format!("Chromium reported net::{}.", net.error))
            .with("error", net.error);
        let m = ConsoleMessage {
            method: net.method.map(str::to_string),
            ..message(
                ConsoleBrowser::Chromium,
                net.url.map(str::to_string),
                Some(finding),
                raw.to_string(),
            )
        };
        if !self.merge_network(&m) {
            self.push(m);
        }
    }

    /// `Failed to load resource: net::ERR_X` and `GET <url> net::ERR_X` for one failure.
    fn merge_network(&mut self, m: &ConsoleMessage) -> bool {
        let Some(last) = self.out.last_mut() else {
            return false;
        };
        let same_code = last.finding.as_ref().map(|f| f.code) == m.finding.as_ref().map(|f| f.code);
        let one_unnamed = last.url.is_none() != m.url.is_none();
        if last.browser != ConsoleBrowser::Chromium || !same_code || !one_unnamed {
            return false;
        }
        if last.url.is_none() {
            last.url = m.url.clone();
            last.method = m.method.clone();
        }
        last.text.push('\n');
        last.text.push_str(&m.text);
        true
    }

    fn companion(&mut self, c: Companion) {
        let start = self.out.len().saturating_sub(COMPANION_REACH);
        let target = self
            .out
            .iter_mut()
            .skip(start)
            .rev()
            .find(|m| takes_companion(m, &c));
        match target {
            Some(m) => attach(m, &c),
            None => {
                if self.companions.len() >= COMPANION_REACH {
                    self.companions.remove(0);
                }
                self.companions.push(c);
            }
        }
    }

    fn take_waiting_companion(&mut self, m: &mut ConsoleMessage) {
        let found = self.companions.iter().rposition(|c| takes_companion(m, c));
        if let Some(i) = found {
            let c = self.companions.remove(i);
            attach(m, &c);
        }
    }

    fn mixed(&mut self, norm: &str, raw: &str) {
        if let Some(m) = mixed_content_message(norm, raw) {
            self.push(m);
        }
    }

    fn safari_reason(&mut self, norm: &str, raw: &str) {
        let (failed_line, reason) = match norm.strip_prefix("Failed to load resource: ") {
            Some(r) => (true, r),
            None => (false, norm),
        };
        let key = reason_key(reason);
        if let Some(p) = self.pending_safari.as_mut() {
            if reason_key(&p.reason) == key {
                p.raw.push('\n');
                p.raw.push_str(raw);
                p.standalone |= failed_line;
                return;
            }
        }
        if failed_line && self.last_safari_reason.as_deref() == Some(key) {
            let last = self.out.last_mut();
            if let Some(last) = last.filter(|m| m.browser == ConsoleBrowser::Safari) {
                last.text.push('\n');
                last.text.push_str(raw);
                return;
            }
        }
        self.flush_safari();
        self.pending_safari = Some(PendingReason {
            reason: reason.to_string(),
            raw: raw.to_string(),
            standalone: failed_line || !is_webkit_network_reason(reason),
        });
    }

    fn flush_safari(&mut self) {
        if let Some(p) = self.pending_safari.take() {
            if p.standalone {
                let m = safari_message(None, Some(&p.reason), p.raw);
                self.last_safari_reason = Some(reason_key(&p.reason).to_string());
                self.out.push(m);
                self.folded.push(false);
            }
        }
    }

    fn cannot_load(&mut self, norm: &str, raw: &str) {
        let Some((url, inline)) = read_cannot_load(norm) else {
            return;
        };
        if let Some(reason) = inline.filter(|r| is_blink_wording(r)) {
            let mut m = build(Blocked {
                browser: ConsoleBrowser::Chromium,
                url: Some(url),
                reason,
                ..Blocked::new(raw.to_string())
            });
            self.take_waiting_companion(&mut m);
            self.push(m);
            return;
        }
        let mut text = String::new();
        let pending = self.pending_safari.take();
        let reason: Option<String> = match (inline, pending) {
            (Some(r), Some(p)) if reason_key(&p.reason) == reason_key(r) => {
                text = p.raw + "\n";
                Some(r.to_string())
            }
            (Some(r), Some(p)) => {
                self.pending_safari = Some(p);
                self.flush_safari();
                Some(r.to_string())
            }
            (Some(r), None) => Some(r.to_string()),
            (None, Some(p)) => {
                text = p.raw + "\n";
                Some(p.reason)
            }
            (None, None) => None,
        };
        text.push_str(raw);
        self.last_safari_reason = reason.as_deref().map(|r| reason_key(r).to_string());
        let m = safari_message(Some(url), reason.as_deref(), text);
        self.push(m);
    }
}

fn url_key(u: &str) -> &str {
    u.trim_end_matches('/')
}

/// A reason sentence compared without its final period or `Status code` tail.
fn reason_key(r: &str) -> &str {
    r.trim().trim_end_matches('.').trim_end()
}

fn takes_companion(m: &ConsoleMessage, c: &Companion) -> bool {
    let key = url_key(&c.url);
    let same = m.url.as_deref().map(url_key) == Some(key)
        || m.redirected_from.as_deref().map(url_key) == Some(key);
    m.browser == ConsoleBrowser::Chromium && same && m.method.is_none() && m.status.is_none()
}

/// The companion's method and status join the message. A preflight failure takes the status
/// only from an `OPTIONS` line (the actual request's status would not be the preflight's).
fn attach(m: &mut ConsoleMessage, c: &Companion) {
    let options = c.method.as_deref() == Some("OPTIONS");
    if !(m.preflight && options) {
        m.method = c.method.clone();
    }
    if !m.preflight || options {
        if let Some(s) = c.status {
            m.status = Some(s);
            if let Some(f) = m.finding.as_mut() {
                put(f, "status", &s.to_string());
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Building one message.

/// What a blocked-request line says, before it becomes a [`ConsoleMessage`].
struct Blocked<'a> {
    browser: ConsoleBrowser,
    severity: Severity,
    url: Option<&'a str>,
    redirected_from: Option<&'a str>,
    origin: Option<&'a str>,
    location: Option<&'a str>,
    /// The failure is the preflight's (the text says so).
    preflight: bool,
    reason: &'a str,
    reading: Option<Reading>,
    status: Option<u16>,
    raw: String,
}

impl<'a> Blocked<'a> {
    fn new(raw: String) -> Self {
        Blocked {
            browser: ConsoleBrowser::Chromium,
            severity: Severity::Error,
            url: None,
            redirected_from: None,
            origin: None,
            location: None,
            preflight: false,
            reason: "",
            reading: None,
            status: None,
            raw,
        }
    }
}

/// A reason read into a code (its actual-response form; [`to_preflight`] turns it) and params.
struct Reading {
    code: Code,
    params: Vec<(&'static str, String)>,
}

impl Reading {
    fn new(code: Code) -> Self {
        Reading {
            code,
            params: Vec::new(),
        }
    }

    fn with(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.params.push((key, value.into()));
        self
    }
}

fn message(
    browser: ConsoleBrowser,
    url: Option<String>,
    finding: Option<Finding>,
    text: String,
) -> ConsoleMessage {
    ConsoleMessage {
        browser,
        severity: Severity::Error,
        url,
        redirected_from: None,
        origin: None,
        method: None,
        status: None,
        preflight: false,
        finding,
        text,
    }
}

/// Turns what a line says into a message: the reason is read (Chromium and WebKit wordings share
/// one reader) unless the caller already did, and the params the text carries join the finding.
fn build(b: Blocked<'_>) -> ConsoleMessage {
    let (preflight_words, body) = split_preflight(b.reason);
    let preflight_text = b.preflight || preflight_words;
    let origin = b
        .origin
        .map(str::to_string)
        .or_else(|| named_origin(b.reason));
    let status = b.status.or_else(|| status_in(b.reason));
    let location = b.location.map(str::to_string).or_else(|| {
        between(b.reason, "Cross-origin redirection to ", " denied").map(str::to_string)
    });
    let reading = b.reading.or_else(|| read_reason(body));
    let code = match &reading {
        Some(r) if preflight_text => Some(to_preflight(r.code)),
        Some(r) => Some(r.code),
        None if preflight_text => Some(Code::PreflightAny),
        None => None,
    };
    let finding = code.map(|code| {
        let mut f = Finding::new(code, sentence(b.browser, b.reason));
        for (k, v) in reading.map(|r| r.params).unwrap_or_default() {
            f.params.insert(k.to_string(), v);
        }
        let named = Named {
            url: b.url,
            origin: origin.as_deref(),
            status,
            location: location.as_deref(),
        };
        add_named_params(&mut f, &named);
        f
    });
    let preflight = preflight_text
        || finding
            .as_ref()
            .is_some_and(|f| f.code.family() == "preflight");
    ConsoleMessage {
        browser: b.browser,
        severity: b.severity,
        url: b.url.map(str::to_string),
        redirected_from: b.redirected_from.map(str::to_string),
        origin,
        method: None,
        status,
        preflight,
        finding,
        text: b.raw,
    }
}

/// What the message text names around its reason.
struct Named<'a> {
    url: Option<&'a str>,
    origin: Option<&'a str>,
    status: Option<u16>,
    location: Option<&'a str>,
}

/// The params the simulator gives the same code, from what the text names: `status` on any
/// code, `location`, `origin` on Allow-Origin codes, `url` and `scheme` on an unsupported scheme.
fn add_named_params(f: &mut Finding, n: &Named<'_>) {
    if let Some(s) = n.status {
        put(f, "status", &s.to_string());
    }
    if let Some(l) = n.location {
        put(f, "location", l);
    }
    let allow_origin = matches!(
        f.code,
        Code::ResponseAllowOrigin(_) | Code::PreflightAllowOrigin(_)
    );
    if let (true, Some(o)) = (allow_origin, n.origin) {
        put(f, "origin", o);
    }
    if let (Code::InputUnsupportedScheme, Some(u)) = (f.code, n.url) {
        put(f, "url", u);
        if let Some((scheme, _)) = u.split_once(':') {
            put(f, "scheme", scheme);
        }
    }
}

/// Adds a param unless the reason already set it.
fn put(f: &mut Finding, key: &str, value: &str) {
    if f.param(key).is_none() {
        f.params.insert(key.to_string(), value.to_string());
    }
}

fn sentence(browser: ConsoleBrowser, reason: &str) -> String {
    let who = match browser {
        ConsoleBrowser::Chromium => "Chromium",
        ConsoleBrowser::Firefox => "Firefox",
        ConsoleBrowser::Safari => "Safari",
    };
    let reason: String = reason.trim().chars().take(300).collect();
    format!("{who}'s console: {reason}")
}

/// The preflight form of an actual-response code (Chromium's "Response to preflight request
/// …", Firefox's folded `(null)` line).
fn to_preflight(code: Code) -> Code {
    match code {
        Code::ResponseAllowOrigin(d) => Code::PreflightAllowOrigin(d),
        Code::ResponseCredentials(CredentialsDetail::WildcardOrigin) => {
            Code::PreflightAllowOrigin(AllowOriginDetail::WildcardWithCredentials)
        }
        Code::ResponseCredentials(_) => Code::PreflightCredentials,
        Code::ResponseAny => Code::PreflightAny,
        other => other,
    }
}

// ---------------------------------------------------------------------------------------------
// Chromium.

struct Head<'a> {
    url: Option<&'a str>,
    redirected_from: Option<&'a str>,
    origin: Option<&'a str>,
    location: Option<&'a str>,
    reason: Option<&'a str>,
}

/// `Access to <kind> at '<url>' [(redirected from '<url0>') ]from origin '<origin>' has been
/// blocked by CORS policy: <reason>`, `Redirect from '<a>' to '<b>' has been blocked by CORS
/// policy: …`, `Access blocked by CORS policy: …`, `Failed to load <url>: …`.
fn chromium_head(s: &str) -> Head<'_> {
    let reason = s
        .find("blocked by CORS policy:")
        .and_then(|i| s.get(i + "blocked by CORS policy:".len()..))
        .map(str::trim);
    let mut head = Head {
        url: None,
        redirected_from: None,
        origin: between(s, "from origin '", "'"),
        location: None,
        reason,
    };
    if let Some(at) = s.find("Access to ").and_then(|i| s.get(i..)) {
        if let Some(rest) = at.find(" at '").and_then(|i| at.get(i + " at '".len()..)) {
            head.url = up_to_first(rest, &["' (redirected from '", "' from origin '", "'"]);
            head.redirected_from = between(rest, "(redirected from '", "'");
        }
    } else if let Some(rest) = s.find("Redirect from '").and_then(|i| s.get(i + 15..)) {
        head.url = up_to_first(rest, &["' to '", "'"]);
        head.location = between(rest, "' to '", "'");
    } else if let Some((url, reason)) = old_failed_to_load(s) {
        head.url = Some(url);
        head.reason = Some(reason);
    }
    head
}

fn chromium_message(s: &str, raw: String) -> ConsoleMessage {
    let head = chromium_head(s);
    build(Blocked {
        url: head.url,
        redirected_from: head.redirected_from,
        origin: head.origin,
        location: head.location,
        reason: head.reason.unwrap_or(""),
        ..Blocked::new(raw)
    })
}

/// `Response to preflight request doesn't pass access control check: <reason>`.
fn split_preflight(reason: &str) -> (bool, &str) {
    const WORDS: &str = "Response to preflight request doesn't pass access control check";
    match reason
        .find(WORDS)
        .and_then(|i| reason.get(i + WORDS.len()..))
    {
        Some(rest) => (true, rest.trim_start_matches([':', ' ']).trim()),
        None => (false, reason.trim()),
    }
}

/// Words only Chromium uses (for the old `XMLHttpRequest cannot load <url>. <reason>` form,
/// which Safari shares).
fn is_blink_wording(r: &str) -> bool {
    const WORDS: &[&str] = &[
        "is therefore not allowed access",
        "in preflight response",
        "No 'Access-Control-Allow-Origin' header",
        "Response to preflight",
        "Response for preflight",
        "Credentials flag is 'true'",
        "The 'Access-Control-Allow-Origin' header",
        "The value of the 'Access-Control-Allow-",
        "Redirect is not allowed for a preflight",
        "It does not have HTTP ok status",
        "A wildcard '*' cannot be used",
        "Cross origin requests are only supported",
    ];
    WORDS.iter().any(|w| r.contains(w))
}

// ---------------------------------------------------------------------------------------------
// The Chromium and WebKit reasons.

/// Reads a Chromium or WebKit reason (new and old wordings) into its actual-response code.
fn read_reason(r: &str) -> Option<Reading> {
    if r.is_empty() {
        return None;
    }
    allow_origin_reason(r)
        .or_else(|| credentials_reason(r))
        .or_else(|| preflight_reason(r))
        .or_else(|| allow_list_reason(r))
        .or_else(|| redirect_reason(r))
        .or_else(|| local_network_reason(r))
        .or_else(|| request_reason(r))
        .or_else(|| webkit_network_reason(r))
}

fn allow_origin_reason(r: &str) -> Option<Reading> {
    use AllowOriginDetail as O;
    let code = Code::ResponseAllowOrigin;
    if r.contains("No 'Access-Control-Allow-Origin' header") {
        return Some(Reading::new(code(O::Missing)));
    }
    if let Some(v) = between(r, "contains multiple values '", "', but") {
        return Some(Reading::new(code(O::Multiple)).with("value", v));
    }
    if r.contains("Access-Control-Allow-Origin cannot contain more than one origin") {
        return Some(Reading::new(code(O::Multiple)));
    }
    if let Some(v) = between(r, "contains the invalid value '", "'") {
        return Some(Reading::new(code(O::Invalid)).with("value", v));
    }
    if r.contains("that is not equal to the supplied origin") {
        let v = between(r, "has a value '", "' that is not equal").unwrap_or("");
        return Some(Reading::new(code(O::Mismatch)).with("value", v));
    }
    if r.contains("is not allowed by Access-Control-Allow-Origin") {
        return Some(Reading::new(code(O::Unknown)));
    }
    None
}

fn credentials_reason(r: &str) -> Option<Reading> {
    if r.contains("must not be the wildcard '*'")
        || r.contains("A wildcard '*' cannot be used")
        || r.contains("Cannot use wildcard in Access-Control-Allow-Origin")
    {
        let wildcard = Code::ResponseCredentials(CredentialsDetail::WildcardOrigin);
        return Some(Reading::new(wildcard).with("value", "*"));
    }
    let missing = Code::ResponseCredentials(CredentialsDetail::MissingAllow);
    if let Some(v) = between(
        r,
        "'Access-Control-Allow-Credentials' header in the response is '",
        "'",
    ) {
        return Some(Reading::new(missing).with("value", v));
    }
    if let Some(v) = between(r, "'Access-Control-Allow-Credentials' header is '", "'") {
        return Some(Reading::new(missing).with("value", v));
    }
    if r.contains("Credentials flag is true, but Access-Control-Allow-Credentials is not") {
        return Some(Reading::new(missing));
    }
    None
}

fn preflight_reason(r: &str) -> Option<Reading> {
    if r.contains("It does not have HTTP ok status")
        || r.contains("Response for preflight has invalid HTTP status code")
        || r.contains("Preflight response is not successful")
    {
        return Some(Reading::new(Code::PreflightStatus));
    }
    if r.contains("Redirect is not allowed for a preflight request")
        || r.contains("Response for preflight is invalid (redirect)")
    {
        return Some(Reading::new(Code::PreflightRedirect));
    }
    if let Some(m) = before_marker(
        r,
        "Method ",
        " is not allowed by Access-Control-Allow-Methods",
    ) {
        return Some(Reading::new(Code::PreflightMethodNotAllowed).with("method", m));
    }
    let header = before_marker(
        r,
        "Request header field ",
        " is not allowed by Access-Control-Allow-Headers",
    );
    if let Some(h) = header {
        let h = h.to_ascii_lowercase();
        return Some(Reading::new(Code::PreflightHeaderNotAllowed).with("header", h));
    }
    None
}

fn allow_list_reason(r: &str) -> Option<Reading> {
    for (name, header) in [
        (
            "Access-Control-Allow-Methods",
            "access-control-allow-methods",
        ),
        (
            "Access-Control-Allow-Headers",
            "access-control-allow-headers",
        ),
    ] {
        let invalid = Reading::new(Code::PreflightInvalidAllowList).with("header", header);
        if r.contains(&format!("Cannot parse {name} response header field")) {
            return Some(invalid);
        }
        let webkit = format!("Header {name} has an invalid value:");
        if let Some(v) = r.find(&webkit).and_then(|i| r.get(i + webkit.len()..)) {
            return Some(invalid.with("value", v.trim()));
        }
    }
    None
}

fn redirect_reason(r: &str) -> Option<Reading> {
    if r.contains("contains a username and password") {
        let v = between(r, "Redirect location '", "' contains").unwrap_or("");
        return Some(Reading::new(Code::RedirectCredentialsInUrl).with("location", v));
    }
    if let Some(u) = between(r, "redirection URL ", " has credentials") {
        return Some(Reading::new(Code::RedirectCredentialsInUrl).with("location", u));
    }
    if r.contains("cross-origin CORS redirection with non CORS scheme") {
        return Some(Reading::new(Code::RedirectUnsupportedScheme));
    }
    None
}

/// Private Network Access / Local Network Access (Chromium).
fn local_network_reason(r: &str) -> Option<Reading> {
    let space = between(r, "address space `", "`")
        .or_else(|| between(r, "targeting the `", "`"))
        .or_else(|| between(r, "access the `", "`"));
    let with_space = |code: Code| match space {
        Some(s) => Reading::new(code).with("target_space", s),
        None => Reading::new(code),
    };
    if r.contains("'Access-Control-Allow-Private-Network' header")
        || r.contains("'Private-Network-Access-Id' header")
        || r.contains("'Private-Network-Access-Name' header")
    {
        let reading = with_space(Code::PreflightLocalNetwork);
        return Some(match between(r, "had a value of '", "'") {
            Some(v) => reading.with("value", v),
            None => reading,
        });
    }
    let denied = [
        "Permission was denied for this request to access the",
        "Unable to ask for permission to access the",
        "yet the resource is in address space",
        "resource is in more-private address space",
    ];
    denied
        .iter()
        .any(|w| r.contains(w))
        .then(|| with_space(Code::NetworkLocalNetworkAccess))
}

fn request_reason(r: &str) -> Option<Reading> {
    if r.contains("Cross origin requests are only supported for protocol schemes") {
        return Some(Reading::new(Code::InputUnsupportedScheme));
    }
    if r.contains("Cross origin requests are not allowed by request mode") {
        return Some(Reading::new(Code::InputDisallowedByMode));
    }
    None
}

fn webkit_network_reason(r: &str) -> Option<Reading> {
    if r.starts_with("The request timed out") {
        return Some(Reading::new(Code::NetworkTimeout));
    }
    is_webkit_network_reason(r).then(|| Reading::new(Code::NetworkUnreachable))
}

/// `Status code: 500` (WebKit, Firefox), `The response had HTTP status code 404` and `Response
/// for preflight has invalid HTTP status code 405` (old Chromium).
fn status_in(s: &str) -> Option<u16> {
    ["Status code: ", "HTTP status code "]
        .iter()
        .find_map(|w| s.find(w).and_then(|i| s.get(i + w.len()..)))
        .and_then(leading_status)
}

fn leading_status(s: &str) -> Option<u16> {
    let digits: String = s.chars().take_while(char::is_ascii_digit).take(4).collect();
    digits
        .parse::<u16>()
        .ok()
        .filter(|n| (100..=999).contains(n))
}

/// `Origin 'x' is therefore not allowed access` (old Chromium), `Origin x is not allowed by
/// Access-Control-Allow-Origin` (WebKit).
fn named_origin(r: &str) -> Option<String> {
    if let Some(o) = between(r, "Origin '", "' is therefore not allowed access") {
        return Some(o.to_string());
    }
    before_marker(
        r,
        "Origin ",
        " is not allowed by Access-Control-Allow-Origin",
    )
    .map(|o| o.trim_matches('\'').to_string())
}

// ---------------------------------------------------------------------------------------------
// Firefox.

/// `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource
/// at <url>. (Reason: <reason>). Status code: <n>.`; the bool says it is a `did not succeed`
/// line without an HTTP status (`(null)`).
fn firefox_message(s: &str, raw: String) -> (ConsoleMessage, bool) {
    let url = s
        .find("remote resource at ")
        .and_then(|i| s.get(i + "remote resource at ".len()..))
        .map(|rest| first_token(rest).0)
        .map(|t| t.trim_end_matches(['.', ',']).trim_matches(['\'', '"']))
        .filter(|t| !t.is_empty());
    let reason = s
        .find("(Reason:")
        .and_then(|i| s.get(i + "(Reason:".len()..))
        .map(str::trim)
        .unwrap_or("");
    let status = status_in(reason);
    let reading = read_gecko_reason(reason);
    let null_line = reading
        .as_ref()
        .is_some_and(|r| r.code == Code::NetworkUnreachable)
        && status.is_none();
    let warning = s.contains("Cross-Origin Request Warning:");
    let m = build(Blocked {
        browser: ConsoleBrowser::Firefox,
        severity: if warning {
            Severity::Warning
        } else {
            Severity::Error
        },
        url,
        // The sentence ends where Firefox closes the reason: `missing). Status code: 200.`
        reason: up_to_first(reason, &[")"]).unwrap_or(reason),
        reading,
        status,
        ..Blocked::new(raw)
    });
    (m, null_line)
}

/// Firefox's reasons (`security.properties`, current and older forms; quotes already straight).
fn read_gecko_reason(r: &str) -> Option<Reading> {
    use AllowOriginDetail as O;
    const ACAO: &str = "CORS header 'Access-Control-Allow-Origin'";
    let reading = |code| Some(Reading::new(code));
    if r.starts_with("CORS disabled") {
        return Some(Reading::new(Code::InputDisallowedByMode).with("reason", "cors-disabled"));
    }
    if r.contains("CORS request did not succeed") || r.starts_with("CORS request failed") {
        return reading(Code::NetworkUnreachable);
    }
    if r.contains("CORS request external redirect not allowed") {
        return reading(Code::PreflightRedirect);
    }
    if r.contains("CORS request not http") {
        return reading(Code::InputUnsupportedScheme);
    }
    if r.contains("CORS preflight response did not succeed")
        || r.contains("CORS preflight channel did not succeed")
    {
        return reading(Code::PreflightStatus);
    }
    if r.contains("the `Authorization` header is not covered") {
        return Some(
            Reading::new(Code::PreflightAuthorizationWildcard).with("header", "authorization"),
        );
    }
    if r.contains(&format!("Multiple {ACAO} not allowed")) {
        return reading(Code::ResponseAllowOrigin(O::Multiple));
    }
    if r.contains(&format!("{ACAO} missing")) {
        return reading(Code::ResponseAllowOrigin(O::Missing));
    }
    if let Some(v) = r.find(&format!("{ACAO} does not match '")) {
        let rest = r
            .get(v + ACAO.len() + " does not match '".len()..)
            .unwrap_or("");
        let value = up_to_first(rest, &["')", "'"]).unwrap_or(rest);
        return Some(Reading::new(Code::ResponseAllowOrigin(O::Mismatch)).with("value", value));
    }
    if r.contains("Credential is not supported if the CORS header") {
        let wildcard = Code::ResponseCredentials(CredentialsDetail::WildcardOrigin);
        return Some(Reading::new(wildcard).with("value", "*"));
    }
    if r.contains("expected 'true' in CORS header 'Access-Control-Allow-Credentials'") {
        return reading(Code::ResponseCredentials(CredentialsDetail::MissingAllow));
    }
    if r.contains("Did not find method in CORS header") {
        return reading(Code::PreflightMethodNotAllowed);
    }
    gecko_token_reason(r)
}

/// `invalid token 'v' in CORS header '…'`, `header 'h' is not allowed according to header
/// 'Access-Control-Allow-Headers'`, and the older `missing token 'h' in CORS header '…'`.
fn gecko_token_reason(r: &str) -> Option<Reading> {
    let names = || {
        let methods = r.contains("'Access-Control-Allow-Methods'");
        if methods {
            "access-control-allow-methods"
        } else {
            "access-control-allow-headers"
        }
    };
    if let Some(v) = between(r, "invalid token '", "' in CORS header") {
        let reading = Reading::new(Code::PreflightInvalidAllowList);
        return Some(reading.with("header", names()).with("value", v));
    }
    if let Some(h) = between(r, "header '", "' is not allowed according to header") {
        let h = h.to_ascii_lowercase();
        return Some(Reading::new(Code::PreflightHeaderNotAllowed).with("header", h));
    }
    let token = between(r, "missing token '", "' in CORS header")?;
    if names() == "access-control-allow-methods" {
        Some(Reading::new(Code::PreflightMethodNotAllowed).with("method", token))
    } else {
        let h = token.to_ascii_lowercase();
        Some(Reading::new(Code::PreflightHeaderNotAllowed).with("header", h))
    }
}

// ---------------------------------------------------------------------------------------------
// Safari.

/// `Fetch API cannot load <url> due to access control checks.` (current), `XMLHttpRequest cannot
/// load <url>. <reason>` (old Safari and old Chromium), `Cannot load image <url> due to …`.
fn read_cannot_load(s: &str) -> Option<(&str, Option<&str>)> {
    let at = s
        .find("cannot load ")
        .map(|i| i + "cannot load ".len())
        .or_else(|| s.strip_prefix("Cannot load ").map(|_| "Cannot load ".len()))?;
    let mut rest = s.get(at..)?;
    for _ in 0..3 {
        let (token, after) = first_token(rest);
        if token.contains(':') || token.starts_with('/') || after.is_empty() {
            let url = token.trim_end_matches(['.', ':', ',']);
            let reason = after.trim();
            let inline = (!reason.is_empty()
                && !reason.starts_with("due to access control checks"))
            .then_some(reason);
            return (!url.is_empty()).then_some((url, inline));
        }
        rest = after;
    }
    None
}

fn safari_message(url: Option<&str>, reason: Option<&str>, raw: String) -> ConsoleMessage {
    let reason = reason.map(|r| r.strip_prefix("Failed to load resource: ").unwrap_or(r));
    build(Blocked {
        browser: ConsoleBrowser::Safari,
        url,
        reason: reason.unwrap_or(""),
        ..Blocked::new(raw)
    })
}

// ---------------------------------------------------------------------------------------------
// DevTools network lines and mixed content.

struct NetLine<'a> {
    method: Option<&'a str>,
    url: Option<&'a str>,
    error: &'a str,
    status: Option<u16>,
}

/// `POST https://api.example/x net::ERR_FAILED 500 (Internal Server Error)`, `GET <url>
/// net::ERR_CONNECTION_REFUSED`, `Failed to load resource: net::ERR_NAME_NOT_RESOLVED`.
fn read_net_line(s: &str) -> Option<NetLine<'_>> {
    let at = s.find("net::ERR_")?;
    let before = s.get(..at)?;
    let after = s.get(at + "net::".len()..)?;
    let (error, rest) = first_token(after);
    let mut tokens = before.split_whitespace().rev();
    let url = tokens.next().filter(|t| t.contains("://"));
    let method = url.and(tokens.next()).filter(|m| {
        !m.is_empty() && m.len() <= 16 && m.bytes().all(|b| b.is_ascii_uppercase() || b == b'-')
    });
    let status = leading_status(first_token(rest).0);
    Some(NetLine {
        method,
        url,
        error: error.trim_end_matches(['.', ',']),
        status,
    })
}

/// Chromium's network errors that mean "no HTTP response" (or a redirect the browser refused).
fn network_code(error: &str) -> Option<Code> {
    Some(match error {
        "ERR_TIMED_OUT" | "ERR_CONNECTION_TIMED_OUT" => Code::NetworkTimeout,
        "ERR_INVALID_REDIRECT" => Code::RedirectInvalidLocation,
        "ERR_UNSAFE_REDIRECT" => Code::RedirectUnsupportedScheme,
        "ERR_TOO_MANY_REDIRECTS" => Code::RedirectTooMany,
        e if e.starts_with("ERR_CERT_") || e.starts_with("ERR_SSL_") => Code::NetworkUnreachable,
        "ERR_CONNECTION_REFUSED"
        | "ERR_CONNECTION_RESET"
        | "ERR_CONNECTION_CLOSED"
        | "ERR_CONNECTION_FAILED"
        | "ERR_NAME_NOT_RESOLVED"
        | "ERR_NAME_RESOLUTION_FAILED"
        | "ERR_ADDRESS_UNREACHABLE"
        | "ERR_ADDRESS_INVALID"
        | "ERR_INTERNET_DISCONNECTED"
        | "ERR_NETWORK_CHANGED"
        | "ERR_EMPTY_RESPONSE"
        | "ERR_TUNNEL_CONNECTION_FAILED"
        | "ERR_PROXY_CONNECTION_FAILED" => Code::NetworkUnreachable,
        _ => return None,
    })
}

/// Chromium `Mixed Content: The page at '<page>' was loaded over HTTPS, but requested an
/// insecure resource '<url>'. …`, Firefox `Blocked loading mixed active content "<url>"`,
/// Safari `The page at <page> was not allowed to display insecure content from <url>.`
fn mixed_content_message(s: &str, raw: &str) -> Option<ConsoleMessage> {
    let (browser, page, url) = if s.contains("Mixed Content: The page at '") {
        let page = between(s, "The page at '", "'");
        let rest = s
            .find("over HTTPS, but")
            .and_then(|i| s.get(i..))
            .unwrap_or("");
        (ConsoleBrowser::Chromium, page, between(rest, "'", "'"))
    } else if s.contains("mixed active content") || s.contains("mixed display content") {
        let url = between(s, "content \"", "\"").or_else(|| between(s, "content '", "'"));
        (ConsoleBrowser::Firefox, None, url)
    } else {
        let page = s
            .find("The page at ")
            .and_then(|i| s.get(i + "The page at ".len()..))
            .map(|r| first_token(r).0);
        let url = s
            .find("insecure content from ")
            .and_then(|i| s.get(i + "insecure content from ".len()..))
            .map(|r| first_token(r).0.trim_end_matches(['.', ',']));
        (ConsoleBrowser::Safari, page, url)
    };
    let blocked = match browser {
        ConsoleBrowser::Chromium => s.contains("has been blocked"),
        ConsoleBrowser::Firefox => s.contains("Blocked loading"),
        ConsoleBrowser::Safari => s.contains("not allowed to") || s.contains("was blocked"),
    };
    if !blocked {
        // Mixed content that loaded (auto-upgraded images, "Loading mixed (insecure) display
        // content", Safari's "displayed insecure content") is a warning, not a failure.
        return None;
    }
    let mut f = Finding::new(Code::NetworkMixedContent, sentence(browser, s));
    if let Some(u) = url {
        f = f.with("url", u);
    }
    Some(ConsoleMessage {
        origin: page.and_then(origin_of).map(str::to_string),
        ..message(browser, url.map(str::to_string), Some(f), raw.to_string())
    })
}

/// `https://app.example:8443/path` → `https://app.example:8443`.
fn origin_of(page: &str) -> Option<&str> {
    let scheme_end = page.find("://")? + 3;
    let rest = page.get(scheme_end..)?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    page.get(..scheme_end + end)
}

// ---------------------------------------------------------------------------------------------
// Small string readers (char-boundary safe, never panic).

/// The text between the first `start` and the next `end` after it.
fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = s.find(start)? + start.len();
    let rest = s.get(from..)?;
    let to = rest.find(end)?;
    rest.get(..to)
}

/// The text before the first `end`, after the last `start` that precedes it (`Method PUT is not
/// allowed by …` → `PUT`).
fn before_marker<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let to = s.find(end)?;
    let head = s.get(..to)?;
    let from = head.rfind(start)? + start.len();
    head.get(from..).map(str::trim).filter(|v| !v.is_empty())
}

/// The text up to the earliest of `ends` (the first listed that occurs at the lowest position).
fn up_to_first<'a>(s: &'a str, ends: &[&str]) -> Option<&'a str> {
    let to = ends.iter().filter_map(|e| s.find(e)).min()?;
    s.get(..to)
}
