//! What a fix must allow, read from a report's exact fix headers: the single input every stack's
//! writer gets, so no stack re-derives a Fetch rule.

use super::pitfall::Pitfall;
use crate::engine::check::report::{CauseReport, Report};

/// Preflights are cached this long (seconds) by the fixes; Chromium caps the cache at 7,200.
pub const MAX_AGE_SECS: u32 = 600;

/// The CORS configuration that makes the user's request pass, in stack-neutral terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixSpec {
    /// Origins to allow; the first is the app's. More than one means an allow-list that echoes
    /// the request's Origin when it is on the list, with `Vary: Origin`.
    pub origins: Vec<String>,
    /// `Access-Control-Allow-Credentials: true` (never with `*`).
    pub credentials: bool,
    /// Methods to allow, upper-case: GET, HEAD, POST and the request's own.
    pub methods: Vec<String>,
    /// Request headers to allow, lower-case, in the order the request sends them.
    pub headers: Vec<String>,
    /// Response headers the app's code reads, lower-case.
    pub expose: Vec<String>,
    /// Whether the request is preflighted.
    pub preflight: bool,
    /// `Access-Control-Allow-Private-Network: true` on the preflight.
    pub private_network: bool,
    pub max_age: u32,
    /// The API's origin (`http://127.0.0.1:8000`), for proxies and rewrites.
    pub api_origin: String,
    /// The request's path (`/api/items`).
    pub path: String,
    /// The path's first segment as a prefix (`/api/`), or `/`: where a route or location matches.
    pub prefix: String,
}

impl FixSpec {
    /// The configuration that fixes `cause`, or `None` when no server change fixes it.
    pub fn new(report: &Report, cause: &CauseReport) -> Option<FixSpec> {
        let headers = cause.fix_headers.as_ref()?;
        let find = |list: &[(String, String)], name: &str| {
            list.iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        };
        let origin = find(&headers.actual, "Access-Control-Allow-Origin")?;
        let mut origins = vec![origin];
        for extra in &report.extra_origins {
            if !origins.contains(extra) {
                origins.push(extra.clone());
            }
        }
        let preflight = headers.preflight.as_deref().unwrap_or(&[]);
        let mut methods: Vec<String> = ["GET", "HEAD", "POST"].map(String::from).to_vec();
        for method in find(preflight, "Access-Control-Allow-Methods")
            .iter()
            .flat_map(|list| split_list(list))
        {
            let method = method.to_ascii_uppercase();
            if !methods.contains(&method) {
                methods.push(method);
            }
        }
        let mut allowed_headers = find(preflight, "Access-Control-Allow-Headers")
            .map(|list| split_list(&list))
            .unwrap_or_default();
        // The cause names what was refused even when the evidence did not show the whole
        // request (a console message names the header, not the request's other headers).
        let refused_header = cause
            .params
            .get("header")
            .map(|h| h.trim().to_ascii_lowercase());
        let refused_method = cause
            .params
            .get("method")
            .map(|m| m.trim().to_ascii_uppercase());
        if let Some(header) = refused_header.clone().filter(|h| !h.is_empty()) {
            if !allowed_headers.contains(&header) {
                allowed_headers.push(header);
            }
        }
        if let Some(method) = refused_method.clone().filter(|m| !m.is_empty()) {
            if !methods.contains(&method) {
                methods.push(method);
            }
        }
        let credentials = find(&headers.actual, "Access-Control-Allow-Credentials").is_some()
            || Pitfall::of(cause.code) == Pitfall::Credentials;
        let (api_origin, path) = origin_and_path(&report.request.url);
        let prefix = route_prefix(&path);
        Some(FixSpec {
            origins,
            credentials,
            methods,
            headers: allowed_headers,
            expose: find(&headers.actual, "Access-Control-Expose-Headers")
                .map(|list| split_list(&list))
                .unwrap_or_default(),
            preflight: headers.preflight.is_some()
                || refused_header.is_some()
                || refused_method.is_some(),
            private_network: find(preflight, "Access-Control-Allow-Private-Network").is_some(),
            max_age: MAX_AGE_SECS,
            api_origin,
            path,
            prefix,
        })
    }

    /// The app's origin (the first allowed one).
    pub fn origin(&self) -> &str {
        self.origins.first().map(String::as_str).unwrap_or("")
    }

    /// More than one origin: the fix keeps an allow-list and varies on `Origin`.
    pub fn is_allow_list(&self) -> bool {
        self.origins.len() > 1
    }

    /// Request headers to allow, as a comma-separated list (empty when none).
    pub fn headers_list(&self) -> String {
        self.headers.join(", ")
    }

    pub fn methods_list(&self) -> String {
        self.methods.join(", ")
    }

    pub fn expose_list(&self) -> String {
        self.expose.join(", ")
    }
}

fn split_list(list: &str) -> Vec<String> {
    list.split(',')
        .map(|item| item.trim().to_ascii_lowercase())
        .filter(|item| !item.is_empty())
        .collect()
}

/// `http://host:port` and `/path` of the request URL (the URL as typed when it does not parse).
fn origin_and_path(url: &str) -> (String, String) {
    match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => (
            parsed.origin().ascii_serialization(),
            parsed.path().to_string(),
        ),
        _ => (url.to_string(), "/".to_string()),
    }
}

/// `/api/items/7` → `/api/`; `/items` → `/`; `/` → `/`.
fn route_prefix(path: &str) -> String {
    let rest = path.trim_start_matches('/');
    match rest.split_once('/') {
        Some((first, _)) if !first.is_empty() => format!("/{first}/"),
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(route_prefix("/api/items/7"), "/api/");
        assert_eq!(route_prefix("/items"), "/");
        assert_eq!(route_prefix("/"), "/");
        assert_eq!(route_prefix("//x"), "/");
    }

    #[test]
    fn lists_are_split_and_lower_cased() {
        assert_eq!(
            split_list(" X-Api-Key, content-type ,"),
            ["x-api-key", "content-type"]
        );
        assert!(split_list("").is_empty());
    }
}
