//! The kind of mistake a verdict points to, in stack-neutral terms: each stack says how that
//! mistake usually happens in it (middleware order, nginx's `always`, an error handler outside
//! the CORS layer…).

use crate::engine::fetch::{AllowOriginDetail as O, Code};

/// The server-side mistake behind a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Pitfall {
    /// No CORS headers on this route at all (or the layer does not run for it).
    NoCors,
    /// The preflight is answered, without CORS headers or with an error, by something that runs
    /// before the CORS layer (auth, a router without an `OPTIONS` route, a 404 handler).
    PreflightRefused,
    /// Error answers (4xx/5xx) leave without CORS headers, so the browser hides the status.
    ErrorsWithoutHeaders,
    /// The allowed methods or request headers do not cover the request (or cannot be parsed).
    ListIncomplete,
    /// `Access-Control-Allow-Origin: *` (or no Allow-Credentials) on a request with credentials.
    Credentials,
    /// Another origin, or a malformed one, is allowed instead of the app's.
    WrongOrigin,
    /// Two layers (a proxy and the app) both add `Access-Control-Allow-Origin`.
    Doubled,
    /// The URL redirects (a trailing slash, http→https), and a preflight may not follow.
    Redirect,
    /// The response header the app reads is not exposed.
    NotExposed,
    /// The private-network preflight header is missing.
    PrivateNetwork,
}

impl Pitfall {
    /// Every pitfall, for tests and tables.
    pub const ALL: [Pitfall; 10] = [
        Pitfall::NoCors,
        Pitfall::PreflightRefused,
        Pitfall::ErrorsWithoutHeaders,
        Pitfall::ListIncomplete,
        Pitfall::Credentials,
        Pitfall::WrongOrigin,
        Pitfall::Doubled,
        Pitfall::Redirect,
        Pitfall::NotExposed,
        Pitfall::PrivateNetwork,
    ];

    /// The mistake behind `code`, for the causes a server change fixes.
    pub fn of(code: Code) -> Pitfall {
        match code {
            Code::PreflightStatus | Code::PreflightAny => Pitfall::PreflightRefused,
            Code::PreflightAllowOrigin(O::Missing | O::Unknown) => Pitfall::PreflightRefused,
            Code::ResponseHiddenServerError => Pitfall::ErrorsWithoutHeaders,
            Code::PreflightMethodNotAllowed
            | Code::PreflightHeaderNotAllowed
            | Code::PreflightAuthorizationWildcard
            | Code::PreflightInvalidAllowList => Pitfall::ListIncomplete,
            Code::PreflightCredentials
            | Code::ResponseCredentials(_)
            | Code::PreflightAllowOrigin(O::WildcardWithCredentials)
            | Code::ResponseAllowOrigin(O::WildcardWithCredentials) => Pitfall::Credentials,
            Code::PreflightAllowOrigin(O::Mismatch | O::Invalid)
            | Code::ResponseAllowOrigin(O::Mismatch | O::Invalid)
            | Code::RedirectTaintedOrigin => Pitfall::WrongOrigin,
            Code::PreflightAllowOrigin(O::Multiple) | Code::ResponseAllowOrigin(O::Multiple) => {
                Pitfall::Doubled
            }
            Code::PreflightRedirect => Pitfall::Redirect,
            Code::OkHeaderNotExposed => Pitfall::NotExposed,
            Code::PreflightLocalNetwork | Code::NetworkLocalNetworkAccess => {
                Pitfall::PrivateNetwork
            }
            _ => Pitfall::NoCors,
        }
    }
}
