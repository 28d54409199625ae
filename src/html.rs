//! Text made safe to place in HTML markup the page builds as a string (the HAR list, where
//! thousands of rows as one `innerHTML` take a tenth of the time of as many virtual-DOM nodes).
//! Everything else the page shows from the network goes through Yew's text nodes.
//!
//! [`escape`] replaces the five characters that can end a text run or a quoted attribute value
//! (`&`, `<`, `>`, `"`, `'`): its output is safe both as element content and inside a quoted
//! attribute, per the HTML Standard's serialisation rules
//! (<https://html.spec.whatwg.org/multipage/parsing.html#escapingString>).

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

#[cfg(test)]
mod tests {
    use super::escape;
    use proptest::prelude::*;

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

    proptest! {
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
