//! The [Fetch Standard](https://fetch.spec.whatwg.org/)'s CORS rules and the simulator.
//!
//! One private file per rule (tower-http style); this façade is the layer's whole public surface.
//! Everything above this layer asks the simulator rather than re-deciding a rule.

mod allow_headers;
mod allow_methods;
mod allow_origin;
mod answers;
mod behaviour;
mod browser;
mod chromium;
mod code;
mod credentials;
mod expose_headers;
mod fix;
mod header_name;
mod host;
mod input;
mod local_network;
mod max_age;
mod method;
mod mime;
mod mixed_content;
mod origin;
mod preflight;
mod redirect;
mod request;
mod safelist;
mod simulate;
mod token;
mod url_cache;

pub use answers::{Hop, ServerAnswers, ServerResponse};
pub use behaviour::{
    AllowList, AllowOrigin, Behaviour, CorsOn, Incoming, Network, Options, QueryError, Redirect,
    RedirectTarget, Reply, Server, APP_HEADER,
};
pub use browser::{Browser, AUTHORIZATION_WILDCARD_REPORT};
pub use chromium::{code_for_chromium, DEVIATIONS as CHROMIUM_DEVIATIONS};
pub use code::{AllowOriginDetail, Code, CredentialsDetail, Finding};
pub use expose_headers::missing as missing_exposed_headers;
pub use fix::{fix_headers, FixHeaders};
pub use header_name::is_forbidden_name as is_forbidden_request_name;
pub use host::host_is_ascii;
pub use method::{is_safelisted as is_safelisted_method, normalize as normalize_method};
pub use request::{CredentialsMode, RedirectMode, Request, RequestMode};
pub use simulate::{
    access_control_request_headers, check_request, cors_unsafe_header_names, exposed_header_names,
    needs_preflight, simulate, simulate_in, ResponseType, Step, StepKind, Trace, Verdict,
};
