//! `bench`: engine throughput in pair-months per second, one thread, on the built-in scenarios.

use std::time::Instant;

use crate::engine::{Ensemble, Settings};
use crate::scenario::builtin;

/// Times `Ensemble::run` `repeats` times and reports the median.
fn measure(label: &str, scenario_id: &str, runs: usize, horizon: usize, repeats: usize) {
    let scenario = match builtin(scenario_id) {
        Some(Ok(s)) => s,
        _ => {
            eprintln!("bench: built-in scenario `{scenario_id}` did not load");
            return;
        }
    };
    let model = scenario.model(&scenario.defaults());
    let settings = Settings { seed: 1, runs, horizon };
    let pair_months = (runs * horizon * model.pair_count()) as f64;
    let mut seconds: Vec<f64> = (0..repeats)
        .map(|_| {
            let start = Instant::now();
            let summary = Ensemble::run(model.clone(), settings);
            let elapsed = start.elapsed().as_secs_f64();
            std::hint::black_box(summary);
            elapsed
        })
        .collect();
    seconds.sort_by(f64::total_cmp);
    let median = seconds[seconds.len() / 2];
    println!(
        "{label:<34} {:>2} actors {:>7} runs × {:>3} months: median {:>9.2} ms (min {:.2}) over {repeats}, {:>6.1} M pair-months/s",
        model.actor_count(),
        runs,
        horizon,
        median * 1e3,
        seconds[0] * 1e3,
        pair_months / median / 1e6,
    );
}

pub fn run(quick: bool) {
    let repeats = if quick { 3 } else { 21 };
    println!("engine benchmark, one thread (release build required for meaningful figures)");
    for id in crate::scenario::builtin_ids() {
        measure(&format!("default ensemble: {id}"), id, 2000, 36, repeats);
    }
    measure(
        "large ensemble: sino-russian-drift",
        "sino-russian-drift",
        100_000,
        36,
        if quick { 1 } else { 3 },
    );
}
