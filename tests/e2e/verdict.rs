//! What Chromium itself said about a request, and whether it agrees with an expectation.

use crate::util::ChromiumRecord;

/// An expectation about Chromium's own verdict for the user's request.
#[derive(Debug, Clone, Copy)]
pub enum ChromiumSays {
    /// It reached the page, with this status when given, and no CORS error.
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
}

/// `Ok` when some record of the request matches the expectation.
pub fn agrees(says: ChromiumSays, records: &[ChromiumRecord]) -> Result<(), String> {
    // The response reached the page: a status, no CORS error. Chromium now and then ends such a
    // load in `net::ERR_ABORTED` after the page has read the body (seen with and without
    // gloo-net, in the page and in plain JavaScript); that is not a verdict on the request.
    let delivered = |status: Option<i64>| {
        records.iter().any(|r| {
            r.status.is_some()
                && status.is_none_or(|s| r.status == Some(s))
                && r.cors_error.is_none()
                && r.error_text
                    .as_deref()
                    .is_none_or(|e| e == "net::ERR_ABORTED")
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
    };
    if ok {
        Ok(())
    } else {
        Err(format!("expected Chromium to say {says:?}"))
    }
}
