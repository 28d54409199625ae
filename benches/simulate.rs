//! A plain std::time benchmark (`cargo bench --bench simulate`): simulated requests per second
//! over a mix of representative requests against fixed answers ([`ServerAnswers`]), then over the
//! diagnosis's own workload (the user's request and the page's probes, in Chromium, against a few
//! server [`Behaviour`]s, redirects included), then `check_request` alone.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use cors_doctor::engine::fetch::*;

/// Counts allocations, to report how many a simulation makes.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

/// One more allocation. Not a locked increment: the benchmark runs on one thread, and the count
/// must not slow down what it counts.
fn count() {
    ALLOCATIONS.store(ALLOCATIONS.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: forwarded as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: forwarded as is.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const PAGE: &str = "http://127.0.0.1:8080";
const API: &str = "http://127.0.0.1:9090/api";

fn resp(status: u16, headers: &[(&str, &str)]) -> ServerResponse {
    ServerResponse::new(status, headers)
}

fn mix() -> Vec<(Request, ServerAnswers)> {
    let acao = ("Access-Control-Allow-Origin", PAGE);
    let one = |pf: Option<ServerResponse>, r: ServerResponse| ServerAnswers {
        hops: vec![Hop::new(pf, r)],
    };
    vec![
        (
            Request::new(PAGE, API, "GET"),
            one(None, resp(200, &[acao])),
        ),
        (Request::new(PAGE, API, "GET"), one(None, resp(200, &[]))),
        (
            Request::new(PAGE, API, "PUT")
                .header("Content-Type", "application/json")
                .body("{}"),
            one(
                Some(resp(
                    204,
                    &[
                        acao,
                        ("Access-Control-Allow-Methods", "PUT"),
                        ("Access-Control-Allow-Headers", "content-type"),
                    ],
                )),
                resp(200, &[acao]),
            ),
        ),
        (
            Request::new(PAGE, API, "DELETE"),
            one(
                Some(resp(
                    204,
                    &[acao, ("Access-Control-Allow-Methods", "DELETE")],
                )),
                resp(500, &[]),
            ),
        ),
        (
            Request::new(PAGE, API, "GET").header("Authorization", "Bearer x"),
            one(
                Some(resp(
                    204,
                    &[
                        ("Access-Control-Allow-Origin", "*"),
                        ("Access-Control-Allow-Headers", "*"),
                    ],
                )),
                resp(200, &[]),
            ),
        ),
        (
            Request::new(PAGE, API, "GET").credentials(CredentialsMode::Include),
            one(None, resp(200, &[("Access-Control-Allow-Origin", "*")])),
        ),
        (
            Request::new(PAGE, API, "POST")
                .header("X-Api-Key", "k")
                .body("x"),
            one(Some(resp(401, &[])), resp(200, &[])),
        ),
        (
            Request::new(PAGE, API, "GET"),
            ServerAnswers {
                hops: vec![
                    Hop::new(
                        None,
                        resp(
                            302,
                            &[
                                ("Access-Control-Allow-Origin", "*"),
                                ("Location", "http://other.test/x"),
                            ],
                        ),
                    ),
                    Hop::new(None, resp(200, &[acao])),
                ],
            },
        ),
        (
            Request::new(PAGE, API, "GET")
                .header("Range", "bytes=0-99")
                .header("Accept-Language", "en"),
            one(
                None,
                resp(
                    206,
                    &[
                        acao,
                        ("Access-Control-Expose-Headers", "content-range, x-total"),
                        ("Content-Range", "bytes 0-99/1000"),
                    ],
                ),
            ),
        ),
        (
            Request::new("https://app.example", "https://10.0.0.8/api", "GET"),
            one(Some(resp(204, &[acao])), resp(200, &[acao])),
        ),
    ]
}

/// The diagnosis's workload: the probes a check sends (the user's request, a no-cors GET, a
/// manual-redirect GET, a GET with credentials, one per custom header, the control preflight),
/// each simulated against server behaviours (correct, and with real-world mistakes).
fn behaviour_mix() -> (Vec<Request>, Vec<Behaviour>) {
    let url = "http://127.0.0.1:9090/api/items?id=7";
    let get = || Request::new(PAGE, url, "GET").credentials(CredentialsMode::Omit);
    let requests = vec![
        Request::new(PAGE, url, "PUT")
            .header("Content-Type", "application/json")
            .header("X-Api-Key", "k")
            .credentials(CredentialsMode::Include)
            .body("{}"),
        get().mode(RequestMode::NoCors),
        get().redirect(RedirectMode::Manual),
        get().credentials(CredentialsMode::Include),
        get().header("X-Api-Key", "k"),
        get().header("Content-Type", "application/json"),
    ];
    let redirect = |target: RedirectTarget, cors_headers: bool, preflight_too: bool| Redirect {
        status: 308,
        target,
        cors_headers,
        preflight_too,
    };
    let behaviours = vec![
        Behaviour::default(),
        Behaviour {
            allow_origin: AllowOrigin::Value("*".into()),
            allow_headers: AllowList::Value("content-type".into()),
            ..Behaviour::default()
        },
        Behaviour {
            options: Options::Before {
                status: 401,
                cors_headers: false,
            },
            other_status: 500,
            cors_on: CorsOn::Success,
            ..Behaviour::default()
        },
        Behaviour {
            allow_credentials: false,
            expose_headers: Some("X-Request-Id".into()),
            second_allow_origin: true,
            ..Behaviour::default()
        },
        Behaviour {
            redirect: Some(redirect(RedirectTarget::TrailingSlash, false, false)),
            ..Behaviour::default()
        },
        Behaviour {
            redirect: Some(redirect(
                RedirectTarget::Origin("https://api.example".into()),
                true,
                true,
            )),
            ..Behaviour::default()
        },
    ];
    (requests, behaviours)
}

/// `cargo bench --bench simulate -- <words>` runs only the measures whose names contain one.
fn wanted(name: &str) -> bool {
    let words: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    words.is_empty() || words.iter().any(|w| name.contains(w.as_str()))
}

/// Time this thread spent on a CPU, when Linux tells (`/proc/thread-self/schedstat`): other
/// processes on a busy machine then do not count against the simulator.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Runs `f` (which simulates some requests and says how many) for 2 s, in 10 rounds, and prints
/// requests per second over the whole time and in the best round (the least disturbed by the
/// rest of the machine), per second of CPU time when the system tells, and allocations per
/// request.
fn measure(name: &str, mut f: impl FnMut() -> usize) {
    if !wanted(name) {
        return;
    }
    const ROUNDS: usize = 10;
    let round = Duration::from_millis(200);
    let cpu_start = cpu_time();
    let allocations = ALLOCATIONS.load(Ordering::Relaxed);
    let start = Instant::now();
    let mut n = 0usize;
    let mut best = 0f64;
    for _ in 0..ROUNDS {
        let round_start = Instant::now();
        let mut in_round = 0usize;
        while round_start.elapsed() < round {
            in_round += f();
        }
        best = best.max(in_round as f64 / round_start.elapsed().as_secs_f64());
        n += in_round;
    }
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu_start
        .zip(cpu_time())
        .map(|(a, b)| (b - a).as_secs_f64())
        .filter(|c| *c > 0.0)
        .map(|c| format!(", {:.0}/s of CPU time", n as f64 / c))
        .unwrap_or_default();
    let per_request = (ALLOCATIONS.load(Ordering::Relaxed) - allocations) as f64 / n.max(1) as f64;
    println!(
        "{name}: {:.0} requests/s ({n} in {secs:.2} s{cpu}; best round {best:.0}/s), {per_request:.1} allocations each",
        n as f64 / secs
    );
}

fn main() {
    let cases = mix();
    measure("simulate (fixed answers)", || {
        for (req, answers) in &cases {
            black_box(simulate(black_box(req), black_box(answers)));
        }
        cases.len()
    });
    let (requests, behaviours) = behaviour_mix();
    measure("simulate (behaviours)", || {
        for b in &behaviours {
            for req in &requests {
                black_box(simulate_in(Browser::Chromium, black_box(req), black_box(b)));
            }
        }
        behaviours.len() * requests.len()
    });
    // The same mix with a URL the simulator has not seen lately every time, so that nothing is
    // reused (URL parsing, input checks): what simulating a new request costs.
    let fresh: Vec<(Request, &ServerAnswers)> = (0..64)
        .flat_map(|i| {
            cases.iter().map(move |(req, answers)| {
                let mut req = req.clone();
                req.url = format!("{}?fresh={i}", req.url);
                (req, answers)
            })
        })
        .collect();
    measure("simulate (fixed answers, requests not seen before)", || {
        for (req, answers) in &fresh {
            black_box(simulate(black_box(req), black_box(*answers)));
        }
        fresh.len()
    });
    measure("check_request", || {
        for (req, _) in &cases {
            black_box(check_request(black_box(req)));
        }
        cases.len()
    });
}
