//! What the server(s) answer: the raw responses the simulator checks.
//!
//! Header lists keep duplicates and any name case, as on the wire; lookups follow
//! [get a header](https://fetch.spec.whatwg.org/#concept-header-list-get) (case-insensitive,
//! several lines combined with `, `).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::token::{eq_ignore_case, trim};

/// One HTTP response head.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
}

/// The answers at one URL: the preflight (when the browser sends one there) and the main response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hop {
    pub preflight: Option<ServerResponse>,
    pub response: ServerResponse,
}

/// Hop 0 answers the request URL; each followed redirect moves to the next hop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ServerAnswers {
    pub hops: Vec<Hop>,
}

impl ServerResponse {
    pub fn new(status: u16, headers: &[(&str, &str)]) -> Self {
        ServerResponse {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
        }
    }

    /// Every value of `name`, trimmed of HTTP whitespace as an HTTP parser does, in order.
    pub fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| name_is(n, name))
            .map(|(_, v)| trim_http_whitespace(v))
    }

    /// [Get](https://fetch.spec.whatwg.org/#concept-header-list-get): `None` when absent,
    /// several lines joined with `, `.
    pub fn get(&self, name: &str) -> Option<String> {
        self.get_cow(name).map(Cow::into_owned)
    }

    /// [`ServerResponse::get`], borrowed when there is one line.
    pub(crate) fn get_cow(&self, name: &str) -> Option<Cow<'_, str>> {
        self.get_counted(name).map(|(v, _)| v)
    }

    /// [`ServerResponse::get`] and [`ServerResponse::count`] in one pass.
    pub(crate) fn get_counted(&self, name: &str) -> Option<(Cow<'_, str>, usize)> {
        let mut found: Option<(Cow<'_, str>, usize)> = None;
        for (n, v) in &self.headers {
            if !name_is(n, name) {
                continue;
            }
            let v = trim_http_whitespace(v);
            found = Some(match found {
                None => (Cow::Borrowed(v), 1),
                Some((joined, count)) => {
                    let mut joined = joined.into_owned();
                    joined.push_str(", ");
                    joined.push_str(v);
                    (Cow::Owned(joined), count + 1)
                }
            });
        }
        found
    }

    /// How many header lines named `name` there are.
    pub fn count(&self, name: &str) -> usize {
        self.values(name).count()
    }
}

impl Hop {
    pub fn new(preflight: Option<ServerResponse>, response: ServerResponse) -> Self {
        Hop {
            preflight,
            response,
        }
    }
}

/// Whether a header line's name (as on the wire, maybe padded) is `name`, in any case:
/// `line_name.trim().eq_ignore_ascii_case(name)`, trimming only when it can matter.
#[inline(always)]
fn name_is(line_name: &str, name: &str) -> bool {
    match line_name.len().cmp(&name.len()) {
        // Trimming only shortens.
        std::cmp::Ordering::Less => false,
        // Equal lengths: a trimmed line that changed would be too short.
        std::cmp::Ordering::Equal => {
            eq_ignore_case(line_name, name) && trim(line_name).len() == line_name.len()
        }
        // Longer: only trimming could make it fit, if it starts or ends with a space.
        std::cmp::Ordering::Greater => {
            let b = line_name.as_bytes();
            let padded = |c: Option<&u8>| c.is_some_and(|c| !c.is_ascii_graphic());
            (padded(b.first()) || padded(b.last())) && eq_ignore_case(line_name.trim(), name)
        }
    }
}

/// Strips leading and trailing [HTTP whitespace](https://fetch.spec.whatwg.org/#http-whitespace).
#[inline]
pub fn trim_http_whitespace(s: &str) -> &str {
    let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let bytes = s.as_bytes();
    if !bytes.first().is_some_and(ws) && !bytes.last().is_some_and(ws) {
        return s;
    }
    // The bytes around the kept part are ASCII, so both ends are char boundaries.
    let start = bytes.iter().position(|b| !ws(b)).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !ws(b)).map_or(start, |i| i + 1);
    s.get(start..end).unwrap_or("")
}
