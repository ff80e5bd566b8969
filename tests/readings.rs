//! What `run` reads from its own runs besides the summary: outcomes conditional on events and the
//! blocs' leans, on a test scenario whose answers are known by hand (tests/fixtures/known_answers.toml:
//! no noise, no balance pressure, every pair at its baseline, so a run moves only when an event
//! fires).

mod common;

use common::{cli_json, f};

use serde_json::Value;

const FIXTURE: &str = "tests/fixtures/known_answers.toml";

fn run_json(extra: &[&str]) -> Value {
    cli_json(&[&["run", FIXTURE, "--format", "json"], extra].concat())
}

fn conditional<'a>(json: &'a Value, event: &str, outcome: &str) -> &'a Value {
    json["conditional"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["event"] == event && c["outcome"] == outcome)
        .unwrap_or_else(|| panic!("no row for {event} × {outcome}"))
}

/// `decider` jumps A–B from 0 to 0.8 and nothing else ever takes it above 0.25 (σ = 0), so
/// P(ab-high | decider fired) = 1 and P(ab-high | not) = 0 exactly; likewise `bystander` decides
/// `bc-high` (B–C from 0.5 to 0.6, which a 1200-month half-life keeps above 0.55 until month 24).
/// Across the two, the events draw from independent uniforms and (β = 0) touch different pairs, so
/// each conditional share of the other event's outcome equals the unconditional one: the two
/// conditionals agree within their errors.
#[test]
fn an_event_that_decides_an_outcome_and_one_that_cannot() {
    let json = run_json(&[]);
    let runs = f(&json["settings"]["runs"]);
    for (event, outcome) in [("decider", "ab-high"), ("bystander", "bc-high")] {
        let row = conditional(&json, event, outcome);
        assert_eq!(f(&row["p_fired"]), 1.0, "{event} × {outcome}");
        assert_eq!(f(&row["p_not"]), 0.0, "{event} × {outcome}");
        assert_eq!((f(&row["se_fired"]), f(&row["se_not"])), (0.0, 0.0));
        // The parts are the runs where the event fired, as the event statistics count them.
        let stats = json["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == event)
            .unwrap();
        assert_eq!(f(&row["runs_fired"]), (f(&stats["fired_probability"]) * runs).round());
        assert_eq!(f(&row["runs_fired"]) + f(&row["runs_not"]), runs);
        // P(fired by month 24) at 0.5 per year, open all along: 1 − 0.5² = 0.75.
        let fired = f(&row["runs_fired"]) / runs;
        assert!(
            (fired - 0.75).abs() < 4.0 * (0.75f64 * 0.25 / runs).sqrt(),
            "{event} fired in {fired}"
        );
    }
    for (event, outcome) in [("decider", "bc-high"), ("bystander", "ab-high")] {
        let row = conditional(&json, event, outcome);
        let (fired, not) = (f(&row["p_fired"]), f(&row["p_not"]));
        let se = f(&row["se_fired"]).hypot(f(&row["se_not"]));
        assert!(
            se > 0.0 && (fired - not).abs() < 3.0 * se,
            "{event} × {outcome}: {fired} vs {not} ± {se}"
        );
        // Within each part the standard error is the binomial one of that part.
        let n = f(&row["runs_fired"]);
        assert!((f(&row["se_fired"]) - (fired * (1.0 - fired) / n).sqrt()).abs() < 1e-15);
    }
}

/// With both events off, every run ends at the starting state, set here to the hand-worked case of
/// `analysis::leans`: weights (1, 2, 3), a(A,B) = 0.5, a(A,C) = −0.4, a(B,C) = −0.6. Splits and
/// their energies E = Σ across of w_i w_j a_ij: {A,B}|{C} −4.8 (best), {A,C}|{B} −2.6 (second),
/// {A}|{B,C} −0.2, one bloc 0. Leans toward {A,B}: A (2·0.5 + 3·0.4)/5 = 0.44, B (0.5 + 3·0.6)/4 =
/// 0.575, C (−0.4 − 2·0.6)/3 = −0.5333; the gap (−2.6 + 4.8)/(2 + 3 + 6) = 0.2.
#[test]
fn leans_of_a_fixed_state_by_hand() {
    let json = run_json(&[
        "--runs",
        "50",
        "--set",
        "event.decider.probability=0",
        "--set",
        "event.bystander.probability=0",
        "--set",
        "pair.AAA-BBB.initial=0.5",
        "--set",
        "pair.AAA-BBB.baseline=0.5",
        "--set",
        "pair.BBB-CCC.initial=-0.6",
        "--set",
        "pair.BBB-CCC.baseline=-0.6",
    ]);
    let blocs = &json["bloc_leans"];
    assert_eq!(blocs["camps"], serde_json::json!([["AAA", "BBB"], ["CCC"]]));
    assert_eq!(f(&blocs["camps_share"]), 1.0);
    // The state is the engine's single-precision tanh of atanh of each value (within 2.5e-7 of it),
    // so the leans computed from it are within a few 1e-7 of the hand-worked ones.
    let close = |got: &Value, want: f64| assert!((f(got) - want).abs() < 2e-6, "got {got}, want {want}");
    for (actor, want) in blocs["actors"]
        .as_array()
        .unwrap()
        .iter()
        .zip([0.44, 0.575, -1.6 / 3.0])
    {
        close(&actor["lean"], want);
        close(&actor["lean_90"][0], want);
        close(&actor["lean_90"][1], want);
        close(&(f(&actor["with_first"]) - f(&actor["with_second"])).into(), want);
        assert_eq!(actor["too_weak_to_call"], false);
    }
    for g in blocs["gap_quantiles"].as_array().unwrap() {
        close(g, 0.2);
    }
    assert_eq!(
        blocs["runner_up"]["sides"],
        serde_json::json!([["AAA", "CCC"], ["BBB"]])
    );
    let same: Vec<f64> = blocs["same_side"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| f(&p["probability"]))
        .collect();
    assert_eq!(same, [1.0, 0.0, 0.0]);
}

/// `decider` moves A–B from 0 to 0.8 in the runs where it fires (about 3 in 4), and nothing moves
/// A–C or B–C away from −0.4 and 0.5 but `bystander` (B–C to 0.6). In runs where only A–B moved
/// the best split is one bloc (E of {A}|{B,C} is 1·2·0.8 + 1·3·(−0.4) = 0.4 > 0); where it did not,
/// {A}|{B,C} (E = 0 − 1.2 < 0). So A sits with B and C exactly in the runs where `decider` fired:
/// P(A and B on the same side) is the share of runs where it fired.
#[test]
fn same_side_follows_the_event_that_joins_them() {
    let json = run_json(&["--runs", "800"]);
    let fired = f(&conditional(&json, "decider", "ab-high")["runs_fired"]) / 800.0;
    let same = &json["bloc_leans"]["same_side"][0];
    assert_eq!(same["pair"], "AAA-BBB");
    assert_eq!(f(&same["probability"]), fired);
    assert_eq!(f(&json["bloc_leans"]["same_side"][2]["probability"]), 1.0);
}

/// The readings come from the runs, which do not depend on the thread count (nor on `--batch`).
#[test]
fn readings_do_not_depend_on_threads_or_batch() {
    let args = ["--runs", "10005", "--horizon", "6"];
    let one = run_json(&[&args[..], &["--threads", "1"]].concat());
    for other in [
        run_json(&[&args[..], &["--threads", "3"]].concat()),
        run_json(&[&args[..], &["--batch", "77"]].concat()),
    ] {
        assert_eq!(one["conditional"], other["conditional"]);
        assert_eq!(one["bloc_leans"], other["bloc_leans"]);
    }
}
