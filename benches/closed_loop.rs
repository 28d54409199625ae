//! The full closed loop (issue 7): 100,000 generated misconfigurations diagnosed from the
//! simulator's predictions of every probe, with and without timing, against a population of
//! 1,000,000 views for what counts as distinguishable. `cargo bench --bench closed_loop`
//! (`CLOSED_LOOP_CASES=N` for another size).

use std::time::Instant;

use cors_doctor::lab::closed_loop::{generate, population, run, Tally};

fn main() {
    let cases: usize = std::env::var("CLOSED_LOOP_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    for (label, ms) in [
        ("loopback (no timing)", 2.0),
        ("network, 100 ms per round trip", 100.0),
    ] {
        let started = Instant::now();
        let sample = generate(42, cases, "/api");
        let others = population(&generate(4242, cases * 10, "/api"), ms);
        let tally = Tally::of(&run(&sample, ms), &others);
        println!("== {label}: {:.1} s", started.elapsed().as_secs_f64());
        println!("{}", tally.render(30));
    }
}
