//! Django 5.2 with django-cors-headers 4.9: a tiny project (`tests/stacks/django/`: settings,
//! views, URLs and an auth middleware) run by `manage.py runserver --noreload`, DEBUG off.

use std::time::Duration;

use cors_doctor::engine::stack::Stack;

use super::{Config, Fills, Launch, Rig};

pub static RIG: Rig = Rig {
    stack: Stack::Django,
    files: &[
        ("manage.py", include_str!("../../stacks/django/manage.py")),
        (
            "settings.py",
            include_str!("../../stacks/django/settings.py"),
        ),
        ("urls.py", include_str!("../../stacks/django/urls.py")),
    ],
    always,
    broken,
    build: None,
    command,
    startup: Duration::from_secs(30),
};

fn always(config: Config) -> Fills {
    match config {
        // The auth middleware the app keeps: a 401 to any `/api/` request without the token.
        Config::AuthPreflight => vec![("@@auth@@", "\"urls.BearerAuth\",".into())],
        _ => vec![],
    }
}

/// The views' hand-written CORS: the preflight answered, the view's own answer decorated.
const BY_HAND: &str = "def cors(view):
    def wrapped(request, *args, **kwargs):
        if request.method == \"OPTIONS\":
            response = HttpResponse(status=204)
        else:
            response = view(request, *args, **kwargs)
        response[\"Access-Control-Allow-Origin\"] = request.headers.get(\"Origin\", \"*\")
        response[\"Access-Control-Allow-Methods\"] = \"GET, POST, OPTIONS\"
        response[\"Access-Control-Allow-Headers\"] = \"Content-Type\"
        return response

    return wrapped";

fn broken(config: Config) -> Fills {
    // django-cors-headers, set up with `settings`, its middleware placed at `@@cors@@`.
    let cors = |settings: &str| {
        vec![
            (
                "@@cors@@",
                "\"corsheaders.middleware.CorsMiddleware\",".to_string(),
            ),
            (
                "@@cors_settings@@",
                format!("INSTALLED_APPS += [\"corsheaders\"]\n{settings}"),
            ),
        ]
    };
    match config {
        Config::NoCors => vec![],
        // A raised exception leaves the view, so Django's 500 has no headers.
        Config::Hidden500 => vec![
            ("@@helpers@@", BY_HAND.into()),
            ("@@view@@", "@cors".into()),
        ],
        // Correct, but below the auth middleware, which answers the preflight 401.
        Config::AuthPreflight => cors("CORS_ALLOW_ALL_ORIGINS = True"),
        Config::HeaderNotAllowed => {
            cors("CORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_HEADERS = [\"content-type\"]")
        }
        // Copied from an answer: `*` with credentials, by hand in a middleware.
        Config::WildcardCredentials => vec![
            (
                "@@helpers@@",
                "def wildcard_cors(get_response):
    def middleware(request):
        response = get_response(request)
        response[\"Access-Control-Allow-Origin\"] = \"*\"
        response[\"Access-Control-Allow-Credentials\"] = \"true\"
        return response

    return middleware"
                    .into(),
            ),
            ("@@cors@@", "\"urls.wildcard_cors\",".into()),
        ],
    }
}

fn command(launch: &Launch) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(launch.tools.join("venv/bin/python"));
    command
        .args(["manage.py", "runserver", "--noreload"])
        .arg(format!("127.0.0.1:{}", launch.port))
        .current_dir(launch.dir)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONUNBUFFERED", "1");
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_is_proven() {
    super::run(&RIG).await
}
