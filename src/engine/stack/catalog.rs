//! The stacks a fix can be written for: one list, the single source of truth for the picker, the
//! contract's `data-stack` values, the fix pages and the end-to-end rigs.

use serde::{Deserialize, Serialize};

/// A server stack the page writes a fix for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stack {
    Nginx,
    Apache,
    Caddy,
    Express,
    Fastify,
    Node,
    ViteProxy,
    Nextjs,
    Fastapi,
    Flask,
    Django,
    Axum,
    Actix,
    Go,
    Php,
    Spring,
    Aspnet,
    AwsApiGateway,
    S3,
    CloudflareWorkers,
}

/// Whether the end-to-end suite runs a stack's fix against the real server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verified {
    /// `tests/e2e/stacks/` starts the real server, broken and fixed, in headless Chromium.
    ByTestSuite,
    /// Cannot run here (a JVM, .NET, a cloud service): written from the documentation and, where
    /// one exists, checked against the documented configuration schema only.
    FromDocumentation,
}

/// How a stack's code writes a line comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comment {
    Hash,
    Slashes,
    /// JSON has none: places are given outside the snippet text.
    None,
}

impl Comment {
    pub fn prefix(self) -> Option<&'static str> {
        match self {
            Comment::Hash => Some("#"),
            Comment::Slashes => Some("//"),
            Comment::None => None,
        }
    }
}

impl Stack {
    /// Every stack, in the order the picker lists them.
    pub const ALL: [Stack; 20] = [
        Stack::Nginx,
        Stack::Apache,
        Stack::Caddy,
        Stack::Express,
        Stack::Fastify,
        Stack::Node,
        Stack::ViteProxy,
        Stack::Nextjs,
        Stack::Fastapi,
        Stack::Flask,
        Stack::Django,
        Stack::Axum,
        Stack::Actix,
        Stack::Go,
        Stack::Php,
        Stack::Spring,
        Stack::Aspnet,
        Stack::AwsApiGateway,
        Stack::S3,
        Stack::CloudflareWorkers,
    ];

    /// The contract's value (`data-stack`, the picker's `value`).
    pub fn id(self) -> &'static str {
        match self {
            Stack::Nginx => "nginx",
            Stack::Apache => "apache",
            Stack::Caddy => "caddy",
            Stack::Express => "express",
            Stack::Fastify => "fastify",
            Stack::Node => "node",
            Stack::ViteProxy => "vite-proxy",
            Stack::Nextjs => "nextjs",
            Stack::Fastapi => "fastapi",
            Stack::Flask => "flask",
            Stack::Django => "django",
            Stack::Axum => "axum",
            Stack::Actix => "actix",
            Stack::Go => "go",
            Stack::Php => "php",
            Stack::Spring => "spring",
            Stack::Aspnet => "aspnet",
            Stack::AwsApiGateway => "aws-api-gateway",
            Stack::S3 => "s3",
            Stack::CloudflareWorkers => "cloudflare-workers",
        }
    }

    /// What the picker shows.
    pub fn label(self) -> &'static str {
        match self {
            Stack::Nginx => "nginx",
            Stack::Apache => "Apache httpd",
            Stack::Caddy => "Caddy",
            Stack::Express => "Express (cors package)",
            Stack::Fastify => "Fastify (@fastify/cors)",
            Stack::Node => "Node http (by hand)",
            Stack::ViteProxy => "Vite dev-server proxy",
            Stack::Nextjs => "Next.js",
            Stack::Fastapi => "FastAPI / Starlette",
            Stack::Flask => "Flask (Flask-Cors)",
            Stack::Django => "Django (django-cors-headers)",
            Stack::Axum => "axum (tower-http CorsLayer)",
            Stack::Actix => "actix-web (actix-cors)",
            Stack::Go => "Go net/http",
            Stack::Php => "PHP",
            Stack::Spring => "Spring Boot",
            Stack::Aspnet => "ASP.NET Core",
            Stack::AwsApiGateway => "AWS API Gateway / Lambda",
            Stack::S3 => "S3 bucket CORS",
            Stack::CloudflareWorkers => "Cloudflare Workers",
        }
    }

    pub fn verified(self) -> Verified {
        match self {
            Stack::Nextjs
            | Stack::Spring
            | Stack::Aspnet
            | Stack::AwsApiGateway
            | Stack::S3
            | Stack::CloudflareWorkers => Verified::FromDocumentation,
            _ => Verified::ByTestSuite,
        }
    }

    pub fn comment(self) -> Comment {
        match self {
            Stack::Nginx
            | Stack::Apache
            | Stack::Caddy
            | Stack::Fastapi
            | Stack::Flask
            | Stack::Django
            | Stack::AwsApiGateway => Comment::Hash,
            Stack::S3 => Comment::None,
            _ => Comment::Slashes,
        }
    }

    /// The stack with this contract value.
    pub fn from_id(id: &str) -> Option<Stack> {
        Stack::ALL.into_iter().find(|s| s.id() == id.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_round_trip() {
        let mut ids: Vec<&str> = Stack::ALL.iter().map(|s| s.id()).collect();
        for stack in Stack::ALL {
            assert_eq!(Stack::from_id(stack.id()), Some(stack));
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Stack::ALL.len());
        assert_eq!(Stack::from_id("cobol"), None);
    }
}
