//! `sensitivity --method sobol` on a scenario whose indices are known analytically (the estimator
//! itself is tested on the Ishigami function and an additive one in `analysis::sobol`).

mod common;

use std::path::Path;

use common::{cli_json, f, temp_file, TempFile};

use serde_json::Value;

/// The known-answers fixture with σ and β fixed at 0 (their plausible ranges collapsed), written to
/// a temporary file: A–B then moves only when `decider` fires.
fn fixture_without_noise_or_balance() -> TempFile {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/known_answers.toml"))
        .unwrap();
    let fixed = text
        .replace(
            "volatility = { value = 0.0, range = [0.0, 0.5], plausible = [0.0, 0.1]",
            "volatility = { value = 0.0, range = [0.0, 0.5], plausible = [0.0, 0.0]",
        )
        .replace(
            "balance = { value = 0.0, range = [0.0, 0.2], plausible = [0.0, 0.05]",
            "balance = { value = 0.0, range = [0.0, 0.2], plausible = [0.0, 0.0]",
        );
    assert_eq!(
        fixed.matches("plausible = [0.0, 0.0]").count(),
        2,
        "the fixture changed"
    );
    temp_file("sobol-known", &fixed)
}

/// |estimate − truth| within 4 standard errors, each read from the 95 % interval (2 × 1.96 of them).
fn near(factor: &Value, key: &str, truth: f64) {
    let (lo, hi) = (f(&factor[format!("{key}_ci")][0]), f(&factor[format!("{key}_ci")][1]));
    let se = (hi - lo) / 3.92;
    let estimate = f(&factor[key]);
    assert!(
        (estimate - truth).abs() <= 4.0 * se + 1e-12,
        "{} {key}: {estimate} [{lo}, {hi}] against {truth}",
        factor["id"]
    );
}

/// With σ = β = 0, `ab-high` (A–B above 0.25 in some month) holds exactly when `decider` fires by
/// month 24: A–B stays in [−0.1, 0.1] (its start and baseline's plausible range) unless the event
/// jumps it by at least 0.4. The event fires in month m when the month's uniform u_m is below the
/// hazard 1 − (1 − P)^(1/12), so it fires by month 24 iff P > T = 1 − (1 − min u_m)^12, where
/// P(T ≤ t) = 1 − (1 − t)²: Y = 1{P > T} with P ~ U[0.25, 0.75] (low confidence: uniform) and T set
/// by chance, independent of P. By hand:
/// - E[Y | P] = 1 − (1 − P)²; E[Y] = 1 − (0.75³ − 0.25³)/1.5 = 0.7291667; V = E[Y](1 − E[Y]) = 0.1974826;
/// - Var E[Y | P] = (0.75⁵ − 0.25⁵)/2.5 − 0.2708333² = 0.0211806, so S_P = 0.107253;
/// - E[Y | T] = 1 (T < 0.25), (0.75 − T)/0.5 (0.25 ≤ T ≤ 0.75), 0 above; E[(E[Y | T])²] =
///   0.4375 + 0.2083333, Var = 0.6458333 − 0.7291667² = 0.1141493, so S_chance = 0.578021;
/// - with only two factors, T_P = 1 − S_chance = 0.421979 and T_chance = 1 − S_P = 0.892747.
///
/// Every other assumption moves runs but never this outcome, so its total index is exactly 0.
#[test]
fn an_outcome_decided_by_one_probability_and_chance() {
    let file = fixture_without_noise_or_balance();
    let json = cli_json(&[
        "sensitivity",
        &file,
        "--outcome",
        "ab-high",
        "--method",
        "sobol",
        "--runs",
        "4000",
        "--format",
        "json",
    ]);
    assert_eq!(json["method"], "sobol");
    let factors = json["factors"].as_array().unwrap();
    let factor = |id: &str| {
        factors
            .iter()
            .find(|x| x["id"] == id)
            .unwrap_or_else(|| panic!("no {id}"))
    };
    let expected_mean = 1.0 - (0.75f64.powi(3) - 0.25f64.powi(3)) / 1.5;
    let variance = expected_mean * (1.0 - expected_mean);
    let s_p = ((0.75f64.powi(5) - 0.25f64.powi(5)) / 2.5 - (1.0 - expected_mean).powi(2)) / variance;
    let s_chance = (0.4375 + 1.0 / 4.8 - expected_mean * expected_mean) / variance;
    assert!((s_p - 0.107253).abs() < 1e-6 && (s_chance - 0.578021).abs() < 1e-6);
    let p = factor("event.decider.probability");
    near(p, "first", s_p);
    near(p, "total", 1.0 - s_chance);
    let chance = factor("chance");
    near(chance, "first", s_chance);
    near(chance, "total", 1.0 - s_p);
    assert!(
        f(&chance["total_ci"][0]) > 0.8 && f(&p["total_ci"][0]) > 0.3,
        "the intervals must say something"
    );
    // 16 assumptions, σ and β fixed: 14 factors and chance.
    assert_eq!(factors.len(), 15);
    for other in factors
        .iter()
        .filter(|x| x["id"] != "chance" && x["id"] != "event.decider.probability")
    {
        assert_eq!(
            (f(&other["total"]), f(&other["total_ci"][1])),
            (0.0, 0.0),
            "{}",
            other["id"]
        );
    }
    assert!((f(&json["probability_over_uncertainty"]) - expected_mean).abs() < 0.02);
    assert_eq!(f(&json["model_runs"]), 4000.0 * 17.0);
    // The indicator's variance p(1 − p) of that probability.
    let p_over = f(&json["probability_over_uncertainty"]);
    assert!((f(&json["variance"]) - p_over * (1.0 - p_over)).abs() < 1e-12);
    // ★: every assumption of the fixture has low confidence, and only the probability has a large
    // total index whose interval excludes small values (chance is never flagged).
    for x in factors {
        assert_eq!(
            x["flagged"].as_bool(),
            Some(x["id"] == "event.decider.probability"),
            "{}",
            x["id"]
        );
    }
}

/// By kind, the events' assumptions together carry the probability's share; nothing else counts.
/// By source, everything rests on judgement here (the fixture's only source).
#[test]
fn groups_by_kind_and_by_source() {
    let file = fixture_without_noise_or_balance();
    let run = |by: &str| {
        cli_json(&[
            "sensitivity",
            &file,
            "--outcome",
            "ab-high",
            "--method",
            "sobol",
            "--runs",
            "2000",
            "--by",
            by,
            "--format",
            "json",
        ])
    };
    let kind = run("kind");
    let ids: Vec<&str> = kind["factors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, ["actors", "chance", "events", "model", "pairs"]);
    let factor = |json: &Value, id: &str| {
        json["factors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .unwrap()
            .clone()
    };
    near(&factor(&kind, "events"), "total", 0.421979);
    for id in ["actors", "pairs", "model"] {
        assert_eq!(f(&factor(&kind, id)["total"]), 0.0, "{id}");
    }
    let source = run("source");
    let ids: Vec<&str> = source["factors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["chance", "judgement"]);
    // Chance alone and all the assumptions together: first-order indices of a two-factor split.
    near(&factor(&source, "judgement"), "first", 0.107253);
}

/// The indices do not depend on the thread count.
#[test]
fn sobol_does_not_depend_on_threads() {
    let args = [
        "sensitivity",
        "tests/fixtures/known_answers.toml",
        "--outcome",
        "bc-high",
        "--method",
        "sobol",
        "--runs",
        "300",
        "--format",
        "json",
        "--threads",
    ];
    let one = cli_json(&[&args[..], &["1"]].concat());
    let three = cli_json(&[&args[..], &["3"]].concat());
    assert_eq!(one, three);
}

/// `discover` (PRIM) on the same scenario: the outcome depends on `decider`'s probability (and
/// chance) only, so the box must raise that probability's lower end; it holds at least half of the
/// runs where the outcome held and is denser than overall. (Other ranges may be narrowed too:
/// with 3 000 runs PRIM also follows noise, which the box's wording does not hide.)
#[test]
fn discovery_finds_the_probability_that_decides() {
    let file = fixture_without_noise_or_balance();
    let json = cli_json(&[
        "discover",
        &file,
        "--outcome",
        "ab-high",
        "--runs",
        "3000",
        "--format",
        "json",
    ]);
    let overall = f(&json["overall"]);
    let expected = 1.0 - (0.75f64.powi(3) - 0.25f64.powi(3)) / 1.5;
    assert!(
        (overall - expected).abs() < 4.0 * (expected * (1.0 - expected) / 3000.0).sqrt(),
        "{overall}"
    );
    let chosen = &json["box"];
    assert!(f(&chosen["coverage"]) >= 0.5 && f(&chosen["density"]) > overall);
    let probability = chosen["restrictions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "event.decider.probability")
        .expect("the deciding probability is restricted");
    assert!(
        f(&probability["low"]) > 0.4 && f(&probability["high"]) > 0.74,
        "{probability}"
    );
    assert!(json["sentence"]
        .as_str()
        .unwrap()
        .contains("event.decider.probability ≥"));
    // The trajectory starts with every run and never loses density.
    let trajectory = json["trajectory"].as_array().unwrap();
    assert_eq!(
        (f(&trajectory[0]["support"]), f(&trajectory[0]["coverage"])),
        (3000.0, 1.0)
    );
    assert!(trajectory
        .windows(2)
        .all(|w| f(&w[1]["density"]) >= f(&w[0]["density"])));
}
