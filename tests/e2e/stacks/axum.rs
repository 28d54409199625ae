//! Rig: axum 0.8 with tower-http's CorsLayer, built from `tests/stacks/rust/` (one binary per
//! phase hosting every variant; see [`build_rust`], shared with the actix-web rig).
//!
//! Broken set-ups: none; a permissive CorsLayer under a CatchPanicLayer added after it (the
//! panic's 500 is made outside CORS); a CorsLayer added before the auth layer (auth is outer);
//! `allow_headers([CONTENT_TYPE])` only; `*` with credentials set by hand (tower-http panics at
//! start-up for `Any` with credentials, so people set the headers themselves).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use cors_doctor::engine::stack::Stack;

use super::{Config, Fills, Launch, Rig};

pub static RIG: Rig = Rig {
    stack: Stack::Axum,
    files: &[(
        "server.rs",
        include_str!("../../stacks/rust/templates/axum.rs"),
    )],
    always,
    broken,
    build: Some(build),
    command,
    startup: Duration::from_secs(10),
};

const AUTH: &str = r#"
async fn auth(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let bearer = req.headers().get("authorization").is_some_and(|v| v == "Bearer token");
    if req.uri().path().starts_with("/api/") && !bearer {
        return json(axum::http::StatusCode::UNAUTHORIZED, "{\"error\":\"unauthorized\"}");
    }
    next.run(req).await
}"#;

const BY_HAND: &str = r#"
async fn cors_by_hand(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    headers.insert("access-control-allow-origin", axum::http::HeaderValue::from_static("*"));
    headers.insert("access-control-allow-credentials", axum::http::HeaderValue::from_static("true"));
    res
}"#;

fn always(config: Config) -> Fills {
    match config {
        Config::AuthPreflight => vec![
            ("@@defs@@", AUTH.into()),
            (
                "@@auth@@",
                "let app = app.layer(axum::middleware::from_fn(auth));".into(),
            ),
        ],
        _ => vec![],
    }
}

fn broken(config: Config) -> Fills {
    match config {
        Config::NoCors => vec![],
        Config::Hidden500 => vec![(
            "@@outer@@",
            "let app = app\n        .layer(tower_http::cors::CorsLayer::very_permissive())\n        \
             .layer(tower_http::catch_panic::CatchPanicLayer::new());"
                .into(),
        )],
        Config::AuthPreflight => vec![(
            "@@inner@@",
            "let app = app.layer(tower_http::cors::CorsLayer::very_permissive());".into(),
        )],
        Config::HeaderNotAllowed => vec![(
            "@@outer@@",
            "let app = app.layer(\n        tower_http::cors::CorsLayer::new()\n            \
             .allow_origin(tower_http::cors::AllowOrigin::mirror_request())\n            \
             .allow_methods([axum::http::Method::GET, axum::http::Method::POST])\n            \
             .allow_headers([axum::http::header::CONTENT_TYPE]),\n    );"
                .into(),
        )],
        Config::WildcardCredentials => vec![
            ("@@defs@@", BY_HAND.into()),
            (
                "@@outer@@",
                "let app = app.layer(axum::middleware::from_fn(cors_by_hand));".into(),
            ),
        ],
    }
}

fn build(root: &Path, dirs: &[PathBuf], _tools: &Path) -> Result<(), String> {
    build_rust("axum", root, dirs)
}

fn command(launch: &Launch) -> tokio::process::Command {
    rust_command("axum", launch)
}

/// Runs variant `launch.index` of the binary [`build_rust`] left in the run's root.
pub fn rust_command(stack: &str, launch: &Launch) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(launch.root.join(format!("rig-{stack}")));
    command
        .arg(launch.index.to_string())
        .arg(launch.port.to_string());
    command
}

/// Builds bin `rig-<stack>` of `tests/stacks/rust/` hosting one module per variant dir (its
/// `server.rs`), offline, into `target/stack-rigs`; copies the binary to `root/rig-<stack>`.
/// The project is copied next to the variants, so the repo's copy is never written.
pub fn build_rust(stack: &str, root: &Path, dirs: &[PathBuf]) -> Result<(), String> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = repo.join("tests/stacks/rust");
    let project = root.join("rust-project");
    let copy = |from: &Path, to: &Path| {
        std::fs::copy(from, to)
            .map(|_| ())
            .map_err(|e| format!("copy {} to {}: {e}", from.display(), to.display()))
    };
    std::fs::create_dir_all(project.join("src")).map_err(|e| e.to_string())?;
    for file in ["Cargo.toml", "Cargo.lock"] {
        copy(&source.join(file), &project.join(file))?;
    }
    for bin in ["axum", "actix"] {
        for file in [format!("{bin}.rs"), format!("{bin}_variants.rs")] {
            copy(
                &source.join("src").join(&file),
                &project.join("src").join(&file),
            )?;
        }
    }
    let mut variants = String::from("// Written by the rig: one module per variant.\n");
    let mut arms = String::new();
    for (index, dir) in dirs.iter().enumerate() {
        let path = dir.join("server.rs");
        variants.push_str(&format!(
            "#[path = {:?}]\nmod v{index};\n",
            path.display().to_string()
        ));
        arms.push_str(&format!("        {index} => v{index}::run(port),\n"));
    }
    variants.push_str(&format!(
        "\npub fn run(variant: usize, port: u16) -> std::io::Result<()> {{\n    match variant {{\n{arms}        \
         _ => Err(std::io::Error::other(format!(\"no variant {{variant}}\"))),\n    }}\n}}\n"
    ));
    std::fs::write(project.join(format!("src/{stack}_variants.rs")), variants)
        .map_err(|e| e.to_string())?;

    let target = repo.join("target/stack-rigs");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let started = Instant::now();
    let output = Command::new(cargo)
        .args(["build", "--release", "--offline", "--locked", "--bin"])
        .arg(format!("rig-{stack}"))
        .arg("--manifest-path")
        .arg(project.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target)
        // The outer test run's flags (CI's `-D warnings`, a target) are not the rig's.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env_remove("CARGO_BUILD_TARGET")
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .map_err(|e| format!("cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        let lines: Vec<&str> = stderr.lines().collect();
        return Err(format!(
            "cargo build of rig-{stack} failed ({}):\n{}",
            output.status,
            lines[lines.len().saturating_sub(60)..].join("\n")
        ));
    }
    println!(
        "built rig-{stack} ({} variants) in {:.1}s",
        dirs.len(),
        started.elapsed().as_secs_f64()
    );
    let built = target.join("release").join(format!("rig-{stack}"));
    let staged = root.join(format!("rig-{stack}.new"));
    copy(&built, &staged)?;
    std::fs::rename(&staged, root.join(format!("rig-{stack}"))).map_err(|e| e.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_is_proven() {
    super::run(&RIG).await
}
