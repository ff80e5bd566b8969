//! The small rules of `crates/engine/src/model.rs` against answers written out by hand: pair numbering,
//! comparisons, outcome tests, the monthly hazard of an event and the words files use.
//!
//! Written to kill the mutants cargo-mutants makes of that file (README §8 "Mutation testing");
//! every expected value is a table or a formula in the comments, not output of the code.

use alignment_sim::engine::{
    pair_actors, pair_index, pair_list, Comparison, Event, Join, Model, Outcome, Reference, Test, When,
};

/// Pairs of 5 actors in the order every per-pair vector uses, numbered by hand:
/// (0,1) (0,2) (0,3) (0,4) (1,2) (1,3) (1,4) (2,3) (2,4) (3,4).
const FIVE: [(usize, usize); 10] = [
    (0, 1),
    (0, 2),
    (0, 3),
    (0, 4),
    (1, 2),
    (1, 3),
    (1, 4),
    (2, 3),
    (2, 4),
    (3, 4),
];

#[test]
fn pairs_are_numbered_row_by_row_as_written_out_by_hand() {
    for (number, &(i, j)) in FIVE.iter().enumerate() {
        assert_eq!(pair_index(5, i, j), number, "({i},{j})");
        // Either order of the two actors names the same pair.
        assert_eq!(pair_index(5, j, i), number, "({j},{i})");
        assert_eq!(pair_actors(5, number), (i, j), "pair {number}");
    }
    assert_eq!(pair_list(5), FIVE.to_vec());
    // Two actors have one pair, three have three.
    assert_eq!(pair_list(2), vec![(0, 1)]);
    assert_eq!(pair_list(3), vec![(0, 1), (0, 2), (1, 2)]);
    assert_eq!(pair_index(3, 2, 1), 2);
    assert_eq!(pair_actors(3, 2), (1, 2));
    assert!(pair_list(1).is_empty() && pair_list(0).is_empty());
    // 16 actors (the loader's limit): 120 pairs; actor 0 has pairs 0…14, actor 1 starts at 15
    // (15 pairs in row 0), actor 2 at 15 + 14 = 29, and the last pair (14,15) is number 119.
    assert_eq!(pair_list(16).len(), 120);
    assert_eq!(pair_index(16, 0, 15), 14);
    assert_eq!(pair_index(16, 2, 1), 15);
    assert_eq!(pair_index(16, 2, 3), 29);
    assert_eq!(pair_index(16, 15, 14), 119);
    assert_eq!(pair_actors(16, 14), (0, 15));
    assert_eq!(pair_actors(16, 15), (1, 2));
    assert_eq!(pair_actors(16, 29), (2, 3));
    assert_eq!(pair_actors(16, 119), (14, 15));
}

#[test]
#[should_panic(expected = "pair 3 of 3 actors does not exist")]
fn a_pair_past_the_last_does_not_exist() {
    pair_actors(3, 3);
}

#[test]
fn comparisons_are_strict() {
    assert!(Comparison::Above.holds(0.3, 0.2));
    assert!(!Comparison::Above.holds(0.2, 0.3));
    assert!(!Comparison::Above.holds(0.2, 0.2));
    assert!(Comparison::Below.holds(-0.4, 0.1));
    assert!(!Comparison::Below.holds(0.1, -0.4));
    assert!(!Comparison::Below.holds(0.1, 0.1));
}

#[test]
fn the_words_files_use_read_back() {
    assert_eq!(Comparison::Above.symbol(), ">");
    assert_eq!(Comparison::Below.symbol(), "<");
    assert_eq!(">".parse::<Comparison>(), Ok(Comparison::Above));
    assert_eq!("<".parse::<Comparison>(), Ok(Comparison::Below));
    assert_eq!("=".parse::<Comparison>(), Err(()));
    assert_eq!(When::Horizon.keyword(), "horizon");
    assert_eq!(When::AnyMonth.keyword(), "any_month");
    assert_eq!(When::EveryMonth.keyword(), "every_month");
    assert_eq!("horizon".parse::<When>(), Ok(When::Horizon));
    assert_eq!("any_month".parse::<When>(), Ok(When::AnyMonth));
    assert_eq!("every_month".parse::<When>(), Ok(When::EveryMonth));
    assert_eq!("sometimes".parse::<When>(), Err(()));
}

#[test]
fn tests_compare_with_a_level_or_with_another_pair_in_the_same_month() {
    let month = [0.1, 0.3, -0.5];
    let test = |pair, comparison, reference| Test {
        pair,
        comparison,
        reference,
    };
    // a₀ = 0.1 < a₁ = 0.3; a₂ = −0.5 < a₀.
    assert!(test(0, Comparison::Below, Reference::Pair(1)).holds(&month));
    assert!(!test(0, Comparison::Above, Reference::Pair(1)).holds(&month));
    assert!(test(2, Comparison::Below, Reference::Pair(0)).holds(&month));
    assert!(test(1, Comparison::Above, Reference::Level(0.2)).holds(&month));
    assert!(!test(1, Comparison::Above, Reference::Level(0.4)).holds(&month));
}

#[test]
fn outcomes_join_their_tests_within_a_month() {
    let single = Outcome::single(2, Comparison::Above, Reference::Level(-0.6), When::AnyMonth);
    assert_eq!(single.tests.len(), 1);
    assert_eq!(single.main_pair(), 2);
    assert_eq!(
        single.tests[0],
        Test {
            pair: 2,
            comparison: Comparison::Above,
            reference: Reference::Level(-0.6)
        }
    );
    assert_eq!((single.join, single.when), (Join::All, When::AnyMonth));
    let month = [0.1, 0.3, -0.5];
    // −0.5 > −0.6 holds; −0.5 > −0.4 does not.
    assert!(single.holds(&month));
    assert!(!Outcome::single(2, Comparison::Above, Reference::Level(-0.4), When::Horizon).holds(&month));

    // One test that holds (a₁ > 0.2) and one that does not (a₀ > 0.2).
    let mixed = |join| Outcome {
        tests: vec![
            Test {
                pair: 1,
                comparison: Comparison::Above,
                reference: Reference::Level(0.2),
            },
            Test {
                pair: 0,
                comparison: Comparison::Above,
                reference: Reference::Level(0.2),
            },
        ],
        join,
        when: When::Horizon,
    };
    assert!(!mixed(Join::All).holds(&month));
    assert!(mixed(Join::Any).holds(&month));
    assert_eq!(mixed(Join::Any).main_pair(), 1);
    // Neither holds in a month where both pairs are at 0.
    assert!(!mixed(Join::Any).holds(&[0.0, 0.0, 0.0]));
    assert!(mixed(Join::All).holds(&[0.25, 0.25, 0.0]));
}

fn event(per_year: f64, repeatable: bool) -> Event {
    Event {
        per_year,
        window: (1, 12),
        repeatable,
        conditions: vec![],
        after: vec![],
        unless: vec![],
        certain_month: None,
        effects: vec![],
    }
}

fn close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() < 1e-12, "{what}: got {got}, want {want}");
}

#[test]
fn the_monthly_hazard_gives_the_yearly_chance_over_twelve_months() {
    // Once-only, P = 0.5 a year: twelve months without firing must leave 1 − P, multiplied out
    // month by month. 1 − 2^(−1/12) = 0.056125687…
    let h = event(0.5, false).monthly_hazard();
    close(h, 0.056_125_687_318_306_5, "P = 0.5");
    let mut none = 1.0;
    for _ in 0..12 {
        none *= 1.0 - h;
    }
    close(none, 0.5, "no firing in a year at P = 0.5");
    // P = 0.9: 1 − 0.1^(1/12) = 0.174596…; twelve months leave 0.1.
    let h = event(0.9, false).monthly_hazard();
    let mut none = 1.0;
    for _ in 0..12 {
        none *= 1.0 - h;
    }
    close(none, 0.1, "no firing in a year at P = 0.9");
    // Probabilities outside [0, 1] are clamped: certain within the year → 1 a month; never → 0.
    close(event(1.0, false).monthly_hazard(), 1.0, "P = 1");
    close(event(1.5, false).monthly_hazard(), 1.0, "P = 1.5");
    close(event(0.0, false).monthly_hazard(), 0.0, "P = 0");
    close(event(-0.2, false).monthly_hazard(), 0.0, "P = -0.2");

    // Repeatable at a Poisson rate λ a year: the chance of at least one firing in a month is
    // 1 − e^(−λ/12). λ = 12: 1 − 1/e = 0.632120558…; λ = 6: 1 − e^(−1/2) = 0.393469340….
    close(event(12.0, true).monthly_hazard(), 0.632_120_558_828_557_7, "λ = 12");
    close(event(6.0, true).monthly_hazard(), 0.393_469_340_287_366_6, "λ = 6");
    // A small rate: about λ/12 (first order), here x − x²/2 + x³/6 with x = 0.1/12: 0.0082987074
    close(event(0.1, true).monthly_hazard(), 0.008_298_707_361_124_0, "λ = 0.1");
    // A negative rate counts as 0.
    close(event(-3.0, true).monthly_hazard(), 0.0, "λ = -3");
}

#[test]
fn a_model_counts_its_actors_and_pairs() {
    let model = Model {
        weights: vec![1.0, 2.0, 3.0, 4.0],
        initial: vec![0.0; 6],
        baseline: vec![0.0; 6],
        volatility: vec![0.0; 6],
        half_life: 12.0,
        balance: 0.0,
        events: vec![],
        outcomes: vec![],
    };
    assert_eq!((model.actor_count(), model.pair_count()), (4, 6));
}
