//! HAR 1.2 from Chromium and Firefox: every cross-origin request in the log, preflights matched to
//! the requests they precede, redirects chained into hops, each request's answers ready for the
//! simulator.
//!
//! What the two writers put in a log (devtools-frontend `front_end/models/har/Log.ts`, Firefox
//! `devtools/client/netmonitor/src/har/har-builder.js`):
//!
//! - Chromium: `_resourceType` (`fetch`, `xhr`, `preflight`, `image`, …), `_initiator` (for a
//!   preflight `{type: "preflight", url: <the actual request's URL>, requestId}`), `_priority`,
//!   `response._error` (`net::ERR_FAILED` for a CORS failure, `null` otherwise), status 0 for a
//!   request that got no response it let through, HTTP/2 pseudo-headers (`:authority`, …) among
//!   the request headers, `redirectURL` (the raw `Location`), `startedDateTime` in UTC
//!   (`…T10:00:00.123Z`). "Export HAR (sanitized)" drops `Cookie` and `Authorization`.
//! - Firefox: `pages` (`title`: the page), `pageref` on every entry, no `_resourceType`; a
//!   preflight is a plain `OPTIONS` entry with `Access-Control-Request-Method`; a blocked
//!   response keeps its real status and headers, a failed one has status 0; `postData` is
//!   written for every request (`text: ""` without a body); dates carry the local offset.
//!
//! How a log becomes requests:
//!
//! 1. **Preflights** (`OPTIONS` with `Access-Control-Request-Method`, or marked by Chromium) are
//!    matched to an actual request to the same URL (Chromium: `_initiator.url`) whose method is
//!    the requested one: the closest in time; an unmarked (Firefox) preflight only to a request
//!    that starts at or after it. Each preflight and each request is matched once.
//! 2. **Redirects**: an entry with a 3xx status and a `redirectURL` (or `Location`) continues in
//!    the next entry (in log order) to that URL with the same method (`GET` after a 303, or after
//!    a 301/302 of a `POST`). The chain is one request; its later entries are hops, not reported.
//! 3. **Cross-origin CORS requests** are kept: a chain whose URL (or a later hop's) is not of
//!    the page's origin, made in CORS mode (an `Origin` header, or Chromium's `fetch`/`xhr`/
//!    `eventsource` type). The page's own no-cors loads (images, scripts, stylesheets without
//!    `crossorigin`, navigations) are not CORS requests and are skipped, as are same-origin,
//!    `data:`, `blob:` and other non-http(s) entries.
//! 4. **Preflights without a request** (the preflight failed, so the browser never sent it) yield
//!    the request rebuilt from `Access-Control-Request-Method`/`-Headers`.
//!
//! Nothing here panics: every field is read leniently (a missing or mistyped field reads as
//! absent), and only text that is not JSON or has no `log.entries` array is [`NotHar`].

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::marker::PhantomData;

use super::browser_headers::{asked_names, is_browser_default, is_forbidden};
use crate::engine::fetch::host_is_ascii;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use url::Url;

use crate::engine::fetch::{
    cors_unsafe_header_names, needs_preflight, simulate, CredentialsMode, Hop, Incoming,
    RedirectMode, Reply, Request, RequestMode, Server, ServerAnswers, ServerResponse,
};

/// One request of the log with what the simulator needs to judge it.
#[derive(Debug, Clone, PartialEq)]
pub struct HarRequest {
    /// Index of the entry in `log.entries`: the request's first entry (the preflight's, for a
    /// request rebuilt from a preflight that was never followed).
    pub entry: usize,
    /// `startedDateTime` in ms since the epoch (0 when it does not parse).
    pub started_ms: f64,
    /// The request as the page made it: method and URL as logged; `page_origin` from the
    /// `Origin` request header, else `Referer`'s origin, else the origin of the page
    /// (`log.pages[].title` of the entry's `pageref`) when that is a URL, else `null`; the
    /// headers the script set (browser-added ones dropped, names the matched preflight asked for
    /// restored, with the value `x` when the log does not show them); credentials `include` when
    /// any of its entries carried cookies (a `Cookie` header or `request.cookies`), else
    /// `same-origin` (fetch's default); mode `cors`; a body (`Some("")`: its text is not read)
    /// when the log shows one.
    pub request: Request,
    /// Its answers: hop `n` answers the chain's `n`-th entry, with the preflight matched to that
    /// entry. A response the log does not show (status 0 without headers) is status 0 without
    /// headers ([`is_incomplete`] tells when the simulator needs one); a request that failed
    /// before any answer (`net::ERR_CONNECTION_REFUSED`, …) has no hop, so the simulator finds
    /// no server.
    pub answers: ServerAnswers,
    /// Chromium's `_error` (`net::ERR_FAILED`, …) of the chain's first entry that has one, or
    /// Firefox's `statusText` of a status-0 entry, verbatim.
    pub error: Option<String>,
    /// The first entry's own status (0: no response the browser let through; always 0 for a
    /// request rebuilt from a preflight).
    pub status: u16,
}

/// Why the text is not a HAR.
#[derive(Debug, Clone, PartialEq)]
pub struct NotHar(pub String);

/// The cross-origin requests in a HAR, in log order, preflight entries folded into the request
/// they belong to. Never panics.
pub fn parse(text: &str) -> Result<Vec<HarRequest>, NotHar> {
    let file: HarFile<'_> = serde_json::from_str(text).map_err(not_har)?;
    let log = file
        .log
        .ok_or_else(|| NotHar("no \"log\" object: not a HAR file".into()))?;
    let entries = log
        .entries
        .ok_or_else(|| NotHar("no \"log.entries\" array: not a HAR file".into()))?;
    let pages = page_origins(log.pages.as_deref().unwrap_or(&[]));
    let items: Vec<Item<'_>> = entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| Item::new(i, e))
        .collect();
    Ok(Log::link(&items, &pages).requests())
}

/// Whether the simulator, judging `r`, needs an answer the log does not show: a response (or
/// preflight response) hidden as status 0 without headers, a preflight the log lacks, or the
/// next hop of a redirect the log does not follow. The verdict then rests on a guess and the
/// evidence is incomplete. A request whose error says nothing answered (`net::ERR_NAME_NOT_RESOLVED`,
/// …) is complete: the simulator's "no server" is what happened.
pub fn is_incomplete(r: &HarRequest) -> bool {
    replay(r).1 == Recorded::Incomplete
}

/// Whether the log holds every answer a replay needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    Complete,
    /// The simulator needed an answer the log does not show (see [`is_incomplete`]).
    Incomplete,
}

/// The simulator's trace for `r` against its recorded answers, and whether the log held every
/// answer it needed: one simulation for both.
pub fn replay(r: &HarRequest) -> (crate::engine::fetch::Trace, Recorded) {
    let watch = Watch {
        answers: &r.answers,
        unseen: Cell::new(false),
    };
    let trace = simulate(&r.request, &watch);
    let incomplete = watch.unseen.get() && !r.error.as_deref().is_some_and(is_network_error);
    let recorded = if incomplete {
        Recorded::Incomplete
    } else {
        Recorded::Complete
    };
    (trace, recorded)
}

// ---------------------------------------------------------------------------------------------
// The HAR as read: only the fields used, every one optional and lenient.

fn not_har(e: serde_json::Error) -> NotHar {
    if e.is_data() {
        NotHar(format!("not a HAR file: {e}"))
    } else {
        NotHar(format!("not JSON: {e}"))
    }
}

#[derive(Deserialize)]
struct HarFile<'a> {
    #[serde(borrow, default)]
    log: Option<LogDto<'a>>,
}

#[derive(Deserialize)]
struct LogDto<'a> {
    #[serde(borrow, default)]
    pages: Option<Vec<PageDto<'a>>>,
    #[serde(borrow, default)]
    entries: Option<Vec<EntryDto<'a>>>,
}

#[derive(Deserialize)]
struct PageDto<'a> {
    #[serde(borrow, default)]
    id: Text<'a>,
    #[serde(borrow, default)]
    title: Text<'a>,
}

#[derive(Deserialize, Default)]
struct EntryDto<'a> {
    #[serde(borrow, default)]
    pageref: Text<'a>,
    #[serde(borrow, default, rename = "startedDateTime")]
    started: Text<'a>,
    #[serde(borrow, default, rename = "_resourceType")]
    resource_type: Text<'a>,
    #[serde(borrow, default, rename = "_initiator")]
    initiator: Option<InitiatorDto<'a>>,
    #[serde(borrow, default)]
    request: Option<RequestDto<'a>>,
    #[serde(borrow, default)]
    response: Option<ResponseDto<'a>>,
}

#[derive(Deserialize, Default)]
struct InitiatorDto<'a> {
    #[serde(borrow, default, rename = "type")]
    kind: Text<'a>,
    #[serde(borrow, default)]
    url: Text<'a>,
}

#[derive(Deserialize, Default)]
struct RequestDto<'a> {
    #[serde(borrow, default)]
    method: Text<'a>,
    #[serde(borrow, default)]
    url: Text<'a>,
    #[serde(borrow, default)]
    headers: Option<Vec<HeaderDto<'a>>>,
    #[serde(default)]
    cookies: NonEmpty,
    #[serde(borrow, default, rename = "postData")]
    post_data: Option<PostDataDto<'a>>,
    #[serde(default, rename = "bodySize")]
    body_size: Num,
}

#[derive(Deserialize, Default)]
struct PostDataDto<'a> {
    #[serde(borrow, default, rename = "mimeType")]
    mime_type: Text<'a>,
    /// Only whether there is text: the body itself is never copied.
    #[serde(default)]
    text: NonEmpty,
    #[serde(default)]
    params: NonEmpty,
}

#[derive(Deserialize, Default)]
struct ResponseDto<'a> {
    #[serde(default)]
    status: Num,
    #[serde(borrow, default, rename = "statusText")]
    status_text: Text<'a>,
    #[serde(borrow, default)]
    headers: Option<Vec<HeaderDto<'a>>>,
    #[serde(borrow, default, rename = "redirectURL")]
    redirect_url: Text<'a>,
    #[serde(borrow, default, rename = "_error")]
    error: Text<'a>,
}

#[derive(Deserialize)]
struct HeaderDto<'a> {
    #[serde(borrow, default)]
    name: Text<'a>,
    #[serde(borrow, default)]
    value: Text<'a>,
}

/// A string field, borrowed from the HAR text when it has no escapes; any other JSON value
/// (null, a number, an object…) reads as absent.
#[derive(Default)]
struct Text<'a>(Option<Cow<'a, str>>);

impl Text<'_> {
    fn get(&self) -> &str {
        self.0.as_deref().unwrap_or("")
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor(PhantomData))
    }
}

struct TextVisitor<'a>(PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for TextVisitor<'a> {
    type Value = Text<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Text(Some(Cow::Borrowed(v))))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Text(Some(Cow::Owned(v.to_string()))))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Text(Some(Cow::Owned(v))))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Text(None))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Text(None))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Text(None))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Text(None))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Text(None))
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Text(None))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        drain_seq(seq).map(|_| Text(None))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        drain_map(map).map(|_| Text(None))
    }
}

/// A number field (a string that parses counts too); anything else reads as 0.
#[derive(Default, Clone, Copy)]
struct Num(f64);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumVisitor)
    }
}

struct NumVisitor;

impl<'de> Visitor<'de> for NumVisitor {
    type Value = Num;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_i64<E>(self, v: i64) -> Result<Num, E> {
        Ok(Num(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Num, E> {
        Ok(Num(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Num, E> {
        Ok(Num(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Num, E> {
        Ok(Num(v.trim().parse().unwrap_or(0.0)))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Num, E> {
        Ok(Num(0.0))
    }
    fn visit_unit<E>(self) -> Result<Num, E> {
        Ok(Num(0.0))
    }
    fn visit_none<E>(self) -> Result<Num, E> {
        Ok(Num(0.0))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Num, A::Error> {
        drain_seq(seq).map(|_| Num(0.0))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Num, A::Error> {
        drain_map(map).map(|_| Num(0.0))
    }
}

/// Whether a field holds anything: a non-empty string, array or object (skipped, not copied).
#[derive(Default, Clone, Copy)]
struct NonEmpty(bool);

impl<'de> Deserialize<'de> for NonEmpty {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NonEmptyVisitor)
    }
}

struct NonEmptyVisitor;

impl<'de> Visitor<'de> for NonEmptyVisitor {
    type Value = NonEmpty;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_str<E>(self, v: &str) -> Result<NonEmpty, E> {
        Ok(NonEmpty(!v.is_empty()))
    }
    fn visit_bool<E>(self, _: bool) -> Result<NonEmpty, E> {
        Ok(NonEmpty(false))
    }
    fn visit_i64<E>(self, _: i64) -> Result<NonEmpty, E> {
        Ok(NonEmpty(false))
    }
    fn visit_u64<E>(self, _: u64) -> Result<NonEmpty, E> {
        Ok(NonEmpty(false))
    }
    fn visit_f64<E>(self, _: f64) -> Result<NonEmpty, E> {
        Ok(NonEmpty(false))
    }
    fn visit_unit<E>(self) -> Result<NonEmpty, E> {
        Ok(NonEmpty(false))
    }
    fn visit_none<E>(self) -> Result<NonEmpty, E> {
        Ok(NonEmpty(false))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<NonEmpty, A::Error> {
        drain_seq(seq).map(|n| NonEmpty(n > 0))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<NonEmpty, A::Error> {
        drain_map(map).map(|n| NonEmpty(n > 0))
    }
}

/// Skips every element; how many there were.
fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<usize, A::Error> {
    let mut n = 0usize;
    while seq.next_element::<IgnoredAny>()?.is_some() {
        n += 1;
    }
    Ok(n)
}

/// Skips every member; how many there were.
fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<usize, A::Error> {
    let mut n = 0usize;
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {
        n += 1;
    }
    Ok(n)
}

// ---------------------------------------------------------------------------------------------
// One entry, with what matching and chaining need computed once.

/// What an entry is to the matcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A CORS preflight; `marked`: Chromium said so (`_resourceType`/`_initiator`).
    Preflight { marked: bool },
    /// Anything else with an http(s) URL.
    Request,
    /// No request, or not http(s) (`data:`, `blob:`, `chrome-extension:`…).
    Skipped,
}

struct Item<'a> {
    index: usize,
    dto: EntryDto<'a>,
    /// The request URL without its fragment (for a Chromium preflight, the actual request's).
    url: Option<Url>,
    started: f64,
    role: Role,
}

impl<'a> Item<'a> {
    fn new(index: usize, dto: EntryDto<'a>) -> Self {
        let url = dto.request.as_ref().and_then(|r| http_url(r.url.get()));
        let role = match (&url, dto.request.as_ref()) {
            (None, _) | (_, None) => Role::Skipped,
            (Some(_), Some(r)) if is_preflight(&dto, r) => Role::Preflight {
                marked: is_marked_preflight(&dto),
            },
            _ => Role::Request,
        };
        let url = match role {
            Role::Preflight { marked: true } => initiator_url(&dto).or(url),
            _ => url,
        };
        let started = epoch_ms(dto.started.get()).unwrap_or(0.0);
        Item {
            index,
            dto,
            url,
            started,
            role,
        }
    }

    fn request(&self) -> Option<&RequestDto<'a>> {
        self.dto.request.as_ref()
    }

    fn request_headers(&self) -> &[HeaderDto<'a>] {
        self.request()
            .and_then(|r| r.headers.as_deref())
            .unwrap_or(&[])
    }

    fn response_headers(&self) -> &[HeaderDto<'a>] {
        self.dto
            .response
            .as_ref()
            .and_then(|r| r.headers.as_deref())
            .unwrap_or(&[])
    }

    fn method(&self) -> &str {
        self.request().map_or("", |r| r.method.get().trim())
    }

    fn url_key(&self) -> Option<&str> {
        self.url.as_ref().map(Url::as_str)
    }

    fn status(&self) -> u16 {
        let s = self.dto.response.as_ref().map_or(0.0, |r| r.status.0);
        if (0.0..=65535.0).contains(&s) {
            s as u16
        } else {
            0
        }
    }

    /// Chromium's `_error`, or Firefox's status text of a request that got no status.
    fn error(&self) -> Option<&str> {
        let r = self.dto.response.as_ref()?;
        let e = r.error.get().trim();
        if !e.is_empty() {
            return Some(e);
        }
        let text = r.status_text.get().trim();
        (self.status() == 0 && !text.is_empty()).then_some(text)
    }

    /// The log shows no response: status 0 and no headers.
    fn unseen(&self) -> bool {
        self.status() == 0 && self.response_headers().is_empty()
    }

    /// Where a 3xx response sends the request, resolved against its URL, without fragment.
    fn redirect_target(&self) -> Option<Url> {
        if !(300..=399).contains(&self.status()) {
            return None;
        }
        let raw = self
            .dto
            .response
            .as_ref()
            .map_or("", |r| r.redirect_url.get());
        let raw = if raw.trim().is_empty() {
            header(self.response_headers(), "location").unwrap_or("")
        } else {
            raw
        };
        if raw.trim().is_empty() {
            return None;
        }
        if !host_is_ascii(raw.trim()) {
            return None;
        }
        let mut next = self.url.as_ref()?.join(raw.trim()).ok()?;
        next.set_fragment(None);
        Some(next)
    }

    /// Whether the page made this request in CORS mode, as far as the log tells.
    fn looks_cors(&self) -> bool {
        match self.dto.resource_type.get() {
            // Navigations, sockets and beacons/reports send `Origin` without being CORS requests.
            "document" | "websocket" | "ping" | "csp-violation-report" => false,
            "fetch" | "xhr" | "eventsource" => true,
            _ => header(self.request_headers(), "origin").is_some(),
        }
    }

    fn sends_cookies(&self) -> bool {
        self.request().is_some_and(|r| r.cookies.0)
            || header(self.request_headers(), "cookie").is_some_and(|v| !v.trim().is_empty())
    }

    fn has_body(&self) -> bool {
        self.request().is_some_and(|r| {
            r.post_data
                .as_ref()
                .is_some_and(|p| p.text.0 || p.params.0 || r.body_size.0 > 0.0)
        })
    }

    fn body_mime(&self) -> &str {
        self.request()
            .and_then(|r| r.post_data.as_ref())
            .map_or("", |p| p.mime_type.get().trim())
    }
}

/// The URL of an http(s) request, fragment dropped.
fn http_url(raw: &str) -> Option<Url> {
    let raw = raw.trim();
    // Cheap refusal first: `data:` URLs can be megabytes long.
    if !(starts_with_ignore_case(raw, "http://") || starts_with_ignore_case(raw, "https://")) {
        return None;
    }
    if !host_is_ascii(raw) {
        return None;
    }
    let mut url = Url::parse(raw).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    Some(url)
}

fn is_preflight(dto: &EntryDto<'_>, r: &RequestDto<'_>) -> bool {
    r.method.get().trim().eq_ignore_ascii_case("OPTIONS")
        && (is_marked_preflight(dto)
            || header(
                r.headers.as_deref().unwrap_or(&[]),
                "access-control-request-method",
            )
            .is_some())
}

fn is_marked_preflight(dto: &EntryDto<'_>) -> bool {
    dto.resource_type.get() == "preflight"
        || dto
            .initiator
            .as_ref()
            .is_some_and(|i| i.kind.get() == "preflight")
}

/// The actual request's URL that Chromium writes in a preflight's initiator.
fn initiator_url(dto: &EntryDto<'_>) -> Option<Url> {
    let i = dto.initiator.as_ref()?;
    (i.kind.get() == "preflight")
        .then(|| http_url(i.url.get()))
        .flatten()
}

/// The first value of `name` (any case; pseudo-headers and padding ignored), trimmed.
fn header<'h>(headers: &'h [HeaderDto<'_>], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|h| named(h.name.get(), name))
        .map(|h| h.value.get().trim())
}

/// A header `raw` is `name` (any case, padding ignored). Most names are neither padded nor the
/// length looked for, so the length and the ends decide before any trimming (which took 8% of
/// the time of the benchmark's 5,000-entry HAR).
fn named(raw: &str, name: &str) -> bool {
    match raw.len().cmp(&name.len()) {
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => raw.eq_ignore_ascii_case(name),
        std::cmp::Ordering::Greater => padded(raw) && raw.trim().eq_ignore_ascii_case(name),
    }
}

/// `page id → page origin` for the pages whose title is a URL (Chromium writes the page URL).
fn page_origins(pages: &[PageDto<'_>]) -> HashMap<String, String> {
    pages
        .iter()
        .filter_map(|p| Some((p.id.get().to_string(), origin_of(p.title.get())?)))
        .collect()
}

/// The serialized origin of an http(s) URL.
fn origin_of(raw: &str) -> Option<String> {
    http_url(raw).map(|u| u.origin().ascii_serialization())
}

/// `raw` may start or end with white space (a visible ASCII character at both ends cannot).
fn padded(raw: &str) -> bool {
    let solid = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_graphic());
    !(solid(raw.as_bytes().first()) && solid(raw.as_bytes().last()))
}

/// The page's origin: the `Origin` header (a serialized origin already), else `Referer`'s
/// origin, else its page's; `null` when nothing names it.
fn page_origin_of(item: &Item<'_>, pages: &HashMap<String, String>) -> String {
    let headers = item.request_headers();
    if let Some(o) = header(headers, "origin").filter(|o| !o.is_empty()) {
        return o.trim_end_matches('/').to_string();
    }
    header(headers, "referer")
        .and_then(origin_of)
        .or_else(|| pages.get(item.dto.pageref.get()).cloned())
        .unwrap_or_else(|| "null".to_string())
}

// ---------------------------------------------------------------------------------------------
// The log linked: preflights matched, redirects chained.

/// How far the matcher looks around a preflight or a redirect among entries to one URL: bounds
/// the work per entry when one URL is requested thousands of times.
const WINDOW: usize = 48;

struct Log<'i, 'a> {
    items: &'i [Item<'a>],
    /// `page id → origin`.
    pages: &'i HashMap<String, String>,
    /// Request entry → its matched preflight entry.
    preflight_of: Vec<Option<usize>>,
    /// Preflight entry → whether a request took it.
    preflight_used: Vec<bool>,
    /// Entry → the entry its redirect continues in.
    next_hop: Vec<Option<usize>>,
    /// Entry continues a redirect: a hop, not a request of its own.
    is_hop: Vec<bool>,
}

impl<'i, 'a> Log<'i, 'a> {
    fn link(items: &'i [Item<'a>], pages: &'i HashMap<String, String>) -> Self {
        let n = items.len();
        let mut log = Log {
            items,
            pages,
            preflight_of: vec![None; n],
            preflight_used: vec![false; n],
            next_hop: vec![None; n],
            is_hop: vec![false; n],
        };
        let by_url = requests_by_url(items);
        log.match_preflights(&by_url);
        log.chain_redirects(&by_url);
        log
    }

    /// Each preflight to the closest unmatched request to its URL with the requested method.
    fn match_preflights(&mut self, by_url: &HashMap<&'i str, Vec<usize>>) {
        let items = self.items;
        let by_time: HashMap<&str, Vec<usize>> = by_url
            .iter()
            .map(|(k, v)| {
                let mut v = v.clone();
                v.sort_by(|a, b| time_of(items, *a).total_cmp(&time_of(items, *b)));
                (*k, v)
            })
            .collect();
        let mut taken = vec![false; items.len()];
        for p in items {
            let Role::Preflight { marked } = p.role else {
                continue;
            };
            let asked = header(p.request_headers(), "access-control-request-method");
            let (Some(key), Some(asked)) = (p.url_key(), asked) else {
                continue;
            };
            let Some(candidates) = by_time.get(key) else {
                continue;
            };
            let best = closest_request(items, candidates, p, asked, marked, &taken);
            if let Some(a) = best {
                set(&mut taken, a, true);
                set(&mut self.preflight_of, a, Some(p.index));
                set(&mut self.preflight_used, p.index, true);
            }
        }
    }

    /// Each redirect to the next entry that follows it.
    fn chain_redirects(&mut self, by_url: &HashMap<&'i str, Vec<usize>>) {
        for a in self.items {
            if a.role != Role::Request {
                continue;
            }
            let Some(target) = a.redirect_target() else {
                continue;
            };
            let Some(list) = by_url.get(target.as_str()) else {
                continue;
            };
            let after = list.partition_point(|&i| i <= a.index);
            let next = list.iter().skip(after).take(WINDOW).copied().find(|&b| {
                !flag(&self.is_hop, b) && self.items.get(b).is_some_and(|b| follows_method(a, b))
            });
            if let Some(b) = next {
                set(&mut self.next_hop, a.index, Some(b));
                set(&mut self.is_hop, b, true);
            }
        }
    }

    /// Every cross-origin request, in log order.
    fn requests(&self) -> Vec<HarRequest> {
        let mut out = Vec::new();
        for item in self.items {
            let found = match item.role {
                Role::Request if !flag(&self.is_hop, item.index) => self.chain_request(item),
                Role::Preflight { .. } if !flag(&self.preflight_used, item.index) => {
                    rebuilt_request(item, page_origin_of(item, self.pages))
                }
                _ => None,
            };
            out.extend(found);
        }
        out
    }

    /// The entries of the chain that starts at `first`.
    fn chain(&self, first: &'i Item<'a>) -> Vec<&'i Item<'a>> {
        let mut chain = vec![first];
        let mut at = first.index;
        while let Some(next) = self.next_hop.get(at).copied().flatten() {
            let Some(item) = self.items.get(next) else {
                break;
            };
            chain.push(item);
            at = next;
        }
        chain
    }

    fn preflight_for(&self, item: &Item<'a>) -> Option<&'i Item<'a>> {
        self.preflight_of
            .get(item.index)
            .copied()
            .flatten()
            .and_then(|p| self.items.get(p))
    }

    /// The request a chain of entries makes, when it is a cross-origin CORS request.
    fn chain_request(&self, first: &'i Item<'a>) -> Option<HarRequest> {
        if !first.looks_cors() {
            return None;
        }
        let chain = self.chain(first);
        let page_origin = page_origin_of(first, self.pages);
        let crosses = chain.iter().any(|i| {
            i.url
                .as_ref()
                .is_some_and(|u| cross_origin(&page_origin, u))
        });
        if !crosses {
            return None;
        }
        let asked = self
            .preflight_for(first)
            .and_then(|p| header(p.request_headers(), "access-control-request-headers"));
        let request = actual_request(first, &chain, page_origin, asked);
        let answers = self.chain_answers(&chain, &request);
        Some(HarRequest {
            entry: first.index,
            started_ms: first.started,
            error: chain.iter().find_map(|i| i.error()).map(str::to_string),
            status: first.status(),
            request,
            answers,
        })
    }

    /// One hop per entry of the chain, until one got no answer at all.
    fn chain_answers(&self, chain: &[&'i Item<'a>], request: &Request) -> ServerAnswers {
        let mut hops = Vec::with_capacity(chain.len());
        for item in chain {
            let hop_request = Request {
                url: item.url.as_ref().map_or(String::new(), |u| u.to_string()),
                method: item.method().to_string(),
                ..request.clone()
            };
            match hop_answers(item, self.preflight_for(item), &hop_request) {
                Some(hop) => hops.push(hop),
                None => break,
            }
        }
        ServerAnswers { hops }
    }
}

/// Writes `v[i]` when it exists.
fn set<T>(v: &mut [T], i: usize, value: T) {
    if let Some(slot) = v.get_mut(i) {
        *slot = value;
    }
}

/// `v[i]`, `false` when out of range.
fn flag(v: &[bool], i: usize) -> bool {
    v.get(i).copied().unwrap_or(false)
}

/// Request entries (not preflights) by URL, in log order.
fn requests_by_url<'i>(items: &'i [Item<'_>]) -> HashMap<&'i str, Vec<usize>> {
    let mut map: HashMap<&str, Vec<usize>> = HashMap::new();
    for item in items {
        if item.role == Role::Request {
            if let Some(key) = item.url_key() {
                map.entry(key).or_default().push(item.index);
            }
        }
    }
    map
}

fn time_of(items: &[Item<'_>], i: usize) -> f64 {
    items.get(i).map_or(0.0, |x| x.started)
}

/// Among requests to the preflight's URL (sorted by start time), the unmatched one with the
/// requested method closest in time (an unmarked preflight: starting at or after it); ties go
/// to a request after the preflight in the log, then to the nearest entry.
fn closest_request(
    items: &[Item<'_>],
    candidates: &[usize],
    p: &Item<'_>,
    asked: &str,
    marked: bool,
    taken: &[bool],
) -> Option<usize> {
    let at = candidates.partition_point(|&i| time_of(items, i) < p.started);
    let start = at.saturating_sub(WINDOW);
    let end = at.saturating_add(WINDOW).min(candidates.len());
    let around = candidates.get(start..end).unwrap_or(&[]);
    around
        .iter()
        .copied()
        .filter(|&a| !taken.get(a).copied().unwrap_or(true))
        .filter_map(|a| items.get(a))
        .filter(|a| a.method().eq_ignore_ascii_case(asked))
        .filter(|a| marked || a.started >= p.started)
        .min_by(|a, b| {
            let key = |x: &Item<'_>| {
                (
                    (x.started - p.started).abs(),
                    x.index < p.index,
                    x.index.abs_diff(p.index),
                )
            };
            let (ka, kb) = (key(a), key(b));
            ka.0.total_cmp(&kb.0)
                .then(ka.1.cmp(&kb.1))
                .then(ka.2.cmp(&kb.2))
        })
        .map(|a| a.index)
}

/// Whether `b` can be the request a redirect of `a` made: same method, or `GET` where the
/// redirect turns it into one (303; 301/302 after a `POST`).
fn follows_method(a: &Item<'_>, b: &Item<'_>) -> bool {
    let (m, next) = (a.method(), b.method());
    let becomes_get = match a.status() {
        303 => !m.eq_ignore_ascii_case("HEAD"),
        301 | 302 => m.eq_ignore_ascii_case("POST"),
        _ => false,
    };
    if becomes_get {
        next.eq_ignore_ascii_case("GET")
    } else {
        next.eq_ignore_ascii_case(m)
    }
}

/// Whether `url` is of another origin than the page (a `null` page is of no origin).
fn cross_origin(page_origin: &str, url: &Url) -> bool {
    page_origin == "null" || url.origin().ascii_serialization() != page_origin
}

// ---------------------------------------------------------------------------------------------
// Requests and answers.

/// The request the page made, read from the first entry of a chain (cookies from any).
fn actual_request(
    first: &Item<'_>,
    chain: &[&Item<'_>],
    page_origin: String,
    asked: Option<&str>,
) -> Request {
    let method = first.method().to_string();
    let has_body = first.has_body() && !is_bodiless_method(&method);
    let mut headers = script_headers(first.request_headers(), asked);
    if has_body
        && !headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
    {
        let mime = first.body_mime();
        if !mime.is_empty() {
            headers.push(("Content-Type".to_string(), mime.to_string()));
        }
    }
    Request {
        page_origin,
        url: first
            .request()
            .map_or("", |r| r.url.get().trim())
            .to_string(),
        method,
        headers,
        credentials: if chain.iter().any(|i| i.sends_cookies()) {
            CredentialsMode::Include
        } else {
            CredentialsMode::SameOrigin
        },
        mode: RequestMode::Cors,
        redirect: RedirectMode::Follow,
        body: has_body.then(String::new),
    }
}

fn is_bodiless_method(method: &str) -> bool {
    method.eq_ignore_ascii_case("GET") || method.eq_ignore_ascii_case("HEAD")
}

/// The headers a script set: the logged ones minus what the browser adds, plus the names the
/// preflight asked for (`Access-Control-Request-Headers`) that the log does not show, valued
/// `x` (a sanitized export drops `Authorization`; Chromium shows only provisional headers for
/// a request it never sent).
fn script_headers(logged: &[HeaderDto<'_>], asked: Option<&str>) -> Vec<(String, String)> {
    let asked: Vec<&str> = asked.map(|a| asked_names(a).collect()).unwrap_or_default();
    let is_asked = |name: &str| asked.iter().any(|a| a.eq_ignore_ascii_case(name));
    let mut headers: Vec<(String, String)> = logged
        .iter()
        .map(|h| (h.name.get().trim(), h.value.get()))
        .filter(|(n, v)| !n.is_empty() && keeps_header(n, v, is_asked(n)))
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    for name in asked {
        if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) && !is_forbidden(name) {
            headers.push((name.to_string(), "x".to_string()));
        }
    }
    headers
}

fn keeps_header(name: &str, value: &str, asked: bool) -> bool {
    !is_forbidden(name) && (asked || !is_browser_default(name, value))
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

/// A response as logged: status and headers (pseudo-headers dropped; `Location` added from
/// `redirectURL` when a redirect's headers lack it).
fn logged_response(item: &Item<'_>) -> ServerResponse {
    let mut headers: Vec<(String, String)> = item
        .response_headers()
        .iter()
        .filter(|h| !h.name.get().trim().starts_with(':') && !h.name.get().trim().is_empty())
        .map(|h| (h.name.get().to_string(), h.value.get().to_string()))
        .collect();
    let redirect = item
        .dto
        .response
        .as_ref()
        .map_or("", |r| r.redirect_url.get());
    if (300..=399).contains(&item.status())
        && !redirect.trim().is_empty()
        && header(item.response_headers(), "location").is_none()
    {
        headers.push(("Location".to_string(), redirect.trim().to_string()));
    }
    ServerResponse {
        status: item.status(),
        headers,
    }
}

/// What the log does not show: status 0, no headers.
fn unseen_response() -> ServerResponse {
    ServerResponse {
        status: 0,
        headers: Vec::new(),
    }
}

fn is_unseen(r: &ServerResponse) -> bool {
    r.status == 0 && r.headers.is_empty()
}

/// The answers at one entry's URL; `None` when nothing answered there (a network error before
/// any response).
fn hop_answers(item: &Item<'_>, preflight: Option<&Item<'_>>, request: &Request) -> Option<Hop> {
    let nothing_answered = |i: &Item<'_>| i.unseen() && i.error().is_some_and(is_network_error);
    let preflight = match preflight {
        Some(p) if nothing_answered(p) => return None,
        Some(p) => Some(logged_response(p)),
        None if !item.unseen() && may_need_preflight(request) && needs_preflight(request) => {
            Some(passed_preflight(request))
        }
        None if nothing_answered(item) => return None,
        None => None,
    };
    let response = if item.unseen() {
        unseen_response()
    } else {
        logged_response(item)
    };
    Some(Hop {
        preflight,
        response,
    })
}

/// A cheap filter before asking the simulator: a `GET`/`HEAD` without headers never needs a
/// preflight (a local-network one aside, which a logged response shows passed anyway).
fn may_need_preflight(request: &Request) -> bool {
    !(is_bodiless_method(&request.method) && request.headers.is_empty())
}

/// The preflight a request that got a response must have passed, when the log has none (the
/// browser's preflight cache, or an export that left it out): allows exactly what was asked.
pub(super) fn passed_preflight(request: &Request) -> ServerResponse {
    let mut headers = vec![
        (
            "Access-Control-Allow-Origin".to_string(),
            request.page_origin.clone(),
        ),
        (
            "Access-Control-Allow-Methods".to_string(),
            request.method.clone(),
        ),
    ];
    let names = cors_unsafe_header_names(request);
    if !names.is_empty() {
        headers.push(("Access-Control-Allow-Headers".to_string(), names.join(", ")));
    }
    if request.credentials == CredentialsMode::Include {
        headers.push((
            "Access-Control-Allow-Credentials".to_string(),
            "true".to_string(),
        ));
    }
    ServerResponse {
        status: 204,
        headers,
    }
}

/// The request a preflight asked about, when the log has no such request after it: method
/// from `Access-Control-Request-Method`, headers from `Access-Control-Request-Headers` with the
/// value `x` (unknown; `x` is no CORS-safelisted value, so a listed `Content-Type` still needs
/// the preflight), credentials unknown (`same-origin`), no body. Its response is status 0
/// without headers: the simulator stops at the failed preflight and never asks for it.
fn rebuilt_request(p: &Item<'_>, page_origin: String) -> Option<HarRequest> {
    let url = p.url.as_ref()?;
    let method = header(p.request_headers(), "access-control-request-method")?;
    if !cross_origin(&page_origin, url) {
        return None;
    }
    let asked = header(p.request_headers(), "access-control-request-headers");
    let request = Request {
        headers: script_headers(&[], asked),
        ..Request::new(&page_origin, url.as_str(), method)
    };
    let nothing_answered = p.unseen() && p.error().is_some_and(is_network_error);
    let hops = if nothing_answered {
        Vec::new()
    } else {
        vec![Hop {
            preflight: Some(if p.unseen() {
                unseen_response()
            } else {
                logged_response(p)
            }),
            response: unseen_response(),
        }]
    };
    Some(HarRequest {
        entry: p.index,
        started_ms: p.started,
        request,
        answers: ServerAnswers { hops },
        error: p.error().map(str::to_string),
        status: 0,
    })
}

/// An error that says no server answered (name resolution, connection, TLS, cancelled,
/// blocked by an extension), as opposed to Chromium's `net::ERR_FAILED` for a CORS failure.
fn is_network_error(error: &str) -> bool {
    let e = error.trim();
    (e.starts_with("net::ERR_") && e != "net::ERR_FAILED")
        || [
            "NS_ERROR_CONNECTION_REFUSED",
            "NS_ERROR_UNKNOWN_HOST",
            "NS_ERROR_NET_",
            "NS_ERROR_OFFLINE",
            "NS_BINDING_ABORTED",
        ]
        .iter()
        .any(|p| e.starts_with(p))
}

/// Fixed answers that note when the simulator is given one the log does not show.
struct Watch<'a> {
    answers: &'a ServerAnswers,
    unseen: Cell<bool>,
}

impl Server for Watch<'_> {
    fn answer(&self, incoming: &Incoming<'_>) -> Reply<'_> {
        let reply = self.answers.answer(incoming);
        match &reply {
            Reply::Response(r) if is_unseen(r) => self.unseen.set(true),
            Reply::Refused => self.unseen.set(true),
            _ => {}
        }
        reply
    }
}

// ---------------------------------------------------------------------------------------------
// ISO-8601 dates.

/// `YYYY-MM-DDTHH:MM:SS[.fff…][Z|±HH:MM|±HHMM]` in ms since the epoch.
fn epoch_ms(s: &str) -> Option<f64> {
    let b = s.trim().as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let digits = b.get(from..from + len)?;
        digits.iter().try_fold(0i64, |acc, d| {
            d.is_ascii_digit().then(|| acc * 10 + i64::from(d - b'0'))
        })
    };
    let sep = |at: usize, c: &[u8]| b.get(at).is_some_and(|x| c.contains(x));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    let mut at = 19;
    let mut fraction = 0.0;
    if sep(at, b".,") {
        at += 1;
        let mut scale = 100.0;
        while let Some(d) = b.get(at).filter(|d| d.is_ascii_digit()) {
            fraction += f64::from(d - b'0') * scale;
            scale /= 10.0;
            at += 1;
        }
    }
    let offset_min = match b.get(at) {
        None | Some(b'Z') | Some(b'z') => 0,
        Some(sign @ (b'+' | b'-')) => {
            let hh = num(at + 1, 2)?;
            let mm = if sep(at + 3, b":") {
                num(at + 4, 2)?
            } else {
                num(at + 3, 2).unwrap_or(0)
            };
            let m = hh * 60 + mm;
            if *sign == b'-' {
                -m
            } else {
                m
            }
        }
        Some(_) => return None,
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_min * 60;
    Some(secs as f64 * 1000.0 + fraction)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `2024-05-01T10:00:00.123Z`, as Chromium's `Date.toJSON` writes it.
fn iso_date(ms: i64) -> String {
    let (days, rest) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (y, mo, d) = civil_from_days(days);
    let (h, mi, s, milli) = (
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1_000 % 60,
        rest % 1_000,
    );
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

// ---------------------------------------------------------------------------------------------
// A generated HAR for benchmarks and tests.

/// The page every sample request comes from.
const SAMPLE_PAGE: &str = "https://app.example.com";

/// A realistic Chromium-style HAR of exactly `entries` entries, the same for the same `seed`:
/// same-origin documents, scripts and XHRs, `data:` images and cross-origin no-cors images (all
/// skipped by [`parse`]), and cross-origin requests that pass, pass after a preflight, fail
/// their preflight (401 without CORS headers, actual request `net::ERR_FAILED`), follow a
/// redirect, hide a 502 after a good preflight, or lack `Access-Control-Allow-Origin`. Responses
/// carry bodies of a few hundred bytes in `content.text`. Every entry [`parse`] reports carries
/// `"comment": "expect <code>"`, the simulator's verdict code for it.
pub fn sample_har(entries: usize, seed: u64) -> String {
    let mut g = Sample {
        rng: seed ^ 0x9e37_79b9_7f4a_7c15,
        out: String::with_capacity(entries.saturating_mul(2_600).min(1 << 26)),
        written: 0,
        clock: 1_714_557_600_000,
    };
    g.out.push_str(
        "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"WebInspector\",\"version\":\"537.36\"},\
         \"pages\":[{\"startedDateTime\":\"2024-05-01T10:00:00.000Z\",\"id\":\"page_1\",\
         \"title\":\"https://app.example.com/dashboard\",\
         \"pageTimings\":{\"onContentLoad\":412.3,\"onLoad\":893.1}}],\"entries\":[",
    );
    while g.written < entries {
        let left = entries - g.written;
        g.group(left);
    }
    g.out.push_str("]}}");
    g.out
}

/// The sample's state: a 64-bit LCG, the text so far, the entry count and the clock (ms).
struct Sample {
    rng: u64,
    out: String,
    written: usize,
    clock: i64,
}

/// One sample entry to write.
struct Spec<'s> {
    method: &'s str,
    url: String,
    resource_type: &'s str,
    /// `Some(url)`: Chromium's preflight initiator for the request to `url`.
    preflight_for: Option<String>,
    request_headers: Vec<(&'s str, String)>,
    post_mime: Option<&'s str>,
    status: u16,
    response_headers: Vec<(&'s str, String)>,
    redirect: String,
    error: Option<&'s str>,
    body: bool,
    expect: Option<&'s str>,
}

const API_HOSTS: &[&str] = &[
    "https://api.example.com",
    "https://auth.example.net",
    "https://payments.example.org",
];

const WORDS: &[&str] = &[
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
];

impl Sample {
    fn next(&mut self, below: u64) -> u64 {
        self.rng = self
            .rng
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.rng >> 33) % below.max(1)
    }

    fn pick<'s>(&mut self, from: &[&'s str]) -> &'s str {
        let i = self.next(from.len() as u64) as usize;
        from.get(i).copied().unwrap_or("")
    }

    /// One group of entries (a request with its preflight or redirect), at most `left` long.
    fn group(&mut self, left: usize) {
        let roll = self.next(100);
        let two = left >= 2;
        match roll {
            0..=29 => self.same_origin(),
            30..=39 => self.no_cors_image(),
            40..=59 => self.simple_ok(),
            60..=69 if two => self.preflighted_ok(),
            70..=77 if two => self.preflight_401(),
            78..=84 if two => self.redirected(),
            85..=91 if two => self.hidden_502(),
            92..=99 => self.missing_allow_origin(),
            _ => self.same_origin(),
        }
    }

    fn api_url(&mut self) -> (String, String) {
        let host = self.pick(API_HOSTS).to_string();
        let path = format!("/v1/{}/{}", self.pick(WORDS), self.next(10_000));
        (host, path)
    }

    fn spec(&self, method: &'static str, url: String) -> Spec<'static> {
        Spec {
            method,
            url,
            resource_type: "fetch",
            preflight_for: None,
            request_headers: Vec::new(),
            post_mime: None,
            status: 200,
            response_headers: vec![("content-type", "application/json".into())],
            redirect: String::new(),
            error: None,
            body: true,
            expect: None,
        }
    }

    fn same_origin(&mut self) {
        let kind = self.next(4);
        let (rt, url, mime) = match kind {
            0 => ("script", format!("{SAMPLE_PAGE}/static/app.{}.js", self.next(999)), "application/javascript"),
            1 => ("stylesheet", format!("{SAMPLE_PAGE}/static/site.css"), "text/css"),
            2 => ("xhr", format!("{SAMPLE_PAGE}/api/session"), "application/json"),
            _ => ("image", "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=".to_string(), "image/png"),
        };
        let mut s = self.spec("GET", url);
        s.resource_type = rt;
        s.response_headers = vec![("content-type", mime.into())];
        self.write(&s);
    }

    fn no_cors_image(&mut self) {
        let url = format!(
            "https://cdn.example-static.net/img/{}.webp",
            self.next(5_000)
        );
        let mut s = self.spec("GET", url);
        s.resource_type = "image";
        s.response_headers = vec![("content-type", "image/webp".into())];
        self.write(&s);
    }

    fn cors_headers(&self) -> Vec<(&'static str, String)> {
        vec![
            ("content-type", "application/json".into()),
            ("access-control-allow-origin", SAMPLE_PAGE.into()),
            ("access-control-allow-credentials", "true".into()),
            ("vary", "Origin".into()),
        ]
    }

    fn simple_ok(&mut self) {
        let (host, path) = self.api_url();
        let mut s = self.spec("GET", format!("{host}{path}"));
        s.response_headers = self.cors_headers();
        s.expect = Some("ok");
        self.write(&s);
    }

    fn preflight(&self, url: &str, method: &'static str, asked: &str, ok: bool) -> Spec<'static> {
        let mut p = self.spec("OPTIONS", url.to_string());
        p.resource_type = "preflight";
        p.preflight_for = Some(url.to_string());
        p.request_headers = vec![
            ("access-control-request-method", method.into()),
            ("access-control-request-headers", asked.into()),
        ];
        let (status, cors) = if ok { (204, true) } else { (401, false) };
        p.status = status;
        p.body = false;
        p.response_headers = if cors {
            vec![
                ("access-control-allow-origin", SAMPLE_PAGE.into()),
                (
                    "access-control-allow-methods",
                    "GET, POST, PUT, DELETE".into(),
                ),
                (
                    "access-control-allow-headers",
                    "Authorization, Content-Type".into(),
                ),
                ("access-control-max-age", "600".into()),
            ]
        } else {
            vec![
                ("www-authenticate", "Bearer".into()),
                ("content-length", "0".into()),
            ]
        };
        p
    }

    fn with_json_body(&self, s: &mut Spec<'static>) {
        s.request_headers = vec![
            ("authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.sample".into()),
            ("content-type", "application/json".into()),
        ];
        s.post_mime = Some("application/json");
    }

    /// The preflight entry before or after its request, as Chromium logs either.
    fn pair(&mut self, preflight: Spec<'_>, actual: Spec<'_>) {
        if self.next(2) == 0 {
            self.write(&preflight);
            self.write(&actual);
        } else {
            self.write(&actual);
            self.write(&preflight);
        }
    }

    fn preflighted_ok(&mut self) {
        let (host, path) = self.api_url();
        let url = format!("{host}{path}");
        let p = self.preflight(&url, "PUT", "authorization,content-type", true);
        let mut a = self.spec("PUT", url);
        self.with_json_body(&mut a);
        a.response_headers = self.cors_headers();
        a.expect = Some("ok");
        self.pair(p, a);
    }

    fn preflight_401(&mut self) {
        let (host, path) = self.api_url();
        let url = format!("{host}{path}");
        let p = self.preflight(&url, "POST", "authorization,content-type", false);
        let mut a = self.spec("POST", url);
        self.with_json_body(&mut a);
        a.status = 0;
        a.response_headers = Vec::new();
        a.error = Some("net::ERR_FAILED");
        a.body = false;
        a.expect = Some("preflight/allow-origin/missing");
        self.write(&p);
        self.write(&a);
    }

    fn redirected(&mut self) {
        let (host, path) = self.api_url();
        let mut first = self.spec("GET", format!("{host}{path}"));
        first.status = 301;
        first.response_headers = self.cors_headers();
        first
            .response_headers
            .push(("location", format!("{path}/")));
        first.redirect = format!("{path}/");
        first.body = false;
        first.expect = Some("ok");
        let mut second = self.spec("GET", format!("{host}{path}/"));
        second.response_headers = self.cors_headers();
        self.write(&first);
        self.write(&second);
    }

    fn hidden_502(&mut self) {
        let (host, path) = self.api_url();
        let url = format!("{host}{path}");
        let p = self.preflight(&url, "DELETE", "authorization", true);
        let mut a = self.spec("DELETE", url);
        a.request_headers = vec![("authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.sample".into())];
        a.status = 502;
        a.response_headers = vec![
            ("content-type", "text/html".into()),
            ("server", "nginx".into()),
        ];
        a.error = Some("net::ERR_FAILED");
        a.expect = Some("response/hidden-server-error");
        self.pair(p, a);
    }

    fn missing_allow_origin(&mut self) {
        let (host, path) = self.api_url();
        let mut s = self.spec("GET", format!("{host}{path}"));
        s.error = Some("net::ERR_FAILED");
        s.expect = Some("response/allow-origin/missing");
        self.write(&s);
    }

    /// A body of a few hundred bytes of JSON text (escaped inside the HAR string).
    fn body_text(&mut self) -> String {
        let mut body = String::from("{\"items\":[");
        let n = 6 + self.next(10);
        for i in 0..n {
            if i > 0 {
                body.push(',');
            }
            let word = self.pick(WORDS);
            let _ = write!(
                body,
                "{{\"id\":{},\"name\":\"{word}\",\"note\":\"line\\nbreak\"}}",
                self.next(100_000)
            );
        }
        body.push_str("]}");
        body
    }

    /// Writes one entry in Chromium's layout.
    fn write(&mut self, s: &Spec<'_>) {
        self.clock += 1 + self.next(40) as i64;
        if self.written > 0 {
            self.out.push(',');
        }
        self.written += 1;
        let body = if s.body {
            self.body_text()
        } else {
            String::new()
        };
        let o = &mut self.out;
        o.push('{');
        match &s.preflight_for {
            Some(u) => {
                o.push_str("\"_initiator\":{\"type\":\"preflight\",\"url\":");
                push_json(o, u);
                o.push_str(",\"requestId\":\"4242.17\"},");
            }
            None => o.push_str(
                "\"_initiator\":{\"type\":\"script\",\"stack\":{\"callFrames\":[{\"functionName\":\"load\",\
                 \"scriptId\":\"31\",\"url\":\"https://app.example.com/static/app.js\",\"lineNumber\":120,\
                 \"columnNumber\":17}]}},",
            ),
        }
        let _ = write!(o, "\"_priority\":\"High\",\"_resourceType\":\"{}\",\"cache\":{{}},\"connection\":\"443\",\"pageref\":\"page_1\",", s.resource_type);
        if let Some(c) = s.expect {
            o.push_str("\"comment\":");
            push_json(o, &format!("expect {c}"));
            o.push(',');
        }
        o.push_str("\"request\":{\"method\":");
        push_json(o, s.method);
        o.push_str(",\"url\":");
        push_json(o, &s.url);
        o.push_str(",\"httpVersion\":\"http/2.0\",\"headers\":[");
        let authority = s.url.split('/').nth(2).unwrap_or("").to_string();
        let path = s
            .url
            .splitn(4, '/')
            .nth(3)
            .map(|p| format!("/{p}"))
            .unwrap_or_default();
        let browser: Vec<(&str, String)> = vec![
            (":authority", authority),
            (":method", s.method.to_string()),
            (":path", path),
            (":scheme", "https".into()),
            ("accept", "*/*".into()),
            ("accept-encoding", "gzip, deflate, br, zstd".into()),
            ("accept-language", "en-US,en;q=0.9".into()),
        ];
        let cross = s.resource_type != "image" && !s.url.starts_with(SAMPLE_PAGE);
        let mut all = browser;
        all.extend(s.request_headers.iter().cloned());
        if cross {
            all.push(("origin", SAMPLE_PAGE.into()));
        }
        all.push(("priority", "u=1, i".into()));
        all.push(("referer", format!("{SAMPLE_PAGE}/")));
        all.push((
            "sec-ch-ua",
            "\"Chromium\";v=\"124\", \"Not-A.Brand\";v=\"99\"".into(),
        ));
        all.push((
            "sec-fetch-mode",
            if cross { "cors" } else { "no-cors" }.into(),
        ));
        all.push(("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36".into()));
        push_headers(o, &all);
        o.push_str("],\"queryString\":[],\"cookies\":[],\"headersSize\":-1,");
        match s.post_mime {
            Some(m) => {
                o.push_str("\"bodySize\":27,\"postData\":{\"mimeType\":");
                push_json(o, m);
                o.push_str(",\"text\":\"{\\\"name\\\":\\\"sample\\\",\\\"n\\\":1}\"}");
            }
            None => o.push_str("\"bodySize\":0"),
        }
        let _ = write!(o, "}},\"response\":{{\"status\":{},\"statusText\":\"\",\"httpVersion\":\"http/2.0\",\"headers\":[", s.status);
        let mut resp = s.response_headers.clone();
        if s.status != 0 {
            resp.push(("date", "Wed, 01 May 2024 10:00:00 GMT".into()));
        }
        push_headers(o, &resp);
        let mime = if s.status == 0 {
            "x-unknown"
        } else {
            "application/json"
        };
        let _ = write!(
            o,
            "],\"cookies\":[],\"content\":{{\"size\":{},\"mimeType\":\"{mime}\"",
            body.len()
        );
        if s.body {
            o.push_str(",\"text\":");
            push_json(o, &body);
        }
        o.push_str("},\"redirectURL\":");
        push_json(o, &s.redirect);
        let _ = write!(
            o,
            ",\"headersSize\":-1,\"bodySize\":-1,\"_transferSize\":{},\"_error\":",
            body.len() + 180
        );
        match s.error {
            Some(e) => push_json(o, e),
            None => o.push_str("null"),
        }
        let started = iso_date(self.clock);
        let _ = write!(
            o,
            "}},\"serverIPAddress\":\"203.0.113.7\",\"startedDateTime\":\"{started}\",\"time\":{}.{},\
             \"timings\":{{\"blocked\":0.8,\"dns\":-1,\"ssl\":-1,\"connect\":-1,\"send\":0.2,\"wait\":{},\
             \"receive\":0.6,\"_blocked_queueing\":0.5}}}}",
            20 + self.rng % 200,
            self.rng % 10,
            18 + self.rng % 190,
        );
    }
}

/// `"name":…,"value":…` objects, comma-separated.
fn push_headers(o: &mut String, headers: &[(&str, String)]) {
    for (i, (n, v)) in headers.iter().enumerate() {
        if i > 0 {
            o.push(',');
        }
        o.push_str("{\"name\":");
        push_json(o, n);
        o.push_str(",\"value\":");
        push_json(o, v);
        o.push('}');
    }
}

/// A JSON string literal.
fn push_json(o: &mut String, s: &str) {
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(o, "\\u{:04x}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.push('"');
}
