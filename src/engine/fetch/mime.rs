//! The essence of a MIME type per the Fetch/MIME Sniffing
//! ["parse a MIME type"](https://mimesniff.spec.whatwg.org/#parse-a-mime-type) steps.
//!
//! Only the essence matters for CORS: parameters never make parsing fail, so they are skipped.

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

fn is_http_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// `type/subtype` in lower case, or `None` when the value is not a MIME type.
pub fn essence(input: &str) -> Option<String> {
    let s = input.trim_matches(is_http_ws);
    let (ty, rest) = s.split_once('/')?;
    if ty.is_empty() || !ty.chars().all(is_token_char) {
        return None;
    }
    let subtype = rest
        .split(';')
        .next()
        .unwrap_or("")
        .trim_end_matches(is_http_ws);
    if subtype.is_empty() || !subtype.chars().all(is_token_char) {
        return None;
    }
    Some(format!(
        "{}/{}",
        ty.to_ascii_lowercase(),
        subtype.to_ascii_lowercase()
    ))
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
