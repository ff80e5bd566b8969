//! Blocs that inform: where each actor leans, which pairs end on the same side, and how clearly the
//! best split beats the next one, read from the horizon state of every run of one ensemble.
//!
//! A run's *best split* is the two-camp split minimising E = Σ_{i<j} w_i w_j a_ij d_ij (d_ij = 1
//! across the split; [`best_split`](crate::engine::best_split)). The *camps* are the two sides of the
//! most frequent best split over the runs (ties: the smaller mask, as the summary's list of splits
//! orders them); the first camp is the side of the first declared actor.
//!
//! **Lean.** In one run, actor i's alignment with a camp C is its capability-weighted alignment with
//! C's other members, as a share of everyone else's capability:
//!
//!   with_C(i) = Σ_{k ∈ C, k ≠ i} w_k a_ik / Σ_{k ≠ i} w_k,
//!
//! and its lean is lean(i) = with_first(i) − with_second(i), in (−1, 1): +1 would be full alignment
//! (a = 1) with every other member of the first camp and full hostility (a = −1) with every member of
//! the second; 0 is an actor pulled equally both ways (or indifferent to all). Dividing by the
//! capability of *all* other actors (not of the camp's) keeps the lean defined when a camp has no
//! other member, and makes it the actor's own term of E: moving i to the other side changes E by
//! w_i · Σ_{k≠i} w_k · lean(i) (up to sign), so in a run's own best split every actor leans toward
//! its own side, and the weakest lean is the actor closest to switching.
//!
//! An actor's lean is *too weak to call* when its 90 % range over the runs (5 % to 95 % quantile)
//! contains 0: in more than 5 % of runs it leans the other way.
//!
//! **Gap.** In each run, E(second-best split) − E(best split), divided by Σ_{i<j} w_i w_j: the mean
//! change of alignment, over all pairs weighted by capability, that would make the runner-up fit as
//! well. 0 means two splits fit equally well; small values mean the reported split is fragile.

use crate::engine::{
    pair_index, quantiles, split_counts, two_best_splits_of_runs, Proportion, SplitMask, TwoBestSplits,
};

/// One actor's lean over the runs.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ActorLean {
    /// Means over runs of with_first, with_second and the lean.
    pub with_first: f64,
    pub with_second: f64,
    pub mean: f64,
    /// Quantiles 5/25/50/75/95 % of the lean over runs.
    pub quantiles: [f64; 5],
    /// Share of runs in which it leans toward the first camp (lean > 0).
    pub toward_first: Proportion,
    /// Its 90 % range contains 0.
    pub too_weak_to_call: bool,
}

/// Everything this module reads from one ensemble's horizon state.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BlocReading {
    /// The camps: the most frequent best split (bit i set: actor i in the second camp).
    pub camps: SplitMask,
    /// Share of runs whose best split is `camps`.
    pub camps_share: Proportion,
    /// Per actor.
    pub leans: Vec<ActorLean>,
    /// Per pair (in pair-index order): share of runs whose best split puts both on the same side.
    pub same_side: Vec<Proportion>,
    /// Quantiles 5/25/50/75/95 % over runs of the normalised gap between the best and the
    /// second-best split (`None` with fewer than two actors).
    pub gap: Option<[f64; 5]>,
    /// The most frequent second-best split and the share of runs in which it is second.
    pub runner_up: Option<(SplitMask, Proportion)>,
}

/// The most frequent split of `actors` actors among `masks` and its count (ties: the smallest).
fn mode(masks: &[SplitMask], actors: usize) -> (SplitMask, usize) {
    let mut best = (0, 0);
    for (mask, count) in split_counts(masks, actors) {
        if count > best.1 {
            best = (mask, count);
        }
    }
    best
}

/// Reads the blocs of `runs` horizon states: `alignments` is runs × pairs (run-major, as
/// [`crate::engine::Ensemble::alignments`] gives them) and `weights_of(run)` the capability weights
/// that run used.
pub fn read_blocs<'a>(alignments: &[f64], runs: usize, weights_of: impl Fn(usize) -> &'a [f64]) -> BlocReading {
    let splits = two_best_splits_of_runs(alignments, runs, &weights_of);
    read_blocs_of_splits(&splits, alignments, runs, weights_of)
}

/// [`read_blocs`] with each run's two best splits found already (as
/// [`two_best_splits_of_runs`] finds them; a finished ensemble keeps them, so its readings need
/// not search every run's splits again).
pub fn read_blocs_of_splits<'a>(
    splits: &[TwoBestSplits],
    alignments: &[f64],
    runs: usize,
    weights_of: impl Fn(usize) -> &'a [f64],
) -> BlocReading {
    assert!(runs > 0, "blocs of no runs");
    assert_eq!(splits.len(), runs, "one pair of splits per run");
    let pairs = alignments.len() / runs;
    assert_eq!(pairs * runs, alignments.len(), "alignments must be runs × pairs");
    let n = weights_of(0).len();
    assert_eq!(n * n.saturating_sub(1) / 2, pairs, "one alignment per pair of actors");
    let state = |run: usize| &alignments[run * pairs..(run + 1) * pairs];

    let mut best = Vec::with_capacity(runs);
    let mut second = Vec::with_capacity(runs);
    let mut gaps = Vec::with_capacity(runs);
    for (run, &((mask, energy), runner_up)) in splits.iter().enumerate() {
        let weights = weights_of(run);
        best.push(mask);
        if let Some((second_mask, second_energy)) = runner_up {
            second.push(second_mask);
            let total: f64 = (0..n)
                .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
                .map(|(i, j)| weights[i] * weights[j])
                .sum();
            gaps.push((second_energy - energy) / total);
        }
    }
    let (camps, camps_count) = mode(&best, n);
    let side = |mask: SplitMask, i: usize| (mask >> i) & 1;

    let leans = (0..n)
        .map(|i| {
            let mut first_sum = 0.0;
            let mut second_sum = 0.0;
            let mut lean = Vec::with_capacity(runs);
            // The other actors k in order, each with its pair with i and whether it is in the
            // first camp: worked out once, not in every run.
            let others_of_i: Vec<(usize, usize, bool)> = (0..n)
                .filter(|&k| k != i)
                .map(|k| (k, pair_index(n, i, k), side(camps, k) == 0))
                .collect();
            for run in 0..runs {
                let (weights, a) = (weights_of(run), state(run));
                let (mut first, mut second, mut others) = (0.0, 0.0, 0.0);
                for &(k, pair, in_first) in &others_of_i {
                    let pull = weights[k] * a[pair];
                    others += weights[k];
                    if in_first {
                        first += pull;
                    } else {
                        second += pull;
                    }
                }
                let (first, second) = (first / others, second / others);
                first_sum += first;
                second_sum += second;
                lean.push(first - second);
            }
            let quantiles = quantiles(&lean);
            ActorLean {
                with_first: first_sum / runs as f64,
                with_second: second_sum / runs as f64,
                mean: lean.iter().sum::<f64>() / runs as f64,
                quantiles,
                toward_first: Proportion::of(lean.iter().filter(|&&l| l > 0.0).count(), runs),
                too_weak_to_call: quantiles[0] <= 0.0 && 0.0 <= quantiles[4],
            }
        })
        .collect();

    let same_side = (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
        .map(|(i, j)| Proportion::of(best.iter().filter(|&&m| side(m, i) == side(m, j)).count(), runs))
        .collect();
    let runner_up = (!second.is_empty()).then(|| {
        let (mask, count) = mode(&second, n);
        (mask, Proportion::of(count, runs))
    });
    BlocReading {
        camps,
        camps_share: Proportion::of(camps_count, runs),
        leans,
        same_side,
        gap: (!gaps.is_empty()).then(|| quantiles(&gaps)),
        runner_up,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three actors, weights (1, 2, 3), a01 = 0.5, a02 = −0.4, a12 = −0.6, the same in every run.
    /// Energies E = Σ across the split of w_i w_j a_ij:
    ///   {0,1}|{2}: 1·3·(−0.4) + 2·3·(−0.6) = −4.8   (mask 0b100, the best)
    ///   {0,2}|{1}: 1·2·0.5 + 2·3·(−0.6)  = −2.6   (mask 0b010, the second)
    ///   {0}|{1,2}: 1·2·0.5 + 1·3·(−0.4)  = −0.2;  one bloc: 0.
    /// Gap: (−2.6 + 4.8) / (1·2 + 1·3 + 2·3) = 2.2 / 11 = 0.2.
    /// Leans (first camp {0,1}):
    ///   actor 0: (2·0.5 − 3·(−0.4)) / (2 + 3) = 2.2 / 5 = 0.44
    ///   actor 1: (1·0.5 − 3·(−0.6)) / (1 + 3) = 2.3 / 4 = 0.575
    ///   actor 2: (1·(−0.4) + 2·(−0.6)) / (1 + 2) − 0 = −1.6 / 3
    #[test]
    fn three_actors_by_hand() {
        let state = [0.5, -0.4, -0.6];
        let weights = [1.0, 2.0, 3.0];
        let runs = 4;
        let alignments: Vec<f64> = state.iter().copied().cycle().take(3 * runs).collect();
        let reading = read_blocs(&alignments, runs, |_| &weights);
        assert_eq!(reading.camps, 0b100);
        assert_eq!(reading.camps_share.probability, 1.0);
        let close = |got: f64, want: f64| assert!((got - want).abs() < 1e-12, "got {got}, want {want}");
        for (lean, want) in reading.leans.iter().zip([0.44, 0.575, -1.6 / 3.0]) {
            close(lean.mean, want);
            lean.quantiles.iter().for_each(|&q| close(q, want));
            assert!(!lean.too_weak_to_call);
            assert_eq!(lean.toward_first.probability, if want > 0.0 { 1.0 } else { 0.0 });
        }
        close(reading.leans[2].with_first, -1.6 / 3.0);
        close(reading.leans[2].with_second, 0.0);
        close(reading.leans[0].with_second, -1.2 / 5.0);
        reading.gap.unwrap().iter().for_each(|&g| close(g, 0.2));
        assert_eq!(reading.runner_up.unwrap().0, 0b010);
        // Pairs (0,1), (0,2), (1,2): only 0 and 1 share a side.
        let same: Vec<f64> = reading.same_side.iter().map(|p| p.probability).collect();
        assert_eq!(same, [1.0, 0.0, 0.0]);
    }

    /// Two kinds of run: in 3 of 4 the state above; in 1 of 4 actor 1 has turned on actor 0
    /// (a01 = −0.5, a12 = +0.6), so the best split there is {0}|{1,2} (E = 1·2·(−0.5) + 1·3·(−0.4)
    /// = −2.2 against {0,1}|{2} at 1·3·(−0.4) + 2·3·0.6 = 2.4 and {0,2}|{1} at −1 + 3.6 = 2.6).
    /// The camps stay {0,1}|{2} (3 runs of 4); actor 1's lean in the odd run is
    /// (1·(−0.5) − 3·0.6) / 4 = −0.575, so it leans toward the first camp in 3 of 4 runs.
    #[test]
    fn runs_that_disagree() {
        let usual = [0.5, -0.4, -0.6];
        let odd = [-0.5, -0.4, 0.6];
        let alignments: Vec<f64> = [usual, usual, odd, usual].concat();
        let weights = [1.0, 2.0, 3.0];
        let reading = read_blocs(&alignments, 4, |_| &weights);
        assert_eq!(reading.camps, 0b100);
        assert_eq!(reading.camps_share.count, 3);
        let one = &reading.leans[1];
        assert_eq!(one.toward_first.count, 3);
        assert!((one.mean - (3.0 * 0.575 - 0.575) / 4.0).abs() < 1e-12);
        // 5 % quantile of {−0.575, 0.575 ×3} (type 7): −0.575 + 0.15·1.15 < 0 < 0.575: too weak.
        assert!(one.too_weak_to_call);
        // Actor 0 leans to the first camp in every run: (2·(−0.5) − 3·(−0.4)) / 5 = 0.04 in the odd
        // one. Actor 2 leans to it in the odd run ((1·(−0.4) + 2·0.6) / 3 = 0.267), so its 95 %
        // quantile, −1.6/3 + 0.85·(0.8/3 + 1.6/3) = 0.147, is above 0: too weak as well.
        assert!(!reading.leans[0].too_weak_to_call);
        assert!(reading.leans[2].too_weak_to_call);
        let same: Vec<usize> = reading.same_side.iter().map(|p| p.count).collect();
        // (0,1) together in the 3 usual runs; (0,2) never; (1,2) in the odd run.
        assert_eq!(same, [3, 0, 1]);
    }
}
