//! Both views side by side: the same request checked from the user's app (the app snippet) and
//! from this page. Where the verdicts differ, the origin is why; the app's verdict is the one
//! that matters, since the app is what the server must serve.

use super::report::{CauseReport, Report};
use crate::engine::fetch::Code;

/// How the two verdicts relate, in one sentence for the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The two top causes agree.
    pub same: bool,
    pub text: String,
}

/// Compares the app's report with this page's, when both are about the same request (URL and
/// method); `None` otherwise, or when either has no cause.
pub fn compare(app: &Report, page: &Report) -> Option<Comparison> {
    if app.request.url != page.request.url || app.request.method != page.request.method {
        return None;
    }
    let from = app.checked_from.as_deref().unwrap_or(&app.page_origin);
    let here = &page.page_origin;
    let (a, p) = (app.causes.first()?, page.causes.first()?);
    if a.code == p.code {
        return Some(Comparison {
            same: true,
            text: format!(
                "The same verdict from your app ({from}) and from this page ({here}): `{}`.",
                a.code
            ),
        });
    }
    let text = match (is_ok(a), is_ok(p)) {
        (true, false) if is_origin_refusal(p.code) => format!(
            "Allowed for your app's origin ({from}); refused for this page's origin ({here}): the server allows {from} and not {here}, as an allow-list should. Nothing to fix."
        ),
        (true, false) => format!(
            "Allowed for your app's origin ({from}); this page's origin ({here}) meets `{}`. Your app's verdict is the one that counts: nothing to fix for it.",
            p.code
        ),
        (false, true) => format!(
            "Refused for your app's origin ({from}) with `{}`, though this page's origin ({here}) gets through: the server treats origins differently. Fix it for your app's origin: {}",
            a.code, a.fix
        ),
        _ => format!(
            "From your app ({from}): `{}`. From this page ({here}): `{}`. Fix what your app meets: {}",
            a.code, p.code, a.fix
        ),
    };
    Some(Comparison { same: false, text })
}

fn is_ok(cause: &CauseReport) -> bool {
    cause.code.family() == "ok"
}

/// A refusal that depends on which origin asks.
fn is_origin_refusal(code: Code) -> bool {
    matches!(
        code,
        Code::PreflightAllowOrigin(_)
            | Code::ResponseAllowOrigin(_)
            | Code::PreflightAny
            | Code::ResponseAny
            | Code::PreflightStatus
    )
}
