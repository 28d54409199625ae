//! What the server(s) answer: the raw responses the simulator checks.
//!
//! Header lists keep duplicates and any name case, as on the wire; lookups follow
//! [get a header](https://fetch.spec.whatwg.org/#concept-header-list-get) (case-insensitive,
//! several lines combined with `, `).

use serde::{Deserialize, Serialize};

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
            .filter(move |(n, _)| n.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| trim_http_whitespace(v))
    }

    /// [Get](https://fetch.spec.whatwg.org/#concept-header-list-get): `None` when absent,
    /// several lines joined with `, `.
    pub fn get(&self, name: &str) -> Option<String> {
        let mut out: Option<String> = None;
        for v in self.values(name) {
            match out.as_mut() {
                Some(s) => {
                    s.push_str(", ");
                    s.push_str(v);
                }
                None => out = Some(v.to_string()),
            }
        }
        out
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

/// Strips leading and trailing [HTTP whitespace](https://fetch.spec.whatwg.org/#http-whitespace).
pub fn trim_http_whitespace(s: &str) -> &str {
    s.trim_matches(|c| matches!(c, ' ' | '\t' | '\r' | '\n'))
}
