//! `curl -i` / `curl -v` output: the response heads (and, with `-v`, the request lines) of one
//! or more exchanges, turned into the fixed answers the simulator replays.
//!
//! # Reading the text ([`parse`])
//!
//! One pass over the lines feeds two small state machines:
//!
//! * the **plain** one reads what `-i` prints: a status line (`HTTP/1.1 200 OK`, `HTTP/2 204`)
//!   starts a head when it begins a line and the next plain line is a header line, a blank line,
//!   a command line or the end of the text (so a body that mentions `HTTP/1.1 200 OK` in prose is
//!   not a head); header lines follow until a blank line; the body after it is skipped;
//! * the **verbose** one reads `-v`'s prefixed lines: `> ` request lines become a [`SentHead`],
//!   `< ` lines a response head paired with the request sent before it. `* ` info lines and
//!   `{ [5 bytes data]` / `} [...]` lines are ignored.
//!
//! A shell command line (`$ curl -i …`, `% curl …`, `PS C:\> curl.exe …`, a bare `curl …`, with
//! `\` continuation lines) starts a new *segment*. With `-iv` the same head comes out twice
//! (`< `-prefixed and plain): within a segment, a plain head equal to a verbose one (status and
//! header lines) is the same head and is counted once. Interim heads (`1xx` but `101`) and a
//! proxy's `200 Connection established` (or any answer to `CONNECT`) are not the server's answer
//! and are dropped. When a command line is shown and `-v` is not, its method (`-X`, `-I`, `-d`,
//! `-T`, `-G`), URL and `-H` headers fill [`Exchange::sent`] for the exchanges it printed (curl
//! `-L` hops get the `Location` as their target).
//!
//! # Building answers ([`answers`])
//!
//! Each exchange is a preflight or an actual response:
//!
//! * with a [`SentHead`] (`-v`, or the command line): a preflight is `OPTIONS` with an
//!   `Access-Control-Request-Method`; anything else is an actual request;
//! * without one, for a request that needs a preflight: the first exchange
//!   is the preflight (the page's own commands print the preflight first) unless it is clearly
//!   the actual response: it has no preflight-only header (`Access-Control-Allow-Methods`,
//!   `-Allow-Headers`, `-Max-Age`, `-Allow-Private-Network`, or `Allow` on a 2xx) and either
//!   nothing follows it or the next exchange has one (preflight pasted second). After a
//!   preflight comes its actual response. After an actual response, an exchange with a
//!   preflight-only header is a preflight (pasted second, or the next URL's), except the last
//!   exchange after a redirect, which is the redirect's target answering;
//! * a request that needs no preflight ignores the `OPTIONS` exchanges.
//!
//! Hop 0 answers the first actual response; a `3xx` with `Location` followed by another actual
//! exchange (for that location, when both show what was sent) moves to the next hop. Hop `n`'s
//! preflight is the `n`-th preflight shown; **assumption**: a hop after a redirect with no
//! preflight of its own reuses the last one shown (the same server usually answers `OPTIONS` the
//! same way on both URLs). When only a preflight is shown, hop 0's response is the preflight's
//! head itself, so that the simulator can judge the preflight; [`has_actual`] tells the caller
//! the actual response is missing.

use std::collections::HashMap;

use url::Url;

use crate::engine::fetch::{
    host_is_ascii, needs_preflight, Hop, Request, ServerAnswers, ServerResponse,
};

/// What `curl -v` shows of a request (`> METHOD target HTTP/x` and `> Name: value` lines), or,
/// without `-v`, what the `curl` command line shown before the output sends.
#[derive(Debug, Clone, PartialEq)]
pub struct SentHead {
    pub method: String,
    /// The request target as sent (`/path?q`), or an absolute URL through a proxy.
    pub target: String,
    /// The `Host` header, when shown.
    pub host: Option<String>,
    pub headers: Vec<(String, String)>,
}

/// One request/response exchange in the output, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    /// With `-v`, or read from the `curl` command line shown before the output.
    pub sent: Option<SentHead>,
    /// The final head of this exchange (`100 Continue` and proxy `Connection established`
    /// heads skipped).
    pub response: ServerResponse,
    /// `HTTP/1.1`, `HTTP/2`, …
    pub version: String,
}

/// Why the text is not curl output.
#[derive(Debug, Clone, PartialEq)]
pub struct NotCurlOutput(pub String);

/// Every exchange in `text`. Never panics; linear in the text's length (but for sorting the
/// heads found).
pub fn parse(text: &str) -> Result<Vec<Exchange>, NotCurlOutput> {
    if text.trim().is_empty() {
        return Err(NotCurlOutput(
            "The text is empty: paste what `curl -i` or `curl -v` printed.".into(),
        ));
    }
    let scan = Scanner::run(text);
    if scan.heads.is_empty() && scan.interim > 0 {
        return Err(NotCurlOutput(
            "Only interim heads (`100 Continue`, a proxy's `Connection established`) were found, not the server's answer."
                .into(),
        ));
    }
    if scan.heads.is_empty() {
        return Err(NotCurlOutput(
            "No HTTP status line (like `HTTP/1.1 200 OK` or `HTTP/2 204`) followed by headers was found: paste what `curl -i` or `curl -v` printed, headers included."
                .into(),
        ));
    }
    let mut heads = without_duplicates(scan.heads);
    heads.sort_by_key(|h| h.line);
    fill_sent_from_commands(&mut heads, &scan.commands);
    Ok(heads.into_iter().map(Head::into_exchange).collect())
}

/// The answers the simulator replays for `request`: hop by hop (a 3xx with `Location` followed
/// by more output moves to the next hop), each hop's `OPTIONS` exchange as its preflight. See
/// the module documentation for how preflights are told from actual responses.
pub fn answers(exchanges: &[Exchange], request: &Request) -> ServerAnswers {
    let preflighted = needs_preflight(request);
    let roles = Roles::of(exchanges, preflighted);
    ServerAnswers {
        hops: roles.hops(preflighted),
    }
}

/// Whether the output shows an actual response for `request` (not only its preflight). When it
/// does not, [`answers`] replays the preflight's head as the response, and a verdict past the
/// preflight says nothing about the real response.
pub fn has_actual(exchanges: &[Exchange], request: &Request) -> bool {
    !Roles::of(exchanges, needs_preflight(request))
        .actuals
        .is_empty()
}

/// Whether a response carries a header only a preflight answer has (the heuristic's signal when
/// nothing says what was sent).
fn preflight_guess(response: &ServerResponse) -> bool {
    const PREFLIGHT_ONLY: [&str; 4] = [
        "access-control-allow-methods",
        "access-control-allow-headers",
        "access-control-max-age",
        "access-control-allow-private-network",
    ];
    PREFLIGHT_ONLY.iter().any(|n| response.count(n) > 0)
        || ((200..300).contains(&response.status) && response.count("allow") > 0)
}

// ---------------------------------------------------------------------------------------------
// Lines

/// A line's `\r` (CRLF) removed.
fn without_cr(line: &str) -> &str {
    line.strip_suffix('\r').unwrap_or(line)
}

/// What one line of the text is.
enum Line<'a> {
    Blank,
    /// `> …` (the rest; empty for the `>` that ends the request head).
    Sent(&'a str),
    /// `< …` (the rest; empty for the `<` that ends the response head).
    Received(&'a str),
    /// `* …`, `{ [5 bytes data]`, `} [..]`.
    Info,
    Plain(&'a str),
}

/// Classifies a line that is not a command line.
fn classify(line: &str) -> Line<'_> {
    let trimmed = line.trim_end();
    if trimmed.trim_start().is_empty() {
        return Line::Blank;
    }
    if trimmed == ">" {
        return Line::Sent("");
    }
    if trimmed == "<" {
        return Line::Received("");
    }
    if let Some(rest) = line.strip_prefix("> ") {
        return Line::Sent(rest);
    }
    if let Some(rest) = line.strip_prefix("< ") {
        return Line::Received(rest);
    }
    let info = trimmed == "*"
        || line.starts_with("* ")
        || line.starts_with("{ [")
        || line.starts_with("} [");
    if info {
        Line::Info
    } else {
        Line::Plain(line)
    }
}

/// A status line: `HTTP/<digit>[.<digit>] <3 digits>[ reason]`.
struct StatusLine<'a> {
    version: &'a str,
    status: u16,
    reason: &'a str,
}

fn status_line(line: &str) -> Option<StatusLine<'_>> {
    let line = line.trim_end();
    let rest = line.strip_prefix("HTTP/")?;
    let (version, rest) = rest.split_once(' ')?;
    if !is_version(version) {
        return None;
    }
    let (code, reason) = rest.split_once(' ').unwrap_or((rest, ""));
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let status: u16 = code.parse().ok()?;
    if status < 100 {
        return None;
    }
    Some(StatusLine {
        version,
        status,
        reason: reason.trim(),
    })
}

/// `1`, `2`, `3`, `1.0`, `1.1`, `2.0`…
fn is_version(v: &str) -> bool {
    match v.as_bytes() {
        [d] => d.is_ascii_digit(),
        [d, b'.', e] => d.is_ascii_digit() && e.is_ascii_digit(),
        _ => false,
    }
}

/// A header line `Name: value` (name a token, value trimmed of spaces and tabs).
fn header_line(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once(':')?;
    if !is_token(name) {
        return None;
    }
    Some((name, value.trim_matches([' ', '\t', '\r'])))
}

/// An RFC 9110 token.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// An obs-fold line: it starts with a space or tab and continues the previous header's value.
fn fold_line(line: &str) -> Option<&str> {
    if line.starts_with([' ', '\t']) {
        Some(line.trim())
    } else {
        None
    }
}

/// `> GET /path HTTP/1.1`: method and target.
fn request_line(line: &str) -> Option<(&str, &str)> {
    let mut parts = line.trim_end().splitn(3, ' ');
    let method = parts.next()?;
    let target = parts.next()?;
    let version = parts.next()?;
    (is_token(method) && !target.is_empty() && version.starts_with("HTTP/"))
        .then_some((method, target))
}

/// Interim heads the server sends before its answer (`100 Continue`, `103 Early Hints`).
fn is_interim(status: u16) -> bool {
    (100..200).contains(&status) && status != 101
}

/// Whether any header line of `headers` is named `name` (any case).
fn has_header(headers: &[(String, String)], name: &str) -> bool {
    headers
        .iter()
        .any(|(n, _)| n.trim().eq_ignore_ascii_case(name))
}

// ---------------------------------------------------------------------------------------------
// Heads

/// A response head as found, before duplicates are dropped.
#[derive(Debug, Clone)]
struct Head {
    /// Index of its status line in the text.
    line: usize,
    /// How many command lines come before it.
    segment: usize,
    /// From `< ` lines.
    verbose: bool,
    version: String,
    status: u16,
    /// A proxy's `Connection established` (or an answer to `CONNECT`).
    tunnel: bool,
    headers: Vec<(String, String)>,
    sent: Option<SentHead>,
}

impl Head {
    fn start(line: usize, segment: usize, verbose: bool, s: &StatusLine<'_>) -> Head {
        Head {
            line,
            segment,
            verbose,
            version: format!("HTTP/{}", s.version),
            status: s.status,
            tunnel: s.reason.eq_ignore_ascii_case("connection established"),
            headers: Vec::new(),
            sent: None,
        }
    }

    fn push(&mut self, (name, value): (&str, &str)) {
        self.headers.push((name.to_string(), value.to_string()));
    }

    /// Appends a folded line to the last header's value; `false` when there is none.
    fn fold(&mut self, more: &str) -> bool {
        match self.headers.last_mut() {
            Some((_, value)) => {
                if !more.is_empty() {
                    if !value.is_empty() {
                        value.push(' ');
                    }
                    value.push_str(more);
                }
                true
            }
            None => false,
        }
    }

    /// Whether this is the server's answer (not an interim head or a proxy's tunnel).
    fn is_final(&self) -> bool {
        !is_interim(self.status) && !self.tunnel
    }

    fn location(&self) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.trim().eq_ignore_ascii_case("location"))
            .map(|(_, v)| v.as_str())
    }

    fn into_exchange(self) -> Exchange {
        Exchange {
            sent: self.sent,
            response: ServerResponse {
                status: self.status,
                headers: self.headers,
            },
            version: self.version,
        }
    }
}

/// The plain (`-i`) head being read.
enum Plain {
    /// Outside a head: at the start, after a command line, in a body.
    Body,
    /// After a status line; `confirmed` once a header line followed it.
    Head { head: Head, confirmed: bool },
}

/// The verbose (`-v`) heads being read.
#[derive(Default)]
struct Verbose {
    head: Option<Head>,
    sent: Option<SentHead>,
    /// `> ` header lines still belong to `sent` (no `>` blank line yet).
    sent_open: bool,
}

/// One pass over the text.
struct Scanner {
    heads: Vec<Head>,
    /// The command of each segment (segment 0: before any command line).
    commands: Vec<Option<Command>>,
    /// Interim and tunnel heads dropped.
    interim: usize,
    plain: Plain,
    verbose: Verbose,
}

impl Scanner {
    fn run(text: &str) -> Scanner {
        let mut scanner = Scanner {
            heads: Vec::new(),
            commands: vec![None],
            interim: 0,
            plain: Plain::Body,
            verbose: Verbose::default(),
        };
        let mut lines = text.split('\n').map(without_cr).enumerate();
        while let Some((index, line)) = lines.next() {
            if let Some(command) = command_text(line) {
                let joined = joined_command(command, &mut lines);
                scanner.command(Some(read_command(&joined)));
                continue;
            }
            if is_prompt(line) {
                scanner.command(None);
                continue;
            }
            scanner.line(index, line);
        }
        scanner.end_plain();
        scanner.end_verbose();
        scanner
    }

    fn segment(&self) -> usize {
        self.commands.len().saturating_sub(1)
    }

    /// A command line (or another prompt): both heads end; a new segment starts.
    fn command(&mut self, command: Option<Command>) {
        self.end_plain();
        self.end_verbose();
        self.verbose.sent = None;
        self.verbose.sent_open = false;
        self.commands.push(command);
    }

    fn line(&mut self, index: usize, line: &str) {
        match classify(line) {
            Line::Blank => self.plain_blank(),
            Line::Plain(text) => self.plain_line(index, text),
            Line::Sent(text) => self.sent_line(text),
            Line::Received(text) => self.received_line(index, text),
            Line::Info => {}
        }
    }

    fn emit(&mut self, head: Head) {
        if head.is_final() {
            self.heads.push(head);
        } else {
            self.interim += 1;
        }
    }

    // -- plain (-i) --

    fn end_plain(&mut self) {
        if let Plain::Head { head, .. } = std::mem::replace(&mut self.plain, Plain::Body) {
            self.emit(head);
        }
    }

    fn plain_blank(&mut self) {
        self.end_plain();
    }

    fn plain_line(&mut self, index: usize, text: &str) {
        if let Some(s) = status_line(text) {
            if let Plain::Head {
                confirmed: true, ..
            } = self.plain
            {
                self.end_plain();
            }
            self.plain = Plain::Head {
                head: Head::start(index, self.segment(), false, &s),
                confirmed: false,
            };
            return;
        }
        let Plain::Head { head, confirmed } = &mut self.plain else {
            return;
        };
        if let Some(more) = fold_line(text) {
            if head.fold(more) {
                return;
            }
        } else if let Some(header) = header_line(text) {
            head.push(header);
            *confirmed = true;
            return;
        }
        // Anything else: ignored inside a head, but a status line it follows was prose.
        if !*confirmed {
            self.plain = Plain::Body;
        }
    }

    // -- verbose (-v) --

    fn end_verbose(&mut self) {
        if let Some(head) = self.verbose.head.take() {
            self.emit(head);
        }
    }

    fn sent_line(&mut self, text: &str) {
        if text.trim().is_empty() {
            self.verbose.sent_open = false;
            return;
        }
        if let Some((method, target)) = request_line(text) {
            self.end_verbose();
            self.verbose.sent = Some(SentHead {
                method: method.to_string(),
                target: target.to_string(),
                host: None,
                headers: Vec::new(),
            });
            self.verbose.sent_open = true;
            return;
        }
        let (Some(sent), true) = (&mut self.verbose.sent, self.verbose.sent_open) else {
            return;
        };
        if let Some((name, value)) = header_line(text) {
            if name.eq_ignore_ascii_case("host") {
                sent.host = Some(value.to_string());
            }
            sent.headers.push((name.to_string(), value.to_string()));
        }
    }

    fn received_line(&mut self, index: usize, text: &str) {
        self.verbose.sent_open = false;
        if let Some(s) = status_line(text) {
            self.end_verbose();
            let mut head = Head::start(index, self.segment(), true, &s);
            if !is_interim(s.status) {
                head.sent = self.verbose.sent.take();
            }
            if head
                .sent
                .as_ref()
                .is_some_and(|s| s.method.eq_ignore_ascii_case("CONNECT"))
            {
                head.tunnel = true;
            }
            self.verbose.head = Some(head);
            return;
        }
        if text.trim().is_empty() {
            self.end_verbose();
            return;
        }
        let Some(head) = &mut self.verbose.head else {
            return;
        };
        if let Some(more) = fold_line(text) {
            head.fold(more);
        } else if let Some(header) = header_line(text) {
            head.push(header);
        }
    }
}

/// Drops each plain head that repeats a verbose head of the same segment (`-iv`).
fn without_duplicates(heads: Vec<Head>) -> Vec<Head> {
    type Key<'a> = (usize, u16, &'a [(String, String)]);
    let mut verbose: HashMap<Key<'_>, usize> = HashMap::new();
    for h in heads.iter().filter(|h| h.verbose) {
        *verbose
            .entry((h.segment, h.status, h.headers.as_slice()))
            .or_default() += 1;
    }
    let keep: Vec<bool> = heads
        .iter()
        .map(|h| {
            if h.verbose {
                return true;
            }
            match verbose.get_mut(&(h.segment, h.status, h.headers.as_slice())) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        })
        .collect();
    heads
        .into_iter()
        .zip(keep)
        .filter_map(|(h, k)| k.then_some(h))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Command lines

/// The `curl` command on a line (from `curl` on), after an optional prompt: `$ `, `% `, `# `,
/// `> ` (PowerShell's `PS C:\> `), or nothing.
fn command_text(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    let mut from = 0;
    while let Some(found) = trimmed.get(from..).and_then(|rest| rest.find("curl")) {
        let at = from + found;
        let before = trimmed.get(..at).unwrap_or("").trim_end();
        let after = trimmed.get(at + 4..).unwrap_or("");
        let prompt = before.is_empty() || before.ends_with(['$', '%', '#', '>']);
        let word_ends = after.is_empty()
            || after.starts_with([' ', '\t'])
            || after.starts_with(".exe ")
            || after == ".exe";
        if prompt && word_ends {
            return trimmed.get(at..);
        }
        from = at + 4;
    }
    None
}

/// A shell prompt with another command (`$ ls`), which ends the previous command's output.
fn is_prompt(line: &str) -> bool {
    line.starts_with("$ ") || line.starts_with("% ")
}

/// The command with its continuation lines (`\`, `^` or `` ` `` at the end of a line; bash's
/// `> ` prompt before the next one) joined, the markers removed.
fn joined_command<'a>(
    command: &'a str,
    lines: &mut impl Iterator<Item = (usize, &'a str)>,
) -> String {
    let mut joined = String::new();
    let mut part = command;
    loop {
        let (text, continues) = continued(part);
        joined.push_str(text);
        joined.push(' ');
        if !continues {
            return joined;
        }
        match lines.next() {
            Some((_, next)) => {
                let next = next.trim_start();
                part = next.strip_prefix("> ").unwrap_or(next);
            }
            None => return joined,
        }
    }
}

/// A command line without its continuation marker, and whether it had one.
fn continued(part: &str) -> (&str, bool) {
    let trimmed = part.trim_end();
    match trimmed
        .strip_suffix('\\')
        .or_else(|| trimmed.strip_suffix('^'))
        .or_else(|| trimmed.strip_suffix('`'))
    {
        Some(text) => (text, true),
        None => (trimmed, false),
    }
}

/// What a `curl` command line sends.
#[derive(Debug, Clone, Default)]
struct Command {
    /// `-X` / `--request`.
    explicit_method: Option<String>,
    /// `-I` (HEAD), `-d` and friends (POST), `-T` (PUT), `-G` (GET).
    implied_method: Option<&'static str>,
    get: bool,
    url: Option<String>,
    headers: Vec<(String, String)>,
}

impl Command {
    fn method(&self) -> String {
        match (&self.explicit_method, self.implied_method) {
            (Some(m), _) => m.clone(),
            (None, Some("POST")) if self.get => "GET".into(),
            (None, Some(m)) => m.into(),
            (None, None) => "GET".into(),
        }
    }

    /// Applies one option and its argument.
    fn option(&mut self, name: &str, arg: Option<&str>) {
        let arg = arg.unwrap_or("");
        match name {
            "X" | "request" => self.explicit_method = Some(arg.to_string()),
            "H" | "header" => self.header(arg),
            "d" | "data" | "data-raw" | "data-binary" | "data-ascii" | "data-urlencode"
            | "json" | "F" | "form" | "form-string" => {
                self.implied_method.get_or_insert("POST");
            }
            "T" | "upload-file" => self.implied_method = Some("PUT"),
            "url" => {
                self.url.get_or_insert_with(|| arg.to_string());
            }
            _ => {}
        }
    }

    /// Applies one option without an argument.
    fn flag(&mut self, name: &str) {
        match name {
            "I" | "head" => self.implied_method = Some("HEAD"),
            "G" | "get" => self.get = true,
            _ => {}
        }
    }

    /// `-H 'Name: value'` (or `Name;` for an empty value; `Name:` removes a header: skipped).
    fn header(&mut self, arg: &str) {
        if let Some((name, value)) = header_line(arg) {
            if !value.is_empty() {
                self.headers.push((name.to_string(), value.to_string()));
            }
        } else if let Some(name) = arg.trim().strip_suffix(';') {
            if is_token(name) {
                self.headers.push((name.to_string(), String::new()));
            }
        }
    }
}

/// Short options that take an argument.
const SHORT_WITH_ARG: &str = "AbcCdDeEFHKmoPQrtTuUwxXyYz";

/// Long options that take an argument (the ones a pasted command is likely to have).
const LONG_WITH_ARG: &[&str] = &[
    "header",
    "request",
    "data",
    "data-raw",
    "data-binary",
    "data-ascii",
    "data-urlencode",
    "json",
    "form",
    "form-string",
    "upload-file",
    "url",
    "cookie",
    "cookie-jar",
    "user",
    "user-agent",
    "referer",
    "output",
    "proxy",
    "proxy-user",
    "max-time",
    "connect-timeout",
    "resolve",
    "connect-to",
    "cacert",
    "capath",
    "cert",
    "key",
    "write-out",
    "dump-header",
    "range",
    "config",
    "retry",
    "retry-delay",
    "retry-max-time",
    "max-redirs",
    "interface",
    "oauth2-bearer",
    "unix-socket",
    "limit-rate",
    "preproxy",
    "noproxy",
    "trace",
    "trace-ascii",
    "stderr",
    "output-dir",
    "aws-sigv4",
    "cert-type",
    "key-type",
    "pinnedpubkey",
    "expect100-timeout",
    "variable",
];

/// Reads a command's options (`curl` first).
fn read_command(text: &str) -> Command {
    let words = shell_words(text);
    let mut words = words.iter().skip(1).map(String::as_str);
    let mut command = Command::default();
    while let Some(word) = words.next() {
        if let Some(long) = word.strip_prefix("--") {
            if long.is_empty() {
                if command.url.is_none() {
                    command.url = words.next().map(str::to_string);
                }
                continue;
            }
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (long, None),
            };
            if LONG_WITH_ARG.contains(&name) {
                let arg = inline.or_else(|| words.next());
                command.option(name, arg);
            } else {
                command.flag(name);
            }
        } else if let Some(short) = word.strip_prefix('-').filter(|s| !s.is_empty()) {
            read_short_options(&mut command, short, &mut words);
        } else if command.url.is_none() {
            command.url = Some(word.to_string());
        }
    }
    command
}

/// `-iL`, `-XPUT`, `-X PUT`, `-sSH 'Name: v'`…
fn read_short_options<'a>(
    command: &mut Command,
    cluster: &str,
    words: &mut impl Iterator<Item = &'a str>,
) {
    for (i, c) in cluster.char_indices() {
        let mut buf = [0u8; 4];
        let name: &str = c.encode_utf8(&mut buf);
        if SHORT_WITH_ARG.contains(c) {
            let rest = cluster.get(i + c.len_utf8()..).unwrap_or("");
            let arg = if rest.is_empty() {
                words.next()
            } else {
                Some(rest)
            };
            command.option(name, arg);
            return;
        }
        command.flag(name);
    }
}

/// Splits a command the way a POSIX shell would, roughly: quotes (`'…'`, `"…"`, `$'…'`),
/// backslash escapes, a `#` comment; stops at `|`, `;`, `&&`, `||`, `>` redirections.
fn shell_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                word.extend(chars.by_ref().take_while(|&c| c != '\''));
            }
            '"' => {
                in_word = true;
                double_quoted(&mut chars, &mut word);
            }
            '$' if chars.peek() == Some(&'\'') => {
                chars.next();
                in_word = true;
                ansi_quoted(&mut chars, &mut word);
            }
            '\\' => {
                in_word = true;
                word.extend(chars.next());
            }
            '#' if !in_word => break,
            '|' | ';' | '&' | '>' | '<' if !in_word => break,
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// The rest of a `"…"` word: `\` escapes `"`, `\`, `$` and `` ` ``.
fn double_quoted(chars: &mut impl Iterator<Item = char>, word: &mut String) {
    while let Some(c) = chars.next() {
        match c {
            '"' => return,
            '\\' => match chars.next() {
                Some(n @ ('"' | '\\' | '$' | '`')) => word.push(n),
                Some(n) => {
                    word.push('\\');
                    word.push(n);
                }
                None => word.push('\\'),
            },
            c => word.push(c),
        }
    }
}

/// The rest of a `$'…'` word: `\n`, `\t`, `\r` and `\x` for any other `x`.
fn ansi_quoted(chars: &mut impl Iterator<Item = char>, word: &mut String) {
    while let Some(c) = chars.next() {
        match c {
            '\'' => return,
            '\\' => match chars.next() {
                Some('n') => word.push('\n'),
                Some('t') => word.push('\t'),
                Some('r') => word.push('\r'),
                Some(n) => word.push(n),
                None => {}
            },
            c => word.push(c),
        }
    }
}

/// What a command sends to each URL it visits (`-L` follows `Location`).
struct Visit {
    method: String,
    /// `-X` given: curl keeps the method on every redirect.
    explicit: bool,
    url: Option<Url>,
    /// The URL as typed, when it does not parse.
    raw: String,
    headers: Vec<(String, String)>,
}

impl Visit {
    fn start(command: &Command) -> Visit {
        let raw = command.url.clone().unwrap_or_default();
        Visit {
            method: command.method(),
            explicit: command.explicit_method.is_some(),
            url: parse_url(&raw),
            raw,
            headers: command.headers.clone(),
        }
    }

    fn sent(&self) -> SentHead {
        let (target, host) = match &self.url {
            Some(u) => (target_of(u), host_of(u)),
            None => (self.raw.clone(), None),
        };
        SentHead {
            method: self.method.clone(),
            target,
            host,
            headers: self.headers.clone(),
        }
    }

    /// After a response: a redirect moves to its `Location`, the method changing the way curl
    /// changes it without `-X` (303 → GET, POST on 301/302 → GET).
    fn follow(&mut self, status: u16, location: Option<&str>) {
        let Some(location) = location.filter(|_| matches!(status, 301 | 302 | 303 | 307 | 308))
        else {
            return;
        };
        self.url = match &self.url {
            Some(u) => joined_url(u, location),
            None => parse_url(location),
        };
        self.raw = location.to_string();
        let to_get = (status == 303 && self.method != "HEAD")
            || (matches!(status, 301 | 302) && self.method == "POST");
        if !self.explicit && to_get {
            self.method = "GET".into();
        }
    }
}

/// A URL as curl reads it: `http://` assumed when there is no scheme. ASCII only: the page
/// builds without Unicode IDNA tables, whose stand-in asserts on such hosts in debug builds.
fn parse_url(raw: &str) -> Option<Url> {
    if raw.is_empty() {
        return None;
    }
    absolute_url(raw).or_else(|| absolute_url(&format!("http://{raw}")))
}

/// An absolute URL (ASCII only, as [`parse_url`]).
fn absolute_url(raw: &str) -> Option<Url> {
    (raw.is_ascii() && host_is_ascii(raw))
        .then(|| Url::parse(raw).ok())
        .flatten()
}

/// `location` resolved against `base` (ASCII only, as [`parse_url`]).
fn joined_url(base: &Url, location: &str) -> Option<Url> {
    if !location.is_ascii() || !host_is_ascii(location) {
        return None;
    }
    base.join(location).ok()
}

/// `/path?query`.
fn target_of(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

/// `host[:port]`.
fn host_of(url: &Url) -> Option<String> {
    let host = url.host_str()?;
    Some(match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    })
}

/// Fills [`Head::sent`] from the segment's command where `-v` did not show it.
fn fill_sent_from_commands(heads: &mut [Head], commands: &[Option<Command>]) {
    let mut visit: Option<(usize, Visit)> = None;
    for head in heads.iter_mut() {
        if visit.as_ref().is_none_or(|(s, _)| *s != head.segment) {
            visit = commands
                .get(head.segment)
                .and_then(Option::as_ref)
                .map(|c| (head.segment, Visit::start(c)));
        }
        let Some((_, v)) = &mut visit else {
            continue;
        };
        if head.sent.is_none() {
            head.sent = Some(v.sent());
        }
        v.follow(head.status, head.location());
    }
}

// ---------------------------------------------------------------------------------------------
// Answers

/// An exchange's part in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Preflight,
    Actual,
}

/// The role shown by what was sent: `OPTIONS` with `Access-Control-Request-Method`.
fn sent_role(exchange: &Exchange) -> Option<Role> {
    let sent = exchange.sent.as_ref()?;
    let preflight = sent.method.eq_ignore_ascii_case("OPTIONS")
        && has_header(&sent.headers, "access-control-request-method");
    Some(if preflight {
        Role::Preflight
    } else {
        Role::Actual
    })
}

/// The role of an exchange nothing says was sent, for a preflighted request (see the module
/// documentation).
fn guessed_role(
    exchange: &Exchange,
    next: Option<&Exchange>,
    previous: Option<Role>,
    last_actual: Option<&Exchange>,
) -> Role {
    let looks = preflight_guess(&exchange.response);
    let next_looks = next.is_some_and(|n| preflight_guess(&n.response));
    let preflight = match previous {
        None => match next {
            Some(_) => looks || !next_looks,
            None => looks,
        },
        Some(Role::Preflight) => false,
        Some(Role::Actual) => {
            let redirected = last_actual.is_some_and(is_followed_redirect);
            looks && (next.is_some() || !redirected)
        }
    };
    if preflight {
        Role::Preflight
    } else {
        Role::Actual
    }
}

/// A 3xx with a `Location`.
fn is_followed_redirect(exchange: &Exchange) -> bool {
    matches!(exchange.response.status, 301 | 302 | 303 | 307 | 308)
        && exchange.response.count("location") > 0
}

/// The exchanges split into preflights and actual responses, in order.
struct Roles<'a> {
    preflights: Vec<&'a Exchange>,
    actuals: Vec<&'a Exchange>,
}

impl<'a> Roles<'a> {
    fn of(exchanges: &'a [Exchange], preflighted: bool) -> Roles<'a> {
        let mut roles = Roles {
            preflights: Vec::new(),
            actuals: Vec::new(),
        };
        let mut previous = None;
        let mut rest = exchanges.iter().peekable();
        while let Some(exchange) = rest.next() {
            let role = match sent_role(exchange) {
                Some(role) => role,
                None if !preflighted => Role::Actual,
                None => guessed_role(
                    exchange,
                    rest.peek().copied(),
                    previous,
                    roles.actuals.last().copied(),
                ),
            };
            match role {
                Role::Preflight if preflighted => roles.preflights.push(exchange),
                Role::Preflight => {}
                Role::Actual => roles.actuals.push(exchange),
            }
            previous = Some(role);
        }
        roles
    }

    /// Hop `n`: the `n`-th actual response in the redirect chain, with the `n`-th preflight (or
    /// the last one shown).
    fn hops(&self, preflighted: bool) -> Vec<Hop> {
        let preflight_for = |n: usize| {
            preflighted
                .then(|| self.preflights.get(n).or(self.preflights.last()))
                .flatten()
                .map(|e| e.response.clone())
        };
        let mut hops = Vec::new();
        for (n, actual) in self.actuals.iter().enumerate() {
            hops.push(Hop::new(preflight_for(n), actual.response.clone()));
            let next = self.actuals.get(n + 1).copied();
            if !next.is_some_and(|next| leads_to(actual, next)) {
                break;
            }
        }
        if hops.is_empty() {
            if let Some(p) = self.preflights.first() {
                hops.push(Hop::new(Some(p.response.clone()), p.response.clone()));
            }
        }
        hops
    }
}

/// Whether `next` is the request curl `-L` sent to `exchange`'s `Location` (when both show
/// what was sent, the `Location`'s path and query must be `next`'s target).
fn leads_to(exchange: &Exchange, next: &Exchange) -> bool {
    if !is_followed_redirect(exchange) {
        return false;
    }
    let location = exchange.response.get("location").unwrap_or_default();
    let target = next.sent.as_ref().map(|s| s.target.as_str());
    match (path_of(&location), target.and_then(path_of)) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

/// The path and query of a target or `Location` (`None` when it is relative without `/`).
fn path_of(s: &str) -> Option<String> {
    let s = s.split('#').next().unwrap_or(s).trim();
    if s.starts_with("//") {
        return absolute_url(&format!("http:{s}")).map(|u| target_of(&u));
    }
    if s.starts_with('/') {
        return Some(s.to_string());
    }
    absolute_url(s).map(|u| target_of(&u))
}
