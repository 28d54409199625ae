//! The bad-input table (issue 10): one row per mistake a user makes in the form or a share link,
//! and what the page must do with it. Data only: `tests/engine/bad_input.rs` runs it against the
//! engine, `tests/e2e/bad_input.rs` through the page in Chromium.
//!
//! Placeholders in the texts: `{lab}` (the lab's origin), `{labhost}` (its `host:port`), `{port}`
//! and `{row}` (the row's number, so each row's requests can be told apart).

#![allow(dead_code)]

/// A field's text.
pub enum Text {
    Plain(&'static str),
    /// `prefix`, then `unit` `times` times.
    Repeat {
        prefix: &'static str,
        unit: &'static str,
        times: usize,
    },
}

impl Text {
    /// The text with its placeholders filled in.
    pub fn render(&self, lab: &str, row: usize) -> String {
        let fill = |s: &str| {
            let labhost = lab.trim_start_matches("http://");
            let port = labhost.rsplit(':').next().unwrap_or("");
            s.replace("{lab}", lab)
                .replace("{labhost}", labhost)
                .replace("{port}", port)
                .replace("{row}", &row.to_string())
        };
        match self {
            Text::Plain(s) => fill(s),
            Text::Repeat {
                prefix,
                unit,
                times,
            } => {
                let mut out = fill(prefix);
                out.push_str(&unit.repeat(*times));
                out
            }
        }
    }
}

/// What the page must do with a row.
pub enum Expect {
    /// Nothing is sent; beside `field`, a problem with `code` whose message holds each of `says`.
    Refused {
        field: &'static str,
        code: &'static str,
        says: &'static [&'static str],
    },
    /// Not a mistake: the request is sent (to a URL holding `sent_url_has`) and the page's top
    /// cause is `top`.
    Sent {
        sent_url_has: &'static str,
        top: &'static str,
    },
}

pub struct Row {
    pub name: &'static str,
    /// Contract test id → text; the other fields keep the valid base (`{lab}/simple-ok?row={row}`,
    /// GET, no headers or body, timeout 15).
    pub set: &'static [(&'static str, Text)],
    pub expect: Expect,
}

/// The valid base URL every row starts from.
pub const BASE_URL: &str = "{lab}/simple-ok?row={row}";

const fn refused(
    name: &'static str,
    set: &'static [(&'static str, Text)],
    field: &'static str,
    code: &'static str,
    says: &'static [&'static str],
) -> Row {
    Row {
        name,
        set,
        expect: Expect::Refused { field, code, says },
    }
}

use Text::{Plain, Repeat};

pub const ROWS: &[Row] = &[
    // The URL.
    refused(
        "url-empty",
        &[("url", Plain(""))],
        "url",
        "input/invalid-url",
        &["empty", "https://"],
    ),
    refused(
        "url-whitespace",
        &[("url", Plain("  \t  "))],
        "url",
        "input/invalid-url",
        &["blank", "https://"],
    ),
    refused(
        "url-not-a-url",
        &[("url", Plain("not a url"))],
        "url",
        "input/invalid-url",
        &["not an absolute URL", "scheme and a host"],
    ),
    refused(
        "url-scheme-only",
        &[("url", Plain("http://"))],
        "url",
        "input/invalid-url",
        &["no host"],
    ),
    refused(
        "url-space-in-host",
        &[("url", Plain("http://exa mple.com/api"))],
        "url",
        "input/invalid-url",
        &["contains a space", "remove it"],
    ),
    refused(
        "url-javascript",
        &[("url", Plain("javascript:window.pwned=1"))],
        "url",
        "input/unsupported-scheme",
        &["javascript:", "http://"],
    ),
    refused(
        "url-data",
        &[("url", Plain("data:text/plain,hello"))],
        "url",
        "input/unsupported-scheme",
        &["data:", "CORS never applies"],
    ),
    refused(
        "url-file",
        &[("url", Plain("file:///etc/passwd"))],
        "url",
        "input/unsupported-scheme",
        &["file:", "serve the file over http"],
    ),
    refused(
        "url-blob",
        &[(
            "url",
            Plain("blob:{lab}/3f6c1e8e-1b7a-4d3c-9a47-0c1d2e3f4a5b"),
        )],
        "url",
        "input/unsupported-scheme",
        &["blob:", "not a server"],
    ),
    refused(
        "url-ftp",
        &[("url", Plain("ftp://127.0.0.1/file.txt"))],
        "url",
        "input/unsupported-scheme",
        &["ftp:"],
    ),
    refused(
        "url-ws",
        &[("url", Plain("ws://{labhost}/socket"))],
        "url",
        "input/unsupported-scheme",
        &["WebSocket", "does not use CORS"],
    ),
    refused(
        "url-wss",
        &[("url", Plain("wss://api.example.com/socket"))],
        "url",
        "input/unsupported-scheme",
        &["WebSocket"],
    ),
    refused(
        "url-about",
        &[("url", Plain("about:blank"))],
        "url",
        "input/unsupported-scheme",
        &["about:"],
    ),
    refused(
        "url-user-pass",
        &[(
            "url",
            Plain("http://user:pass@{labhost}/simple-ok?row={row}"),
        )],
        "url",
        "input/invalid-url",
        &["user:password@", "Authorization"],
    ),
    refused(
        "url-user-only",
        &[("url", Plain("http://user@{labhost}/simple-ok?row={row}"))],
        "url",
        "input/invalid-url",
        &["user:password@"],
    ),
    refused(
        "url-nul-in-host",
        &[("url", Plain("http://127.0.0\u{0}.1:9/api"))],
        "url",
        "input/invalid-url",
        &["U+0000", "remove it"],
    ),
    refused(
        "url-ipv6-unclosed",
        &[("url", Plain("http://[::1/api"))],
        "url",
        "input/invalid-url",
        &["IPv6", "http://[::1]:8080/api"],
    ),
    refused(
        "url-ipv6-bad-digit",
        &[("url", Plain("http://[::g]:8080/api"))],
        "url",
        "input/invalid-url",
        &["IPv6"],
    ),
    refused(
        "url-ipv6-nine-parts",
        &[("url", Plain("http://[1:2:3:4:5:6:7:8:9]/"))],
        "url",
        "input/invalid-url",
        &["IPv6"],
    ),
    refused(
        "url-port-99999",
        &[("url", Plain("http://127.0.0.1:99999/api"))],
        "url",
        "input/invalid-url",
        &["port", "65535"],
    ),
    refused(
        "url-port-letters",
        &[("url", Plain("http://127.0.0.1:80a/api"))],
        "url",
        "input/invalid-url",
        &["port"],
    ),
    refused(
        "url-no-scheme",
        &[("url", Plain("api.example.com/v1/items"))],
        "url",
        "input/invalid-url",
        &["no scheme", "https://api.example.com/v1/items"],
    ),
    refused(
        "url-localhost-no-scheme",
        &[("url", Plain("localhost:8080/api"))],
        "url",
        "input/unsupported-scheme",
        &["no scheme", "http://localhost:8080/api"],
    ),
    Row {
        name: "url-idn-host",
        set: &[(
            "url",
            Plain("http://bücher.localhost:{port}/simple-ok?row={row}"),
        )],
        expect: Expect::Sent {
            sent_url_has: "//xn--bcher-kva.localhost:",
            top: "ok",
        },
    },
    Row {
        name: "url-nul-in-query",
        set: &[("url", Plain("{lab}/simple-ok?row={row}&nul=a\u{0}b"))],
        expect: Expect::Sent {
            sent_url_has: "&nul=a%00b",
            top: "ok",
        },
    },
    // The method.
    refused(
        "method-empty",
        &[("method", Plain(""))],
        "method",
        "input/forbidden-method",
        &["empty", "GET"],
    ),
    refused(
        "method-connect",
        &[("method", Plain("CONNECT"))],
        "method",
        "input/forbidden-method",
        &["never send CONNECT"],
    ),
    refused(
        "method-trace",
        &[("method", Plain("trace"))],
        "method",
        "input/forbidden-method",
        &["never send TRACE"],
    ),
    refused(
        "method-track",
        &[("method", Plain("TRACK"))],
        "method",
        "input/forbidden-method",
        &["never send TRACK"],
    ),
    refused(
        "method-space",
        &[("method", Plain("GE T"))],
        "method",
        "input/forbidden-method",
        &["a space", "one word"],
    ),
    refused(
        "method-non-ascii",
        &[("method", Plain("PÖST"))],
        "method",
        "input/forbidden-method",
        &["U+00D6"],
    ),
    refused(
        "method-colon",
        &[("method", Plain("GET:"))],
        "method",
        "input/forbidden-method",
        &["`:`"],
    ),
    // The headers.
    refused(
        "header-no-colon",
        &[("headers", Plain("X-Trace 1"))],
        "headers",
        "input/invalid-header",
        &["no colon", "`X-Trace: 1`"],
    ),
    refused(
        "header-no-name",
        &[("headers", Plain(": value"))],
        "headers",
        "input/invalid-header",
        &["no name"],
    ),
    refused(
        "header-cookie",
        &[("headers", Plain("Cookie: session=1"))],
        "headers",
        "input/forbidden-header",
        &["Cookie", "Send credentials"],
    ),
    refused(
        "header-host",
        &[("headers", Plain("Host: evil.example"))],
        "headers",
        "input/forbidden-header",
        &["Host", "remove the line"],
    ),
    refused(
        "header-content-length",
        &[("headers", Plain("Content-Length: 5"))],
        "headers",
        "input/forbidden-header",
        &["Content-Length", "computes it"],
    ),
    refused(
        "header-proxy",
        &[("headers", Plain("Proxy-Authorization: Basic eDp5"))],
        "headers",
        "input/forbidden-header",
        &["Proxy-"],
    ),
    refused(
        "header-sec",
        &[("headers", Plain("Sec-Fetch-Site: none"))],
        "headers",
        "input/forbidden-header",
        &["Sec-"],
    ),
    refused(
        "header-method-override",
        &[("headers", Plain("X-HTTP-Method-Override: TRACE"))],
        "headers",
        "input/forbidden-header",
        &["forbidden one"],
    ),
    refused(
        "header-name-space",
        &[("headers", Plain("X Trace: 1"))],
        "headers",
        "input/invalid-header",
        &["a space", "one word"],
    ),
    refused(
        "header-name-non-ascii",
        &[("headers", Plain("X-Ünicode: 1"))],
        "headers",
        "input/invalid-header",
        &["U+00DC"],
    ),
    refused(
        "header-nul-value",
        &[("headers", Plain("X-Trace: a\u{0}b"))],
        "headers",
        "input/invalid-header",
        &["NUL", "remove it"],
    ),
    refused(
        "header-non-latin1-value",
        &[("headers", Plain("X-Name: 日本"))],
        "headers",
        "input/invalid-header",
        &["U+65E5", "percent-encode"],
    ),
    refused(
        "header-euro-value",
        &[("headers", Plain("X-Price: 5€"))],
        "headers",
        "input/invalid-header",
        &["U+20AC", "%E2%82%AC"],
    ),
    refused(
        "header-second-line-bad",
        &[("headers", Plain("X-One: 1\nX Two: 2"))],
        "headers",
        "input/invalid-header",
        &["line 2"],
    ),
    Row {
        name: "header-latin1-value",
        set: &[("headers", Plain("X-Name: café"))],
        expect: Expect::Sent {
            sent_url_has: "row=",
            top: "ok",
        },
    },
    // The body.
    refused(
        "body-with-get",
        &[("body", Plain("a=1"))],
        "body",
        "input/forbidden-method",
        &["GET request cannot have a body", "POST"],
    ),
    refused(
        "body-with-head",
        &[("method", Plain("HEAD")), ("body", Plain("a=1"))],
        "body",
        "input/forbidden-method",
        &["HEAD request cannot have a body"],
    ),
    // The timeout.
    refused(
        "timeout-zero",
        &[("timeout", Plain("0"))],
        "timeout",
        "input/invalid-timeout",
        &["abandon every request", "above 0"],
    ),
    refused(
        "timeout-negative",
        &[("timeout", Plain("-1"))],
        "timeout",
        "input/invalid-timeout",
        &["negative"],
    ),
    refused(
        "timeout-letters",
        &[("timeout", Plain("abc"))],
        "timeout",
        "input/invalid-timeout",
        &["`abc` is not a number"],
    ),
    refused(
        "timeout-exponent",
        &[("timeout", Plain("1e9"))],
        "timeout",
        "input/invalid-timeout",
        &["exponent", "1000000000 seconds"],
    ),
    refused(
        "timeout-empty",
        &[("timeout", Plain(""))],
        "timeout",
        "input/invalid-timeout",
        &["empty", "e.g. 15"],
    ),
    refused(
        "timeout-too-long",
        &[("timeout", Plain("301"))],
        "timeout",
        "input/invalid-timeout",
        &["longest timeout", "300"],
    ),
    refused(
        "timeout-comma",
        &[("timeout", Plain("2,5"))],
        "timeout",
        "input/invalid-timeout",
        &["dot"],
    ),
    // The app origin.
    refused(
        "app-origin-ftp",
        &[("app-origin", Plain("ftp://app.example.com"))],
        "app-origin",
        "input/invalid-url",
        &["ftp:", "https://app.example.com"],
    ),
    refused(
        "app-origin-null",
        &[("app-origin", Plain("null"))],
        "app-origin",
        "input/invalid-url",
        &["opaque origin"],
    ),
    refused(
        "app-origin-star",
        &[("app-origin", Plain("*"))],
        "app-origin",
        "input/invalid-url",
        &["`*` is not an origin"],
    ),
    refused(
        "app-origin-no-scheme",
        &[("app-origin", Plain("app.example.com"))],
        "app-origin",
        "input/invalid-url",
        &["no scheme", "https://app.example.com"],
    ),
    refused(
        "app-origin-javascript",
        &[("app-origin", Plain("javascript:alert(1)"))],
        "app-origin",
        "input/invalid-url",
        &["javascript:"],
    ),
    refused(
        "app-origin-second-bad",
        &[("app-origin", Plain("https://app.example.com, %%%"))],
        "app-origin",
        "input/invalid-url",
        &["`%%%` is not an origin"],
    ),
    // The large ones last: once a megabyte is typed, every later check of the session is
    // slower (the history keeps the form; see the report), so the table ends with them.
    refused(
        "url-100k",
        &[(
            "url",
            Repeat {
                prefix: "{lab}/simple-ok?row={row}&q=",
                unit: "a",
                times: 100_000,
            },
        )],
        "url",
        "input/too-large",
        &["characters", "16384"],
    ),
    refused(
        "method-10000",
        &[(
            "method",
            Repeat {
                prefix: "",
                unit: "A",
                times: 10_000,
            },
        )],
        "method",
        "input/too-large",
        &["10000 characters", "POST"],
    ),
    refused(
        "header-1mb-value",
        &[(
            "headers",
            Repeat {
                prefix: "X-Big: ",
                unit: "a",
                times: 1_048_576,
            },
        )],
        "headers",
        "input/too-large",
        &["bytes", "X-Big"],
    ),
    refused(
        "header-10000-lines",
        &[(
            "headers",
            Repeat {
                prefix: "",
                unit: "X-N: 1\n",
                times: 10_000,
            },
        )],
        "headers",
        "input/too-large",
        &["10000 header lines", "at most 100"],
    ),
    refused(
        "body-5mb",
        &[
            ("method", Plain("POST")),
            (
                "body",
                Repeat {
                    prefix: "",
                    unit: "a",
                    times: 5 * 1_048_576,
                },
            ),
        ],
        "body",
        "input/too-large",
        &["5242880 bytes", "Content-Type"],
    ),
];

/// What a share link must do.
pub enum LinkExpect {
    /// Not read: a notice with `code` whose text holds `says`; the form keeps its defaults.
    Notice {
        code: &'static str,
        says: &'static str,
    },
    /// Read (never run): `field` holds `value`, and the fields in `problems` are marked with
    /// their codes, with a notice saying nothing was sent.
    Filled {
        field: &'static str,
        value: &'static str,
        problems: &'static [(&'static str, &'static str)],
    },
}

pub struct LinkRow {
    pub name: &'static str,
    /// The fragment, without `#`.
    pub fragment: Text,
    pub expect: LinkExpect,
}

pub const LINKS: &[LinkRow] = &[
    LinkRow {
        name: "link-garbage",
        fragment: Plain("%%%garbage%%%&&=="),
        expect: LinkExpect::Notice {
            code: "input/invalid-url",
            says: "not a share link",
        },
    },
    LinkRow {
        name: "link-javascript",
        fragment: Plain("javascript:window.pwned=1"),
        expect: LinkExpect::Notice {
            code: "input/invalid-url",
            says: "not a share link",
        },
    },
    LinkRow {
        name: "link-200kb",
        fragment: Repeat {
            prefix: "url=http%3A%2F%2F127.0.0.1%2F",
            unit: "a",
            times: 200_000,
        },
        expect: LinkExpect::Notice {
            code: "input/too-large",
            says: "characters long",
        },
    },
    LinkRow {
        name: "link-javascript-url",
        fragment: Plain("url=javascript%3Awindow.pwned%3D1&method=GET"),
        expect: LinkExpect::Filled {
            field: "url",
            value: "javascript:window.pwned=1",
            problems: &[("url", "input/unsupported-scheme")],
        },
    },
    LinkRow {
        name: "link-bad-fields",
        fragment: Plain("url=%00%FF&method=TRACE&headers=Cookie%3A%20a%3D1"),
        expect: LinkExpect::Filled {
            field: "method",
            value: "TRACE",
            problems: &[
                ("url", "input/invalid-url"),
                ("method", "input/forbidden-method"),
                ("headers", "input/forbidden-header"),
            ],
        },
    },
    LinkRow {
        name: "link-valid",
        fragment: Plain("url={lab}%2Fsimple-ok%3Frow%3D{row}&method=PUT&headers=X-Trace%3A%201"),
        expect: LinkExpect::Filled {
            field: "method",
            value: "PUT",
            problems: &[],
        },
    },
];
