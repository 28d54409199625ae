//! `rig-axum <variant> <port>`: serves one axum variant. The rig overwrites `axum_variants.rs`.
mod axum_variants;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let variant: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(0);
    let port: u16 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0);
    axum_variants::run(variant, port)
}
