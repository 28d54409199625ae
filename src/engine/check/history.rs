//! Recent checks and analyses, as the page keeps them in `localStorage`: bounded, newest first,
//! secrets masked as everywhere else a form leaves the page, and a stored value that is corrupt
//! or foreign is set aside with a notice, never a panic.

use serde::{Deserialize, Serialize};

use super::form::{parse_header_lines, FormInput};
use super::mask::mask_value;
use super::report::{Report, Source};

/// The `localStorage` key.
pub const STORAGE_KEY: &str = "cors-doctor.history";
/// At most this many entries are kept; the oldest go first.
pub const MAX_ENTRIES: usize = 50;
/// A stored field (URL, headers, body) longer than this is cut: the history is for finding a
/// request again, and a 1 MB paste must not be re-saved after every check.
pub const MAX_FIELD_CHARS: usize = 4_096;
/// The stored format's version; another one is set aside as foreign.
const VERSION: u32 = 1;

/// One remembered check or analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The form, secrets masked.
    pub form: FormInput,
    pub source: Source,
    /// The top cause's code, as the contract writes it.
    pub code: Option<String>,
    /// When, in milliseconds since the epoch (the page's clock).
    pub at_ms: f64,
}

impl Entry {
    /// The entry for a finished `report` of `form`, secrets masked.
    pub fn new(form: &FormInput, report: &Report, at_ms: f64) -> Entry {
        Entry {
            form: masked(form),
            source: report.source,
            code: report.causes.first().map(|c| c.code.to_string()),
            at_ms,
        }
    }

    /// One line for the list: `GET https://api.example.com/x → response/allow-origin`.
    pub fn label(&self) -> String {
        let method = match self.form.method.trim() {
            "" => "GET",
            m => m,
        };
        let what = match self.source {
            Source::Check | Source::App => format!("{method} {}", self.form.url.trim()),
            other => format!("{} · {method} {}", other.as_str(), self.form.url.trim()),
        };
        match &self.code {
            Some(code) => format!("{what} → {code}"),
            None => what,
        }
    }

    /// Two entries for the same request (the newer replaces the older).
    fn same_request(&self, other: &Entry) -> bool {
        let a = &self.form;
        let b = &other.form;
        (
            a.url.trim(),
            a.method.trim(),
            &a.headers,
            &a.body,
            a.credentials,
            &a.app_origin,
        ) == (
            b.url.trim(),
            b.method.trim(),
            &b.headers,
            &b.body,
            b.credentials,
            &b.app_origin,
        )
    }
}

/// `form` with secret header values masked and every field cut to [`MAX_FIELD_CHARS`].
pub fn masked(form: &FormInput) -> FormInput {
    let cut = |text: &str| text.chars().take(MAX_FIELD_CHARS).collect::<String>();
    let headers = parse_header_lines(&cut(&form.headers), &mut Vec::new())
        .iter()
        .map(|(name, value)| format!("{name}: {}", mask_value(name, value)))
        .collect::<Vec<_>>()
        .join("\n");
    FormInput {
        url: mask_userinfo(&cut(&form.url)),
        method: cut(&form.method),
        headers,
        body: cut(&form.body),
        want_headers: cut(&form.want_headers),
        app_origin: cut(&form.app_origin),
        timeout: cut(&form.timeout),
        ..form.clone()
    }
}

/// `http://user:pass@host/…` → `http://user:••••@host/…`; anything else unchanged.
fn mask_userinfo(url: &str) -> String {
    match url::Url::parse(url.trim()) {
        Ok(mut parsed) if parsed.password().is_some() => {
            if parsed.set_password(Some(super::mask::MASK)).is_ok() {
                parsed.to_string()
            } else {
                url.to_string()
            }
        }
        _ => url.to_string(),
    }
}

#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    entries: Vec<Entry>,
}

/// The remembered entries, newest first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct History {
    pub entries: Vec<Entry>,
}

impl History {
    /// The history in `stored` (`None`: nothing stored yet). A value that does not parse, or of
    /// another version, gives an empty history and a notice saying it was set aside.
    pub fn load(stored: Option<&str>) -> (History, Option<String>) {
        let Some(text) = stored.filter(|t| !t.trim().is_empty()) else {
            return (History::default(), None);
        };
        match serde_json::from_str::<Stored>(text) {
            Ok(stored) if stored.version == VERSION => {
                let mut entries = stored.entries;
                entries.truncate(MAX_ENTRIES);
                (History { entries }, None)
            }
            Ok(stored) => (
                History::default(),
                Some(format!(
                    "The saved history is of another version ({}) and was set aside.",
                    stored.version
                )),
            ),
            Err(_) => (
                History::default(),
                Some("The saved history could not be read and was set aside.".into()),
            ),
        }
    }

    /// Adds `entry` first; an older entry for the same request goes, and so does anything past
    /// [`MAX_ENTRIES`].
    pub fn record(&mut self, entry: Entry) {
        self.entries.retain(|e| !e.same_request(&entry));
        self.entries.insert(0, entry);
        self.entries.truncate(MAX_ENTRIES);
    }

    /// The value to store.
    pub fn to_json(&self) -> String {
        let stored = Stored {
            version: VERSION,
            entries: self.entries.clone(),
        };
        serde_json::to_string(&stored).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(url: &str, headers: &str) -> Entry {
        Entry {
            form: masked(&FormInput {
                url: url.into(),
                headers: headers.into(),
                ..FormInput::default()
            }),
            source: Source::Check,
            code: Some("ok".into()),
            at_ms: 1.0,
        }
    }

    #[test]
    fn secrets_are_masked() {
        let e = entry(
            "http://user:hunter2@api.test/x",
            "Authorization: Bearer abc\nX-Api-Key: k1\nAccept: a",
        );
        let json = History { entries: vec![e] }.to_json();
        for secret in ["hunter2", "abc", "k1"] {
            assert!(!json.contains(secret), "{secret} leaked: {json}");
        }
        assert!(json.contains("Bearer ••••"), "{json}");
        assert!(json.contains("Accept: a"), "{json}");
    }

    #[test]
    fn bounded_newest_first_and_deduplicated() {
        let mut history = History::default();
        for i in 0..(MAX_ENTRIES + 10) {
            history.record(entry(&format!("http://api.test/{i}"), ""));
        }
        assert_eq!(history.entries.len(), MAX_ENTRIES);
        assert_eq!(
            history.entries[0].form.url,
            format!("http://api.test/{}", MAX_ENTRIES + 9)
        );
        history.record(entry("http://api.test/20", ""));
        assert_eq!(history.entries.len(), MAX_ENTRIES);
        assert_eq!(history.entries[0].form.url, "http://api.test/20");
        let same = history
            .entries
            .iter()
            .filter(|e| e.form.url == "http://api.test/20");
        assert_eq!(same.count(), 1);
    }

    #[test]
    fn round_trips_and_sets_aside_what_it_cannot_read() {
        let mut history = History::default();
        history.record(entry("http://api.test/a", "X-Trace: 1"));
        let (back, notice) = History::load(Some(&history.to_json()));
        assert_eq!(back, history);
        assert!(notice.is_none());
        for bad in [
            "{not json",
            "[1,2]",
            "{\"version\":2,\"entries\":[]}",
            "null",
            "\u{0}",
        ] {
            let (empty, notice) = History::load(Some(bad));
            assert!(empty.entries.is_empty(), "{bad}");
            assert!(notice.is_some(), "{bad}: no notice");
        }
        assert_eq!(History::load(None), (History::default(), None));
    }

    #[test]
    fn huge_fields_are_cut() {
        let e = entry(
            &"x".repeat(100_000),
            &format!("X-Big: {}", "v".repeat(1_000_000)),
        );
        assert!(e.form.url.len() <= MAX_FIELD_CHARS);
        assert!(e.form.headers.len() <= MAX_FIELD_CHARS);
    }

    #[test]
    fn labels_say_what_and_verdict() {
        let e = entry("http://api.test/x", "");
        assert_eq!(e.label(), "GET http://api.test/x → ok");
    }
}
