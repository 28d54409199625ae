//! Secrets (cookies, `Authorization`, tokens, keys) stay in the page: every header value that
//! leaves it, in a report from pasted evidence or in the history, goes through [`mask_value`].

/// What a masked value shows instead of the secret.
pub const MASK: &str = "••••";

/// Whether a header named `name` carries a secret.
pub fn is_secret(name: &str) -> bool {
    let name = name.trim().to_ascii_lowercase();
    matches!(
        name.as_str(),
        "authorization" | "proxy-authorization" | "cookie" | "set-cookie"
    ) || [
        "token", "secret", "key", "auth", "session", "password", "csrf", "xsrf",
    ]
    .iter()
    .any(|word| name.contains(word))
}

/// `value`, masked when `name` carries a secret; `Authorization` keeps its scheme
/// (`Bearer ••••`), since the scheme is what CORS rules and fixes care about.
pub fn mask_value(name: &str, value: &str) -> String {
    if !is_secret(name) {
        return value.to_string();
    }
    let value = value.trim();
    match value.split_once(' ') {
        Some((scheme, _)) if name.trim().eq_ignore_ascii_case("authorization") => {
            format!("{scheme} {MASK}")
        }
        _ if value.is_empty() => String::new(),
        _ => MASK.to_string(),
    }
}

/// Every header with its secret values masked.
pub fn mask_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(n, v)| (n.clone(), mask_value(n, v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_secrets_and_keeps_the_rest() {
        assert_eq!(mask_value("Authorization", "Bearer abc.def"), "Bearer ••••");
        assert_eq!(mask_value("cookie", "sid=1; a=2"), MASK);
        assert_eq!(mask_value("X-Api-Key", "k-123"), MASK);
        assert_eq!(mask_value("X-CSRF-Token", "t"), MASK);
        assert_eq!(
            mask_value("Content-Type", "application/json"),
            "application/json"
        );
        assert_eq!(mask_value("Authorization", ""), "");
    }
}
