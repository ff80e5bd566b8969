//! The engine run on a scenario file (`tests/fixtures/minimal.toml`): results that do not depend on
//! the batch or ensemble size, bounds and symmetry, outcomes-only ensembles and the random tape. The
//! engine's other properties are in `crates/engine/tests/`, where its mutation runs find them.

use alignment_sim::engine::{Ensemble, Settings};
use alignment_sim::scenario::parse_scenario;

fn fixture() -> alignment_sim::scenario::Scenario {
    parse_scenario("minimal.toml", include_str!("fixtures/minimal.toml")).expect("fixture loads")
}

#[test]
fn same_seed_same_numbers_whatever_the_batch_size() {
    let s = fixture();
    let model = s.model(&s.defaults());
    let settings = Settings {
        seed: 11,
        runs: 700,
        horizon: 24,
    };
    let reference = Ensemble::run(model.clone(), settings);
    for batch in [1, 7, 333, 699, 700] {
        let mut e = Ensemble::new(model.clone(), settings);
        while !e.advance(batch).is_done() {}
        assert_eq!(e.summary(), reference, "batch {batch}");
    }
    assert_eq!(Ensemble::run(model.clone(), settings), reference, "a second run");
    let other = Ensemble::run(model, Settings { seed: 12, ..settings });
    assert_ne!(other.pairs, reference.pairs, "another seed gives other numbers");
}

#[test]
fn a_run_draws_the_same_whatever_the_ensemble_size() {
    // Run r's stream depends on (seed, r) only: the first 100 runs of a 300-run ensemble are the
    // 100 runs of a 100-run ensemble, so their latent states agree exactly.
    let s = fixture();
    let model = s.model(&s.defaults());
    let small = {
        let mut e = Ensemble::new(
            model.clone(),
            Settings {
                seed: 5,
                runs: 100,
                horizon: 10,
            },
        );
        while !e.advance(64).is_done() {}
        e.latent().to_vec()
    };
    let mut large = Ensemble::new(
        model,
        Settings {
            seed: 5,
            runs: 300,
            horizon: 10,
        },
    );
    while !large.advance(1000).is_done() {}
    assert_eq!(&large.latent()[..small.len()], &small[..]);
}

#[test]
fn alignments_stay_strictly_inside_and_pairs_are_symmetric() {
    let s = fixture();
    let mut values = s.defaults();
    // Push hard: strongest balance pressure and volatility the sliders allow.
    values[s.assumption_index("model.balance").unwrap()] = 0.2;
    values[s.assumption_index("model.volatility").unwrap()] = 0.5;
    let summary = Ensemble::run(
        s.model(&values),
        Settings {
            seed: 2,
            runs: 400,
            horizon: 60,
        },
    );
    for bands in &summary.pairs {
        for q in bands.quantiles.iter().flatten().chain(&bands.mean) {
            assert!(q.abs() < 1.0, "alignment {q} outside (-1, 1)");
        }
    }
    // A pair written as ["CCC", "AAA"] in the file is the same pair as ("AAA", "CCC").
    assert_eq!(s.pair_of(0, 2), s.pair_of(2, 0));
    let flipped =
        include_str!("fixtures/minimal.toml").replace(r#"between = ["CCC", "AAA"]"#, r#"between = ["AAA", "CCC"]"#);
    let t = parse_scenario("flipped.toml", &flipped).unwrap();
    let settings = Settings {
        seed: 4,
        runs: 300,
        horizon: 12,
    };
    assert_eq!(
        Ensemble::run(t.model(&t.defaults()), settings),
        Ensemble::run(s.model(&s.defaults()), settings)
    );
}

#[test]
fn outcomes_only_ensembles_give_the_same_outcomes_and_events() {
    let s = fixture();
    let model = s.model(&s.defaults());
    let settings = Settings {
        seed: 8,
        runs: 600,
        horizon: 24,
    };
    let full = Ensemble::run(model.clone(), settings);
    let mut light = Ensemble::outcomes_only(model, settings);
    while !light.advance(100).is_done() {}
    let light_summary = light.summary();
    assert_eq!(light_summary.outcomes, full.outcomes);
    assert_eq!(light_summary.events, full.events);
    assert!(light_summary.pairs.is_empty());
    // What an outcomes-only ensemble does not follow is absent, not a placeholder zero.
    assert!(light_summary.blocs.is_empty());
    assert_eq!(light_summary.frustration, None);
    assert!(full.frustration.is_some());
    // The per-run indicators add up to the reported counts.
    let per_outcome = light.outcome_states().len() / settings.runs;
    for (o, p) in full.outcomes.iter().enumerate() {
        let count = light.outcome_states().chunks(per_outcome).filter(|row| row[o]).count();
        assert_eq!(count, p.count);
    }
}

#[test]
fn a_random_tape_gives_exactly_the_numbers_the_streams_give() {
    use alignment_sim::engine::RandomTape;
    use std::sync::Arc;
    let s = fixture();
    let settings = Settings {
        seed: 17,
        runs: 300,
        horizon: 20,
    };
    let tape = Arc::new(RandomTape::draw(&s.model(&s.defaults()), settings).expect("a small tape fits"));
    // Other values of the assumptions: the same tape serves every model of this shape.
    let mut values = s.defaults();
    values[s.assumption_index("model.balance").unwrap()] = 0.15;
    values[s.assumption_index("event.summit.probability").unwrap()] = 0.9;
    for values in [s.defaults(), values] {
        let run = |mut e: Ensemble| {
            while !e.advance(64).is_done() {}
            (e.summary(), e.outcome_states().to_vec())
        };
        let from_streams = run(Ensemble::outcomes_only(s.model(&values), settings));
        let from_tape = run(Ensemble::outcomes_only_from_tape(
            s.model(&values),
            settings,
            tape.clone(),
        ));
        assert_eq!(from_tape, from_streams);
    }
    // A tape of other settings is not used (and the result is still right).
    let other = Settings { seed: 18, ..settings };
    let mut e = Ensemble::outcomes_only_from_tape(s.model(&s.defaults()), other, tape);
    while !e.advance(1000).is_done() {}
    assert_eq!(
        e.summary().outcomes,
        Ensemble::run(s.model(&s.defaults()), other).outcomes
    );
}
