//! The fix: the exact response headers that make *this* request pass, for its origin, method,
//! headers and credentials mode (checked against the simulator in the tests).

use serde::{Deserialize, Serialize};

use super::header_name::is_forbidden_response_name;
use super::input::analyze;
use super::method;
use super::preflight;
use super::request::{Request, RequestMode};
use super::safelist::is_safelisted_response_name;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FixHeaders {
    /// Headers for the OPTIONS answer; `None` when no preflight is sent.
    pub preflight: Option<Vec<(String, String)>>,
    /// Headers for the actual response.
    pub actual: Vec<(String, String)>,
}

/// Headers that make `req` pass and expose `want_exposed`. Empty when CORS does not apply
/// (same-origin, `no-cors`) or the request cannot be sent at all.
pub fn fix_headers(req: &Request, want_exposed: &[String]) -> FixHeaders {
    let none = FixHeaders {
        preflight: None,
        actual: Vec::new(),
    };
    let analysis = analyze(req);
    let Some(p) = &analysis.prepared else {
        return none;
    };
    if req.mode != RequestMode::Cors || !p.cross_origin {
        return none;
    }
    let origin = p.page.serialized().to_string();
    let mut actual = vec![("Access-Control-Allow-Origin".to_string(), origin.clone())];
    if p.include_credentials {
        actual.push(("Access-Control-Allow-Credentials".into(), "true".into()));
    }
    let mut expose: Vec<String> = want_exposed
        .iter()
        .map(|w| w.trim().to_ascii_lowercase())
        .filter(|w| {
            !w.is_empty() && !is_safelisted_response_name(w) && !is_forbidden_response_name(w)
        })
        .collect();
    expose.sort();
    expose.dedup();
    if !expose.is_empty() {
        actual.push(("Access-Control-Expose-Headers".into(), expose.join(", ")));
    }

    let lna = p.local_network.is_some();
    let preflight = (preflight::needed_for(&p.method, &p.unsafe_names) || lna).then(|| {
        let mut h = vec![("Access-Control-Allow-Origin".to_string(), origin.clone())];
        if p.include_credentials {
            h.push(("Access-Control-Allow-Credentials".into(), "true".into()));
        }
        if !method::is_safelisted(&p.method) {
            h.push(("Access-Control-Allow-Methods".into(), p.method.to_string()));
        }
        if !p.unsafe_names.is_empty() {
            h.push((
                "Access-Control-Allow-Headers".into(),
                p.unsafe_names.join(", "),
            ));
        }
        if lna {
            h.push(("Access-Control-Allow-Private-Network".into(), "true".into()));
        }
        h
    });
    FixHeaders { preflight, actual }
}
