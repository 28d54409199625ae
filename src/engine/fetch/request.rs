//! The request a page makes with `fetch()`: the inputs of the
//! [Fetch Standard's request](https://fetch.spec.whatwg.org/#concept-request) that matter for CORS.

use serde::{Deserialize, Serialize};

/// [Credentials mode](https://fetch.spec.whatwg.org/#concept-request-credentials-mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CredentialsMode {
    Omit,
    SameOrigin,
    Include,
}

/// [Mode](https://fetch.spec.whatwg.org/#concept-request-mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequestMode {
    Cors,
    NoCors,
    SameOrigin,
}

/// [Redirect mode](https://fetch.spec.whatwg.org/#concept-request-redirect-mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RedirectMode {
    Follow,
    Error,
    Manual,
}

/// What the page's script asks for. Values are raw, as typed: the engine validates them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// The page's serialized origin, e.g. `http://127.0.0.1:8080`, or `null` for an opaque origin.
    pub page_origin: String,
    pub url: String,
    pub method: String,
    pub headers: Vec<(String, String)>,
    pub credentials: CredentialsMode,
    pub mode: RequestMode,
    pub redirect: RedirectMode,
    pub body: Option<String>,
}

impl Request {
    /// A `fetch(url, { method })` from `page_origin` with `fetch()`'s defaults:
    /// mode `cors`, credentials `same-origin`, redirect `follow`, no headers, no body.
    pub fn new(page_origin: &str, url: &str, method: &str) -> Self {
        Request {
            page_origin: page_origin.to_string(),
            url: url.to_string(),
            method: method.to_string(),
            headers: Vec::new(),
            credentials: CredentialsMode::SameOrigin,
            mode: RequestMode::Cors,
            redirect: RedirectMode::Follow,
            body: None,
        }
    }

    /// Appends a header, like `Headers.append`.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn credentials(mut self, c: CredentialsMode) -> Self {
        self.credentials = c;
        self
    }

    pub fn mode(mut self, m: RequestMode) -> Self {
        self.mode = m;
        self
    }

    pub fn redirect(mut self, r: RedirectMode) -> Self {
        self.redirect = r;
        self
    }

    pub fn body(mut self, b: &str) -> Self {
        self.body = Some(b.to_string());
        self
    }
}
