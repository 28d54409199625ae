//! Text made safe to place in HTML markup built as a string (the HAR list, where thousands of
//! rows as one `innerHTML` take a tenth of the time of as many virtual-DOM nodes; the evidence
//! worker writes it).
//! Everything else the page shows from the network goes through Yew's text nodes.
//!
//! [`escape`] replaces the five characters that can end a text run or a quoted attribute value
//! (`&`, `<`, `>`, `"`, `'`): its output is safe both as element content and inside a quoted
//! attribute, per the HTML Standard's serialisation rules
//! (<https://html.spec.whatwg.org/multipage/parsing.html#escapingString>).

use std::fmt::Write;

use crate::engine::check::report::HarEntry;

/// Appends `text` to `out`, escaped for element content and quoted attribute values.
pub fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
}

/// `text`, escaped for element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// The HAR list's rows as markup, every value from the HAR escaped ([`push_escaped`]): a HAR
/// holds thousands of requests, and one `innerHTML` builds them about ten times faster than as
/// many virtual-DOM nodes (`cargo bench --bench har`). The evidence worker writes them, so
/// the page only hands the string to the browser.
pub fn har_rows(entries: &[HarEntry]) -> String {
    let mut out = String::with_capacity(entries.len() * 256);
    for (i, e) in entries.iter().enumerate() {
        let code = e.code.to_string();
        out.push_str("<li data-testid=\"har-entry\"");
        for (name, value) in [
            ("data-url", &e.url),
            ("data-method", &e.method),
            ("data-code", &code),
        ] {
            let _ = write!(out, " {name}=\"");
            push_escaped(&mut out, value);
            out.push('"');
        }
        if e.code.family() != "ok" {
            out.push_str(" class=\"failed\"");
        }
        let _ = write!(
            out,
            "><button type=\"button\" class=\"link\" data-index=\"{i}\"><code>"
        );
        push_escaped(&mut out, &e.method);
        out.push(' ');
        push_escaped(&mut out, &e.url);
        out.push_str("</code></button><span class=\"code-tag\">");
        push_escaped(&mut out, &code);
        out.push_str("</span>");
        if e.group_size > 1 {
            let _ = write!(out, "<span class=\"muted\"> ×{} alike</span>", e.group_size);
        }
        out.push_str("<span class=\"muted\"> — ");
        push_escaped(&mut out, &e.summary);
        out.push_str("</span></li>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{escape, har_rows};
    use crate::engine::check::report::HarEntry;
    use crate::engine::fetch::Code;
    use proptest::prelude::*;

    fn entry(url: &str, method: &str, summary: &str, code: Code, group_size: usize) -> HarEntry {
        HarEntry {
            url: url.to_string(),
            method: method.to_string(),
            code,
            status: 0,
            page_origin: "https://app.example".to_string(),
            header_names: Vec::new(),
            summary: summary.to_string(),
            group: 0,
            group_size,
        }
    }

    /// The inverse of [`escape`], for the round trip.
    fn unescape(text: &str) -> String {
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    #[test]
    fn markup_becomes_text() {
        assert_eq!(
            escape(r#"<img src=x onerror="alert('1')">&amp;"#),
            "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;amp;"
        );
        assert_eq!(escape("plain text, ünïcode"), "plain text, ünïcode");
    }

    /// The tags and quotes the list writes itself: 10 tags and 18 quotes per row; a group's
    /// count adds 2 tags and 2 quotes, a failure's class 2 quotes.
    fn own_markup(entries: &[HarEntry]) -> (usize, usize) {
        entries.iter().fold((0, 0), |(tags, quotes), e| {
            let grouped = if e.group_size > 1 { 2 } else { 0 };
            let failed = if e.code.family() == "ok" { 0 } else { 2 };
            (tags + 10 + grouped, quotes + 18 + grouped + failed)
        })
    }

    #[test]
    fn a_row_holds_its_values_once_escaped_and_its_index() {
        let rows = har_rows(&[
            entry("https://a.example/x?q=1&r=2", "GET", "fine", Code::Ok, 1),
            entry(
                "https://b.example/\"><script>",
                "POST",
                "<b>bold</b>",
                Code::PreflightStatus,
                3,
            ),
        ]);
        assert!(
            rows.contains(r#"data-url="https://a.example/x?q=1&amp;r=2""#),
            "{rows}"
        );
        assert!(
            rows.contains(r#"data-code="preflight/status" class="failed""#),
            "{rows}"
        );
        assert!(rows.contains(r#"data-index="1""#), "{rows}");
        assert!(rows.contains("&lt;b&gt;bold&lt;/b&gt;"), "{rows}");
        assert!(rows.contains("×3 alike"), "{rows}");
        assert!(
            !rows.contains("<script>") && !rows.contains("<b>"),
            "{rows}"
        );
    }

    proptest! {
        /// Whatever a HAR holds, the list's markup has only the tags and quotes it writes
        /// itself: no value opens a tag or leaves an attribute.
        #[test]
        fn values_never_add_markup(
            values in proptest::collection::vec((".*", ".*", ".*", 0usize..4, any::<bool>()), 0..6)
        ) {
            let entries: Vec<HarEntry> = values
                .iter()
                .map(|(url, method, summary, group_size, failed)| {
                    let code = if *failed { Code::PreflightStatus } else { Code::Ok };
                    entry(url, method, summary, code, *group_size)
                })
                .collect();
            let rows = har_rows(&entries);
            let (tags, quotes) = own_markup(&entries);
            prop_assert_eq!(rows.matches('<').count(), tags);
            prop_assert_eq!(rows.matches('>').count(), tags);
            prop_assert_eq!(rows.matches('"').count(), quotes);
            prop_assert_eq!(rows.matches("data-testid=\"har-entry\"").count(), entries.len());
        }

        #[test]
        fn nothing_that_ends_text_or_an_attribute_survives(text in ".*") {
            let escaped = escape(&text);
            prop_assert!(!escaped.contains(['<', '>', '"', '\'']));
            // Every `&` starts one of the five references.
            for (i, _) in escaped.match_indices('&') {
                let rest = &escaped[i..];
                prop_assert!(["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].iter().any(|r| rest.starts_with(r)));
            }
            prop_assert_eq!(unescape(&escaped), text);
        }
    }
}
