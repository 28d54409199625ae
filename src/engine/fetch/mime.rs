//! The essence of a MIME type per the Fetch/MIME Sniffing
//! ["parse a MIME type"](https://mimesniff.spec.whatwg.org/#parse-a-mime-type) steps.
//!
//! Only the essence matters for CORS: parameters never make parsing fail, so they are skipped.

use super::token::is_token;

fn is_http_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// `type/subtype` in lower case, or `None` when the value is not a MIME type.
#[cfg(test)]
pub fn essence(input: &str) -> Option<String> {
    let (ty, subtype) = essence_parts(input)?;
    Some(format!(
        "{}/{}",
        ty.to_ascii_lowercase(),
        subtype.to_ascii_lowercase()
    ))
}

/// The type and subtype of [`essence`], as written (not lower-cased).
pub fn essence_parts(input: &str) -> Option<(&str, &str)> {
    let s = input.trim_matches(is_http_ws);
    let (ty, rest) = s.split_once('/')?;
    if !is_token(ty) {
        return None;
    }
    let subtype = rest
        .split(';')
        .next()
        .unwrap_or("")
        .trim_end_matches(is_http_ws);
    if !is_token(subtype) {
        return None;
    }
    Some((ty, subtype))
}

#[cfg(test)]
mod tests {
    use super::essence;

    #[test]
    fn essences() {
        assert_eq!(
            essence(" Text/Plain ; charset=x").as_deref(),
            Some("text/plain")
        );
        assert_eq!(essence("text /plain"), None);
        assert_eq!(essence("text/plain,"), None);
        assert_eq!(essence("text/"), None);
        assert_eq!(
            essence("multipart/form-data;\"").as_deref(),
            Some("multipart/form-data")
        );
    }
}
