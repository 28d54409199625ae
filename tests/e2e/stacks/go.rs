//! Go 1.19 `net/http` (Debian's Go): `tests/stacks/go/main.go`, standard library only, built once
//! per phase (`go build`, no modules, no network) and run as `./server`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use cors_doctor::engine::stack::Stack;

use super::{Config, Fills, Launch, Rig};

pub static RIG: Rig = Rig {
    stack: Stack::Go,
    files: &[("main.go", include_str!("../../stacks/go/main.go"))],
    always,
    broken,
    build: Some(build),
    command,
    startup: Duration::from_secs(20),
};

fn always(config: Config) -> Fills {
    match config {
        // The auth middleware the server keeps: a 401 to any `/api/` request without the token.
        Config::AuthPreflight => vec![("@@auth@@", "handler = requireBearer(handler)".into())],
        _ => vec![],
    }
}

/// A CORS middleware of the usual shape (headers first, preflight answered) with `headers`.
fn middleware(headers: &str) -> Fills {
    vec![
        (
            "@@top@@",
            format!(
                "func cors(next http.Handler) http.Handler {{
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {{
{headers}
		w.Header().Set(\"Access-Control-Allow-Methods\", \"GET, POST, OPTIONS\")
		if r.Method == http.MethodOptions {{
			w.WriteHeader(http.StatusNoContent)
			return
		}}
		next.ServeHTTP(w, r)
	}})
}}"
            ),
        ),
        ("@@cors@@", "handler = cors(handler)".into()),
    ]
}

const ECHO: &str = "\t\tw.Header().Set(\"Access-Control-Allow-Origin\", r.Header.Get(\"Origin\"))";

/// The hand-written set-up: the preflight answered in each handler, the actual answer's header
/// set by the JSON writer once the work is done, and the usual recovery middleware outside.
const BY_HAND: &str = "func setCORS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set(\"Access-Control-Allow-Origin\", r.Header.Get(\"Origin\"))
	w.Header().Set(\"Access-Control-Allow-Methods\", \"GET, POST, OPTIONS\")
	w.Header().Set(\"Access-Control-Allow-Headers\", \"Content-Type\")
}

func recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if err := recover(); err != nil {
				log.Printf(\"panic: %v\", err)
				http.Error(w, \"internal server error\", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}";

fn broken(config: Config) -> Fills {
    match config {
        Config::NoCors => vec![],
        // A panic's 500 (from the recovery middleware) leaves before the JSON writer sets the
        // header.
        Config::Hidden500 => vec![
            ("@@top@@", BY_HAND.into()),
            (
                "@@handler@@",
                "if r.Method == http.MethodOptions {
		setCORS(w, r)
		w.WriteHeader(http.StatusNoContent)
		return
	}"
                .into(),
            ),
            ("@@json@@", "setCORS(w, r)".into()),
            ("@@cors@@", "handler = recoverPanics(handler)".into()),
        ],
        // Correct, but wrapped inside the auth middleware, which answers the preflight 401.
        Config::AuthPreflight => middleware(&format!(
            "{ECHO}\n\t\tw.Header().Set(\"Access-Control-Allow-Headers\", \"Authorization\")"
        )),
        Config::HeaderNotAllowed => middleware(&format!(
            "{ECHO}\n\t\tw.Header().Set(\"Access-Control-Allow-Headers\", \"Content-Type\")"
        )),
        // Copied from an answer: `*` with credentials.
        Config::WildcardCredentials => middleware(
            "\t\tw.Header().Set(\"Access-Control-Allow-Origin\", \"*\")
		w.Header().Set(\"Access-Control-Allow-Credentials\", \"true\")",
        ),
    }
}

/// `go build` for every variant: standard library only, so no module or network is needed.
fn build(root: &Path, dirs: &[PathBuf], _tools: &Path) -> Result<(), String> {
    let cache = root.join("go-cache");
    let gopath = root.join("go-path");
    for dir in dirs {
        let output = std::process::Command::new("go")
            .args(["build", "-o", "server", "main.go"])
            .current_dir(dir)
            .env("GOCACHE", &cache)
            .env("GOPATH", &gopath)
            .env("HOME", root)
            .env("GO111MODULE", "off")
            .env("GOPROXY", "off")
            .env("GOFLAGS", "")
            .env("CGO_ENABLED", "0")
            .output()
            .map_err(|e| format!("go build in {}: {e}", dir.display()))?;
        if !output.status.success() {
            return Err(format!(
                "go build in {} failed:\n{}",
                dir.display(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    Ok(())
}

fn command(launch: &Launch) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(launch.dir.join("server"));
    command.current_dir(launch.dir);
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_is_proven() {
    super::run(&RIG).await
}
