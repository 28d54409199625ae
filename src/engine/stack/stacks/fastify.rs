//! Fastify with `@fastify/cors`: registered on the root instance before any auth hook. Its default
//! `onRequest` hook answers preflights (204) and sets the headers before the handler runs, and
//! Fastify's error handler keeps them on a thrown error.

use super::super::pitfall::Pitfall;
use super::super::snippet::{Part, Slot};
use super::super::spec::FixSpec;

pub fn write(spec: &FixSpec, pitfall: Pitfall) -> (String, Vec<Part>) {
    let text = match pitfall {
        Pitfall::NoCors => {
            "@fastify/cors is not registered, or only inside a plugin that does not hold these \
             routes. Register it on the root instance: it covers every route and answers preflights."
        }
        Pitfall::PreflightRefused => {
            "Hooks run in the order they are added: an onRequest auth hook added before \
             @fastify/cors answers the OPTIONS preflight itself, often with a 401. Register \
             @fastify/cors first; it answers the preflight with 204 before auth runs."
        }
        Pitfall::ErrorsWithoutHeaders => {
            "CORS headers set in route handlers, or by @fastify/cors with hook: 'preSerialization', \
             are skipped when a handler throws. With the default onRequest hook they are set before \
             the handler runs, and Fastify's error handler keeps them."
        }
        Pitfall::ListIncomplete => {
            "The methods or allowedHeaders given to @fastify/cors leave out what this request \
             sends (its default methods are GET, HEAD, POST). List them as below."
        }
        Pitfall::Credentials => {
            "@fastify/cors defaults to origin '*', which browsers refuse with credentials, and \
             sends Allow-Credentials alongside '*' when told to. Give the exact origin with \
             credentials: true."
        }
        Pitfall::WrongOrigin => {
            "The origin option names another origin (a port, http vs https, a trailing slash). \
             Name the app's origin exactly."
        }
        Pitfall::Doubled => {
            "@fastify/cors and a proxy in front (or a hand-written reply.header) both add \
             Access-Control-Allow-Origin. Keep one: the plugin."
        }
        Pitfall::Redirect => {
            "The URL redirects (a trailing slash, http to https) and a preflight cannot follow \
             one. Call the final URL; @fastify/cors answers its preflight."
        }
        Pitfall::NotExposed => {
            "Scripts only read response headers listed in Access-Control-Expose-Headers: add them \
             to exposedHeaders."
        }
        Pitfall::PrivateNetwork => {
            "@fastify/cors never sends Access-Control-Allow-Private-Network; the onRequest hook \
             added before it puts it on the preflight."
        }
    };
    let mut code = String::new();
    if spec.private_network {
        code.push_str(
            "fastify.addHook('onRequest', async (request, reply) => {\n  \
             if (request.headers['access-control-request-private-network']) {\n    \
             reply.header('Access-Control-Allow-Private-Network', 'true');\n  \
             }\n});\n",
        );
    }
    code.push_str("fastify.register(require('@fastify/cors'), {\n");
    code.push_str(&super::express::options(
        spec,
        "allowedHeaders",
        "exposedHeaders",
    ));
    code.push_str("});");
    let part = Part {
        slot: Slot::Top,
        place: "in server.js, right after `const fastify = Fastify()`: before auth hooks, \
                plugins and routes"
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
        assert_eq!(parts[0].slot, Slot::Top);
        parts[0].code.clone()
    }

    #[test]
    fn registers_the_plugin_with_the_request() {
        let mut spec = spec();
        spec.methods.push("DELETE".into());
        let code = code(&spec);
        assert!(
            code.starts_with("fastify.register(require('@fastify/cors')"),
            "{code}"
        );
        assert!(code.contains("origin: 'http://127.0.0.1:5173'"), "{code}");
        assert!(code.contains("'DELETE'"), "{code}");
        assert!(code.contains("allowedHeaders: ['x-api-key']"), "{code}");
        assert!(!code.contains('*'), "{code}");
    }

    #[test]
    fn credentials_and_an_allow_list() {
        let mut spec = spec();
        spec.credentials = true;
        spec.origins.push("https://b.example".into());
        let code = code(&spec);
        assert!(code.contains("credentials: true"), "{code}");
        assert!(code.contains("'https://b.example'"), "{code}");
        assert!(!code.contains('*'), "{code}");
    }

    #[test]
    fn private_network_hook_comes_first() {
        let mut spec = spec();
        spec.private_network = true;
        let code = code(&spec);
        let pna = code.find("Access-Control-Allow-Private-Network");
        assert!(
            pna.is_some() && pna < code.find("fastify.register"),
            "{code}"
        );
    }
}
