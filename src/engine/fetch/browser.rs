//! Where browsers differ from the Fetch Standard, as far as the simulator models it.

use serde::{Deserialize, Serialize};

/// Which browser's rules to apply where browsers differ from the Fetch Standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Browser {
    /// The Fetch Standard, exactly.
    #[default]
    Spec,
    /// Chromium 156: `Access-Control-Allow-Headers: *` still covers `Authorization` (with the
    /// deprecation report [`AUTHORIZATION_WILDCARD_REPORT`]).
    Chromium,
}

/// Chromium's deprecation report id when `Access-Control-Allow-Headers: *` let `Authorization` through.
pub const AUTHORIZATION_WILDCARD_REPORT: &str = "AuthorizationCoveredByWildcard";
