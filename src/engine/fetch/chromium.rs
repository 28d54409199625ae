//! Chromium's view: map DevTools' `corsErrorStatus.corsError` (a `network::mojom::CorsError`
//! name, see Chromium's `services/network/public/mojom/cors.mojom`) and its `failedParameter`
//! to a cause code, and the Chromium 156 deviations from the Fetch Standard the engine knows of.

use super::code::{AllowOriginDetail, Code, CredentialsDetail, Finding};

/// Where Chromium 156 differs from the spec the simulator follows.
pub const DEVIATIONS: &[&str] = &[
    "Access-Control-Allow-Headers: * still covers Authorization (deprecation issue AuthorizationCoveredByWildcard); the simulator blocks with preflight/authorization-wildcard as the spec says.",
    "A non-2xx preflight without CORS headers is reported as PreflightMissingAllowOriginHeader: the CORS check runs before the status check (the simulator uses the same order).",
    "A tainted (null) origin after a cross-origin redirect is reported as AllowOriginMismatch; the simulator says redirect/tainted-origin.",
    "Local network access: Chromium asks the user for a permission (LocalNetworkAccessPermissionDenied) instead of the Private Network Access preflight header the simulator checks.",
    "Access-Control-Max-Age is capped at 7200 s.",
    "A redirect to a Location with user:password@ fails in every mode, no-cors included (the spec refuses it only for CORS requests): the no-cors probe fails as if nothing answered.",
    "Chromium also safelists Last-Event-ID and some client hints (DPR, Width, Viewport-Width, Device-Memory, RTT, Downlink, ECT, Save-Data) with valid values; the simulator preflights them per the spec.",
];

/// The cause for Chromium's `corsError` (with or without the mojom `k` prefix).
pub fn code_for_chromium(cors_error: &str, failed_parameter: &str) -> Option<Finding> {
    let name = cors_error.trim();
    let name = name
        .strip_prefix('k')
        .filter(|n| n.starts_with(|c: char| c.is_ascii_uppercase()))
        .unwrap_or(name);
    let p = failed_parameter.trim();
    use AllowOriginDetail as O;
    let (code, key): (Code, &str) = match name {
        "DisallowedByMode" => (Code::InputDisallowedByMode, "value"),
        "CorsDisabledScheme" => (Code::InputUnsupportedScheme, "url"),
        "MissingAllowOriginHeader" => (Code::ResponseAllowOrigin(O::Missing), "value"),
        "MultipleAllowOriginValues" => (Code::ResponseAllowOrigin(O::Multiple), "value"),
        "InvalidAllowOriginValue" => (Code::ResponseAllowOrigin(O::Invalid), "value"),
        "AllowOriginMismatch" => (Code::ResponseAllowOrigin(O::Mismatch), "value"),
        "WildcardOriginNotAllowed" => (
            Code::ResponseCredentials(CredentialsDetail::WildcardOrigin),
            "value",
        ),
        "InvalidAllowCredentials" => (
            Code::ResponseCredentials(CredentialsDetail::MissingAllow),
            "value",
        ),
        "PreflightInvalidStatus" => (Code::PreflightStatus, "status"),
        "PreflightDisallowedRedirect" => (Code::PreflightRedirect, "location"),
        "PreflightWildcardOriginNotAllowed" => (
            Code::PreflightAllowOrigin(O::WildcardWithCredentials),
            "value",
        ),
        "PreflightMissingAllowOriginHeader" => (Code::PreflightAllowOrigin(O::Missing), "value"),
        "PreflightMultipleAllowOriginValues" => (Code::PreflightAllowOrigin(O::Multiple), "value"),
        "PreflightInvalidAllowOriginValue" => (Code::PreflightAllowOrigin(O::Invalid), "value"),
        "PreflightAllowOriginMismatch" => (Code::PreflightAllowOrigin(O::Mismatch), "value"),
        "PreflightInvalidAllowCredentials" => (Code::PreflightCredentials, "value"),
        "PreflightMissingAllowPrivateNetwork" | "PreflightInvalidAllowPrivateNetwork" => {
            (Code::PreflightLocalNetwork, "value")
        }
        "InvalidAllowMethodsPreflightResponse" | "InvalidAllowHeadersPreflightResponse" => {
            (Code::PreflightInvalidAllowList, "value")
        }
        "MethodDisallowedByPreflightResponse" => (Code::PreflightMethodNotAllowed, "method"),
        "HeaderDisallowedByPreflightResponse" => (Code::PreflightHeaderNotAllowed, "header"),
        "RedirectContainsCredentials" => (Code::RedirectCredentialsInUrl, "location"),
        "InsecurePrivateNetwork"
        | "InvalidPrivateNetworkAccess"
        | "UnexpectedPrivateNetworkAccess"
        | "PreflightMissingPrivateNetworkAccessId"
        | "PreflightMissingPrivateNetworkAccessName"
        | "PrivateNetworkAccessPermissionUserDenied"
        | "PrivateNetworkAccessPermissionDenied"
        | "LocalNetworkAccessPermissionDenied" => (Code::NetworkLocalNetworkAccess, "value"),
        // InvalidResponse and anything newer: no exact cause.
        _ => return None,
    };
    let mut f = Finding::new(code, message(name, p));
    if !p.is_empty() {
        let key = if code == Code::PreflightHeaderNotAllowed {
            f = f.with("header", p.to_ascii_lowercase());
            "value"
        } else {
            key
        };
        f = f.with(key, p);
    }
    f = f.with("chromium", name);
    Some(f)
}

fn message(name: &str, p: &str) -> String {
    let with = if p.is_empty() {
        String::new()
    } else {
        format!(" (failed parameter: {p:?})")
    };
    format!("Chromium reported {name}{with}.")
}
