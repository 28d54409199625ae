//! Secrets (cookies, `Authorization`, tokens, keys) stay in the page: every header value that
//! leaves it (a report and its JSON and Markdown exports, a share link unless the user asks for
//! the secrets, the history) goes through [`mask_value`]; [`scrub`] is the safety net for free
//! text that quotes one.

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

/// The header text of a form (one `Name: value` per line) with secret values masked; every other
/// line is kept as typed. A line without a colon whose first word names a secret
/// (`Authorization Bearer …`) is masked too: a typo must not leak the token.
pub fn mask_header_text(text: &str) -> String {
    text.split('\n')
        .map(|line| match line.split_once(':') {
            Some((name, value)) if is_secret(name) => {
                let value = value.trim_end_matches('\r');
                format!("{name}: {}", mask_value(name, value))
            }
            Some(_) => line.to_string(),
            None => match line.trim().split_once(char::is_whitespace) {
                Some((name, _)) if is_secret(name) => format!("{name} {MASK}"),
                _ => line.to_string(),
            },
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `http://user:pass@host/…` → `http://user:••••@host/…`; anything else unchanged.
pub fn mask_url(url: &str) -> String {
    match url::Url::parse(url.trim()) {
        Ok(mut parsed) if parsed.password().is_some() => {
            if parsed.set_password(Some(MASK)).is_ok() {
                parsed.to_string()
            } else {
                url.to_string()
            }
        }
        _ => url.to_string(),
    }
}

/// A secret shorter than this is masked where it has a name (a header value, a URL's password)
/// but not searched for in free text, where a short value (`true`, `test`, `1234`) would mask
/// ordinary words and the fix's own headers (`Access-Control-Allow-Credentials: true`).
const MIN_SCRUBBED_CHARS: usize = 6;

/// The secret strings a request carries: each secret header's value and, for `Authorization`,
/// its credentials without the scheme; the URL's password.
pub fn secrets_in(url: &str, headers: &[(String, String)]) -> Vec<String> {
    let mut secrets = Vec::new();
    for (name, value) in headers {
        if !is_secret(name) {
            continue;
        }
        let value = value.trim();
        secrets.push(value.to_string());
        if let Some((_, credentials)) = value.split_once(' ') {
            secrets.push(credentials.trim().to_string());
        }
    }
    if let Ok(parsed) = url::Url::parse(url.trim()) {
        if let Some(password) = parsed.password() {
            secrets.push(password.to_string());
            if let Some(decoded) = url::form_urlencoded::parse(format!("p={password}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
            {
                secrets.push(decoded);
            }
        }
    }
    // A value masked already (`Bearer ••••`, from the history or a share link) hides nothing.
    secrets.retain(|s| s.chars().count() >= MIN_SCRUBBED_CHARS && !s.contains(MASK));
    // Longest first, so a whole value goes before the part of it that is its credentials.
    secrets.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    secrets.dedup();
    secrets
}

/// [`secrets_in`] for the form's header text as typed: lines with or without a colon (see
/// [`mask_header_text`]).
pub fn secrets_in_text(url: &str, header_text: &str) -> Vec<String> {
    let headers: Vec<(String, String)> = header_text
        .lines()
        .filter_map(|line| {
            line.split_once(':')
                .or_else(|| line.trim().split_once(char::is_whitespace))
        })
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    secrets_in(url, &headers)
}

/// `value` with every occurrence of each secret in any of its strings replaced by [`MASK`]: the
/// safety net under the named fields, for a secret that free text quotes (a finding's message
/// or parameter, a server's echo in a body preview). Returns `value` unchanged when it does not
/// survive the round trip through JSON.
pub fn scrub<T>(value: T, secrets: &[String]) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    if secrets.is_empty() {
        return value;
    }
    let Ok(mut json) = serde_json::to_value(&value) else {
        return value;
    };
    if !scrub_json(&mut json, secrets) {
        return value;
    }
    serde_json::from_value(json).unwrap_or(value)
}

/// Replaces the secrets in every string of `json`; whether anything changed.
fn scrub_json(json: &mut serde_json::Value, secrets: &[String]) -> bool {
    match json {
        serde_json::Value::String(text) => {
            let mut changed = false;
            for secret in secrets {
                if text.contains(secret.as_str()) {
                    *text = text.replace(secret.as_str(), MASK);
                    changed = true;
                }
            }
            changed
        }
        serde_json::Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, item| scrub_json(item, secrets) | changed),
        serde_json::Value::Object(fields) => fields
            .values_mut()
            .fold(false, |changed, item| scrub_json(item, secrets) | changed),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_text_keeps_plain_lines_and_masks_secret_ones() {
        let text = "Content-Type: application/json\nAuthorization: Bearer s3cr3t\nX-Api-Key: k-s3cr3t\nAuthorization Bearer s3cr3t\nnot a header";
        let masked = mask_header_text(text);
        assert!(!masked.contains("s3cr3t"), "{masked}");
        assert_eq!(
            masked,
            "Content-Type: application/json\nAuthorization: Bearer ••••\nX-Api-Key: ••••\nAuthorization ••••\nnot a header"
        );
        assert_eq!(mask_header_text(""), "");
    }

    #[test]
    fn url_passwords_are_masked() {
        assert_eq!(
            mask_url("https://me:pa55word@api.example.com/x"),
            "https://me:%E2%80%A2%E2%80%A2%E2%80%A2%E2%80%A2@api.example.com/x"
        );
        assert_eq!(mask_url("not a url"), "not a url");
        assert_eq!(
            mask_url("https://api.example.com/x"),
            "https://api.example.com/x"
        );
    }

    #[test]
    fn scrub_replaces_secrets_anywhere_and_keeps_short_ones_out() {
        let secrets = secrets_in_text(
            "https://me:pa55word@api.example.com/",
            "Authorization: Bearer s3cr3t\nCookie: a=1\nX-Trace: s3cr3t-not-secret-name",
        );
        assert_eq!(secrets, ["Bearer s3cr3t", "pa55word", "s3cr3t"]);
        let value =
            serde_json::json!({"a": ["the value Bearer s3cr3t is bad", {"b": "pa55word"}], "n": 1});
        let scrubbed = scrub(value, &secrets);
        assert_eq!(
            scrubbed,
            serde_json::json!({"a": ["the value •••• is bad", {"b": "••••"}], "n": 1})
        );
        // Masked values stay as they are (`Bearer ••••` is not itself a secret).
        assert!(secrets_in_text("", "Authorization: Bearer ••••").is_empty());
        // Short values are masked by name only: the fix keeps its `true`.
        let short = secrets_in_text("https://api.example.com/", "X-Api-Key: true");
        assert!(short.is_empty(), "{short:?}");
        let fix = serde_json::json!(["Access-Control-Allow-Credentials: true"]);
        assert_eq!(scrub(fix.clone(), &short), fix);
    }

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
