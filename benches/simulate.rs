//! A plain std::time benchmark: simulated requests per second over a mix of representative
//! requests (`cargo bench --bench simulate`), then the same for `check_request`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use cors_doctor::engine::fetch::*;

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

fn measure(name: &str, mut f: impl FnMut() -> usize) {
    let budget = Duration::from_secs(2);
    let start = Instant::now();
    let mut n = 0usize;
    while start.elapsed() < budget {
        n += f();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{name}: {n} requests in {secs:.2} s = {:.0} requests/s",
        n as f64 / secs
    );
}

fn main() {
    let cases = mix();
    measure("simulate", || {
        for (req, answers) in &cases {
            black_box(simulate(black_box(req), black_box(answers)));
        }
        cases.len()
    });
    measure("check_request", || {
        for (req, _) in &cases {
            black_box(check_request(black_box(req)));
        }
        cases.len()
    });
}
