//! Vite's dev-server proxy: in development the app fetches the API's path on its own origin and
//! Vite forwards it to the API, so the browser sees one origin and CORS does not apply. A
//! production build has no such proxy: the text says so every time.

use super::super::pitfall::Pitfall;
use super::super::snippet::{Part, Slot};
use super::super::spec::FixSpec;

/// Said with every verdict: when the proxy is the wrong fix.
const DEV_ONLY: &str = " Development only: a vite build has no proxy, so production still \
                        needs CORS on the API or one origin for both.";

pub fn write(spec: &FixSpec, pitfall: Pitfall) -> (String, Vec<Part>) {
    let text = match pitfall {
        Pitfall::NoCors => {
            "The app on Vite's dev server calls the API on another origin, which sends no CORS \
             headers. Through the proxy the request is same-origin and needs none."
        }
        Pitfall::PreflightRefused => {
            "The API refuses the preflight (auth or its router answers the OPTIONS). Through the \
             proxy the request is same-origin and sends no preflight."
        }
        Pitfall::ErrorsWithoutHeaders => {
            "The API's error answers lack CORS headers, so the browser hides the 500. Through the \
             proxy the request is same-origin and the 500 is readable."
        }
        Pitfall::ListIncomplete => {
            "The API's preflight does not allow this method or header. Through the proxy the \
             request is same-origin and sends no preflight."
        }
        Pitfall::Credentials => {
            "The API answers a request with credentials with Access-Control-Allow-Origin: *. \
             Through the proxy the request is same-origin and its cookies belong to the dev server."
        }
        Pitfall::WrongOrigin => {
            "The API allows another origin than the dev server's (often a port: Vite moves to \
             5174 when 5173 is taken). Through the proxy no origin needs allowing."
        }
        Pitfall::Doubled => {
            "Two layers add Access-Control-Allow-Origin to the API's answers. Through the proxy \
             the request is same-origin and the browser ignores them."
        }
        Pitfall::Redirect => {
            "The API's URL redirects and a preflight cannot follow. Proxy the final path: a \
             redirect to the API's own origin leaves the proxy."
        }
        Pitfall::NotExposed => {
            "The app reads a response header the API does not expose. Same-origin answers show \
             every header, so through the proxy it is readable."
        }
        Pitfall::PrivateNetwork => {
            "The page reaches an API on a private address, which needs a private-network \
             preflight. Through the proxy the browser only talks to the dev server."
        }
    };
    let key = if spec.prefix == "/" {
        spec.path.as_str()
    } else {
        spec.prefix.trim_end_matches('/')
    };
    let code = format!(
        "server: {{\n  proxy: {{\n    '{key}': {{\n      target: '{}',\n      \
         changeOrigin: true,\n    }},\n  }},\n}},",
        spec.api_origin
    );
    let part = Part {
        slot: Slot::Settings,
        place: format!(
            "in vite.config.js, inside defineConfig({{ ... }});\n\
             the app then fetches '{}' with no origin",
            spec.path
        ),
        code,
    };
    (format!("{text}{DEV_ONLY}"), vec![part])
}

#[cfg(test)]
mod tests {
    use super::super::express::tests::spec;
    use super::*;

    #[test]
    fn proxies_the_prefix_to_the_api_origin() {
        let (text, parts) = write(&spec(), Pitfall::NoCors);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].slot, Slot::Settings);
        let code = &parts[0].code;
        assert!(code.contains("'/api': {"), "{code}");
        assert!(code.contains("target: 'http://127.0.0.1:8000'"), "{code}");
        assert!(code.contains("changeOrigin: true"), "{code}");
        assert!(
            parts[0].place.contains("'/api/items'"),
            "{}",
            parts[0].place
        );
        assert!(text.contains("production"), "{text}");
    }

    #[test]
    fn a_root_path_is_proxied_alone_not_the_whole_site() {
        let mut spec = spec();
        spec.path = "/items".into();
        spec.prefix = "/".into();
        let (_, parts) = write(&spec, Pitfall::ErrorsWithoutHeaders);
        assert!(parts[0].code.contains("'/items': {"), "{}", parts[0].code);
        assert!(!parts[0].code.contains("'/':"), "{}", parts[0].code);
    }

    #[test]
    fn every_pitfall_warns_about_production() {
        let all = [
            Pitfall::NoCors,
            Pitfall::PreflightRefused,
            Pitfall::ErrorsWithoutHeaders,
            Pitfall::ListIncomplete,
            Pitfall::Credentials,
            Pitfall::WrongOrigin,
            Pitfall::Doubled,
            Pitfall::Redirect,
            Pitfall::NotExposed,
            Pitfall::PrivateNetwork,
        ];
        let mut texts: Vec<String> = all.iter().map(|p| write(&spec(), *p).0).collect();
        assert!(texts
            .iter()
            .all(|t| t.contains("a vite build has no proxy")));
        texts.sort();
        texts.dedup();
        assert_eq!(texts.len(), all.len());
    }
}
