//! The [CORS check](https://fetch.spec.whatwg.org/#cors-check) on `Access-Control-Allow-Origin`,
//! with the failure kinds Chromium reports (missing, several values, unparsable, mismatch,
//! `*` with credentials).

use super::answers::ServerResponse;
use super::code::AllowOriginDetail;
use super::url_cache;

pub const HEADER: &str = "access-control-allow-origin";

/// Checks `Access-Control-Allow-Origin` against the serialized request origin (`null` when tainted).
/// On failure returns the detail and the offending value (empty when missing).
pub fn check(
    resp: &ServerResponse,
    origin: &str,
    include_credentials: bool,
) -> Result<(), (AllowOriginDetail, String)> {
    let Some((value, lines)) = resp.get_counted(HEADER) else {
        return Err((AllowOriginDetail::Missing, String::new()));
    };
    let fail = |detail| Err((detail, value.to_string()));
    // Several header lines are combined into one list value, which can never equal an origin.
    if lines > 1 {
        return fail(AllowOriginDetail::Multiple);
    }
    if value == "*" {
        // `*` only works without credentials: with them the origin must be echoed exactly.
        return if include_credentials {
            fail(AllowOriginDetail::WildcardWithCredentials)
        } else {
            Ok(())
        };
    }
    if value == origin {
        return Ok(());
    }
    if value.bytes().any(|b| b == b',' || b == b' ') {
        return fail(AllowOriginDetail::Multiple);
    }
    if value == "null" {
        return fail(AllowOriginDetail::Mismatch);
    }
    // Byte equality is all the spec asks; the parse only tells a typo from a wrong origin.
    match url_cache::parse(&value) {
        Ok(u) if u.has_host() => fail(AllowOriginDetail::Mismatch),
        _ => fail(AllowOriginDetail::Invalid),
    }
}

/// One sentence for a failed check on `Access-Control-Allow-Origin`; `which` names the response.
pub fn allow_origin_sentence(
    which: &str,
    detail: AllowOriginDetail,
    value: &str,
    origin: &str,
    status: u16,
) -> String {
    match detail {
        AllowOriginDetail::Missing => format!(
            "The {which} response (status {status}) has no Access-Control-Allow-Origin header; it must allow {origin}."
        ),
        AllowOriginDetail::Multiple => format!(
            "The {which} response's Access-Control-Allow-Origin holds several values ({value:?}); it must hold exactly {origin}."
        ),
        AllowOriginDetail::Invalid => format!(
            "The {which} response's Access-Control-Allow-Origin {value:?} is not a valid origin; it must be {origin}."
        ),
        AllowOriginDetail::WildcardWithCredentials => format!(
            "The {which} response allows * but the request includes credentials: it must echo {origin} exactly."
        ),
        AllowOriginDetail::Mismatch | AllowOriginDetail::Unknown => format!(
            "The {which} response's Access-Control-Allow-Origin {value:?} is not {origin} (the comparison is byte for byte)."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(v: &[&str], include: bool) -> Result<(), AllowOriginDetail> {
        let headers: Vec<(&str, &str)> = v
            .iter()
            .map(|v| ("Access-Control-Allow-Origin", *v))
            .collect();
        check(
            &ServerResponse::new(200, &headers),
            "http://a.test",
            include,
        )
        .map_err(|e| e.0)
    }

    #[test]
    fn cases() {
        assert_eq!(run(&["http://a.test"], true), Ok(()));
        assert_eq!(run(&[" http://a.test "], true), Ok(()));
        assert_eq!(
            run(&["http://a.test/"], false),
            Err(AllowOriginDetail::Mismatch)
        );
        assert_eq!(
            run(&["http://a.test:80"], false),
            Err(AllowOriginDetail::Mismatch)
        );
        assert_eq!(
            run(&["*"], true),
            Err(AllowOriginDetail::WildcardWithCredentials)
        );
        assert_eq!(run(&["*", "*"], false), Err(AllowOriginDetail::Multiple));
        assert_eq!(run(&["a.test"], false), Err(AllowOriginDetail::Invalid));
        assert_eq!(run(&[], false), Err(AllowOriginDetail::Missing));
    }
}
