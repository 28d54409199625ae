//! What Chromium itself said about a request, and whether it agrees with an expectation.

use crate::util::ChromiumRecord;

/// An expectation about Chromium's own verdict for the user's request.
#[derive(Debug, Clone, Copy)]
pub enum ChromiumSays {
    /// It completed, with this status when given, and no CORS error.
    Delivered(Option<i64>),
    /// It failed with one of these `corsErrorStatus.corsError` names and, when given, this
    /// `failedParameter`.
    CorsError(&'static [&'static str], Option<&'static str>),
    /// It failed with this network error text and no CORS error.
    NetError(&'static str),
    /// Delivered, or failed with this CORS error and parameter (a behaviour Chromium is changing).
    DeliveredOrCorsError(&'static str, &'static str),
    /// The page sent nothing to this URL.
    NothingSent,
    /// The response reached the page with this status and no CORS error; the load may still
    /// end in `net::ERR_ABORTED` (Chromium reports that, now and then, for a body the page has
    /// already read to its end; it is not a verdict on the request).
    Answered(i64),
}

/// `Ok` when some record of the request matches the expectation.
pub fn agrees(says: ChromiumSays, records: &[ChromiumRecord]) -> Result<(), String> {
    let delivered = |status: Option<i64>| {
        records.iter().any(|r| {
            r.status.is_some()
                && status.is_none_or(|s| r.status == Some(s))
                && r.cors_error.is_none()
                && r.error_text.is_none()
        })
    };
    let cors_error = |names: &[&str], param: Option<&str>| {
        records.iter().any(|r| {
            r.cors_error.as_deref().is_some_and(|e| names.contains(&e))
                && param.is_none_or(|p| r.failed_parameter.as_deref() == Some(p))
        })
    };
    let ok = match says {
        ChromiumSays::Delivered(status) => delivered(status),
        ChromiumSays::CorsError(names, param) => cors_error(names, param),
        ChromiumSays::NetError(text) => records
            .iter()
            .any(|r| r.error_text.as_deref() == Some(text) && r.cors_error.is_none()),
        ChromiumSays::DeliveredOrCorsError(name, param) => {
            delivered(None) || cors_error(&[name], Some(param))
        }
        ChromiumSays::NothingSent => records.is_empty(),
        ChromiumSays::Answered(status) => records.iter().any(|r| {
            r.status == Some(status)
                && r.cors_error.is_none()
                && r.error_text
                    .as_deref()
                    .is_none_or(|e| e == "net::ERR_ABORTED")
        }),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("expected Chromium to say {says:?}"))
    }
}
