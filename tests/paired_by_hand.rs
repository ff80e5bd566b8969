//! The paired difference of two outcome probabilities (`src/analysis/paired.rs`) on counts small
//! enough to work out by hand: the difference, its paired standard error sd(d)/√N over the per-run
//! differences d ∈ {−1, 0, 1}, and the unpaired error √((p_A(1 − p_A) + p_B(1 − p_B))/N) shown
//! beside it. Written for the mutants of that file (README §8 "Mutation testing").

use alignment_sim::analysis::{OutcomeRuns, PairedDifference};

fn close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() < 1e-15, "{what}: got {got}, want {want}");
}

#[test]
fn ten_runs_by_hand() {
    // 10 runs: A held in 4, B in 6, both in 3. So B gained 3 runs and lost 1; d is +1 in 3 runs,
    // −1 in 1, 0 in 6. Mean d = 0.2; E[d²] = 4/10, variance 0.4 − 0.04 = 0.36; paired error
    // √(0.36/10) = √0.036 = 0.189736659…; unpaired √((0.4·0.6 + 0.6·0.4)/10) = √0.048 = 0.219089023….
    let d = PairedDifference::from_counts(10, 4, 6, 3);
    assert_eq!((d.gained, d.lost), (3, 1));
    close(d.delta, 0.2, "delta");
    close(d.std_error, 0.189_736_659_610_102_8, "paired error");
    close(d.unpaired_std_error, 0.219_089_023_002_066_4, "unpaired error");
}

#[test]
fn five_runs_from_their_indicators() {
    // Run by run, A = T T F F T and B = T F T T F: both hold in run 0 only; B gains runs 2 and 3
    // and loses runs 1 and 4. p_A = p_B = 0.6, so delta = 0; E[d²] = 4/5, paired error √(0.8/5) = 0.4;
    // unpaired √((0.24 + 0.24)/5) = √0.096 = 0.309838667….
    let a = OutcomeRuns::from_states(&[true, true, false, false, true], 5);
    let b = OutcomeRuns::from_states(&[true, false, true, true, false], 5);
    let d = PairedDifference::of(&a, 0, &b, 0);
    assert_eq!((d.gained, d.lost), (2, 2));
    close(d.delta, 0.0, "delta");
    close(d.std_error, 0.4, "paired error");
    close(d.unpaired_std_error, 0.309_838_667_696_593, "unpaired error");
}

#[test]
fn no_runs_give_no_difference() {
    let d = PairedDifference::from_counts(0, 0, 0, 0);
    assert_eq!(
        (d.delta, d.std_error, d.unpaired_std_error, d.gained, d.lost),
        (0.0, 0.0, 0.0, 0, 0)
    );
}
