//! `curl -i` commands that show the server's real answers, sent with the app's origin.

use super::CheckContext;
use crate::engine::check::mask::{mask_url, mask_value};
use crate::engine::fetch::{access_control_request_headers, normalize_method};

/// The preflight command (when the request needs one), then the actual request; secret header
/// values and a URL's password are masked (`Bearer ••••`: the user puts their own back).
pub fn commands(context: &CheckContext) -> Vec<String> {
    let form = &context.form;
    let url = mask_url(&form.url);
    let origin = format!("Origin: {}", form.app_origin);
    let mut commands = Vec::new();
    let request = context.app_request();
    if context.preflighted() {
        let mut preflight = format!(
            "curl -i -X OPTIONS {} -H {} -H {}",
            quote(&url),
            quote(&origin),
            quote(&format!(
                "Access-Control-Request-Method: {}",
                normalize_method(&form.method)
            ))
        );
        if let Some(names) = access_control_request_headers(&request) {
            preflight.push_str(&format!(
                " -H {}",
                quote(&format!("Access-Control-Request-Headers: {names}"))
            ));
        }
        commands.push(preflight);
    }
    let mut actual = format!(
        "curl -i -X {} {} -H {}",
        quote(&form.method),
        quote(&url),
        quote(&origin)
    );
    for (name, value) in &form.headers {
        actual.push_str(&format!(
            " -H {}",
            quote(&format!("{name}: {}", mask_value(name, value)))
        ));
    }
    if form.credentials {
        actual.push_str(" -b 'name=value'");
    }
    if let Some(body) = &form.body {
        actual.push_str(&format!(" --data-raw {}", quote(body)));
    }
    // Last: a shell comment swallows the rest of the line.
    if form.credentials {
        actual.push_str("  # -b: your cookies");
    }
    commands.push(actual);
    commands
}

/// Single-quotes for POSIX shells: `'` becomes `'\''`.
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quotes_single_quotes() {
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("$HOME `x`"), "'$HOME `x`'");
    }
}
