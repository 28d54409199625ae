//! Cause codes (the contract's `family/kind/detail` paths) and findings.
//!
//! The strings are the contract in `shared/contract.md`: never rename one. A less certain diagnosis
//! names a shorter prefix, e.g. `response/allow-origin` ([`AllowOriginDetail::Unknown`]).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why the CORS check on `Access-Control-Allow-Origin` failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AllowOriginDetail {
    /// Failed, but the evidence cannot tell how (serializes without a detail).
    Unknown,
    Missing,
    Mismatch,
    Multiple,
    Invalid,
    /// Preflight only: `*` with credentials (the actual response uses
    /// [`CredentialsDetail::WildcardOrigin`]).
    WildcardWithCredentials,
}

/// Why the credentials part of the CORS check failed on the actual response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CredentialsDetail {
    Unknown,
    WildcardOrigin,
    MissingAllow,
}

/// One cause code per contract row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    Ok,
    OkSameOrigin,
    OkHeaderNotExposed,
    InputInvalidUrl,
    InputUnsupportedScheme,
    InputForbiddenMethod,
    InputForbiddenHeader,
    InputInvalidHeader,
    NetworkUnreachable,
    NetworkTimeout,
    NetworkMixedContent,
    NetworkLocalNetworkAccess,
    PreflightStatus,
    PreflightRedirect,
    PreflightAllowOrigin(AllowOriginDetail),
    PreflightCredentials,
    PreflightMethodNotAllowed,
    PreflightHeaderNotAllowed,
    PreflightAuthorizationWildcard,
    PreflightInvalidAllowList,
    PreflightLocalNetwork,
    ResponseAllowOrigin(AllowOriginDetail),
    ResponseCredentials(CredentialsDetail),
    ResponseHiddenServerError,
    RedirectTaintedOrigin,
    RedirectCredentialsInUrl,
    RedirectUnsupportedScheme,
    // Extensions the simulator needs; proposed as new contract rows (additions only).
    /// `input/disallowed-by-mode`: `mode: "same-origin"` to a cross-origin URL, or a `no-cors`
    /// request the browser refuses.
    InputDisallowedByMode,
    /// `redirect/too-many`: more than 20 redirects.
    RedirectTooMany,
    /// `redirect/invalid-location`: a `Location` that does not parse as a URL.
    RedirectInvalidLocation,
    /// `redirect/mode-error`: `redirect: "error"` and the server redirected.
    RedirectModeError,
    /// `input/invalid-timeout`: the timeout field is not a positive number of seconds.
    InputInvalidTimeout,
    /// `input/too-large`: a form field beyond what the page sends (a URL, method, header block
    /// or body larger than servers accept or than a CORS check needs).
    InputTooLarge,
    /// `network/content-security-policy`: the calling page's own Content-Security-Policy
    /// (`connect-src`) refused the request before it left the browser (seen by the app
    /// snippet); not a CORS failure.
    NetworkContentSecurityPolicy,
    /// `preflight`: the preflight failed, and the evidence cannot say which check.
    PreflightAny,
    /// `response`: the response failed the CORS check, and the evidence cannot say which.
    ResponseAny,
}

const SIMPLE: &[(&str, Code)] = &[
    ("ok", Code::Ok),
    ("ok/same-origin", Code::OkSameOrigin),
    ("ok/header-not-exposed", Code::OkHeaderNotExposed),
    ("input/invalid-url", Code::InputInvalidUrl),
    ("input/unsupported-scheme", Code::InputUnsupportedScheme),
    ("input/forbidden-method", Code::InputForbiddenMethod),
    ("input/forbidden-header", Code::InputForbiddenHeader),
    ("input/invalid-header", Code::InputInvalidHeader),
    ("input/disallowed-by-mode", Code::InputDisallowedByMode),
    ("input/invalid-timeout", Code::InputInvalidTimeout),
    ("input/too-large", Code::InputTooLarge),
    ("network/unreachable", Code::NetworkUnreachable),
    ("network/timeout", Code::NetworkTimeout),
    ("network/mixed-content", Code::NetworkMixedContent),
    (
        "network/content-security-policy",
        Code::NetworkContentSecurityPolicy,
    ),
    (
        "network/local-network-access",
        Code::NetworkLocalNetworkAccess,
    ),
    ("preflight/status", Code::PreflightStatus),
    ("preflight/redirect", Code::PreflightRedirect),
    ("preflight/credentials", Code::PreflightCredentials),
    (
        "preflight/method-not-allowed",
        Code::PreflightMethodNotAllowed,
    ),
    (
        "preflight/header-not-allowed",
        Code::PreflightHeaderNotAllowed,
    ),
    (
        "preflight/authorization-wildcard",
        Code::PreflightAuthorizationWildcard,
    ),
    (
        "preflight/invalid-allow-list",
        Code::PreflightInvalidAllowList,
    ),
    ("preflight/local-network", Code::PreflightLocalNetwork),
    (
        "response/hidden-server-error",
        Code::ResponseHiddenServerError,
    ),
    ("redirect/tainted-origin", Code::RedirectTaintedOrigin),
    (
        "redirect/credentials-in-url",
        Code::RedirectCredentialsInUrl,
    ),
    (
        "redirect/unsupported-scheme",
        Code::RedirectUnsupportedScheme,
    ),
    ("redirect/too-many", Code::RedirectTooMany),
    ("redirect/invalid-location", Code::RedirectInvalidLocation),
    ("redirect/mode-error", Code::RedirectModeError),
    ("preflight", Code::PreflightAny),
    ("response", Code::ResponseAny),
];

const ORIGIN_DETAILS: &[(&str, AllowOriginDetail)] = &[
    ("missing", AllowOriginDetail::Missing),
    ("mismatch", AllowOriginDetail::Mismatch),
    ("multiple", AllowOriginDetail::Multiple),
    ("invalid", AllowOriginDetail::Invalid),
    (
        "wildcard-with-credentials",
        AllowOriginDetail::WildcardWithCredentials,
    ),
];

const CREDENTIALS_DETAILS: &[(&str, CredentialsDetail)] = &[
    ("wildcard-origin", CredentialsDetail::WildcardOrigin),
    ("missing-allow", CredentialsDetail::MissingAllow),
];

impl AllowOriginDetail {
    fn as_str(self) -> Option<&'static str> {
        ORIGIN_DETAILS
            .iter()
            .find(|(_, d)| *d == self)
            .map(|(s, _)| *s)
    }
}

impl CredentialsDetail {
    fn as_str(self) -> Option<&'static str> {
        CREDENTIALS_DETAILS
            .iter()
            .find(|(_, d)| *d == self)
            .map(|(s, _)| *s)
    }
}

fn with_detail(base: &str, detail: Option<&str>) -> String {
    match detail {
        Some(d) => format!("{base}/{d}"),
        None => base.to_string(),
    }
}

impl Code {
    /// The contract path, e.g. `preflight/allow-origin/missing`.
    pub fn as_str(&self) -> String {
        match self {
            Code::PreflightAllowOrigin(d) => with_detail("preflight/allow-origin", d.as_str()),
            Code::ResponseAllowOrigin(d) => with_detail("response/allow-origin", d.as_str()),
            Code::ResponseCredentials(d) => with_detail("response/credentials", d.as_str()),
            other => SIMPLE
                .iter()
                .find(|(_, c)| c == other)
                .map(|(s, _)| s.to_string())
                .unwrap_or_default(),
        }
    }

    /// The first path segment: `ok`, `input`, `network`, `preflight`, `response` or `redirect`.
    pub fn family(&self) -> &'static str {
        match self {
            Code::Ok | Code::OkSameOrigin | Code::OkHeaderNotExposed => "ok",
            Code::InputInvalidUrl
            | Code::InputUnsupportedScheme
            | Code::InputForbiddenMethod
            | Code::InputForbiddenHeader
            | Code::InputInvalidHeader
            | Code::InputDisallowedByMode
            | Code::InputInvalidTimeout
            | Code::InputTooLarge => "input",
            Code::NetworkUnreachable
            | Code::NetworkTimeout
            | Code::NetworkMixedContent
            | Code::NetworkContentSecurityPolicy
            | Code::NetworkLocalNetworkAccess => "network",
            Code::PreflightStatus
            | Code::PreflightRedirect
            | Code::PreflightAllowOrigin(_)
            | Code::PreflightCredentials
            | Code::PreflightMethodNotAllowed
            | Code::PreflightHeaderNotAllowed
            | Code::PreflightAuthorizationWildcard
            | Code::PreflightInvalidAllowList
            | Code::PreflightLocalNetwork
            | Code::PreflightAny => "preflight",
            Code::ResponseAllowOrigin(_)
            | Code::ResponseCredentials(_)
            | Code::ResponseHiddenServerError
            | Code::ResponseAny => "response",
            Code::RedirectTaintedOrigin
            | Code::RedirectCredentialsInUrl
            | Code::RedirectUnsupportedScheme
            | Code::RedirectTooMany
            | Code::RedirectInvalidLocation
            | Code::RedirectModeError => "redirect",
        }
    }

    /// Whether this code names `other` or a less certain prefix of it (`response/allow-origin`
    /// covers `response/allow-origin/missing`; `preflight` covers every preflight code).
    pub fn covers(&self, other: &Code) -> bool {
        if self == other {
            return true;
        }
        match (self, other) {
            (Code::PreflightAny, o) => o.family() == "preflight",
            (Code::ResponseAny, o) => o.family() == "response",
            (
                Code::PreflightAllowOrigin(AllowOriginDetail::Unknown),
                Code::PreflightAllowOrigin(_),
            )
            | (
                Code::ResponseAllowOrigin(AllowOriginDetail::Unknown),
                Code::ResponseAllowOrigin(_),
            )
            | (
                Code::ResponseCredentials(CredentialsDetail::Unknown),
                Code::ResponseCredentials(_),
            ) => true,
            _ => false,
        }
    }

    /// The same code without its detail (`preflight/allow-origin/missing` →
    /// `preflight/allow-origin`); codes without details stay as they are.
    pub fn without_detail(self) -> Code {
        match self {
            Code::PreflightAllowOrigin(_) => Code::PreflightAllowOrigin(AllowOriginDetail::Unknown),
            Code::ResponseAllowOrigin(_) => Code::ResponseAllowOrigin(AllowOriginDetail::Unknown),
            Code::ResponseCredentials(_) => Code::ResponseCredentials(CredentialsDetail::Unknown),
            other => other,
        }
    }

    /// Parses a contract path (exact, lower-case). Unknown paths give `None`.
    pub fn parse(s: &str) -> Option<Code> {
        if let Some((_, c)) = SIMPLE.iter().find(|(p, _)| *p == s) {
            return Some(*c);
        }
        if s == "preflight/allow-origin" {
            return Some(Code::PreflightAllowOrigin(AllowOriginDetail::Unknown));
        }
        if s == "response/allow-origin" {
            return Some(Code::ResponseAllowOrigin(AllowOriginDetail::Unknown));
        }
        if s == "response/credentials" {
            return Some(Code::ResponseCredentials(CredentialsDetail::Unknown));
        }
        if let Some(d) = s.strip_prefix("preflight/allow-origin/") {
            return ORIGIN_DETAILS
                .iter()
                .find(|(p, _)| *p == d)
                .map(|(_, d)| Code::PreflightAllowOrigin(*d));
        }
        if let Some(d) = s.strip_prefix("response/allow-origin/") {
            // `*` with credentials on the actual response is a credentials cause.
            return ORIGIN_DETAILS
                .iter()
                .filter(|(_, d)| *d != AllowOriginDetail::WildcardWithCredentials)
                .find(|(p, _)| *p == d)
                .map(|(_, d)| Code::ResponseAllowOrigin(*d));
        }
        if let Some(d) = s.strip_prefix("response/credentials/") {
            return CREDENTIALS_DETAILS
                .iter()
                .find(|(p, _)| *p == d)
                .map(|(_, d)| Code::ResponseCredentials(*d));
        }
        None
    }

    /// Every code the engine can produce, prefixes included (for tests and docs).
    pub fn all() -> Vec<Code> {
        let mut v: Vec<Code> = SIMPLE.iter().map(|(_, c)| *c).collect();
        v.push(Code::PreflightAllowOrigin(AllowOriginDetail::Unknown));
        v.push(Code::ResponseAllowOrigin(AllowOriginDetail::Unknown));
        v.push(Code::ResponseCredentials(CredentialsDetail::Unknown));
        for (_, d) in ORIGIN_DETAILS {
            v.push(Code::PreflightAllowOrigin(*d));
            if *d != AllowOriginDetail::WildcardWithCredentials {
                v.push(Code::ResponseAllowOrigin(*d));
            }
        }
        for (_, d) in CREDENTIALS_DETAILS {
            v.push(Code::ResponseCredentials(*d));
        }
        v
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Code::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown cause code {s:?}")))
    }
}

/// A cause with its parameters (`header`, `method`, `status`, `value`, …) and one plain sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub code: Code,
    pub params: BTreeMap<String, String>,
    pub message: String,
}

impl Finding {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Finding {
            code,
            params: BTreeMap::new(),
            message: message.into(),
        }
    }

    /// Adds one parameter.
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.params.insert(key.to_string(), value.into());
        self
    }

    pub fn param(&self, key: &str) -> Option<&str> {
        self.params.get(key).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips() {
        for c in Code::all() {
            assert_eq!(Code::parse(&c.as_str()), Some(c), "{c}");
            assert!(c.as_str().starts_with(c.family()));
        }
        assert_eq!(
            Code::parse("response/allow-origin"),
            Some(Code::ResponseAllowOrigin(AllowOriginDetail::Unknown))
        );
        assert_eq!(
            Code::parse("response/allow-origin/wildcard-with-credentials"),
            None
        );
    }
}
