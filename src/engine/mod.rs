//! The rule engine: the Fetch Standard's CORS rules, a simulator and the diagnosis.
//!
//! Invariants: no I/O, no web crates, never panics.

pub mod allow_headers;
pub mod allow_methods;
pub mod allow_origin;
pub mod answers;
pub mod chromium;
pub mod code;
pub mod credentials;
pub mod diagnosis;
pub mod evidence;
pub mod expose_headers;
pub mod fix;
pub mod form;
pub mod header_name;
pub mod input;
pub mod local_network;
pub mod markdown;
pub mod max_age;
pub mod method;
pub mod mime;
pub mod mixed_content;
pub mod origin;
pub mod plan;
pub mod preflight;
pub mod redirect;
pub mod report;
pub mod request;
pub mod safelist;
pub mod share;
pub mod simulate;

pub use answers::{Hop, ServerAnswers, ServerResponse};
pub use chromium::code_for_chromium;
pub use code::{AllowOriginDetail, Code, CredentialsDetail, Finding};
pub use fix::{fix_headers, FixHeaders};
pub use request::{CredentialsMode, RedirectMode, Request, RequestMode};
pub use simulate::{
    access_control_request_headers, check_request, exposed_header_names, needs_preflight, simulate,
    Step, StepKind, Trace, Verdict,
};
