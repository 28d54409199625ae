//! One file per stack; each turns a [`FixSpec`] into its code and names its pitfalls.

use super::pitfall::Pitfall;
use super::snippet::Part;
use super::spec::FixSpec;
use super::Stack;

mod common;

mod actix;
mod apache;
mod aspnet;
mod aws_api_gateway;
mod axum;
mod caddy;
mod cloudflare_workers;
mod django;
mod express;
mod fastapi;
mod fastify;
mod flask;
mod go;
mod nextjs;
mod nginx;
mod node;
mod php;
mod s3;
mod spring;
mod vite_proxy;

/// The pitfall text and the code parts for `stack`.
pub fn write(spec: &FixSpec, pitfall: Pitfall, stack: Stack) -> (String, Vec<Part>) {
    let writer: fn(&FixSpec, Pitfall) -> (String, Vec<Part>) = match stack {
        Stack::Nginx => nginx::write,
        Stack::Apache => apache::write,
        Stack::Caddy => caddy::write,
        Stack::Express => express::write,
        Stack::Fastify => fastify::write,
        Stack::Node => node::write,
        Stack::ViteProxy => vite_proxy::write,
        Stack::Nextjs => nextjs::write,
        Stack::Fastapi => fastapi::write,
        Stack::Flask => flask::write,
        Stack::Django => django::write,
        Stack::Axum => axum::write,
        Stack::Actix => actix::write,
        Stack::Go => go::write,
        Stack::Php => php::write,
        Stack::Spring => spring::write,
        Stack::Aspnet => aspnet::write,
        Stack::AwsApiGateway => aws_api_gateway::write,
        Stack::S3 => s3::write,
        Stack::CloudflareWorkers => cloudflare_workers::write,
    };
    writer(spec, pitfall)
}
