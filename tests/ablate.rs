//! `ablate --without SOURCE` on the known-answers fixture (σ = 0, β = 0: A–B leaves 0 only when
//! `decider` fires, which takes it to 0.8; nothing else touches it).

mod common;

use std::path::Path;

use common::{cli, f, temp_file, TempFile};

use serde_json::Value;

/// The fixture with a data set `claim`: `decider`'s probability rests on it alone (with judgement)
/// and states `without = 0`; `decider`'s jump rests on it alone and states nothing; `bystander`'s
/// probability cites it for reference only.
fn fixture_with_a_claim() -> TempFile {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/known_answers.toml"))
        .unwrap();
    let claim = r#"sources = [{ source = "claim", note = "It gives 0.5 a year." }, { source = "judgement" }]"#;
    let text = text
        .replacen(
            "[model]",
            "[[sources]]\nid = \"claim\"\ntitle = \"A claim\"\ndate = \"2026-11\"\nkind = \"dataset\"\ndescription = \"Test.\"\nreliability = \"Test.\"\n\n[model]",
            1,
        )
        .replacen(
            r#"label = "decider per year", rationale = "Test value.", confidence = "low", sources = [{ source = "judgement" }]"#,
            &format!(r#"without = 0, label = "decider per year", rationale = "Test value; 0 without the claim.", confidence = "low", {claim}"#),
            1,
        )
        .replacen(
            r#"label = "decider jump", rationale = "Test value.", confidence = "low", sources = [{ source = "judgement" }]"#,
            &format!(r#"label = "decider jump", rationale = "Test value.", confidence = "low", {claim}"#),
            1,
        )
        .replacen(
            r#"label = "bystander per year", rationale = "Test value.", confidence = "low", sources = [{ source = "judgement" }]"#,
            r#"without = 0, label = "bystander per year", rationale = "Test value.", confidence = "low", sources = [{ source = "claim", note = "For reference only." }, { source = "judgement" }]"#,
            1,
        );
    temp_file("alignment-sim-ablate", &text)
}

/// Without the claim, `decider` never fires, so `ab-high` never holds: its change is minus its
/// share with the claim, run for run (paired SE = sqrt(p(1 − p)/n), as every run where it held
/// loses it); `bc-high` does not depend on `decider` and changes by exactly 0 ± 0 (same draws).
#[test]
fn without_a_claim_the_event_it_alone_supports_never_fires() {
    let file = fixture_with_a_claim();
    let output = cli(&[
        "ablate",
        &file,
        "--without",
        "claim",
        "--runs",
        "3000",
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let changed = json["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0]["id"], "event.decider.probability");
    assert_eq!((f(&changed[0]["value"]), f(&changed[0]["without"])), (0.5, 0.0));
    let unstated: Vec<&str> = json["unstated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(unstated, ["event.decider.jump.AAA-BBB"]);
    let outcome = |id: &str| {
        json["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == id)
            .unwrap()
            .clone()
    };
    let ab = outcome("ab-high");
    let (with, runs) = (f(&ab["with"]), 3000.0_f64);
    // P(decider fired within 24 months at 0.5 a year) = 1 − 0.5² = 0.75.
    let se = (0.75 * 0.25 / runs).sqrt();
    assert!((with - 0.75).abs() < 4.0 * se, "{with}");
    assert_eq!(f(&ab["without"]), 0.0);
    assert_eq!(f(&ab["change"]), -with);
    assert!(
        (f(&ab["change_se"]) - (with * (1.0 - with) / runs).sqrt()).abs() < 1e-3,
        "{ab}"
    );
    let bc = outcome("bc-high");
    assert_eq!((f(&bc["change"]), f(&bc["change_se"])), (0.0, 0.0));
    assert_eq!(json["ablatable"], serde_json::json!(["claim"]));
    // The table says the same in words; an unknown source is an error naming the sources.
    let table = String::from_utf8(cli(&["ablate", &file, "--without", "claim", "--runs", "300"]).stdout).unwrap();
    assert!(table.contains("event.decider.probability: 0.5 → 0"), "{table}");
    let bad = cli(&["ablate", &file, "--without", "nobody"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("has no such source (it has: judgement, claim)"));
}

/// The page's comparison without a source is in its link as `view.without`; `ablate --link` with
/// that link and no `--without` gives what `--without` gives (same state, same draws), and with
/// neither it says what to give.
#[test]
fn a_link_with_view_without_is_the_same_ablation_as_the_flag() {
    let link = "v=1&s=russia-dprk-alignment&runs=400&seed=9&view.without=seed-002";
    let from_link = cli(&["ablate", "--link", link, "--format", "json"]);
    assert!(
        from_link.status.success(),
        "{}",
        String::from_utf8_lossy(&from_link.stderr)
    );
    let flagged = cli(&[
        "ablate",
        "russia-dprk-alignment",
        "--without",
        "seed-002",
        "--runs",
        "400",
        "--seed",
        "9",
        "--format",
        "json",
    ]);
    let (a, b): (Value, Value) = (
        serde_json::from_slice(&from_link.stdout).unwrap(),
        serde_json::from_slice(&flagged.stdout).unwrap(),
    );
    assert_eq!(a["source"]["id"], "seed-002");
    assert_eq!((&a["outcomes"], &a["changed"]), (&b["outcomes"], &b["changed"]));
    let neither = cli(&["ablate", "russia-dprk-alignment"]);
    assert!(!neither.status.success());
    let message = String::from_utf8_lossy(&neither.stderr);
    assert!(
        message.contains("--without SOURCE_ID") && message.contains("seed-002"),
        "{message}"
    );
}

/// `ablatable` lists, in file order, the sources some assumption rests on alone (besides judgement)
/// and states a `without` value for. A second data set `survey`, placed before `claim` and cited by
/// the volatility only together with `claim` (with `without = 0.05`), rests nothing on itself
/// alone; nor does dropping `claim` touch the volatility, which `survey` still supports.
#[test]
fn only_sources_something_rests_on_alone_are_ablatable() {
    use alignment_sim::analysis::ablate::{ablatable, ablation};
    let file = fixture_with_a_claim();
    let text = std::fs::read_to_string(file.path()).unwrap();
    let survey = "[[sources]]\nid = \"survey\"\ntitle = \"A survey\"\ndate = \"2026-10\"\nkind = \"dataset\"\ndescription = \"Test.\"\nreliability = \"Test.\"\n\n";
    let text = text
        .replacen("[[sources]]\nid = \"claim\"", &format!("{survey}[[sources]]\nid = \"claim\""), 1)
        .replacen(
            r#"label = "Volatility", rationale = "Test value.", confidence = "low", sources = [{ source = "judgement" }]"#,
            r#"without = 0.05, label = "Volatility", rationale = "Test value.", confidence = "low", sources = [{ source = "survey", note = "Its spread." }, { source = "claim", note = "Its range." }]"#,
            1,
        );
    let scenario = alignment_sim::scenario::parse_scenario("survey.toml", &text).expect("a valid file");
    let ids: Vec<&str> = scenario.sources.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["judgement", "survey", "claim"]);
    assert_eq!(ablatable(&scenario), [2]);
    assert!(ablation(&scenario, 1).changed.is_empty() && ablation(&scenario, 1).unstated.is_empty());
    let without_claim = ablation(&scenario, 2);
    let probability = scenario
        .assumptions
        .iter()
        .position(|a| a.id == "event.decider.probability")
        .unwrap();
    assert_eq!(without_claim.changed, [(probability, 0.0)]);
}
