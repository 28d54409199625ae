//! The server view: console texts of three browsers → cause, URL, origin, status.
//!
//! One typed table of pasted console text (Chromium, Firefox, Safari; new and old wordings;
//! curly and straight quotes; CRLF; DevTools noise; companion lines before and after; Firefox's
//! trailing `(null)` line), each row stating every message the paste holds. Then proptest:
//! `parse` never panics on arbitrary strings nor on mutated table samples (2,000 cases each).

use cors_doctor::engine::evidence::console::{parse, ConsoleBrowser, ConsoleMessage, Severity};
use proptest::prelude::*;

use ConsoleBrowser::{Chromium, Firefox, Safari};

/// What one parsed message must be.
#[derive(Debug, Clone, Copy)]
struct Expect {
    browser: ConsoleBrowser,
    /// The finding's code string; `None`: the message has no finding.
    code: Option<&'static str>,
    /// The finding's params, exactly.
    params: &'static [(&'static str, &'static str)],
    url: Option<&'static str>,
    redirected_from: Option<&'static str>,
    origin: Option<&'static str>,
    method: Option<&'static str>,
    status: Option<u16>,
    preflight: bool,
    severity: Severity,
}

const CR: Expect = Expect {
    browser: Chromium,
    code: None,
    params: &[],
    url: None,
    redirected_from: None,
    origin: None,
    method: None,
    status: None,
    preflight: false,
    severity: Severity::Error,
};
const FF: Expect = Expect {
    browser: Firefox,
    ..CR
};
const SA: Expect = Expect {
    browser: Safari,
    ..CR
};

struct Row {
    name: &'static str,
    text: &'static str,
    expect: &'static [Expect],
}

const API: Option<&str> = Some("https://api.example.com/data");
const APP: Option<&str> = Some("http://localhost:3000");

const ROWS: &[Row] = &[
    // ---------------------------------------------------------------- Chromium
    Row {
        name: "chromium fetch, missing Allow-Origin",
        text: "Access to fetch at 'https://api.example.com/data' from origin 'http://localhost:3000' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
        expect: &[Expect {
            code: Some("response/allow-origin/missing"),
            params: &[("origin", "http://localhost:3000")],
            url: API,
            origin: APP,
            ..CR
        }],
    },
    Row {
        name: "chromium older fetch wording with the opaque hint, DevTools timestamp and source link",
        text: "12:03:44.123 (index):1 Access to fetch at 'https://api.example.com/data' from origin 'http://localhost:3000' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource. If an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled.",
        expect: &[Expect {
            code: Some("response/allow-origin/missing"),
            params: &[("origin", "http://localhost:3000")],
            url: API,
            origin: APP,
            ..CR
        }],
    },
    Row {
        name: "chromium XHR preflight without Allow-Origin",
        text: "Access to XMLHttpRequest at 'http://localhost:8000/api/broker/config' from origin 'http://localhost:5173' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
        expect: &[Expect {
            code: Some("preflight/allow-origin/missing"),
            params: &[("origin", "http://localhost:5173")],
            url: Some("http://localhost:8000/api/broker/config"),
            origin: Some("http://localhost:5173"),
            preflight: true,
            ..CR
        }],
    },
    Row {
        name: "chromium multiple Allow-Origin values with the no-cors hint",
        text: "Access to fetch at 'https://api.example.com/data' from origin 'http://localhost:3000' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains multiple values 'http://localhost:3000, *', but only one is allowed. Have the server send the header with a valid value, or, if an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled.",
        expect: &[Expect {
            code: Some("response/allow-origin/multiple"),
            params: &[("origin", "http://localhost:3000"), ("value", "http://localhost:3000, *")],
            url: API,
            origin: APP,
            ..CR
        }],
    },
    Row {
        name: "chromium preflight with an invalid Allow-Origin value",
        text: "Access to fetch at 'https://api.example.com/data' from origin 'http://localhost:3000' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The 'Access-Control-Allow-Origin' header contains the invalid value 'localhost:3000'.",
        expect: &[Expect {
            code: Some("preflight/allow-origin/invalid"),
            params: &[("origin", "http://localhost:3000"), ("value", "localhost:3000")],
            url: API,
            origin: APP,
            preflight: true,
            ..CR
        }],
    },
    Row {
        name: "chromium font with a mismatched Allow-Origin",
        text: "Access to font at 'https://cdn.example.com/f.woff2' from origin 'https://www.example.com' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'https://example.com' that is not equal to the supplied origin.",
        expect: &[Expect {
            code: Some("response/allow-origin/mismatch"),
            params: &[("origin", "https://www.example.com"), ("value", "https://example.com")],
            url: Some("https://cdn.example.com/f.woff2"),
            origin: Some("https://www.example.com"),
            ..CR
        }],
    },
    Row {
        name: "chromium XHR wildcard with credentials on the actual response",
        text: "Access to XMLHttpRequest at 'https://api.example.com/data' from origin 'http://localhost:3000' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'. The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.",
        expect: &[Expect {
            code: Some("response/credentials/wildcard-origin"),
            params: &[("value", "*")],
            url: API,
            origin: APP,
            ..CR
        }],
    },
    Row {
        name: "chromium wildcard with credentials on the preflight",
        text: "Access to fetch at 'https://api.example.com/data' from origin 'http://localhost:3000' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
        expect: &[Expect {
            code: Some("preflight/allow-origin/wildcard-with-credentials"),
            params: &[("origin", "http://localhost:3000"), ("value", "*")],
            url: API,
            origin: APP,
            preflight: true,
            ..CR
        }],
    },
    Row {
        name: "chromium empty Allow-Credentials on the actual response",
        text: "Access to fetch at 'https://api.example.com/data' from origin 'http://localhost:3000' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
        expect: &[Expect {
            code: Some("response/credentials/missing-allow"),
            params: &[("value", "")],
            url: API,
            origin: APP,
            ..CR
        }],
    },
    Row {
        name: "chromium preflight Allow-Credentials not true",
        text: "Access to fetch at 'http://localhost:8080/list1' from origin 'http://localhost:3000' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Credentials' header in the response is 'false' which must be 'true' when the request's credentials mode is 'include'.",
        expect: &[Expect {
            code: Some("preflight/credentials"),
            params: &[("value", "false")],
            url: Some("http://localhost:8080/list1"),
            origin: APP,
            preflight: true,
            ..CR
        }],
    },
    Row {
        name: "chromium preflight without an ok status, and its POST companion line after",
        text: "Access to fetch at 'https://api.example.com/data' from origin 'http://localhost:3000' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: It does not have HTTP ok status.\nPOST https://api.example.com/data net::ERR_FAILED",
        expect: &[Expect {
            code: Some("preflight/status"),
            url: API,
            origin: APP,
            method: Some("POST"),
            preflight: true,
            ..CR
        }],
    },
    Row {
        name: "chromium redirected preflight",
        text: "Access to fetch at 'https://api.example.com/data' from origin 'http://localhost:3000' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request.",
        expect: &[Expect {
            code: Some("preflight/redirect"),
            url: API,
            origin: APP,
            preflight: true,
            ..CR
        }],
    },
    Row {
        name: "chromium method not allowed (no preflight prefix, as Chromium prints it)",
        text: "Access to XMLHttpRequest at 'https://hmr-backend.example.app/properties/7/status' from origin 'http://localhost:3000' has been blocked by CORS policy: Method PATCH is not allowed by Access-Control-Allow-Methods in preflight response.",
        expect: &[Expect {
            code: Some("preflight/method-not-allowed"),
            params: &[("method", "PATCH")],
            url: Some("https://hmr-backend.example.app/properties/7/status"),
            origin: APP,
            preflight: true,
            ..CR
        }],
    },
    Row {
        name: "chromium request header not allowed (header lower-cased)",
        text: "Access to fetch at 'https://api.example.com/data' from origin 'http://localhost:3000' has been blocked by CORS policy: Request header field X-Api-Key is not allowed by Access-Control-Allow-Headers in preflight response.",
        expect: &[Expect {
            code: Some("preflight/header-not-allowed"),
            params: &[("header", "x-api-key")],
            url: API,
            origin: APP,
            preflight: true,
            ..CR
        }],
    },
    Row {
        name: "chromium unparsable Allow-Methods",
        text: "Access to fetch at 'https://api.example.com/data' from origin 'http://localhost:3000' has been blocked by CORS policy: Cannot parse Access-Control-Allow-Methods response header field in preflight response.",
        expect: &[Expect {
            code: Some("preflight/invalid-allow-list"),
            params: &[("header", "access-control-allow-methods")],
            url: API,
            origin: APP,
            preflight: true,
            ..CR
        }],
    },
    Row {
        name: "chromium file: URL from a null origin",
        text: "Access to XMLHttpRequest at 'file:///C:/data/x.json' from origin 'null' has been blocked by CORS policy: Cross origin requests are only supported for protocol schemes: http, data, isolated-app, chrome-extension, chrome, https, chrome-untrusted.",
        expect: &[Expect {
            code: Some("input/unsupported-scheme"),
            params: &[("scheme", "file"), ("url", "file:///C:/data/x.json")],
            url: Some("file:///C:/data/x.json"),
            origin: Some("null"),
            ..CR
        }],
    },
    Row {
        name: "chromium redirect to user:pass@, redirected from",
        text: "Access to fetch at 'https://login.example.com/cb' (redirected from 'https://api.example.com/data') from origin 'http://localhost:3000' has been blocked by CORS policy: Redirect location 'https://user:pw@login.example.com/cb' contains a username and password, which is disallowed for cross-origin requests.",
        expect: &[Expect {
            code: Some("redirect/credentials-in-url"),
            params: &[("location", "https://user:pw@login.example.com/cb")],
            url: Some("https://login.example.com/cb"),
            redirected_from: API,
            origin: APP,
            ..CR
        }],
    },
    Row {
        name: "chromium redirect location printed empty",
        text: "Access to fetch at 'https://api.example.com/data' from origin 'http://localhost:3000' has been blocked by CORS policy: Redirect location '' contains a username and password, which is disallowed for cross-origin requests.",
        expect: &[Expect {
            code: Some("redirect/credentials-in-url"),
            params: &[("location", "")],
            url: API,
            origin: APP,
            ..CR
        }],
    },
    Row {
        name: "chromium redirected request, companion names the first URL",
        text: "Access to fetch at 'https://www.example.com/v1/items/' (redirected from 'https://www.example.com/v1/items') from origin 'http://localhost:3000' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.\nGET https://www.example.com/v1/items net::ERR_FAILED 301 (Moved Permanently)",
        expect: &[Expect {
            code: Some("response/allow-origin/missing"),
            params: &[("origin", "http://localhost:3000"), ("status", "301")],
            url: Some("https://www.example.com/v1/items/"),
            redirected_from: Some("https://www.example.com/v1/items"),
            origin: APP,
            method: Some("GET"),
            status: Some(301),
            ..CR
        }],
    },
    Row {
        name: "chromium hidden 500: companion after, with DevTools source links",
        text: "index.js:42 Access to fetch at 'https://api.example.com/orders' from origin 'http://localhost:3000' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.\nindex.js:42 POST https://api.example.com/orders net::ERR_FAILED 500 (Internal Server Error)\nindex.js:57 Uncaught (in promise) TypeError: Failed to fetch\n    at submit (index.js:42:5)",
        expect: &[Expect {
            code: Some("response/allow-origin/missing"),
            params: &[("origin", "http://localhost:3000"), ("status", "500")],
            url: Some("https://api.example.com/orders"),
            origin: APP,
            method: Some("POST"),
            status: Some(500),
            ..CR
        }],
    },
    Row {
        name: "chromium companion before its message",
        text: "VM12:1  PUT https://api.example.com/items/3 net::ERR_FAILED 502 (Bad Gateway)\n(index):1 Access to fetch at 'https://api.example.com/items/3' from origin 'http://localhost:3000' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.\n(index):1 Uncaught (in promise) TypeError: Failed to fetch",
        expect: &[Expect {
            code: Some("response/allow-origin/missing"),
            params: &[("origin", "http://localhost:3000"), ("status", "502")],
            url: Some("https://api.example.com/items/3"),
            origin: APP,
            method: Some("PUT"),
            status: Some(502),
            ..CR
        }],
    },
    Row {
        name: "chromium private network preflight",
        text: "Access to fetch at 'http://192.168.1.10/api' from origin 'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Private-Network' header was present in the preflight response for this private network request targeting the `private` address space.",
        expect: &[Expect {
            code: Some("preflight/local-network"),
            params: &[("target_space", "private")],
            url: Some("http://192.168.1.10/api"),
            origin: Some("https://app.example.com"),
            preflight: true,
            ..CR
        }],
    },
    Row {
        name: "chromium local network permission denied, script initiator",
        text: "Access to script at 'https://analytics.example.site/sdk/v1/tracker.js' from origin 'https://staging.example.dev' has been blocked by CORS policy: Permission was denied for this request to access the `loopback` address space.",
        expect: &[Expect {
            code: Some("network/local-network-access"),
            params: &[("target_space", "loopback")],
            url: Some("https://analytics.example.site/sdk/v1/tracker.js"),
            origin: Some("https://staging.example.dev"),
            ..CR
        }],
    },
    Row {
        name: "chromium connection refused: the URL line and the resource line are one failure",
        text: "GET http://localhost:8000/api/health net::ERR_CONNECTION_REFUSED\nFailed to load resource: net::ERR_CONNECTION_REFUSED",
        expect: &[Expect {
            code: Some("network/unreachable"),
            params: &[("error", "ERR_CONNECTION_REFUSED")],
            url: Some("http://localhost:8000/api/health"),
            method: Some("GET"),
            ..CR
        }],
    },
    Row {
        name: "chromium mixed content",
        text: "Mixed Content: The page at 'https://app.example.com/dashboard' was loaded over HTTPS, but requested an insecure resource 'http://api.example.com/data'. This request has been blocked; the content must be served over HTTPS.",
        expect: &[Expect {
            code: Some("network/mixed-content"),
            params: &[("url", "http://api.example.com/data")],
            url: Some("http://api.example.com/data"),
            origin: Some("https://app.example.com"),
            ..CR
        }],
    },
    Row {
        name: "chromium pre-2018: XMLHttpRequest cannot load, status in the text",
        text: "XMLHttpRequest cannot load http://localhost:8080/api. No 'Access-Control-Allow-Origin' header is present on the requested resource. Origin 'http://localhost:3000' is therefore not allowed access. The response had HTTP status code 404.",
        expect: &[Expect {
            code: Some("response/allow-origin/missing"),
            params: &[("origin", "http://localhost:3000"), ("status", "404")],
            url: Some("http://localhost:8080/api"),
            origin: APP,
            status: Some(404),
            ..CR
        }],
    },
    Row {
        name: "chromium 64: Failed to load <url>: invalid preflight status",
        text: "Failed to load http://localhost:8080/api: Response for preflight has invalid HTTP status code 405",
        expect: &[Expect {
            code: Some("preflight/status"),
            params: &[("status", "405")],
            url: Some("http://localhost:8080/api"),
            status: Some(405),
            preflight: true,
            ..CR
        }],
    },
    Row {
        name: "chromium 66: Redirect from … to … blocked",
        text: "Redirect from 'http://api.example.com/x' to 'https://api.example.com/x' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource. Origin 'http://localhost:3000' is therefore not allowed access.",
        expect: &[Expect {
            code: Some("response/allow-origin/missing"),
            params: &[("location", "https://api.example.com/x"), ("origin", "http://localhost:3000")],
            url: Some("http://api.example.com/x"),
            origin: APP,
            ..CR
        }],
    },
    Row {
        name: "chromium message wrapped over four lines (as pasted in a README)",
        text: "Access to fetch at 'https://abc.supabase.co/functions/v1/send-quote-email' \nfrom origin 'http://localhost:3000' has been blocked by CORS policy: \nResponse to preflight request doesn't pass access control check: \nIt does not have HTTP ok status.",
        expect: &[Expect {
            code: Some("preflight/status"),
            url: Some("https://abc.supabase.co/functions/v1/send-quote-email"),
            origin: APP,
            preflight: true,
            ..CR
        }],
    },
    Row {
        name: "chromium message wrapped inside a hyphenated header name",
        text: "Access to fetch at 'http://test.example.com:8080/api/user' from origin\n'http://localhost:5173' has been blocked by CORS policy: No 'Access-Control-\nAllow-Origin' header is present on the requested resource.",
        expect: &[Expect {
            code: Some("response/allow-origin/missing"),
            params: &[("origin", "http://localhost:5173")],
            url: Some("http://test.example.com:8080/api/user"),
            origin: Some("http://localhost:5173"),
            ..CR
        }],
    },
    Row {
        name: "chromium two messages with CRLF, each with its companion",
        text: "Access to fetch at 'http://localhost:4000/plain' from origin 'http://localhost:3000' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.\r\nGET http://localhost:4000/plain net::ERR_FAILED 200 (OK)\r\nAccess to fetch at 'http://localhost:4000/no-preflight-support' from origin 'http://localhost:3000' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: It does not have HTTP ok status.\r\nDELETE http://localhost:4000/no-preflight-support net::ERR_FAILED\r\n",
        expect: &[
            Expect {
                code: Some("response/allow-origin/missing"),
                params: &[("origin", "http://localhost:3000"), ("status", "200")],
                url: Some("http://localhost:4000/plain"),
                origin: APP,
                method: Some("GET"),
                status: Some(200),
                ..CR
            },
            Expect {
                code: Some("preflight/status"),
                url: Some("http://localhost:4000/no-preflight-support"),
                origin: APP,
                method: Some("DELETE"),
                preflight: true,
                ..CR
            },
        ],
    },
    Row {
        name: "chromium two messages on one line (line breaks lost)",
        text: "Access to fetch at 'https://a.example/x' from origin 'http://localhost:3000' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource. Access to fetch at 'https://b.example/y' from origin 'http://localhost:3000' has been blocked by CORS policy: Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.",
        expect: &[
            Expect {
                code: Some("response/allow-origin/missing"),
                params: &[("origin", "http://localhost:3000")],
                url: Some("https://a.example/x"),
                origin: APP,
                ..CR
            },
            Expect {
                code: Some("preflight/method-not-allowed"),
                params: &[("method", "PUT")],
                url: Some("https://b.example/y"),
                origin: APP,
                preflight: true,
                ..CR
            },
        ],
    },
    Row {
        name: "chromium preflight reason cut off: the prefix code",
        text: "Access to fetch at 'http://localhost:3000/api/auth/sign-in/social' from origin 'https://app.example.com' \nhas been blocked by CORS policy: Response to preflight request doesn't pass access control check",
        expect: &[Expect {
            code: Some("preflight"),
            url: Some("http://localhost:3000/api/auth/sign-in/social"),
            origin: Some("https://app.example.com"),
            preflight: true,
            ..CR
        }],
    },
    Row {
        name: "chromium reason without a cause code",
        text: "Access to fetch at 'https://api.example.com/data' from origin 'http://localhost:3000' has been blocked by CORS policy: The response is invalid.",
        expect: &[Expect {
            url: API,
            origin: APP,
            ..CR
        }],
    },
    Row {
        name: "chromium DevTools issue summary (no URL)",
        text: "Access blocked by CORS policy: Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response.",
        expect: &[Expect {
            code: Some("preflight/header-not-allowed"),
            params: &[("header", "authorization")],
            preflight: true,
            ..CR
        }],
    },
    Row {
        name: "chromium source link copied at the end, curly quotes, no final period",
        text: "Access to image at \u{2018}https://img.example/a.png\u{2019} from origin \u{2018}https://site.example\u{2019} has been blocked by CORS policy: No \u{2018}Access-Control-Allow-Origin\u{2019} header is present on the requested resource\tindex.html:1",
        expect: &[Expect {
            code: Some("response/allow-origin/missing"),
            params: &[("origin", "https://site.example")],
            url: Some("https://img.example/a.png"),
            origin: Some("https://site.example"),
            ..CR
        }],
    },
    Row {
        name: "chromium private network preflight header not true, CSS initiator",
        text: "Access to CSS stylesheet at 'https://cdn.example/a.css' from origin 'https://site.example' has been blocked by CORS policy: The 'Access-Control-Allow-Private-Network' header in the preflight response for this private network request targeting the `local` address space had a value of 'false',  not 'true'.",
        expect: &[Expect {
            code: Some("preflight/local-network"),
            params: &[("target_space", "local"), ("value", "false")],
            url: Some("https://cdn.example/a.css"),
            origin: Some("https://site.example"),
            preflight: true,
            ..CR
        }],
    },
    // ---------------------------------------------------------------- Firefox
    Row {
        name: "firefox missing Allow-Origin, curly quotes, status",
        text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: CORS header \u{2018}Access-Control-Allow-Origin\u{2019} missing). Status code: 200.",
        expect: &[Expect {
            code: Some("response/allow-origin/missing"),
            params: &[("status", "200")],
            url: API,
            status: Some(200),
            ..FF
        }],
    },
    Row {
        name: "firefox old form: straight quotes, no status, Learn More, TypeError first",
        text: "TypeError: NetworkError when attempting to fetch resource.\nCross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: CORS header 'Access-Control-Allow-Origin' missing). [Learn More]",
        expect: &[Expect {
            code: Some("response/allow-origin/missing"),
            url: API,
            ..FF
        }],
    },
    Row {
        name: "firefox failed preflight: the (null) line folds into it",
        text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: CORS header \u{2018}Access-Control-Allow-Origin\u{2019} missing). Status code: 401.\nCross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: CORS request did not succeed). Status code: (null).",
        expect: &[Expect {
            code: Some("preflight/allow-origin/missing"),
            params: &[("status", "401")],
            url: API,
            status: Some(401),
            preflight: true,
            ..FF
        }],
    },
    Row {
        name: "firefox (null) line alone: unreachable",
        text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://localhost:9999/api. (Reason: CORS request did not succeed). Status code: (null).",
        expect: &[Expect {
            code: Some("network/unreachable"),
            url: Some("http://localhost:9999/api"),
            ..FF
        }],
    },
    Row {
        name: "firefox (null) line after a failure for another URL stays separate",
        text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: CORS header \u{2018}Access-Control-Allow-Origin\u{2019} missing). Status code: 200.\nCross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://localhost:9999/api. (Reason: CORS request did not succeed). Status code: (null).",
        expect: &[
            Expect {
                code: Some("response/allow-origin/missing"),
                params: &[("status", "200")],
                url: API,
                status: Some(200),
                ..FF
            },
            Expect {
                code: Some("network/unreachable"),
                url: Some("http://localhost:9999/api"),
                ..FF
            },
        ],
    },
    Row {
        name: "firefox preflight status with its (null) line",
        text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: CORS preflight response did not succeed). Status code: 404.\r\nCross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: CORS request did not succeed). Status code: (null).\r\n",
        expect: &[Expect {
            code: Some("preflight/status"),
            params: &[("status", "404")],
            url: API,
            status: Some(404),
            preflight: true,
            ..FF
        }],
    },
    Row {
        name: "firefox old preflight channel wording",
        text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: CORS preflight channel did not succeed).",
        expect: &[Expect {
            code: Some("preflight/status"),
            url: API,
            preflight: true,
            ..FF
        }],
    },
    Row {
        name: "firefox Allow-Origin does not match",
        text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: CORS header \u{2018}Access-Control-Allow-Origin\u{2019} does not match \u{2018}https://example.com\u{2019}).",
        expect: &[Expect {
            code: Some("response/allow-origin/mismatch"),
            params: &[("value", "https://example.com")],
            url: API,
            ..FF
        }],
    },
    Row {
        name: "firefox multiple Allow-Origin",
        text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: Multiple CORS header \u{2018}Access-Control-Allow-Origin\u{2019} not allowed).",
        expect: &[Expect {
            code: Some("response/allow-origin/multiple"),
            url: API,
            ..FF
        }],
    },
    Row {
        name: "firefox credentials with *, URL in quotes",
        text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at \u{2018}https://api.example.com/data\u{2019}. (Reason: Credential is not supported if the CORS header \u{2018}Access-Control-Allow-Origin\u{2019} is \u{2018}*\u{2019}).",
        expect: &[Expect {
            code: Some("response/credentials/wildcard-origin"),
            params: &[("value", "*")],
            url: API,
            ..FF
        }],
    },
    Row {
        name: "firefox expected true in Allow-Credentials",
        text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: expected \u{2018}true\u{2019} in CORS header \u{2018}Access-Control-Allow-Credentials\u{2019}).",
        expect: &[Expect {
            code: Some("response/credentials/missing-allow"),
            url: API,
            ..FF
        }],
    },
    Row {
        name: "firefox method not found",
        text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: Did not find method in CORS header \u{2018}Access-Control-Allow-Methods\u{2019}).",
        expect: &[Expect {
            code: Some("preflight/method-not-allowed"),
            url: API,
            preflight: true,
            ..FF
        }],
    },
    Row {
        name: "firefox invalid token in Allow-Headers",
        text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: invalid token \u{2018}x-a;x-b\u{2019} in CORS header \u{2018}Access-Control-Allow-Headers\u{2019}).",
        expect: &[Expect {
            code: Some("preflight/invalid-allow-list"),
            params: &[("header", "access-control-allow-headers"), ("value", "x-a;x-b")],
            url: API,
            preflight: true,
            ..FF
        }],
    },
    Row {
        name: "firefox header not allowed, current wording",
        text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: header \u{2018}x-requested-with\u{2019} is not allowed according to header \u{2018}Access-Control-Allow-Headers\u{2019} from CORS preflight response).",
        expect: &[Expect {
            code: Some("preflight/header-not-allowed"),
            params: &[("header", "x-requested-with")],
            url: API,
            preflight: true,
            ..FF
        }],
    },
    Row {
        name: "firefox header not allowed, old missing-token wording",
        text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: missing token 'Authorization' in CORS header 'Access-Control-Allow-Headers' from CORS preflight channel).",
        expect: &[Expect {
            code: Some("preflight/header-not-allowed"),
            params: &[("header", "authorization")],
            url: API,
            preflight: true,
            ..FF
        }],
    },
    Row {
        name: "firefox external redirect (a redirected preflight)",
        text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: CORS request external redirect not allowed).",
        expect: &[Expect {
            code: Some("preflight/redirect"),
            url: API,
            preflight: true,
            ..FF
        }],
    },
    Row {
        name: "firefox not http",
        text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at file:///home/u/data.json. (Reason: CORS request not http).",
        expect: &[Expect {
            code: Some("input/unsupported-scheme"),
            params: &[("scheme", "file"), ("url", "file:///home/u/data.json")],
            url: Some("file:///home/u/data.json"),
            ..FF
        }],
    },
    Row {
        name: "firefox CORS disabled",
        text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: CORS disabled).",
        expect: &[Expect {
            code: Some("input/disallowed-by-mode"),
            params: &[("reason", "cors-disabled")],
            url: API,
            ..FF
        }],
    },
    Row {
        name: "firefox Origin header cannot be added: no cause code",
        text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: CORS header \u{2018}Origin\u{2019} cannot be added).",
        expect: &[Expect { url: API, ..FF }],
    },
    Row {
        name: "firefox warning: * does not cover Authorization",
        text: "Cross-Origin Request Warning: The Same Origin Policy will disallow reading the remote resource at https://api.example.com/data soon. (Reason: When the `Access-Control-Allow-Headers` is `*`, the `Authorization` header is not covered. To include the `Authorization` header, it must be explicitly listed in CORS header `Access-Control-Allow-Headers`).",
        expect: &[Expect {
            code: Some("preflight/authorization-wildcard"),
            params: &[("header", "authorization")],
            url: API,
            preflight: true,
            severity: Severity::Warning,
            ..FF
        }],
    },
    Row {
        name: "firefox very old form without a reason",
        text: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://api.example.com/data. This can be fixed by moving the resource to the same domain or enabling CORS.",
        expect: &[Expect {
            url: Some("http://api.example.com/data"),
            ..FF
        }],
    },
    Row {
        name: "firefox mixed active content",
        text: "Blocked loading mixed active content \u{201C}http://api.example.com/data\u{201D}",
        expect: &[Expect {
            code: Some("network/mixed-content"),
            params: &[("url", "http://api.example.com/data")],
            url: Some("http://api.example.com/data"),
            ..FF
        }],
    },
    // ---------------------------------------------------------------- Safari
    Row {
        name: "safari Origin not allowed: reason, Fetch API line and Failed to load resource are one message",
        text: "[Error] Origin http://localhost:3000 is not allowed by Access-Control-Allow-Origin. Status code: 200\n[Error] Fetch API cannot load https://api.example.com/data due to access control checks.\n[Error] Failed to load resource: Origin http://localhost:3000 is not allowed by Access-Control-Allow-Origin. Status code: 200 (data, line 0)",
        expect: &[Expect {
            code: Some("response/allow-origin"),
            params: &[("origin", "http://localhost:3000"), ("status", "200")],
            url: API,
            origin: APP,
            status: Some(200),
            ..SA
        }],
    },
    Row {
        name: "safari preflight not successful",
        text: "Preflight response is not successful. Status code: 404\nFetch API cannot load https://api.example.com/data due to access control checks.",
        expect: &[Expect {
            code: Some("preflight/status"),
            params: &[("status", "404")],
            url: API,
            status: Some(404),
            preflight: true,
            ..SA
        }],
    },
    Row {
        name: "safari wildcard with credentials, XMLHttpRequest line",
        text: "[Error] Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.\n[Error] XMLHttpRequest cannot load https://api.example.com/data due to access control checks.",
        expect: &[Expect {
            code: Some("response/credentials/wildcard-origin"),
            params: &[("value", "*")],
            url: API,
            ..SA
        }],
    },
    Row {
        name: "safari more than one origin",
        text: "Access-Control-Allow-Origin cannot contain more than one origin.\nFetch API cannot load http://192.168.0.104:8091/exam/submit-written due to access control checks.",
        expect: &[Expect {
            code: Some("response/allow-origin/multiple"),
            url: Some("http://192.168.0.104:8091/exam/submit-written"),
            ..SA
        }],
    },
    Row {
        name: "safari Allow-Credentials not \u{201C}true\u{201D}",
        text: "[Error] Credentials flag is true, but Access-Control-Allow-Credentials is not \u{201C}true\u{201D}.\n[Error] Fetch API cannot load https://api.example.com/data due to access control checks.",
        expect: &[Expect {
            code: Some("response/credentials/missing-allow"),
            url: API,
            ..SA
        }],
    },
    Row {
        name: "safari method not allowed",
        text: "[Error] Method DELETE is not allowed by Access-Control-Allow-Methods.\n[Error] Fetch API cannot load https://api.example.com/data due to access control checks.",
        expect: &[Expect {
            code: Some("preflight/method-not-allowed"),
            params: &[("method", "DELETE")],
            url: API,
            preflight: true,
            ..SA
        }],
    },
    Row {
        name: "safari header not allowed",
        text: "[Error] Request header field Content-Type is not allowed by Access-Control-Allow-Headers.\n[Error] Fetch API cannot load https://api.example.com/data due to access control checks.",
        expect: &[Expect {
            code: Some("preflight/header-not-allowed"),
            params: &[("header", "content-type")],
            url: API,
            preflight: true,
            ..SA
        }],
    },
    Row {
        name: "safari invalid Allow-Headers value",
        text: "[Error] Header Access-Control-Allow-Headers has an invalid value: x-a; x-b\n[Error] Fetch API cannot load https://api.example.com/data due to access control checks.",
        expect: &[Expect {
            code: Some("preflight/invalid-allow-list"),
            params: &[("header", "access-control-allow-headers"), ("value", "x-a; x-b")],
            url: API,
            preflight: true,
            ..SA
        }],
    },
    Row {
        name: "safari host not found before the Fetch API line",
        text: "[Error] Failed to load resource: A server with the specified hostname could not be found. (user, line 0)\n[Error] A server with the specified hostname could not be found.\n[Error] Fetch API cannot load http://backend:8000/user due to access control checks.\n[Error] Failed to load resource: A server with the specified hostname could not be found. (user, line 0)",
        expect: &[Expect {
            code: Some("network/unreachable"),
            url: Some("http://backend:8000/user"),
            ..SA
        }],
    },
    Row {
        name: "safari old form: reason inline after the URL",
        text: "Fetch API cannot load http://localhost:8080/api. Origin http://localhost:3000 is not allowed by Access-Control-Allow-Origin.",
        expect: &[Expect {
            code: Some("response/allow-origin"),
            params: &[("origin", "http://localhost:3000")],
            url: Some("http://localhost:8080/api"),
            origin: APP,
            ..SA
        }],
    },
    Row {
        name: "safari old form: Failed to load resource first, inline preflight reason",
        text: "Failed to load resource: Preflight response is not successful.\nFetch API cannot load https://api.example.com/data. Preflight response is not successful",
        expect: &[Expect {
            code: Some("preflight/status"),
            url: API,
            preflight: true,
            ..SA
        }],
    },
    Row {
        name: "safari URL line alone: no reason",
        text: "[Error] Fetch API cannot load https://api.example.com/data due to access control checks.",
        expect: &[Expect { url: API, ..SA }],
    },
    Row {
        name: "safari reason line alone: no URL",
        text: "Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: 500",
        expect: &[Expect {
            code: Some("response/allow-origin"),
            params: &[("origin", "https://app.example.com"), ("status", "500")],
            origin: Some("https://app.example.com"),
            status: Some(500),
            ..SA
        }],
    },
    Row {
        name: "safari mixed content",
        text: "[blocked] The page at https://app.example/x was not allowed to display insecure content from http://api.example/y.",
        expect: &[Expect {
            code: Some("network/mixed-content"),
            params: &[("url", "http://api.example/y")],
            url: Some("http://api.example/y"),
            origin: Some("https://app.example"),
            ..SA
        }],
    },
    // ---------------------------------------------------------------- mixed pastes and noise
    Row {
        name: "three browsers in one paste",
        text: "Access to fetch at 'https://api.example.com/data' from origin 'http://localhost:3000' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.\n\nCross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: CORS header \u{2018}Access-Control-Allow-Origin\u{2019} missing). Status code: 200.\n\n[Error] Origin http://localhost:3000 is not allowed by Access-Control-Allow-Origin. Status code: 200\n[Error] Fetch API cannot load https://api.example.com/data due to access control checks.\n[Error] TypeError: Load failed",
        expect: &[
            Expect {
                code: Some("response/allow-origin/missing"),
                params: &[("origin", "http://localhost:3000")],
                url: API,
                origin: APP,
                ..CR
            },
            Expect {
                code: Some("response/allow-origin/missing"),
                params: &[("status", "200")],
                url: API,
                status: Some(200),
                ..FF
            },
            Expect {
                code: Some("response/allow-origin"),
                params: &[("origin", "http://localhost:3000"), ("status", "200")],
                url: API,
                origin: APP,
                status: Some(200),
                ..SA
            },
        ],
    },
    Row {
        name: "only exceptions and app logs: nothing",
        text: "Uncaught (in promise) TypeError: Failed to fetch\n    at load (app.js:10:3)\nPOST https://api.example.com/data 500 (Internal Server Error)\nfetching user…",
        expect: &[],
    },
    Row {
        name: "empty paste",
        text: "",
        expect: &[],
    },
];

fn check(row: &Row, got: &[ConsoleMessage]) -> Result<(), String> {
    if got.len() != row.expect.len() {
        return Err(format!(
            "{} message(s), expected {}",
            got.len(),
            row.expect.len()
        ));
    }
    for (i, (m, e)) in got.iter().zip(row.expect).enumerate() {
        check_message(m, e).map_err(|why| format!("message {i}: {why}"))?;
    }
    Ok(())
}

fn check_message(m: &ConsoleMessage, e: &Expect) -> Result<(), String> {
    let code = m.finding.as_ref().map(|f| f.code.to_string());
    let params: Vec<(String, String)> = m
        .finding
        .as_ref()
        .map(|f| f.params.clone().into_iter().collect())
        .unwrap_or_default();
    let want_params: Vec<(String, String)> = e
        .params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let fields = [
        (
            "browser",
            format!("{:?}", m.browser),
            format!("{:?}", e.browser),
        ),
        ("code", format!("{code:?}"), format!("{:?}", e.code)),
        ("params", format!("{params:?}"), format!("{want_params:?}")),
        ("url", format!("{:?}", m.url), format!("{:?}", e.url)),
        (
            "redirected_from",
            format!("{:?}", m.redirected_from),
            format!("{:?}", e.redirected_from),
        ),
        (
            "origin",
            format!("{:?}", m.origin),
            format!("{:?}", e.origin),
        ),
        (
            "method",
            format!("{:?}", m.method),
            format!("{:?}", e.method),
        ),
        (
            "status",
            format!("{:?}", m.status),
            format!("{:?}", e.status),
        ),
        (
            "preflight",
            format!("{:?}", m.preflight),
            format!("{:?}", e.preflight),
        ),
        (
            "severity",
            format!("{:?}", m.severity),
            format!("{:?}", e.severity),
        ),
    ];
    let wrong: Vec<String> = fields
        .iter()
        .filter(|(_, got, want)| got != want)
        .map(|(name, got, want)| format!("{name}: got {got}, expected {want}"))
        .collect();
    if m.text.is_empty() {
        return Err("empty text".into());
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join("; "))
    }
}

#[test]
fn console_table() {
    assert!(ROWS.len() >= 30, "the table keeps at least 30 samples");
    let mut failures = Vec::new();
    for row in ROWS {
        let got = parse(row.text);
        if let Err(why) = check(row, &got) {
            failures.push(format!(
                "row {:?}: {why}\ninput:\n{}\nparsed:\n{got:#?}",
                row.name, row.text
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n\n{}",
        failures.len(),
        ROWS.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_row_name_is_unique() {
    let mut names: Vec<&str> = ROWS.iter().map(|r| r.name).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len());
}

/// The whole table pasted at once (blank lines between rows) gives the same messages, in the
/// same order, with the same codes and URLs, as the rows pasted one by one: no row's lines leak
/// into its neighbour's message.
#[test]
fn the_table_pasted_at_once_keeps_every_message() {
    let all: Vec<&str> = ROWS.iter().map(|r| r.text).collect();
    let got = parse(&all.join("\n\n"));
    let summary = |m: &ConsoleMessage| {
        let code = m.finding.as_ref().map(|f| f.code.to_string());
        (m.browser, code, m.url.clone(), m.method.clone(), m.status)
    };
    let want: Vec<_> = ROWS
        .iter()
        .flat_map(|r| parse(r.text))
        .map(|m| summary(&m))
        .collect();
    let got: Vec<_> = got.iter().map(summary).collect();
    assert_eq!(got, want);
}

/// Big pastes stay linear: 2 MB of repeated messages and a 2 MB line without breaks.
#[test]
fn big_pastes_are_read_in_linear_time() {
    let one = ROWS[0].text;
    let n = 2_000_000 / one.len();
    let many = vec![one; n].join("\n");
    let started = std::time::Instant::now();
    assert_eq!(parse(&many).len(), n);
    let line = "Access to x 'a: (index):1 Cross-Origin ".repeat(50_000);
    let _ = parse(&line);
    let colons = "1:".repeat(1_000_000);
    let _ = parse(&colons);
    // Generous even for an unoptimised build; a quadratic reader takes minutes here.
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}

// ---------------------------------------------------------------- proptest (2,000 cases each)

fn cfg() -> ProptestConfig {
    ProptestConfig {
        cases: 2_000,
        ..ProptestConfig::default()
    }
}

/// A table sample with up to eight edits: insert a char, delete a char, cut the rest, or
/// splice in another sample, at char boundaries.
fn mutated_sample() -> impl Strategy<Value = String> {
    (
        0..ROWS.len(),
        prop::collection::vec((any::<usize>(), any::<char>(), 0u8..4, 0..ROWS.len()), 0..8),
    )
        .prop_map(|(row, edits)| {
            let mut s: Vec<char> = ROWS[row].text.chars().collect();
            for (at, c, op, other) in edits {
                let at = if s.is_empty() { 0 } else { at % (s.len() + 1) };
                match op {
                    0 => s.insert(at, c),
                    1 if at < s.len() => {
                        s.remove(at);
                    }
                    2 => s.truncate(at),
                    _ => {
                        let tail: Vec<char> = ROWS[other].text.chars().collect();
                        s.splice(at..at, tail);
                    }
                }
            }
            s.into_iter().collect()
        })
}

fn console_like() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("Access to fetch at '".to_string()),
            Just("' from origin '".to_string()),
            Just("has been blocked by CORS policy: ".to_string()),
            Just("Response to preflight request doesn't pass access control check:".to_string()),
            Just("Cross-Origin Request Blocked: ".to_string()),
            Just("remote resource at ".to_string()),
            Just("(Reason: ".to_string()),
            Just("Status code: ".to_string()),
            Just(" cannot load ".to_string()),
            Just("Failed to load ".to_string()),
            Just("net::ERR_".to_string()),
            Just("Origin ".to_string()),
            Just(" is not allowed by Access-Control-Allow-Origin".to_string()),
            Just("\u{2018}".to_string()),
            Just("\u{2019}".to_string()),
            Just("\r\n".to_string()),
            Just("`".to_string()),
            Just("Mixed Content: The page at '".to_string()),
            "[ -~]{0,12}",
            any::<String>(),
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(cfg())]

    #[test]
    fn parse_never_panics_on_arbitrary_text(s in any::<String>()) {
        let _ = parse(&s);
    }

    #[test]
    fn parse_never_panics_on_console_like_text(s in console_like()) {
        let _ = parse(&s);
    }

    #[test]
    fn parse_never_panics_on_mutated_samples(s in mutated_sample()) {
        for m in parse(&s) {
            prop_assert!(!m.text.is_empty());
        }
    }
}
