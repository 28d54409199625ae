//! `rig-actix <variant> <port>`: serves one actix variant. The rig overwrites `actix_variants.rs`.
mod actix_variants;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let variant: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(0);
    let port: u16 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0);
    actix_variants::run(variant, port)
}
