//! DevTools' "Copy as fetch", "Copy as fetch (Node.js)", "Copy as cURL (bash)" / "(cmd)" and the
//! page's own `curl` commands, turned into the form's fields. Nothing is sent.
//!
//! Reading follows the shells and browsers that wrote the text:
//!
//! - **fetch**: the first argument is a string literal, the second an object literal read as JSON
//!   with JavaScript's tolerance (single-quoted and template strings, unquoted keys, trailing
//!   commas, comments, `JSON.stringify(…)` bodies, `new Headers(…)`). Chromium writes
//!   `fetch(…)`, Firefox `await fetch(…)`; Chromium's Node.js flavour has neither `mode` nor
//!   `credentials` and carries `cookie` and `Referer` as headers.
//! - **cURL (bash)**: POSIX words — `'…'`, `"…"`, `$'…'` ANSI-C strings (`\'`, `\\`, `\n`,
//!   `\xHH`, `\uHHHH`, octal), `\` + newline continuations, a `#` comment to the end of its line,
//!   and the command ending at an unquoted newline, `;`, `&`, `|`, `<` or `>` (so "Copy all as
//!   cURL" yields its first request). A comment ends its line, as in a shell (the page's own
//!   commands put theirs last).
//! - **cURL (cmd)**: cmd.exe's `^` escapes (a `^` before a line break continues the line and
//!   takes the next character literally, which is how DevTools writes a newline inside a value),
//!   then the C runtime's quoting. Chromium's `curl` doubles every backslash, so `\\` is one
//!   backslash and `\"` a quote; Firefox's `curl.exe` only escapes quotes.
//!
//! Then curl's own rules: `-X`/`--request` names the method, any `-d`/`--data*`/`--json` body
//! makes it POST (several are joined with `&`), `-G` moves the data into the query, `-I` is
//! HEAD; URL globbing escapes (`\[`, `\{`) are undone unless `-g`/`--globoff`; `-H 'Name:'`
//! removes a header and `-H 'Name;'` sends it empty, as curl does.
//!
//! A preflight (`OPTIONS` with `Access-Control-Request-Method`, as the page's own preflight
//! command or a copied preflight row) is imported as the request it stands for: that method, and
//! each name of `Access-Control-Request-Headers` as a `Name: ` line with an empty value for the
//! user to fill in (an empty value keeps a listed `Content-Type` non-safelisted, so the request
//! still needs its preflight); no body, no credentials.

use super::browser_headers::{asked_names, is_browser_header};
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

/// The kind of text a request was copied as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// "Copy as fetch" (Chromium, Firefox) or a hand-written `fetch(…)` with `mode` or
    /// `credentials`.
    Fetch,
    /// Chromium's "Copy as fetch (Node.js)": no `mode`, no `credentials`.
    FetchNode,
    /// A `curl` command for POSIX shells (DevTools' bash flavour, Firefox, the page's own).
    CurlBash,
    /// A `curl` command for cmd.exe (`^"…^"`, `^` escapes).
    CurlCmd,
}

/// Why the text is not a command this module reads.
#[derive(Debug, Clone, PartialEq)]
pub struct NotACommand(pub String);

/// Reads one command. Never panics.
pub fn parse(text: &str) -> Result<Imported, NotACommand> {
    let text = text.replace("\r\n", "\n");
    let text = without_prompt(text.trim());
    if text.is_empty() {
        return Err(not_a_command(
            "The text is empty: paste one `curl …` command or `fetch(…)` call copied from DevTools.",
        ));
    }
    if let Some(arguments) = fetch_arguments(text) {
        return read_fetch(arguments).map(finish);
    }
    if let Some((program, rest)) = curl_program(text) {
        return read_curl(program, rest).map(finish);
    }
    Err(not_a_command(
        "This is neither a `curl …` command nor a `fetch(…)` call: in DevTools' Network panel, \
         right-click the request and pick Copy → Copy as cURL or Copy as fetch.",
    ))
}

fn not_a_command(reason: &str) -> NotACommand {
    NotACommand(reason.to_string())
}

/// A shell prompt (`$ `, `> `) copied along with the command.
fn without_prompt(text: &str) -> &str {
    for prompt in ["$ ", "> ", "PS> "] {
        if let Some(rest) = text.strip_prefix(prompt) {
            return rest.trim_start();
        }
    }
    text
}

// ---------------------------------------------------------------------------------------------
// The request as the command states it, and what the form keeps of it.

/// What a command says, before the browser's own headers are sorted out.
struct Raw {
    kind: ImportKind,
    url: String,
    /// The method the command names, if it names one.
    method: Option<String>,
    /// Every header the command sends, in order (`-b` as `cookie`, `-A` as `user-agent`, …).
    headers: Vec<(String, String)>,
    body: Option<String>,
    /// fetch's `referrer` (curl's `-e` and headers land in `headers`).
    referrer: Option<String>,
    /// fetch's `credentials: "include"`.
    include_credentials: bool,
}

/// Sorts the headers into the form's and the browser's, and fills the form.
fn finish(raw: Raw) -> Imported {
    let origin = origin_of(&raw);
    if let Some(imported) = preflight_stand_in(&raw, &origin) {
        return imported;
    }
    let credentials = raw.include_credentials || raw.headers.iter().any(|(n, _)| is_cookie(n));
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for (name, value) in &raw.headers {
        if browser_adds(name, value) {
            dropped.push(dropped_line(name, value));
        } else {
            kept.push(header_line(name, value));
        }
    }
    let method = method_of(&raw);
    Imported {
        form: FormInput {
            url: raw.url,
            method,
            headers: kept.join("\n"),
            body: raw.body.unwrap_or_default(),
            credentials,
            ..FormInput::default()
        },
        origin,
        dropped,
        kind: raw.kind,
    }
}

/// The named method, else POST with a body (curl's rule for `-d`), else GET.
fn method_of(raw: &Raw) -> String {
    match raw.method.as_deref().map(str::trim) {
        Some(method) if !method.is_empty() => method.to_string(),
        _ if raw.body.is_some() => "POST".to_string(),
        _ => "GET".to_string(),
    }
}

/// For a preflight, the request it asks about (see the module docs).
fn preflight_stand_in(raw: &Raw, origin: &Option<String>) -> Option<Imported> {
    let method = raw.method.as_deref()?.trim();
    if !method.eq_ignore_ascii_case("OPTIONS") {
        return None;
    }
    let asked = header_value(&raw.headers, "access-control-request-method")?.trim();
    if asked.is_empty() {
        return None;
    }
    let names = header_value(&raw.headers, "access-control-request-headers").unwrap_or("");
    let lines: Vec<String> = asked_names(names).map(|name| format!("{name}: ")).collect();
    Some(Imported {
        form: FormInput {
            url: raw.url.clone(),
            method: asked.to_string(),
            headers: lines.join("\n"),
            ..FormInput::default()
        },
        origin: origin.clone(),
        dropped: raw
            .headers
            .iter()
            .map(|(n, v)| dropped_line(n, v))
            .collect(),
        kind: raw.kind,
    })
}

/// The last value of a header, by case-insensitive name.
fn header_value<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .rev()
        .find(|(n, _)| n.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The `Origin` header's value, else the origin of the referrer.
fn origin_of(raw: &Raw) -> Option<String> {
    if let Some(origin) = header_value(&raw.headers, "origin").map(str::trim) {
        if !origin.is_empty() {
            return Some(origin.to_string());
        }
    }
    let referrer = header_value(&raw.headers, "referer").or(raw.referrer.as_deref())?;
    let url = url::Url::parse(referrer.trim()).ok()?;
    let origin = url.origin();
    origin.is_tuple().then(|| origin.ascii_serialization())
}

/// Whether the browser, not the page's script, put this header on the request.
fn browser_adds(name: &str, value: &str) -> bool {
    is_browser_header(name, value)
}

fn is_cookie(name: &str) -> bool {
    name.trim().eq_ignore_ascii_case("cookie")
}

/// Names whose values are secrets, masked in the dropped list.
fn is_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["cookie", "auth", "token", "secret", "key"]
        .iter()
        .any(|word| name.contains(word))
}

/// `Name: value` for the dropped list, the value masked when it is a secret.
fn dropped_line(name: &str, value: &str) -> String {
    if is_secret(name) {
        format!("{}: ••••", name.trim())
    } else {
        header_line(name, value)
    }
}

/// `Name: value` for the form; a line break inside a value becomes a space, since the form
/// holds one header per line.
fn header_line(name: &str, value: &str) -> String {
    let value: String = value
        .trim()
        .chars()
        .map(|c| if matches!(c, '\r' | '\n') { ' ' } else { c })
        .collect();
    format!("{}: {}", name.trim(), value)
}

// ---------------------------------------------------------------------------------------------
// fetch(…)

/// The text after `fetch(` when `text` is a fetch call, optionally after `await`, an
/// assignment or `window.`.
fn fetch_arguments(text: &str) -> Option<&str> {
    let at = text.find("fetch(")?;
    let prefix = text.get(..at)?;
    let plain = prefix.chars().all(|c| {
        c.is_ascii_alphanumeric() || matches!(c, ' ' | '\t' | '\n' | '=' | '_' | '$' | '.')
    });
    if plain {
        text.get(at + "fetch(".len()..)
    } else {
        None
    }
}

/// Reads `"URL", { … })` into a request.
fn read_fetch(arguments: &str) -> Result<Raw, NotACommand> {
    let mut js = JsReader::new(arguments);
    let url = match js.value() {
        Ok(Js::Str(url)) => url,
        Ok(_) => return Err(not_a_command("fetch's first argument is not a quoted URL.")),
        Err(error) => {
            return Err(NotACommand(format!(
                "fetch's URL could not be read: {error}."
            )))
        }
    };
    if url.trim().is_empty() {
        return Err(not_a_command("fetch's URL is empty."));
    }
    let options = js
        .second_argument()
        .map_err(|error| NotACommand(format!("fetch's options could not be read: {error}.")))?;
    Ok(fetch_request(url, &options))
}

/// The request a fetch call's options describe.
fn fetch_request(url: String, options: &[(String, Js)]) -> Raw {
    let option = |key: &str| options.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v);
    let node = option("mode").is_none() && option("credentials").is_none();
    Raw {
        kind: if node {
            ImportKind::FetchNode
        } else {
            ImportKind::Fetch
        },
        url,
        method: option("method").and_then(Js::text),
        headers: option("headers").map(header_pairs).unwrap_or_default(),
        body: option("body").and_then(body_text),
        referrer: option("referrer").and_then(Js::text),
        include_credentials: option("credentials").and_then(Js::text).as_deref() == Some("include"),
    }
}

/// `{ "name": "value" }` or `[["name", "value"]]`, as HeadersInit allows.
fn header_pairs(headers: &Js) -> Vec<(String, String)> {
    match headers {
        Js::Obj(entries) => entries
            .iter()
            .filter_map(|(name, value)| Some((name.clone(), value.text()?)))
            .collect(),
        Js::Arr(items) => items.iter().filter_map(pair_of).collect(),
        _ => Vec::new(),
    }
}

/// One `["name", "value"]` entry.
fn pair_of(item: &Js) -> Option<(String, String)> {
    match item {
        Js::Arr(pair) => Some((pair.first()?.text()?, pair.get(1)?.text()?)),
        _ => None,
    }
}

/// A body as text: strings as they are, `null`/`undefined` as none, anything else as JSON.
fn body_text(body: &Js) -> Option<String> {
    match body {
        Js::Null => None,
        Js::Str(text) | Js::Raw(text) => Some(text.clone()),
        other => Some(other.to_json()),
    }
}

/// A JavaScript literal value, as much of JS as copied requests use.
#[derive(Debug, Clone, PartialEq)]
enum Js {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<Js>),
    /// Entries in source order.
    Obj(Vec<(String, Js)>),
    /// An expression this reader does not evaluate, as written.
    Raw(String),
}

impl Js {
    /// A scalar as a header value or option: strings, numbers, booleans.
    fn text(&self) -> Option<String> {
        match self {
            Js::Str(text) | Js::Num(text) | Js::Raw(text) => Some(text.clone()),
            Js::Bool(value) => Some(value.to_string()),
            _ => None,
        }
    }

    /// `JSON.stringify` of the value.
    fn to_json(&self) -> String {
        match self {
            Js::Null => "null".to_string(),
            Js::Bool(value) => value.to_string(),
            Js::Num(text) | Js::Raw(text) => text.clone(),
            Js::Str(text) => json_string(text),
            Js::Arr(items) => {
                let items: Vec<String> = items.iter().map(Js::to_json).collect();
                format!("[{}]", items.join(","))
            }
            Js::Obj(entries) => {
                let entries: Vec<String> = entries
                    .iter()
                    .map(|(key, value)| format!("{}:{}", json_string(key), value.to_json()))
                    .collect();
                format!("{{{}}}", entries.join(","))
            }
        }
    }
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// Objects and arrays nest no deeper than this (the reader recurses once per level).
const MAX_DEPTH: usize = 64;

/// A cursor over JavaScript source.
struct JsReader {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

impl JsReader {
    fn new(text: &str) -> Self {
        JsReader {
            chars: text.chars().collect(),
            pos: 0,
            depth: 0,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    /// Consumes `c` if it is next.
    fn eat(&mut self, c: char) -> bool {
        let found = self.peek() == Some(c);
        if found {
            self.pos += 1;
        }
        found
    }

    /// Whitespace and `//` / `/* */` comments.
    fn skip_space(&mut self) {
        loop {
            match (self.peek(), self.peek_at(1)) {
                (Some(c), _) if c.is_whitespace() => self.pos += 1,
                (Some('/'), Some('/')) => self.skip_until(&['\n'], 0),
                (Some('/'), Some('*')) => self.skip_block_comment(),
                _ => return,
            }
        }
    }

    /// Moves to the next of `stops` (or the end), then `past` characters further.
    fn skip_until(&mut self, stops: &[char], past: usize) {
        while let Some(c) = self.peek() {
            if stops.contains(&c) {
                self.pos += past;
                return;
            }
            self.pos += 1;
        }
    }

    fn skip_block_comment(&mut self) {
        self.pos += 2;
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == '*' && self.peek() == Some('/') {
                self.pos += 1;
                return;
            }
        }
    }

    /// After the first argument: `, { … }` (or nothing, or `)`), as object entries.
    fn second_argument(&mut self) -> Result<Vec<(String, Js)>, String> {
        self.skip_space();
        if !self.eat(',') {
            return Ok(Vec::new());
        }
        self.skip_space();
        if matches!(self.peek(), None | Some(')')) {
            return Ok(Vec::new());
        }
        match self.value()? {
            Js::Obj(entries) => Ok(entries),
            Js::Null => Ok(Vec::new()),
            _ => Err("the second argument is not an object literal".to_string()),
        }
    }

    /// One value.
    fn value(&mut self) -> Result<Js, String> {
        self.skip_space();
        match self.peek() {
            None => Err("the text ends where a value should be".to_string()),
            Some('{') => self.nested(Self::object),
            Some('[') => self.nested(Self::array),
            Some(quote @ ('"' | '\'' | '`')) => self.string(quote).map(Js::Str),
            Some(c) if c.is_ascii_digit() || matches!(c, '-' | '+' | '.') => Ok(self.number()),
            Some(c) if is_identifier_char(c) => self.word_value(),
            Some(c) => Err(format!("unexpected `{c}`")),
        }
    }

    /// Runs `read` one level deeper, refusing to go past [`MAX_DEPTH`].
    fn nested(&mut self, read: fn(&mut Self) -> Result<Js, String>) -> Result<Js, String> {
        if self.depth >= MAX_DEPTH {
            return Err("objects are nested too deeply".to_string());
        }
        self.depth += 1;
        let value = read(self);
        self.depth -= 1;
        value
    }

    /// `{ key: value, … }`, with trailing commas and `...spread` (skipped).
    fn object(&mut self) -> Result<Js, String> {
        self.pos += 1;
        let mut entries = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                None => return Err("an object is not closed".to_string()),
                Some('}') => {
                    self.pos += 1;
                    return Ok(Js::Obj(entries));
                }
                Some('.') if self.peek_at(1) == Some('.') => {
                    self.pos += 3;
                    self.value()?;
                }
                _ => entries.push(self.entry()?),
            }
            self.after_item('}')?;
        }
    }

    /// `key: value`.
    fn entry(&mut self) -> Result<(String, Js), String> {
        let key = self.key()?;
        self.skip_space();
        if !self.eat(':') {
            return Err(format!("`:` is missing after the key `{key}`"));
        }
        Ok((key, self.value()?))
    }

    /// A quoted key, or a bare one (letters, digits, `_`, `$`, `-`).
    fn key(&mut self) -> Result<String, String> {
        if let Some(quote @ ('"' | '\'' | '`')) = self.peek() {
            return self.string(quote);
        }
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| is_identifier_char(c) || c == '-')
        {
            self.pos += 1;
        }
        if self.pos == start {
            return Err(match self.peek() {
                Some(c) => format!("unexpected `{c}` where a key should be"),
                None => "the text ends where a key should be".to_string(),
            });
        }
        Ok(self.text_from(start))
    }

    /// After an entry or item: `,`, or the closing bracket next.
    fn after_item(&mut self, close: char) -> Result<(), String> {
        self.skip_space();
        if self.eat(',') || self.peek() == Some(close) {
            return Ok(());
        }
        Err(match self.peek() {
            Some(c) => format!("expected `,` or `{close}` but found `{c}`"),
            None => format!("the text ends before `{close}`"),
        })
    }

    /// `[ value, … ]`.
    fn array(&mut self) -> Result<Js, String> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                None => return Err("an array is not closed".to_string()),
                Some(']') => {
                    self.pos += 1;
                    return Ok(Js::Arr(items));
                }
                _ => items.push(self.value()?),
            }
            self.after_item(']')?;
        }
    }

    /// A string literal in `quote`s with JavaScript's escapes; `${…}` in a template stays as
    /// written.
    fn string(&mut self, quote: char) -> Result<String, String> {
        self.pos += 1;
        let mut out = String::new();
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == quote {
                return Ok(out);
            }
            if c == '\\' {
                self.escape(&mut out);
            } else {
                out.push(c);
            }
        }
        Err("a string is not closed".to_string())
    }

    /// The escape after a `\` in a string.
    fn escape(&mut self, out: &mut String) {
        let Some(c) = self.peek() else { return };
        self.pos += 1;
        match c {
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '0' => out.push('\0'),
            '\n' | '\u{2028}' | '\u{2029}' => {}
            'x' => out.push(self.hex_char(2)),
            'u' => out.push(self.unicode_escape()),
            other => out.push(other),
        }
    }

    /// Up to `max` hex digits as a number (`None` when there is none).
    fn hex(&mut self, max: usize) -> Option<u32> {
        let mut value: Option<u32> = None;
        for _ in 0..max {
            let Some(digit) = self.peek().and_then(|c| c.to_digit(16)) else {
                break;
            };
            self.pos += 1;
            value = Some(value.unwrap_or(0).saturating_mul(16).saturating_add(digit));
        }
        value
    }

    fn hex_char(&mut self, max: usize) -> char {
        self.hex(max)
            .and_then(char::from_u32)
            .unwrap_or(char::REPLACEMENT_CHARACTER)
    }

    /// `\uHHHH` (a surrogate pair when two follow each other) or `\u{H…}`.
    fn unicode_escape(&mut self) -> char {
        if self.eat('{') {
            let c = self.hex_char(8);
            self.skip_until(&['}'], 1);
            return c;
        }
        let Some(unit) = self.hex(4) else {
            return char::REPLACEMENT_CHARACTER;
        };
        if !(0xD800..0xDC00).contains(&unit) {
            return char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER);
        }
        if self.peek() == Some('\\') && self.peek_at(1) == Some('u') {
            self.pos += 2;
            if let Some(low @ 0xDC00..=0xDFFF) = self.hex(4) {
                let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                return char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
            }
        }
        char::REPLACEMENT_CHARACTER
    }

    /// A number, kept as written.
    fn number(&mut self) -> Js {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-' | '_'))
        {
            self.pos += 1;
        }
        Js::Num(self.text_from(start))
    }

    /// `true`, `false`, `null`, `undefined`, `JSON.stringify(…)`, `new Headers(…)`; any other
    /// expression is kept as written.
    fn word_value(&mut self) -> Result<Js, String> {
        let start = self.pos;
        let word = self.dotted_name();
        match word.as_str() {
            "true" => return Ok(Js::Bool(true)),
            "false" => return Ok(Js::Bool(false)),
            "null" | "undefined" => return Ok(Js::Null),
            "JSON.stringify" => return Ok(Js::Str(self.call_argument()?.to_json())),
            "new" => {
                self.skip_space();
                if self.dotted_name() == "Headers" {
                    return self.call_argument();
                }
            }
            _ => {}
        }
        self.pos = start;
        self.skip_expression();
        Ok(Js::Raw(self.text_from(start).trim().to_string()))
    }

    /// `a.b.c`.
    fn dotted_name(&mut self) -> String {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| is_identifier_char(c) || c == '.')
        {
            self.pos += 1;
        }
        self.text_from(start)
    }

    /// `( value, … )`: the first argument (`null` when there is none).
    fn call_argument(&mut self) -> Result<Js, String> {
        self.skip_space();
        if !self.eat('(') {
            return Err("`(` is missing after a function name".to_string());
        }
        self.skip_space();
        let value = if self.peek() == Some(')') {
            Js::Null
        } else {
            self.value()?
        };
        self.skip_expression();
        if self.eat(')') {
            Ok(value)
        } else {
            Err("a call is not closed with `)`".to_string())
        }
    }

    /// Skips to the `,` or closing bracket that ends the current expression, over nested
    /// brackets and strings.
    fn skip_expression(&mut self) {
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            match c {
                '"' | '\'' | '`' => {
                    let _ = self.string(c);
                    continue;
                }
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' if depth == 0 => return,
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => return,
                _ => {}
            }
            self.pos += 1;
        }
    }

    fn text_from(&self, start: usize) -> String {
        self.chars
            .get(start..self.pos)
            .map(|chars| chars.iter().collect())
            .unwrap_or_default()
    }
}

fn is_identifier_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

// ---------------------------------------------------------------------------------------------
// curl …

/// `curl` or `curl.exe` at the start, and the text after it.
fn curl_program(text: &str) -> Option<(&'static str, &str)> {
    for program in ["curl.exe", "curl"] {
        let Some(rest) = strip_prefix_ignore_case(text, program) else {
            continue;
        };
        if rest.is_empty() || rest.starts_with(char::is_whitespace) || rest.starts_with('\\') {
            return Some((program, rest));
        }
    }
    None
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        text.get(prefix.len()..)
    } else {
        None
    }
}

/// One shell word after quoting is undone.
#[derive(Debug, Default)]
struct Word {
    text: String,
    /// The first word of a line the previous one did not continue.
    line_start: bool,
}

/// Reads the arguments after `curl`.
fn read_curl(program: &str, rest: &str) -> Result<Raw, NotACommand> {
    let (kind, words) = if is_cmd(program, rest) {
        let doubled_backslashes = program == "curl";
        (ImportKind::CurlCmd, cmd_words(rest, doubled_backslashes))
    } else {
        (ImportKind::CurlBash, bash_words(rest))
    };
    CurlArgs::new(kind).read(&words)
}

/// Whether the command is written for cmd.exe: `curl.exe` (Firefox on Windows), a first
/// argument in `^"…^"` (or, as older Chromium wrote short commands, in `"…"` with `^` escapes),
/// or lines continued with ` ^`.
fn is_cmd(program: &str, rest: &str) -> bool {
    if program == "curl.exe" {
        return true;
    }
    let first = rest.trim_start();
    if first.starts_with('^') {
        return true;
    }
    if first.starts_with('\'') || first.starts_with("$'") {
        return false;
    }
    if first.starts_with('"') && first.contains('^') {
        return true;
    }
    rest.lines().any(|line| line.trim_end().ends_with(" ^"))
}

/// Collects one word's bytes (ANSI-C strings may hold raw bytes) and its start-of-line mark.
#[derive(Default)]
struct WordBuilder {
    bytes: Vec<u8>,
    started: bool,
    line_start: bool,
    words: Vec<Word>,
}

impl WordBuilder {
    fn push(&mut self, c: char) {
        let mut buffer = [0u8; 4];
        self.bytes
            .extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
        self.started = true;
    }

    fn push_byte(&mut self, byte: u8) {
        self.bytes.push(byte);
        self.started = true;
    }

    /// Ends the current word, if one started.
    fn finish(&mut self) {
        if self.started {
            self.words.push(Word {
                text: String::from_utf8_lossy(&self.bytes).into_owned(),
                line_start: self.line_start,
            });
            self.line_start = false;
        }
        self.bytes.clear();
        self.started = false;
    }

    /// Ends the current word at a line break the shell does not continue.
    fn line_break(&mut self) {
        self.finish();
        self.line_start = true;
    }
}

/// POSIX shell words, up to the end of the command.
fn bash_words(text: &str) -> Vec<Word> {
    let chars: Vec<char> = text.chars().collect();
    let mut word = WordBuilder::default();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        let next = chars.get(i).copied();
        match c {
            ' ' | '\t' => word.finish(),
            '\n' => word.line_break(),
            '\\' => i = backslash(&chars, i, &mut word),
            '\'' => i = single_quoted(&chars, i, &mut word),
            '"' => i = double_quoted(&chars, i, &mut word),
            '$' if next == Some('\'') => i = ansi_c_quoted(&chars, i + 1, &mut word),
            '$' if next == Some('"') => i = double_quoted(&chars, i + 1, &mut word),
            '#' if !word.started => i = end_of_line(&chars, i),
            ';' | '&' | '|' | '<' | '>' => break,
            _ => word.push(c),
        }
    }
    word.finish();
    word.words
}

/// After an unquoted `\`: a line continuation, or the next character taken literally.
fn backslash(chars: &[char], i: usize, word: &mut WordBuilder) -> usize {
    match chars.get(i) {
        Some('\n') => i + 1,
        Some(&c) => {
            word.push(c);
            i + 1
        }
        None => i,
    }
}

/// `'…'` from after the opening quote; returns the index after the closing one.
fn single_quoted(chars: &[char], mut i: usize, word: &mut WordBuilder) -> usize {
    word.started = true;
    while let Some(&c) = chars.get(i) {
        i += 1;
        if c == '\'' {
            break;
        }
        word.push(c);
    }
    i
}

/// `"…"`: `\` escapes only `$`, `` ` ``, `"`, `\` and a line break.
fn double_quoted(chars: &[char], mut i: usize, word: &mut WordBuilder) -> usize {
    word.started = true;
    while let Some(&c) = chars.get(i) {
        i += 1;
        match (c, chars.get(i)) {
            ('"', _) => break,
            ('\\', Some('\n')) => i += 1,
            ('\\', Some(&e @ ('$' | '`' | '"' | '\\'))) => {
                word.push(e);
                i += 1;
            }
            _ => word.push(c),
        }
    }
    i
}

/// The index after the end of the current line (a `#` comment).
fn end_of_line(chars: &[char], mut i: usize) -> usize {
    while chars.get(i).is_some_and(|c| *c != '\n') {
        i += 1;
    }
    i
}

/// `$'…'` from after the opening quote, with bash's ANSI-C escapes.
fn ansi_c_quoted(chars: &[char], mut i: usize, word: &mut WordBuilder) -> usize {
    word.started = true;
    while let Some(&c) = chars.get(i) {
        i += 1;
        match c {
            '\'' => break,
            '\\' => i = ansi_c_escape(chars, i, word),
            _ => word.push(c),
        }
    }
    i
}

/// One ANSI-C escape after its `\`; returns the index after it.
fn ansi_c_escape(chars: &[char], i: usize, word: &mut WordBuilder) -> usize {
    let Some(&c) = chars.get(i) else { return i };
    let simple = match c {
        'a' => Some(7),
        'b' => Some(8),
        'e' | 'E' => Some(27),
        'f' => Some(12),
        'n' => Some(b'\n'),
        'r' => Some(b'\r'),
        't' => Some(b'\t'),
        'v' => Some(11),
        '\\' | '\'' | '"' | '?' => u8::try_from(c).ok(),
        _ => None,
    };
    if let Some(byte) = simple {
        word.push_byte(byte);
        return i + 1;
    }
    match c {
        '0'..='7' => numeric_escape(chars, i, 8, 3, word, false),
        'x' => numeric_escape(chars, i + 1, 16, 2, word, false),
        'u' => numeric_escape(chars, i + 1, 16, 4, word, true),
        'U' => numeric_escape(chars, i + 1, 16, 8, word, true),
        'c' => control_escape(chars, i + 1, word),
        _ => {
            word.push('\\');
            word.push(c);
            i + 1
        }
    }
}

/// Up to `max` digits in `radix` from `i`: a byte (octal, `\x`) or a code point (`\u`, `\U`).
/// A `\u` high surrogate followed by a `\u` low surrogate makes one character.
fn numeric_escape(
    chars: &[char],
    i: usize,
    radix: u32,
    max: usize,
    word: &mut WordBuilder,
    code_point: bool,
) -> usize {
    let (value, end) = digits(chars, i, radix, max);
    let Some(value) = value else {
        word.push('\\');
        if let Some(&c) = chars.get(i.saturating_sub(1)) {
            word.push(c);
        }
        return i;
    };
    if !code_point {
        word.push_byte((value & 0xFF) as u8);
        return end;
    }
    if let Some((c, after)) = low_surrogate_after(chars, end, value) {
        word.push(c);
        return after;
    }
    word.push(char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER));
    end
}

/// When `high` is a high surrogate and `\uDC00`–`\uDFFF` follows at `i`: the character the
/// pair makes, and the index after it.
fn low_surrogate_after(chars: &[char], i: usize, high: u32) -> Option<(char, usize)> {
    if !(0xD800..0xDC00).contains(&high)
        || chars.get(i) != Some(&'\\')
        || chars.get(i + 1) != Some(&'u')
    {
        return None;
    }
    match digits(chars, i + 2, 16, 4) {
        (Some(low @ 0xDC00..=0xDFFF), after) => {
            char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)).map(|c| (c, after))
        }
        _ => None,
    }
}

/// Up to `max` digits in `radix` from `i`: their value (`None` when there is none) and the
/// index after them.
fn digits(chars: &[char], mut i: usize, radix: u32, max: usize) -> (Option<u32>, usize) {
    let mut value: Option<u32> = None;
    for _ in 0..max {
        let Some(digit) = chars.get(i).and_then(|c| c.to_digit(radix)) else {
            break;
        };
        value = Some(
            value
                .unwrap_or(0)
                .saturating_mul(radix)
                .saturating_add(digit),
        );
        i += 1;
    }
    (value, i)
}

/// `\cX`: the control character X & 0x1F.
fn control_escape(chars: &[char], i: usize, word: &mut WordBuilder) -> usize {
    match chars.get(i) {
        Some(&c) if c.is_ascii() => {
            word.push_byte((c as u8) & 0x1F);
            i + 1
        }
        _ => {
            word.push('\\');
            word.push('c');
            i
        }
    }
}

/// cmd.exe words: `^` escapes undone, then the C runtime's quoting. `doubled_backslashes`:
/// every `\` was written twice (Chromium), so `\\` is one.
fn cmd_words(text: &str, doubled_backslashes: bool) -> Vec<Word> {
    let chars = caret_unescaped(text);
    let mut word = WordBuilder::default();
    let mut quoted = false;
    let mut i = 0;
    while let Some(&(c, escaped)) = chars.get(i) {
        i += 1;
        let next = chars.get(i).map(|(n, _)| *n);
        match c {
            '\\' if next == Some('"') || (doubled_backslashes && next == Some('\\')) => {
                word.push(next.unwrap_or('\\'));
                i += 1;
            }
            '"' => {
                quoted = !quoted;
                word.started = true;
            }
            '\n' if escaped || quoted => word.push(c),
            '\n' => word.line_break(),
            ' ' | '\t' if !quoted => word.finish(),
            '&' | '|' | '<' | '>' if !quoted && !escaped => break,
            _ => word.push(c),
        }
    }
    word.finish();
    word.words
}

/// cmd.exe's first pass: `^x` is `x` taken literally (marked `true`); `^` before a line break
/// continues the line and takes the character after the break literally.
fn caret_unescaped(text: &str) -> Vec<(char, bool)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        if c != '^' {
            out.push((c, false));
            continue;
        }
        if chars.get(i) == Some(&'\n') {
            i += 1;
        }
        if let Some(&literal) = chars.get(i) {
            out.push((literal, true));
            i += 1;
        }
    }
    out
}

/// The options of one curl command, as far as they shape the request.
struct CurlArgs {
    raw: Raw,
    url: Option<String>,
    data: Vec<String>,
    get: bool,
    head: bool,
    globoff: bool,
    json: bool,
    form: bool,
}

/// Long options that take an argument (the rest are flags); short ones in [`short_option`].
const LONG_WITH_ARGUMENT: &[&str] = &[
    "--url",
    "--request",
    "--header",
    "--data",
    "--data-raw",
    "--data-binary",
    "--data-ascii",
    "--data-urlencode",
    "--json",
    "--cookie",
    "--cookie-jar",
    "--user",
    "--user-agent",
    "--referer",
    "--form",
    "--form-string",
    "--oauth2-bearer",
    "--output",
    "--max-time",
    "--connect-timeout",
    "--proxy",
    "--proxy-user",
    "--proxy-header",
    "--resolve",
    "--connect-to",
    "--cacert",
    "--capath",
    "--cert",
    "--cert-type",
    "--key",
    "--key-type",
    "--pass",
    "--write-out",
    "--upload-file",
    "--range",
    "--limit-rate",
    "--retry",
    "--retry-delay",
    "--retry-max-time",
    "--config",
    "--proto",
    "--proto-redir",
    "--interface",
    "--local-port",
    "--max-redirs",
    "--max-filesize",
    "--dns-servers",
    "--noproxy",
    "--preproxy",
    "--socks4",
    "--socks4a",
    "--socks5",
    "--socks5-hostname",
    "--unix-socket",
    "--abstract-unix-socket",
    "--trace",
    "--trace-ascii",
    "--stderr",
    "--dump-header",
    "--ciphers",
    "--tls-max",
    "--expect100-timeout",
    "--keepalive-time",
    "--variable",
    "--time-cond",
    "--continue-at",
    "--quote",
];

/// A short option letter: the long option it stands for, and whether it takes an argument.
fn short_option(letter: char) -> (Option<&'static str>, bool) {
    match letter {
        'X' => (Some("--request"), true),
        'H' => (Some("--header"), true),
        'd' => (Some("--data"), true),
        'b' => (Some("--cookie"), true),
        'A' => (Some("--user-agent"), true),
        'e' => (Some("--referer"), true),
        'F' => (Some("--form"), true),
        'I' => (Some("--head"), false),
        'G' => (Some("--get"), false),
        'g' => (Some("--globoff"), false),
        'c' | 'u' | 'o' | 'm' | 'x' | 'U' | 'w' | 'T' | 'r' | 'K' | 'E' | 'D' | 'Y' | 'y' | 'z'
        | 'C' | 'P' | 'Q' | 't' => (None, true),
        _ => (None, false),
    }
}

impl CurlArgs {
    fn new(kind: ImportKind) -> Self {
        CurlArgs {
            raw: Raw {
                kind,
                url: String::new(),
                method: None,
                headers: Vec::new(),
                body: None,
                referrer: None,
                include_credentials: false,
            },
            url: None,
            data: Vec::new(),
            get: false,
            head: false,
            globoff: false,
            json: false,
            form: false,
        }
    }

    /// Reads every word up to the end of the command.
    fn read(mut self, words: &[Word]) -> Result<Raw, NotACommand> {
        let mut options_done = false;
        let mut i = 0;
        while let Some(word) = words.get(i) {
            i += 1;
            let text = word.text.as_str();
            if word.line_start && !text.starts_with('-') {
                break;
            }
            if options_done || !text.starts_with('-') || text.len() < 2 {
                self.url.get_or_insert_with(|| text.to_string());
            } else if text == "--" {
                options_done = true;
            } else if text.starts_with("--") {
                i = self.long_option(text, words, i);
            } else {
                i = self.short_options(text, words, i);
            }
        }
        self.into_raw()
    }

    /// `--name [argument]`; returns the index of the next unread word.
    fn long_option(&mut self, name: &str, words: &[Word], i: usize) -> usize {
        if !LONG_WITH_ARGUMENT.contains(&name) {
            self.flag(name);
            return i;
        }
        if let Some(argument) = words.get(i) {
            self.option(name, &argument.text);
        }
        i + 1
    }

    /// `-abc`, `-XPUT`, `-H 'x: y'`; returns the index of the next unread word.
    fn short_options(&mut self, cluster: &str, words: &[Word], i: usize) -> usize {
        for (at, letter) in cluster.char_indices().skip(1) {
            let (long, takes_argument) = short_option(letter);
            if !takes_argument {
                if let Some(long) = long {
                    self.flag(long);
                }
                continue;
            }
            let attached = cluster.get(at + letter.len_utf8()..).unwrap_or("");
            let (argument, next) = if attached.is_empty() {
                (words.get(i).map(|w| w.text.as_str()), i + 1)
            } else {
                (Some(attached), i)
            };
            if let (Some(long), Some(argument)) = (long, argument) {
                self.option(long, argument);
            }
            return next;
        }
        i
    }

    fn flag(&mut self, name: &str) {
        match name {
            "--head" => self.head = true,
            "--get" => self.get = true,
            "--globoff" => self.globoff = true,
            _ => {}
        }
    }

    fn option(&mut self, name: &str, argument: &str) {
        match name {
            "--url" => {
                self.url.get_or_insert_with(|| argument.to_string());
            }
            "--request" => self.raw.method = Some(argument.to_string()),
            "--header" => self.header(argument),
            "--data" | "--data-raw" | "--data-binary" | "--data-ascii" => {
                self.data.push(argument.to_string())
            }
            "--data-urlencode" => self.data.push(url_encoded_data(argument)),
            "--json" => {
                self.data.push(argument.to_string());
                self.json = true;
            }
            "--cookie" => self.push_header("cookie", argument),
            "--user-agent" => self.push_header("user-agent", argument),
            "--referer" => {
                let referrer = argument.strip_suffix(";auto").unwrap_or(argument);
                self.push_header("referer", referrer);
            }
            "--oauth2-bearer" => self.push_header("Authorization", &format!("Bearer {argument}")),
            "--form" | "--form-string" => self.form = true,
            _ => {}
        }
    }

    fn push_header(&mut self, name: &str, value: &str) {
        self.raw.headers.push((name.to_string(), value.to_string()));
    }

    /// `-H 'Name: value'` as curl reads it: `Name:` alone removes the header (nothing sent),
    /// `Name;` sends it empty, `@file` is not read.
    fn header(&mut self, argument: &str) {
        if argument.starts_with('@') {
            return;
        }
        match argument.split_once(':') {
            Some((name, value)) if !name.trim().is_empty() && !value.trim().is_empty() => {
                self.push_header(name.trim(), value.trim());
            }
            Some(_) => {}
            None => {
                if let Some(name) = argument.trim_end().strip_suffix(';') {
                    if !name.trim().is_empty() {
                        self.push_header(name.trim(), "");
                    }
                }
            }
        }
    }

    /// The request these options send.
    fn into_raw(mut self) -> Result<Raw, NotACommand> {
        let Some(mut url) = self.url.take().filter(|url| !url.trim().is_empty()) else {
            return Err(not_a_command("The curl command names no URL."));
        };
        if !self.globoff {
            url = without_glob_escapes(&url);
        }
        let mut body = (!self.data.is_empty()).then(|| self.data.join("&"));
        if self.get {
            if let Some(query) = body.take() {
                url.push(if url.contains('?') { '&' } else { '?' });
                url.push_str(&query);
            }
        }
        let mut raw = self.raw;
        if raw.method.is_none() {
            if self.head {
                raw.method = Some("HEAD".to_string());
            } else if self.form && body.is_none() {
                raw.method = Some("POST".to_string());
            }
        }
        if self.json {
            add_missing_header(&mut raw.headers, "Content-Type", "application/json");
            add_missing_header(&mut raw.headers, "Accept", "application/json");
        }
        raw.url = url;
        raw.body = body;
        Ok(raw)
    }
}

fn add_missing_header(headers: &mut Vec<(String, String)>, name: &str, value: &str) {
    if header_value(headers, name).is_none() {
        headers.push((name.to_string(), value.to_string()));
    }
}

/// `--data-urlencode`'s argument as curl sends it: `content` and `=content` percent-encoded,
/// `name=content` with only the content encoded; `@file` forms (files are not read) as written.
fn url_encoded_data(argument: &str) -> String {
    if let Some(content) = argument.strip_prefix('=') {
        return percent_encoded(content);
    }
    match (argument.find('='), argument.find('@')) {
        (None, Some(_)) => argument.to_string(),
        (Some(eq), Some(at)) if at < eq => argument.to_string(),
        (Some(eq), _) => {
            let (name, content) = argument.split_at(eq);
            format!("{name}={}", percent_encoded(content.get(1..).unwrap_or("")))
        }
        (None, None) => percent_encoded(argument),
    }
}

/// Every byte but `A-Z a-z 0-9 - . _ ~` as `%XX`, as curl escapes.
fn percent_encoded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Undoes DevTools' escaping of curl's URL globbing: `\[`, `\]`, `\{`, `\}` are the brackets.
fn without_glob_escapes(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    let mut chars = url.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&next @ ('[' | ']' | '{' | '}')) = chars.peek() {
                out.push(next);
                chars.next();
                continue;
            }
        }
        out.push(c);
    }
    out
}
