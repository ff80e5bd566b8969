//! `bench`: engine throughput in pair-months per second, one thread, on the built-in scenarios,
//! side by side with the same work written in NumPy (`bench/numpy_engine.py`) when Python has NumPy.

use std::process::Command;
use std::time::Instant;

use crate::analysis::uncertainty::{assumption_key, run_model};
use crate::engine::{instruction_set, limit_instruction_set, Ensemble, InstructionSet, Settings};
use crate::scenario::builtin;

/// The NumPy yardstick, found from the source tree this binary was built from.
const NUMPY_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/numpy_engine.py");

/// Times `Ensemble::run` `repeats` times; prints and returns the median in seconds.
fn measure(label: &str, scenario_id: &str, runs: usize, horizon: usize, repeats: usize) -> Option<f64> {
    measure_ensemble(label, scenario_id, runs, horizon, repeats, false)
}

/// As [`measure`]; with `uncertain`, the ensemble of `run --uncertain` (each run draws its
/// assumptions from their plausible ranges: the draws and the per-run models are timed too).
fn measure_ensemble(
    label: &str,
    scenario_id: &str,
    runs: usize,
    horizon: usize,
    repeats: usize,
    uncertain: bool,
) -> Option<f64> {
    let scenario = match builtin(scenario_id) {
        Some(Ok(s)) => s,
        _ => {
            eprintln!("bench: built-in scenario `{scenario_id}` did not load");
            return None;
        }
    };
    let model = scenario.model(&scenario.defaults());
    let settings = Settings { seed: 1, runs, horizon };
    let pair_months = (runs * horizon * model.pair_count()) as f64;
    let mut seconds: Vec<f64> = (0..repeats)
        .map(|_| {
            let start = Instant::now();
            let summary = if uncertain {
                let (values, key) = (scenario.defaults(), assumption_key(settings.seed));
                let mut ensemble = Ensemble::per_run(model.clone(), settings, true, |run| {
                    (run_model(&scenario, &values, key, run as u64), run as u64)
                });
                ensemble.finish();
                ensemble.summary()
            } else {
                Ensemble::run(model.clone(), settings)
            };
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
    Some(median)
}

/// Runs the NumPy version of one ensemble `repeats` times in one Python process, its state in
/// float64 (NumPy's default) or, with `single`, float32 (as the engine's); returns its median in
/// seconds, or why it could not be run.
fn numpy_median(scenario_id: &str, runs: usize, horizon: usize, repeats: usize, single: bool) -> Result<f64, String> {
    let output = Command::new("python3")
        .arg(NUMPY_SCRIPT)
        .arg(scenario_id)
        .args(["--runs", &runs.to_string(), "--horizon", &horizon.to_string()])
        .args(["--repeats", &repeats.to_string()])
        .args(single.then_some("--single"))
        .output()
        .map_err(|e| format!("python3 could not be started ({e})"))?;
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr);
        return Err(message.lines().last().unwrap_or("failed").to_string());
    }
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("unreadable output ({e})"))?;
    report["median_ms"]
        .as_f64()
        .map(|ms| ms / 1e3)
        .ok_or_else(|| "no median in its output".to_string())
}

/// The engine and NumPy (float64, then float32) on the same ensemble, alternately, and the ratios
/// of their medians. The float64 ratio is the yardstick: what an analyst's NumPy computes by
/// default; float32 is the same precision as the engine's state.
fn against_numpy(scenario_id: &str, runs: usize, horizon: usize, rounds: usize, repeats: usize) {
    let mut engine = Vec::new();
    let mut numpy = [Vec::new(), Vec::new()];
    for _ in 0..rounds {
        let label = format!("engine: {scenario_id}");
        let Some(e) = measure(&label, scenario_id, runs, horizon, repeats) else {
            return;
        };
        engine.push(e);
        for (single, medians) in [false, true].into_iter().zip(&mut numpy) {
            match numpy_median(scenario_id, runs, horizon, repeats, single) {
                Ok(n) => {
                    let label = format!("numpy {}: {scenario_id}", if single { "float32" } else { "float64" });
                    println!("{label:<34} {:>48} median {:>9.2} ms", "", n * 1e3);
                    medians.push(n);
                }
                Err(why) => {
                    println!("NumPy comparison skipped: {NUMPY_SCRIPT}: {why} (`pip install numpy`)");
                    return;
                }
            }
        }
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let engine = median(engine);
    for (name, medians) in ["NumPy / engine", "NumPy float32 / engine"].into_iter().zip(numpy) {
        let numpy = median(medians);
        println!(
            "{name}, {runs} runs × {horizon} months of {scenario_id}: {:.1}× (medians of {rounds} rounds: {:.2} ms vs {:.2} ms)",
            numpy / engine,
            numpy * 1e3,
            engine * 1e3
        );
    }
}

/// The vector instructions the engine's month step is compiled for on this run.
fn instruction_set_name(set: InstructionSet) -> &'static str {
    match set {
        InstructionSet::Avx512 => "AVX-512",
        InstructionSet::Avx2 => "AVX2",
        _ if cfg!(target_arch = "x86_64") => "SSE2",
        _ => "the build's baseline",
    }
}

/// The default ensemble on each instruction set the processor has, widest first (the numbers are
/// the same on each: `the_instruction_set_changes_no_number`); the widest is used again after.
fn each_instruction_set(scenario_id: &str, repeats: usize) {
    let widest = instruction_set();
    for set in [InstructionSet::Avx512, InstructionSet::Avx2, InstructionSet::Baseline] {
        limit_instruction_set(set);
        if instruction_set() == set {
            let label = format!("{}: {scenario_id}", instruction_set_name(set));
            measure(&label, scenario_id, 2000, 36, repeats);
        }
    }
    limit_instruction_set(widest);
}

pub fn run(quick: bool) {
    let repeats = if quick { 3 } else { 21 };
    println!(
        "engine benchmark, one thread (release build required for meaningful figures); vector instructions: {}",
        instruction_set_name(instruction_set())
    );
    for id in crate::scenario::builtin_ids() {
        measure(&format!("default ensemble: {id}"), id, 2000, 36, repeats);
    }
    for id in crate::scenario::builtin_ids() {
        measure_ensemble(&format!("--uncertain: {id}"), id, 2000, 36, repeats, true);
    }
    measure(
        "large ensemble: sino-russian-drift",
        "sino-russian-drift",
        100_000,
        36,
        if quick { 1 } else { 3 },
    );
    println!();
    each_instruction_set("sino-russian-drift", repeats);
    println!();
    against_numpy(
        "sino-russian-drift",
        2000,
        36,
        if quick { 1 } else { 5 },
        if quick { 3 } else { 7 },
    );
}
