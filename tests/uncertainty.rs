//! `run --uncertain`: every run draws every assumption from its plausible range, on the plain
//! ensemble's random streams.

mod common;

use std::path::Path;

use common::{cli_json, f, temp_file};

use alignment_sim::analysis::uncertainty::{assumption_key, run_model};
use alignment_sim::engine::{Ensemble, Settings};
use alignment_sim::scenario::{builtin, builtin_ids, parse_scenario};
use serde_json::Value;

const FIXTURE: &str = "tests/fixtures/known_answers.toml";

fn run_json(file: &str, extra: &[&str]) -> Value {
    cli_json(&[&["run", file, "--format", "json"], extra].concat())
}

/// With every plausible range collapsed to its value, each run's drawn model is the model itself,
/// and the propagated ensemble is the plain one, number for number (every built-in scenario).
#[test]
fn collapsed_ranges_give_the_plain_ensemble() {
    let settings = Settings {
        seed: 9,
        runs: 203,
        horizon: 14,
    };
    for id in builtin_ids() {
        let mut scenario = builtin(id).unwrap().unwrap();
        for a in &mut scenario.assumptions {
            a.plausible = Some((a.default, a.default));
        }
        let values = scenario.defaults();
        let key = assumption_key(settings.seed);
        let plain = Ensemble::run(scenario.model(&values), settings);
        let mut over = Ensemble::per_run(scenario.model(&values), settings, true, |run| {
            (run_model(&scenario, &values, key, run as u64), run as u64)
        });
        over.finish();
        assert_eq!(over.summary(), plain, "{id}");
    }
}

/// The known-answers fixture with `plausible = [v, v]` on every record: `--uncertain` then prints
/// the plain figures twice, with differences of exactly 0 ± 0, and changes nothing else.
#[test]
fn collapsed_ranges_on_the_command_line() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE)).unwrap();
    // Every record of the fixture is one line "… value = V, range = […], plausible = [lo, hi], …".
    let collapsed: String = text
        .lines()
        .map(|line| match (line.find("value = "), line.find("plausible = [")) {
            (Some(v), Some(p)) => {
                let value = &line[v + 8..v + line[v..].find(',').unwrap()];
                let end = p + line[p..].find(']').unwrap();
                format!("{}plausible = [{value}, {value}{}\n", &line[..p], &line[end..])
            }
            _ => format!("{line}\n"),
        })
        .collect();
    assert_eq!(collapsed.matches("plausible = [").count(), 16);
    let path = &temp_file("collapsed", &collapsed);
    parse_scenario(path, &collapsed).expect("the collapsed fixture loads");
    let plain = run_json(path, &["--runs", "600"]);
    let mut over = run_json(path, &["--runs", "600", "--uncertain"]);
    let uncertain = over.as_object_mut().unwrap().remove("uncertain").unwrap();
    assert_eq!(plain.get("uncertain"), Some(&Value::Null));
    // Everything else is the plain run's, and the propagated readings equal the plain ones.
    let mut plain_rest = plain.clone();
    plain_rest.as_object_mut().unwrap().remove("uncertain");
    assert_eq!(over, plain_rest);
    assert_eq!(uncertain["bloc_leans"], plain["bloc_leans"]);
    assert_eq!(uncertain["conditional"], plain["conditional"]);
    for o in uncertain["outcomes"].as_array().unwrap() {
        assert_eq!(o["at_values"], o["over_uncertainty"]);
        assert_eq!((f(&o["difference"]), f(&o["difference_se"])), (0.0, 0.0));
    }
    for p in uncertain["pairs_at_horizon"].as_array().unwrap() {
        assert_eq!(p["at_values"], p["over_uncertainty"]);
    }
}

/// `decider` (no window, no condition) fires by month 48 with probability 1 − (1 − P)⁴. Its
/// probability is held with low confidence, plausible [0.25, 0.75], so it is drawn uniformly:
/// over what we don't know, P(fired) = 1 − ∫ (1 − p)⁴ dp / 0.5 = 1 − (0.75⁵ − 0.25⁵) / 2.5
/// = 0.90546875, against 1 − 0.5⁴ = 0.9375 at the value. No other assumption touches it.
#[test]
fn a_drawn_probability_gives_the_integral_by_hand() {
    let json = run_json(FIXTURE, &["--runs", "8000", "--horizon", "48", "--uncertain"]);
    let decider = &json["uncertain"]["events"][0];
    assert_eq!(decider["id"], "decider");
    let (at, over) = (f(&decider["at_values"]), f(&decider["over_uncertainty"]));
    let se = |p: f64| (p * (1.0 - p) / 8000.0).sqrt();
    assert!((at - 0.9375).abs() < 4.0 * se(0.9375), "at the value: {at}");
    let want = 1.0 - (0.75f64.powi(5) - 0.25f64.powi(5)) / 2.5;
    assert!(
        (over - want).abs() < 4.0 * se(want),
        "over the range: {over} against {want}"
    );
    assert!(
        at - over > 4.0 * se(want).hypot(se(0.9375)),
        "the two must be told apart here"
    );
    assert_eq!(json["uncertain"]["distributions"]["low"], "uniform");
    assert_eq!(json["uncertain"]["without_plausible_range"], serde_json::json!([]));
}

/// The propagated ensemble does not depend on the thread count or on --batch.
#[test]
fn uncertain_runs_do_not_depend_on_threads_or_batch() {
    let args = ["--runs", "10003", "--horizon", "5", "--uncertain"];
    let one = run_json(FIXTURE, &[&args[..], &["--threads", "1"]].concat());
    for other in [
        run_json(FIXTURE, &[&args[..], &["--threads", "3"]].concat()),
        run_json(FIXTURE, &[&args[..], &["--batch", "50"]].concat()),
    ] {
        assert_eq!(one["uncertain"], other["uncertain"]);
    }
}
