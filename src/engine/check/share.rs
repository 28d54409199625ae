//! Share links: `#url=…&method=…&headers=…&credentials=1` pre-fill the form (and never run it).

use super::form::FormInput;
use super::mask::{mask_header_text, mask_url};

/// Whether a share link carries the secrets the form holds (`Authorization`, cookies, tokens,
/// keys, a URL's password). A link leaves the page: it is masked unless the user asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Secrets {
    /// `Authorization: Bearer ••••`: the link shows which headers the request sends, not their
    /// secret values.
    #[default]
    Mask,
    /// The values as typed (the user ticked "include secrets in the link").
    Include,
}

/// The fragment (without `#`) that pre-fills `form`, secrets masked; empty fields are left out.
pub fn to_fragment(form: &FormInput) -> String {
    to_fragment_with(form, Secrets::Mask)
}

/// [`to_fragment`], with the secrets masked or included as the user chose.
pub fn to_fragment_with(form: &FormInput, secrets: Secrets) -> String {
    let masked;
    let form = match secrets {
        Secrets::Include => form,
        Secrets::Mask => {
            masked = FormInput {
                url: mask_url(&form.url),
                headers: mask_header_text(&form.headers),
                ..form.clone()
            };
            &masked
        }
    };
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    let fields = [
        ("url", &form.url),
        ("method", &form.method),
        ("headers", &form.headers),
        ("body", &form.body),
        ("want-headers", &form.want_headers),
        ("app-origin", &form.app_origin),
    ];
    for (key, value) in fields {
        if !value.is_empty() {
            out.append_pair(key, value);
        }
    }
    if form.credentials {
        out.append_pair("credentials", "1");
    }
    out.finish().replace('+', "%20")
}

/// The form a fragment describes; unknown keys are ignored, missing ones keep their defaults.
pub fn from_fragment(fragment: &str) -> Option<FormInput> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut form = FormInput::default();
    let mut any = false;
    for (key, value) in url::form_urlencoded::parse(fragment.as_bytes()) {
        let value = value.into_owned();
        let slot = match key.as_ref() {
            "url" => &mut form.url,
            "method" => &mut form.method,
            "headers" => &mut form.headers,
            "body" => &mut form.body,
            "want-headers" => &mut form.want_headers,
            "app-origin" => &mut form.app_origin,
            "credentials" => {
                form.credentials = matches!(value.as_str(), "1" | "true" | "on");
                any = true;
                continue;
            }
            _ => continue,
        };
        *slot = value;
        any = true;
    }
    any.then_some(form)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_field() {
        let form = FormInput {
            url: "https://api.example.com/v1/items?a=1&b=2".into(),
            method: "PUT".into(),
            headers: "Content-Type: application/json\nX-Trace: a b+c".into(),
            body: "{\"x\": 1}".into(),
            credentials: true,
            want_headers: "ETag".into(),
            app_origin: "https://app.example.com".into(),
            ..FormInput::default()
        };
        let fragment = to_fragment(&form);
        assert!(!fragment.contains('+'), "{fragment}");
        assert_eq!(from_fragment(&format!("#{fragment}")), Some(form));
    }

    #[test]
    fn a_share_link_never_carries_secrets_by_default() {
        let form = FormInput {
            url: "https://me:pa55word@api.example.com/v1".into(),
            method: "POST".into(),
            headers: "Authorization: Bearer s3cr3t\nCookie: sid=s3cr3t-2\nX-Api-Key: k-s3cr3t\nContent-Type: application/json".into(),
            ..FormInput::default()
        };
        for fragment in [
            to_fragment(&form),
            to_fragment_with(&form, Secrets::default()),
        ] {
            let decoded: String = url::form_urlencoded::parse(fragment.as_bytes())
                .map(|(k, v)| format!("{k}={v}\n"))
                .collect();
            for secret in ["s3cr3t", "pa55word"] {
                assert!(!fragment.contains(secret), "{secret} in {fragment}");
                assert!(!decoded.contains(secret), "{secret} in {decoded}");
            }
            let back = from_fragment(&fragment).unwrap_or_default();
            assert_eq!(
                back.headers,
                "Authorization: Bearer ••••\nCookie: ••••\nX-Api-Key: ••••\nContent-Type: application/json"
            );
            assert_eq!(
                back.url,
                "https://me:%E2%80%A2%E2%80%A2%E2%80%A2%E2%80%A2@api.example.com/v1"
            );
            assert_eq!(back.method, "POST");
        }
        // Only the explicit choice carries them, exactly as typed.
        let included = to_fragment_with(&form, Secrets::Include);
        assert_eq!(from_fragment(&included), Some(form));
    }

    #[test]
    fn contract_link_form() {
        let form = from_fragment("#url=http%3A%2F%2F127.0.0.1%3A9090%2Fx&method=PATCH&headers=X-A%3A%201%0AX-B%3A%202&credentials=1")
            .unwrap_or_default();
        assert_eq!(form.url, "http://127.0.0.1:9090/x");
        assert_eq!(form.method, "PATCH");
        assert_eq!(form.headers, "X-A: 1\nX-B: 2");
        assert!(form.credentials);
        assert_eq!(from_fragment(""), None);
        assert_eq!(from_fragment("#nothing=here"), None);
    }
}
