//! Share links: `#url=…&method=…&headers=…&credentials=1` pre-fill the form (and never run it).
//!
//! A link is read only when it is one: a fragment too large, or naming none of the form's fields,
//! leaves the form as it is and says so ([`read_fragment`]); nothing in a link ever runs.

use super::form::{check_form, FormInput, FormProblem};
use super::mask::{mask_header_text, mask_url};
use crate::engine::fetch::Code;

/// A share link's fragment longer than this is not read (the form's own limits, percent-encoded,
/// stay well below it; a larger one was pasted wrong or made by hand).
pub const MAX_FRAGMENT_CHARS: usize = 131_072;
/// A body larger than this is left out of share links (CORS depends on its Content-Type only).
pub const MAX_SHARED_BODY_BYTES: usize = 8_192;

/// The fields a share link may set.
const KEYS: [&str; 7] = [
    "url",
    "method",
    "headers",
    "body",
    "want-headers",
    "app-origin",
    "credentials",
];
/// Fragments other features of the page read (not share links, not garbage).
const OTHER_KEYS: [&str; 1] = ["observations"];

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

/// The fragment (without `#`) that pre-fills `form`, secrets masked; empty fields are left out,
/// and so is a body over [`MAX_SHARED_BODY_BYTES`].
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
        if key == "body" && value.len() > MAX_SHARED_BODY_BYTES {
            continue;
        }
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
/// `None` unless the fragment is a share link (see [`read_fragment`]).
pub fn from_fragment(fragment: &str) -> Option<FormInput> {
    match read_fragment(fragment) {
        Shared::Form(form) => Some(*form),
        Shared::Nothing | Shared::Refused(_) => None,
    }
}

/// What the page's fragment holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Shared {
    /// No fragment, or one another feature reads.
    Nothing,
    /// A share link: the form it fills (never run).
    Form(Box<FormInput>),
    /// Not readable as a share link: the notice to show (the form is left as it is).
    Refused(Notice),
}

/// Why a link was not read, for the page to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub code: Code,
    pub message: String,
}

/// Reads the page's fragment (with or without `#`): a share link, nothing, or a notice saying why
/// it was not read. Never panics, whatever the fragment holds.
pub fn read_fragment(fragment: &str) -> Shared {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.trim().is_empty() {
        return Shared::Nothing;
    }
    let chars = fragment.chars().count();
    if chars > MAX_FRAGMENT_CHARS {
        return Shared::Refused(Notice {
            code: Code::InputTooLarge,
            message: format!(
                "This share link is {chars} characters long; the page reads links of at most {MAX_FRAGMENT_CHARS}, so the form was not filled and nothing was sent. Ask for a new link (the page leaves large bodies out of the links it makes)."
            ),
        });
    }
    let keys: Vec<String> = url::form_urlencoded::parse(fragment.as_bytes())
        .map(|(key, _)| key.into_owned())
        .collect();
    if keys.iter().any(|k| KEYS.contains(&k.as_str())) {
        return match fill(fragment) {
            Some(form) => Shared::Form(Box::new(form)),
            None => Shared::Nothing,
        };
    }
    if keys.iter().any(|k| OTHER_KEYS.contains(&k.as_str())) {
        return Shared::Nothing;
    }
    let shown = super::form::shown(&url_decoded(fragment));
    Shared::Refused(Notice {
        code: Code::InputInvalidUrl,
        message: format!(
            "The link's `#{shown}` is not a share link (those look like `#url=…&method=…`), so the form was not filled and nothing was run or sent. Paste the API URL into the form, or ask for the link again."
        ),
    })
}

/// The problems a share link's form has, to show beside the fields it filled before anything
/// is sent (the same checks as pressing Check).
pub fn problems(form: &FormInput, page_origin: &str) -> Vec<FormProblem> {
    check_form(form, page_origin).err().unwrap_or_default()
}

fn url_decoded(text: &str) -> String {
    url::form_urlencoded::parse(text.as_bytes())
        .map(|(k, v)| {
            if v.is_empty() {
                k.into_owned()
            } else {
                format!("{k}={v}")
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The form a share link fills.
fn fill(fragment: &str) -> Option<FormInput> {
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
