//! The closed loop (issue 7): generated misconfigurations → the page's probes, predicted by the
//! simulator → the diagnosis, scored against the simulator's verdict for the user's request.
//! `scripts/bench` runs the full 100,000-case loop; this is the seeded sample CI runs.

use cors_doctor::lab::closed_loop::{generate, population, run, Tally};

/// Cases diagnosed in the CI sample (the bench runs 100,000).
const SAMPLE: usize = 3_000;
/// Further cases whose views only tell which views are distinguishable.
const POPULATION: usize = 60_000;

fn check(seed: u64, ms_per_round_trip: f64) -> Tally {
    let cases = generate(seed, SAMPLE, "/api");
    let others = population(&generate(seed + 1000, POPULATION, "/api"), ms_per_round_trip);
    let tally = Tally::of(&run(&cases, ms_per_round_trip), &others);
    eprintln!("{}", tally.render(25));
    tally
}

#[test]
fn the_diagnosis_agrees_with_the_simulator_without_timing() {
    let tally = check(7, 2.0);
    assert!(
        tally.top1_distinguishable_percent() >= 99.0,
        "{}",
        tally.render(40)
    );
    assert!(tally.misses.is_empty(), "{}", tally.render(40));
}

#[test]
fn the_diagnosis_agrees_with_the_simulator_with_timing() {
    let tally = check(8, 100.0);
    assert!(
        tally.top1_distinguishable_percent() >= 99.0,
        "{}",
        tally.render(40)
    );
    assert!(tally.misses.is_empty(), "{}", tally.render(40));
}
