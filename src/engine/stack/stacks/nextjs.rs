//! Next.js (not run here: written from the Next.js documentation). `proxy.ts` (Next.js 16; the
//! same code in `middleware.ts` as `export function middleware` before 16) answers the preflight
//! before any Route Handler and sets the headers before the handler runs.

use super::super::pitfall::Pitfall;
use super::super::snippet::{Part, Slot};
use super::super::spec::FixSpec;

pub fn write(spec: &FixSpec, pitfall: Pitfall) -> (String, Vec<Part>) {
    let text = match pitfall {
        Pitfall::NoCors => {
            "Route Handlers send no CORS headers by themselves. proxy.ts adds them to every \
             matched request before the handler runs."
        }
        Pitfall::PreflightRefused => {
            "A Route Handler without an OPTIONS export gets Next's automatic OPTIONS answer (an \
             Allow header, no CORS headers), or an auth check in proxy.ts runs before the CORS \
             code. The CORS code below answers the preflight first."
        }
        Pitfall::ErrorsWithoutHeaders => {
            "Headers passed with the handler's NextResponse.json(data, { headers }) are skipped \
             when it throws, and Next answers 500 without them. proxy.ts sets them before the \
             handler runs."
        }
        Pitfall::ListIncomplete => {
            "The preflight's Access-Control-Allow-Methods or -Allow-Headers (often a fixed list \
             in next.config.js headers()) leave out what this request sends. List them as below."
        }
        Pitfall::Credentials => {
            "A fixed Access-Control-Allow-Origin: * (often in next.config.js headers()) is \
             refused with credentials. Send the exact origin with \
             Access-Control-Allow-Credentials: true."
        }
        Pitfall::WrongOrigin => {
            "The code or next.config.js sends another origin (a port, http vs https, a trailing \
             slash). Send the app's origin exactly."
        }
        Pitfall::Doubled => {
            "next.config.js headers(), proxy.ts or a Route Handler, or a host in front, each add \
             Access-Control-Allow-Origin. Keep one: proxy.ts."
        }
        Pitfall::Redirect => {
            "trailingSlash in next.config.js (or an http to https redirect) answers with a 308 \
             before proxy.ts runs, and a preflight cannot follow. Call the final URL."
        }
        Pitfall::NotExposed => {
            "Scripts only read response headers listed in Access-Control-Expose-Headers: the code \
             below sends it."
        }
        Pitfall::PrivateNetwork => {
            "A preflight to a private address asks Access-Control-Request-Private-Network; the \
             preflight answer below allows it."
        }
    };
    let matcher = if spec.prefix == "/" {
        spec.path.clone()
    } else {
        format!("{}:path*", spec.prefix)
    };
    let mut code = String::from("import { NextRequest, NextResponse } from 'next/server';\n\n");
    code.push_str(&super::cloudflare_workers::header_functions(
        spec,
        ": NextRequest",
        ": Record<string, string>",
    ));
    code.push_str(
        "\n\nexport function proxy(request: NextRequest) {\n  \
         const cors = corsHeaders(request);\n",
    );
    if spec.preflight {
        code.push_str(
            "  if (request.method === 'OPTIONS' && request.headers.has('Access-Control-Request-Method')) {\n    \
             return new NextResponse(null, { status: 204, headers: { ...cors, ...PREFLIGHT } });\n  }\n",
        );
    }
    code.push_str(&format!(
        "  // your own checks (auth) go here, after the CORS code\n  \
         const response = NextResponse.next();\n  \
         for (const [name, value] of Object.entries(cors)) response.headers.set(name, value);\n  \
         return response;\n}}\n\nexport const config = {{ matcher: '{matcher}' }};"
    ));
    let part = Part {
        slot: Slot::Settings,
        place: "proxy.ts next to app/ (before Next.js 16: middleware.ts, export function \
                middleware)"
            .into(),
        code,
    };
    (text.into(), vec![part])
}

#[cfg(test)]
mod tests {
    use super::super::express::tests::spec;
    use super::*;

    fn code(spec: &FixSpec) -> String {
        let (_, parts) = write(spec, Pitfall::PreflightRefused);
        assert_eq!(parts.len(), 1);
        parts[0].code.clone()
    }

    #[test]
    fn matches_the_prefix_and_answers_the_preflight() {
        let code = code(&spec());
        assert!(code.contains("matcher: '/api/:path*'"), "{code}");
        assert!(code.contains("status: 204"), "{code}");
        assert!(
            code.contains("'Access-Control-Allow-Headers': 'x-api-key'"),
            "{code}"
        );
        assert!(
            code.contains("'Access-Control-Allow-Origin': 'http://127.0.0.1:5173'"),
            "{code}"
        );
        assert!(code.contains("corsHeaders(request: NextRequest)"), "{code}");
        assert!(!code.contains("Origin': '*'"), "{code}");
    }

    #[test]
    fn credentials_and_an_allow_list() {
        let mut spec = spec();
        spec.credentials = true;
        spec.origins.push("https://b.example".into());
        let code = code(&spec);
        assert!(code.contains("ALLOWED_ORIGINS"), "{code}");
        assert!(code.contains("'https://b.example'"), "{code}");
        assert!(code.contains("Vary: 'Origin'"), "{code}");
        assert!(
            code.contains("'Access-Control-Allow-Credentials': 'true'"),
            "{code}"
        );
        assert!(!code.contains("Origin': '*'"), "{code}");
    }

    #[test]
    fn a_root_path_matches_itself() {
        let mut spec = spec();
        spec.path = "/items".into();
        spec.prefix = "/".into();
        assert!(code(&spec).contains("matcher: '/items'"));
    }
}
