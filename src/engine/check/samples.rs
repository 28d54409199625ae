//! Realistic examples for a first check: each fills the form with a request against one of the
//! CORS lab's misconfigured paths (`scripts/serve` starts the lab beside the page), so a
//! first-time user sees a diagnosis in one click. The one list of samples.

use super::form::FormInput;

/// Where the page finds the lab unless the page's address names another (`?lab=<origin>`).
pub const DEFAULT_LAB: &str = "http://127.0.0.1:9090";

/// One example request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// The `value` in the samples menu.
    pub id: &'static str,
    pub label: &'static str,
    path: &'static str,
    method: &'static str,
    headers: &'static str,
    body: &'static str,
    credentials: bool,
    want_headers: &'static str,
}

const fn sample(id: &'static str, label: &'static str, path: &'static str) -> Sample {
    Sample {
        id,
        label,
        path,
        method: "GET",
        headers: "",
        body: "",
        credentials: false,
        want_headers: "",
    }
}

const JSON: &str = "Content-Type: application/json";

/// Every sample, in menu order.
pub const SAMPLES: &[Sample] = &[
    sample(
        "ok",
        "Everything right (the CORS set-up is correct)",
        "/simple-ok",
    ),
    sample(
        "missing",
        "No Access-Control-Allow-Origin at all",
        "/acao-missing",
    ),
    Sample {
        method: "POST",
        headers: JSON,
        body: "{\"name\":\"demo\"}",
        ..sample(
            "hidden-500",
            "A server error the browser hides as a CORS error",
            "/hidden-error",
        )
    },
    Sample {
        method: "PUT",
        headers: "Authorization: Bearer demo-token\nContent-Type: application/json",
        body: "{}",
        ..sample(
            "auth-preflight",
            "The preflight refused by auth (401)",
            "/preflight-401",
        )
    },
    Sample {
        method: "PUT",
        headers: "X-Trace-One: 1\nX-Trace-Three: 3",
        ..sample(
            "header",
            "A request header the preflight does not allow",
            "/header-not-allowed",
        )
    },
    Sample {
        credentials: true,
        ..sample(
            "wildcard",
            "Access-Control-Allow-Origin: * with credentials",
            "/wildcard-credentials",
        )
    },
    Sample {
        want_headers: "X-Total-Count",
        ..sample(
            "not-exposed",
            "A response header your code cannot read",
            "/not-exposed",
        )
    },
];

impl Sample {
    /// The form this sample fills, against the lab at `lab` (an origin).
    pub fn form(&self, lab: &str) -> FormInput {
        FormInput {
            url: format!("{}{}", lab.trim_end_matches('/'), self.path),
            method: self.method.into(),
            headers: self.headers.into(),
            body: self.body.into(),
            credentials: self.credentials,
            want_headers: self.want_headers.into(),
            ..FormInput::default()
        }
    }

    pub fn by_id(id: &str) -> Option<&'static Sample> {
        SAMPLES.iter().find(|s| s.id == id)
    }
}

/// The lab's origin from the page's query string (`?lab=http://127.0.0.1:9090`), when it names an
/// http(s) origin; otherwise [`DEFAULT_LAB`].
pub fn lab_origin(query: &str) -> String {
    let query = query.strip_prefix('?').unwrap_or(query);
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "lab")
        .and_then(|(_, v)| url::Url::parse(&v).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_else(|| DEFAULT_LAB.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::check::form::parse_form;

    #[test]
    fn every_sample_is_a_valid_form_with_a_unique_id() {
        let mut ids: Vec<&str> = SAMPLES.iter().map(|s| s.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), SAMPLES.len());
        for s in SAMPLES {
            let form = s.form(DEFAULT_LAB);
            assert!(
                parse_form(&form, "http://127.0.0.1:8080").is_ok(),
                "{}",
                s.id
            );
            assert!(
                form.url.starts_with("http://127.0.0.1:9090/"),
                "{}",
                form.url
            );
        }
    }

    #[test]
    fn the_lab_comes_from_the_query_or_the_default() {
        assert_eq!(
            lab_origin("?lab=http://127.0.0.1:41234/x"),
            "http://127.0.0.1:41234"
        );
        assert_eq!(lab_origin("?lab=javascript:alert(1)"), DEFAULT_LAB);
        assert_eq!(lab_origin(""), DEFAULT_LAB);
        assert_eq!(lab_origin("?a=1&lab=not%20a%20url"), DEFAULT_LAB);
    }
}
