//! The engine against answers worked out by hand or by the formulas of DESIGN.md §3.
//!
//! Every expected value here is independent of the random streams: the runs are noise-free (σ = 0),
//! where the model is deterministic and every run is the same, so the ensemble's mean, quantiles,
//! blocs and frustration are the hand-computed values of one deterministic path. The arithmetic is
//! written out in the comments; the code only evaluates it.

use alignment_engine::{
    best_split, frustration, pair_index, pair_list, two_best_splits, Ensemble, Model, Settings, Summary,
};

/// Floating-point slack: the engine's state is single precision (a relative rounding of 6e-8 per
/// operation, and its table tanh within 2.5e-7 of libm's), over a dozen months of a few dozen
/// operations a pair; far below any modelling error a test is after, and far above what a wrong
/// formula gives (a wrong decay, weight or sign moves a value by 1e-3 or more within a month).
const TOLERANCE: f64 = 2e-6;

fn close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() < TOLERANCE, "{what}: got {got}, want {want}");
}

/// A noise-free model: no events, no outcomes.
fn noise_free(weights: Vec<f64>, initial: Vec<f64>, baseline: Vec<f64>, half_life: f64, balance: f64) -> Model {
    let pairs = initial.len();
    Model {
        weights,
        initial,
        baseline,
        volatility: vec![0.0; pairs],
        half_life,
        balance,
        events: vec![],
        outcomes: vec![],
    }
}

fn run(model: Model, runs: usize, horizon: usize) -> Summary {
    Ensemble::run(model, Settings { seed: 1, runs, horizon })
}

/// The four-actor state used below, pairs in the order (0,1), (0,2), (0,3), (1,2), (1,3), (2,3).
const A01: f64 = 0.5;
const A02: f64 = 0.4;
const A03: f64 = -0.2;
const A12: f64 = 0.6;
const A13: f64 = -0.8;
const A23: f64 = 0.3;
const FOUR: [f64; 6] = [A01, A02, A03, A12, A13, A23];

#[test]
fn one_month_of_the_balance_term_with_unequal_weights_matches_the_formula_by_hand() {
    // z₁ = m + (z₀ − m)·e^(−θ) + β · Σ_{k≠i,j} w_k a_ik a_kj / Σ_{k≠i,j} w_k, with θ = ln 2 / 6,
    // so e^(−θ) = 2^(−1/6), and weights w = (1, 2, 3, 4). Each pair's sum, term by term:
    //   (0,1): k = 2, 3:  (3·a02·a12 + 4·a03·a13) / (3 + 4) = (3·0.24 + 4·0.16) / 7 = 1.36 / 7
    //   (0,2): k = 1, 3:  (2·a01·a12 + 4·a03·a23) / (2 + 4) = (2·0.30 − 4·0.06) / 6 = 0.36 / 6
    //   (0,3): k = 1, 2:  (2·a01·a13 + 3·a02·a23) / (2 + 3) = (−2·0.40 + 3·0.12) / 5 = −0.44 / 5
    //   (1,2): k = 0, 3:  (1·a01·a02 + 4·a13·a23) / (1 + 4) = (0.20 − 4·0.24) / 5 = −0.76 / 5
    //   (1,3): k = 0, 2:  (1·a01·a03 + 3·a12·a23) / (1 + 3) = (−0.10 + 3·0.18) / 4 = 0.44 / 4
    //   (2,3): k = 0, 1:  (1·a02·a03 + 2·a12·a13) / (1 + 2) = (−0.08 − 2·0.48) / 3 = −1.04 / 3
    // With equal weights (0,1) would get 0.20 instead of 0.1943, and without the division 1.36.
    let pressure = [
        1.36 / 7.0,
        0.36 / 6.0,
        -0.44 / 5.0,
        -0.76 / 5.0,
        0.44 / 4.0,
        -1.04 / 3.0,
    ];
    let baseline = [0.1, -0.3, 0.0, 0.2, -0.5, 0.6];
    let beta = 0.5;
    let decay = 2f64.powf(-1.0 / 6.0);
    let summary = run(
        noise_free(vec![1.0, 2.0, 3.0, 4.0], FOUR.to_vec(), baseline.to_vec(), 6.0, beta),
        3,
        1,
    );
    for p in 0..6 {
        let (z0, m) = (FOUR[p].atanh(), f64::atanh(baseline[p]));
        let want = (m + (z0 - m) * decay + beta * pressure[p]).tanh();
        close(summary.pairs[p].mean[1], want, &format!("pair {p} mean at month 1"));
        for q in summary.pairs[p].quantiles[1] {
            close(q, want, &format!("pair {p} quantile at month 1"));
        }
        close(summary.pairs[p].mean[0], FOUR[p], "month 0 is a⁰");
    }
}

#[test]
fn the_balance_term_with_other_weights_from_a_state_at_its_baselines() {
    // With the baselines at a⁰ the OU part leaves z₀ unchanged, and each pair moves by β·(its sum)
    // computed from a⁰ (the month's snapshot).
    // Weights (4, 3, 2, 1) give each pair other coefficients than the test above:
    //   (0,1): (2·0.24 + 1·0.16) / 3 = 0.64 / 3     (1,2): (4·0.20 − 1·0.24) / 5 = 0.56 / 5
    //   (2,3): (4·(−0.08) − 3·0.48) / 7 = −1.76 / 7
    let beta = 0.2;
    let summary = run(
        noise_free(vec![4.0, 3.0, 2.0, 1.0], FOUR.to_vec(), FOUR.to_vec(), 9.0, beta),
        2,
        1,
    );
    for (p, sum) in [(0, 0.64 / 3.0), (3, 0.56 / 5.0), (5, -1.76 / 7.0)] {
        let want = (FOUR[p].atanh() + beta * sum).tanh();
        close(summary.pairs[p].mean[1], want, &format!("pair {p}"));
    }
}

#[test]
fn a_third_actor_of_weight_zero_exerts_no_pressure() {
    // Three actors with weights (1, 1, 0), pairs (0,1), (0,2), (1,2), at their baselines, β = 0.1.
    // Each pair has one third actor k, whose coefficient is w_k / w_k: 1 for k = 0 or 1, and for
    // k = 2 (weight 0, so 0 / 0) no pressure at all:
    //   (0,1): k = 2, weight 0:  no pressure, a stays 0.5
    //   (0,2): k = 1:  a01·a12 = 0.5·0.6 = 0.30,  z = atanh 0.4 + 0.1·0.30
    //   (1,2): k = 0:  a01·a02 = 0.5·0.4 = 0.20,  z = atanh 0.6 + 0.1·0.20
    let a = [0.5, 0.4, 0.6];
    let summary = run(noise_free(vec![1.0, 1.0, 0.0], a.to_vec(), a.to_vec(), 12.0, 0.1), 1, 1);
    close(summary.pairs[0].mean[1], 0.5, "pair (0,1)");
    close(summary.pairs[1].mean[1], (f64::atanh(0.4) + 0.03).tanh(), "pair (0,2)");
    close(summary.pairs[2].mean[1], (f64::atanh(0.6) + 0.02).tanh(), "pair (1,2)");
}

#[test]
fn frustration_of_unequal_triads_by_hand() {
    // Triad products a_ij·a_jk·a_ki of the four-actor state:
    //   (0,1,2): 0.5·0.6·0.4      =  0.120  balanced
    //   (0,1,3): 0.5·(−0.8)·(−0.2) =  0.080  balanced
    //   (0,2,3): 0.4·0.3·(−0.2)   = −0.024  unbalanced
    //   (1,2,3): 0.6·0.3·(−0.8)   = −0.144  unbalanced
    // Frustration = (0.024 + 0.144) / (0.120 + 0.080 + 0.024 + 0.144) = 0.168 / 0.368.
    let want = 0.168 / 0.368;
    close(frustration(4, &FOUR), want, "frustration()");
    // Through the engine: a⁰ = μ, no noise, no balance: every run stays at a⁰, so the horizon's
    // mean, quantiles and the month-0 value are all this number.
    let summary = run(noise_free(vec![1.0; 4], FOUR.to_vec(), FOUR.to_vec(), 12.0, 0.0), 5, 6);
    close(
        summary
            .frustration
            .as_ref()
            .expect("a full ensemble reports frustration")
            .initial,
        want,
        "frustration at month 0",
    );
    close(
        summary
            .frustration
            .as_ref()
            .expect("a full ensemble reports frustration")
            .mean,
        want,
        "mean frustration at the horizon",
    );
    for q in summary
        .frustration
        .as_ref()
        .expect("a full ensemble reports frustration")
        .quantiles
    {
        close(q, want, "frustration quantile at the horizon");
    }
    // No triad with any weight: frustration is defined as 0 (not 0/0), with fewer than three actors
    // or when every pair is neutral.
    assert_eq!(frustration(2, &[0.7]), 0.0);
    assert_eq!(frustration(4, &[0.0; 6]), 0.0);
    assert_eq!(frustration(3, &[0.0, 0.9, -0.9]), 0.0);
    // Three actors, one triad with one hostile pair: fully unbalanced, whatever the sizes.
    close(frustration(3, &[0.9, -0.1, 0.3]), 1.0, "one hostile pair in a triad");
    // Two triads of different sizes: 5 actors where only actor 4 is hostile to actor 3.
    //   every triad without the pair (3,4) has product 0.5³ = 0.125 (7 triads: C(5,3) = 10, 3 hold (3,4)),
    //   the three with (3,4): 0.5·0.5·(−0.9) = −0.225 each.
    let mut five = vec![0.5; 10];
    five[pair_index(5, 3, 4)] = -0.9;
    close(
        frustration(5, &five),
        3.0 * 0.225 / (7.0 * 0.125 + 3.0 * 0.225),
        "five actors",
    );
}

#[test]
fn ties_in_the_bloc_energy_go_to_the_smaller_mask() {
    // Three actors, equal weights, a01 = a12 = 0.25, a02 = −0.75. The splits' energies
    // E = Σ_{apart} w_i w_j a_ij:
    //   mask 0b000 (all together)   0
    //   mask 0b010 ({1} apart)      a01 + a12 = 0.5
    //   mask 0b100 ({2} apart)      a02 + a12 = −0.5
    //   mask 0b110 ({1,2} vs {0})   a01 + a02 = −0.5
    // 0b100 and 0b110 tie (the Gray-code search meets 0b110 first); the smaller mask wins.
    assert_eq!(best_split(&[1.0; 3], &[0.25, -0.75, 0.25]), 0b100);
    // The mirror case, where the search meets the smaller mask first: a01 = −0.75, a02 = a12 = 0.25
    //   0b010: a01 + a12 = −0.5;  0b100: a02 + a12 = 0.5;  0b110: a01 + a02 = −0.5  → 0b010.
    assert_eq!(best_split(&[1.0; 3], &[-0.75, 0.25, 0.25]), 0b010);
    // All neutral: every split has E = 0, so everyone stays in one bloc (mask 0).
    assert_eq!(best_split(&[1.0, 2.0, 3.0, 4.0], &[0.0; 6]), 0);
    // And through the engine: every run ends in the tied state, and all report mask 0b100.
    let summary = run(
        noise_free(
            vec![1.0; 3],
            vec![0.25, -0.75, 0.25],
            vec![0.25, -0.75, 0.25],
            12.0,
            0.0,
        ),
        4,
        3,
    );
    assert_eq!(summary.blocs.len(), 1);
    assert_eq!(summary.blocs[0].mask, 0b100);
    assert_eq!(summary.blocs[0].share.probability, 1.0);
}

#[test]
fn capability_weights_decide_the_best_split() {
    // Four actors: 0, 1, 2 mildly friendly (0.1 each), actor 3 friendly with 0 (0.5) and hostile to
    // 1 and 2 (−0.2 each). E = Σ_{apart} w_i w_j a_ij for each split (actor 0 stays on side 0):
    //   mask          equal weights                      w = (4, 1, 1, 1)
    //   0b0000        0                                  0
    //   0b0010 {1}    0.1 + 0.1 − 0.2 = 0                0.4 + 0.1 − 0.2 = 0.3
    //   0b0100 {2}    0.1 + 0.1 − 0.2 = 0                0.3
    //   0b0110 {1,2}  0.1 + 0.1 − 0.2 − 0.2 = −0.2       0.4 + 0.4 − 0.2 − 0.2 = 0.4
    //   0b1000 {3}    0.5 − 0.2 − 0.2 = 0.1              2.0 − 0.2 − 0.2 = 1.6
    //   0b1010 {1,3}  0.1 + 0.1 + 0.5 − 0.2 = 0.5        0.4 + 0.1 + 2.0 − 0.2 = 2.3
    //   0b1100 {2,3}  0.5                                2.3
    //   0b1110 {1,2,3} 0.1 + 0.1 + 0.5 = 0.7             0.4 + 0.4 + 2.0 = 2.8
    // Equal weights: 3 goes with 0 against 1 and 2. A strong actor 0 keeps everyone together.
    let n = 4;
    let mut a = vec![0.1; 6];
    a[pair_index(n, 0, 3)] = 0.5;
    a[pair_index(n, 1, 3)] = -0.2;
    a[pair_index(n, 2, 3)] = -0.2;
    assert_eq!(best_split(&[1.0; 4], &a), 0b0110);
    assert_eq!(best_split(&[4.0, 1.0, 1.0, 1.0], &a), 0);
}

/// An independent reference of steps (a), (c) and (e) without noise or events: the full matrix of
/// alignments, the plain double sum of the balance term, std's tanh/atanh.
fn reference_path(
    weights: &[f64],
    initial: &[f64],
    baseline: &[f64],
    half_life: f64,
    beta: f64,
    months: usize,
) -> Vec<Vec<f64>> {
    let n = weights.len();
    let mut a = vec![vec![0.0; n]; n];
    let mut z = vec![vec![0.0; n]; n];
    let mut m = vec![vec![0.0; n]; n];
    for (p, (i, j)) in pair_list(n).into_iter().enumerate() {
        for (x, y) in [(i, j), (j, i)] {
            a[x][y] = initial[p];
            z[x][y] = initial[p].atanh();
            m[x][y] = baseline[p].atanh();
        }
    }
    let decay = (-(2f64.ln()) / half_life).exp();
    let mut path = vec![initial.to_vec()];
    for _ in 0..months {
        let mut next = z.clone();
        for i in 0..n {
            for j in 0..n {
                if i == j {
                    continue;
                }
                let (mut sum, mut total) = (0.0, 0.0);
                for k in (0..n).filter(|&k| k != i && k != j) {
                    sum += weights[k] * a[i][k] * a[k][j];
                    total += weights[k];
                }
                next[i][j] = m[i][j] + (z[i][j] - m[i][j]) * decay + beta * sum / total;
            }
        }
        z = next;
        for i in 0..n {
            for j in 0..n {
                a[i][j] = z[i][j].tanh();
            }
        }
        path.push(pair_list(n).into_iter().map(|(i, j)| a[i][j]).collect());
    }
    path
}

/// Two camps, {0..half} and {half..n}: friendly inside (0.3 … 0.7), hostile across (−0.2 … −0.6),
/// the sizes varied by the actors' indices so that no two triads are alike.
fn two_camps(n: usize) -> (Vec<f64>, u32) {
    let half = n / 2;
    let camp = |i: usize| i >= half;
    let a = pair_list(n)
        .into_iter()
        .map(|(i, j)| {
            let size = ((i * 7 + j * 3) % 5) as f64 / 10.0;
            if camp(i) == camp(j) {
                0.3 + size
            } else {
                -0.2 - size
            }
        })
        .collect();
    let mask = (half..n).fold(0u32, |mask, i| mask | (1 << i));
    (a, mask)
}

fn check_largest_scenarios(n: usize) {
    // n actors (15 and 16: 16 is the most a scenario may have), unequal weights, two camps.
    let weights: Vec<f64> = (0..n).map(|i| 0.5 + (i % 4) as f64 * 0.5).collect();
    let (initial, camp_mask) = two_camps(n);
    let baseline: Vec<f64> = initial.iter().map(|a| a * 0.5).collect();
    let (half_life, beta, months) = (10.0, 0.05, 12);
    let summary = run(
        noise_free(weights.clone(), initial.clone(), baseline.clone(), half_life, beta),
        3,
        months,
    );
    assert_eq!(summary.pairs.len(), n * (n - 1) / 2);
    let want = reference_path(&weights, &initial, &baseline, half_life, beta, months);
    for (t, row) in want.iter().enumerate() {
        for (p, &value) in row.iter().enumerate() {
            assert!(
                (summary.pairs[p].mean[t] - value).abs() < TOLERANCE,
                "{n} actors, pair {p}, month {t}: {} vs {value}",
                summary.pairs[p].mean[t]
            );
        }
    }
    // The horizon state keeps the signs of the two camps (the baselines do, and the balance term
    // pushes the same way), so the best split is the camps' split and every triad is balanced.
    let horizon = &want[months];
    for (p, (i, j)) in pair_list(n).into_iter().enumerate() {
        assert_eq!(
            horizon[p] > 0.0,
            (i < n / 2) == (j < n / 2),
            "{n} actors: sign of pair {p}"
        );
    }
    assert_eq!(summary.blocs.len(), 1);
    assert_eq!(summary.blocs[0].mask, camp_mask, "{n} actors: the camps' split");
    assert_eq!(
        summary
            .frustration
            .as_ref()
            .expect("a full ensemble reports frustration")
            .mean,
        0.0
    );
    assert_eq!(
        summary
            .frustration
            .as_ref()
            .expect("a full ensemble reports frustration")
            .initial,
        0.0
    );

    // One actor who belongs to no camp makes triads unbalanced: frustration above 0 at month 0,
    // computed here by the definition over all C(n, 3) triads.
    let mut mixed = initial.clone();
    for j in 1..n {
        mixed[pair_index(n, 0, j)] = if j % 2 == 0 { 0.4 } else { -0.4 };
    }
    let mut frustrated = 0.0;
    let mut total = 0.0;
    for i in 0..n {
        for j in i + 1..n {
            for k in j + 1..n {
                let product = mixed[pair_index(n, i, j)] * mixed[pair_index(n, j, k)] * mixed[pair_index(n, i, k)];
                total += product.abs();
                if product < 0.0 {
                    frustrated += product.abs();
                }
            }
        }
    }
    let summary = run(noise_free(weights, mixed.clone(), mixed, half_life, 0.0), 2, 1);
    assert!(frustrated > 0.0);
    assert!(
        (summary
            .frustration
            .as_ref()
            .expect("a full ensemble reports frustration")
            .initial
            - frustrated / total)
            .abs()
            < TOLERANCE
    );
    assert!(
        (summary
            .frustration
            .as_ref()
            .expect("a full ensemble reports frustration")
            .mean
            - frustrated / total)
            .abs()
            < TOLERANCE
    );
}

#[test]
fn fifteen_actors_follow_the_reference_path_and_split_into_their_camps() {
    check_largest_scenarios(15);
}

#[test]
fn sixteen_actors_follow_the_reference_path_and_split_into_their_camps() {
    check_largest_scenarios(16);
}

#[test]
fn noise_free_runs_follow_the_reference_path_whatever_the_number_of_runs() {
    // A run with σ = 0 ignores its draws: every run is the same path, so the ensemble's mean and
    // median equal the reference path for any number of runs (a mean that summed instead of
    // averaging, or dropped runs, would drift with the count).
    let baseline = [0.1, -0.3, 0.0, 0.2, -0.5, 0.6];
    let weights = vec![1.0, 2.0, 3.0, 4.0];
    let want = reference_path(&weights, &FOUR, &baseline, 6.0, 0.3, 8);
    for runs in [1, 7, 64] {
        let summary = run(
            noise_free(weights.clone(), FOUR.to_vec(), baseline.to_vec(), 6.0, 0.3),
            runs,
            8,
        );
        for (t, row) in want.iter().enumerate() {
            for (p, &value) in row.iter().enumerate() {
                assert!(
                    (summary.pairs[p].mean[t] - value).abs() < TOLERANCE,
                    "{runs} runs, pair {p}, month {t}"
                );
                assert!((summary.pairs[p].quantiles[t][2] - value).abs() < TOLERANCE);
            }
        }
    }
}

#[test]
fn the_runner_up_split_and_its_ties_by_hand() {
    // Three actors, equal weights; E of each split as in the test above (alignments in pair order
    // a01, a02, a12). The Gray-code search visits 0b010, 0b110, 0b100 in that order, after "one
    // bloc" (0b000, E = 0). Ties go to the smaller mask, for the best split and for the runner-up.
    //
    // All neutral: all four splits have E = 0. Best: 0b000; runner-up: the smallest other, 0b010.
    assert_eq!(two_best_splits(&[1.0; 3], &[0.0; 3]), ((0, 0.0), Some((0b010, 0.0))));
    // a01 = a12 = 0.25, a02 = −0.75 (the tie above): 0b010: 0.5; 0b100 and 0b110: −0.5.
    // Best 0b100 (met after 0b110), runner-up 0b110 with the same energy.
    assert_eq!(
        two_best_splits(&[1.0; 3], &[0.25, -0.75, 0.25]),
        ((0b100, -0.5), Some((0b110, -0.5)))
    );
    // a01 = a12 = −0.5, a02 = 0.25: 0b010: −1; 0b110: a01 + a02 = −0.25; 0b100: a02 + a12 = −0.25.
    // Best 0b010; the runner-up is a tie, which 0b100 (met last) wins.
    assert_eq!(
        two_best_splits(&[1.0; 3], &[-0.5, 0.25, -0.5]),
        ((0b010, -1.0), Some((0b100, -0.25)))
    );
    // Weights (1, 2, 3), a01 = 0.5, a02 = −0.5, a12 = 0.125: couplings w_i w_j a_ij are 2·0.5 = 1,
    // 3·(−0.5) = −1.5 and 6·0.125 = 0.75. 0b010: 1 + 0.75 = 1.75; 0b100: −1.5 + 0.75 = −0.75; 0b110: 1 − 1.5 = −0.5.
    // Best 0b100, runner-up 0b110; one bloc (0) third.
    assert_eq!(
        two_best_splits(&[1.0, 2.0, 3.0], &[0.5, -0.5, 0.125]),
        ((0b100, -0.75), Some((0b110, -0.5)))
    );
    // One actor has a single split (one bloc), and no runner-up; two actors have two.
    assert_eq!(two_best_splits(&[1.0], &[]), ((0, 0.0), None));
    assert_eq!(two_best_splits(&[1.0, 1.0], &[-0.5]), ((0b10, -0.5), Some((0, 0.0))));
}
