//! Structure of one state: the best two-bloc split and the frustration of its triads.

use super::lanes::{map_to, with_widest_simd, DoubleLanes, LANES};
use super::model::pair_index;

/// A two-bloc split: bit i set means actor i is on the second side. Actor 0 is always on the
/// first side, so each split has one code; 0 means "everyone in one bloc".
pub type SplitMask = u32;

/// The split minimising E = Σ_{i<j} w_i w_j a_ij d_ij (d_ij = 1 across the split), found exactly by
/// visiting all 2^(n−1) splits in Gray-code order (each visit changes E by one actor's row).
/// Ties go to the smaller mask. `alignments` is indexed by [`pair_index`].
pub fn best_split(weights: &[f64], alignments: &[f64]) -> SplitMask {
    let n = weights.len();
    let mut best = (0.0, 0 as SplitMask);
    visit_splits(
        n,
        |i, j| weights[i] * weights[j] * alignments[pair_index(n, i, j)],
        |mask, energy: f64| {
            if ranks_before(energy, mask, best.0, best.1) {
                best = (energy, mask);
            }
        },
    );
    best.1
}

/// How many of `masks` (splits of `actors` actors) are each split, in ascending order of mask;
/// a split no mask names is left out. Counted in one slot per possible split (2^actors, at most
/// 65 536) rather than by sorting the masks, so in time linear in their number (an ensemble of
/// 100 000 runs sorted 100 000 masks at its end).
pub fn split_counts(masks: &[SplitMask], actors: usize) -> Vec<(SplitMask, usize)> {
    let mut counts = vec![0usize; 1 << actors];
    for &mask in masks {
        counts[mask as usize] += 1;
    }
    (0..).zip(counts).filter(|&(_, count)| count > 0).collect()
}

/// Whether the split `mask` of energy `energy` ranks before `other_mask` of `other_energy`: the
/// lower energy, and on a tie the smaller mask. Every search here keeps its best (and second) by it.
#[inline(always)]
fn ranks_before(energy: f64, mask: SplitMask, other_energy: f64, other_mask: SplitMask) -> bool {
    energy < other_energy || (energy == other_energy && mask < other_mask)
}

/// The couplings w_i w_j a_ij of a block's runs, lane by lane (as the one-run searches compute
/// them), for [`visit_splits`].
#[inline(always)]
fn block_couplings<'a>(
    weights: &'a [DoubleLanes],
    alignments: &'a [DoubleLanes],
) -> impl Fn(usize, usize) -> DoubleLanes + 'a {
    let n = weights.len();
    move |i, j| {
        let (w_i, w_j, a) = (&weights[i], &weights[j], &alignments[pair_index(n, i, j)]);
        map_to(|l| w_i[l] * w_j[l] * a[l])
    }
}

/// The best split and the second best, each with its energy E (as [`best_split`]; ties to the
/// smaller mask). The second is `None` when there is only one split (two actors: "one bloc" and
/// the split between them are two splits, so only fewer than two actors have one).
pub fn two_best_splits(weights: &[f64], alignments: &[f64]) -> ((SplitMask, f64), Option<(SplitMask, f64)>) {
    let n = weights.len();
    let better = |(mask, energy): (SplitMask, f64), (other_mask, other_energy): (SplitMask, f64)| {
        ranks_before(energy, mask, other_energy, other_mask)
    };
    let mut best = (0 as SplitMask, 0.0);
    let mut second: Option<(SplitMask, f64)> = None;
    visit_splits(
        n,
        |i, j| weights[i] * weights[j] * alignments[pair_index(n, i, j)],
        |mask, energy: f64| {
            let visit = (mask, energy);
            if better(visit, best) {
                second = Some(best);
                best = visit;
            } else if second.is_none_or(|s| better(visit, s)) {
                second = Some(visit);
            }
        },
    );
    (best, second)
}

/// A run's best split and the second best, each with its energy, as [`two_best_splits`] gives them.
pub type TwoBestSplits = ((SplitMask, f64), Option<(SplitMask, f64)>);

/// [`two_best_splits`] of `runs` runs, [`LANES`] at a time: run r's alignments are
/// `alignments[r · pairs..(r + 1) · pairs]` (run-major, as `Ensemble::alignments` gives them) and
/// its weights `weights_of(r)`, all of one length. Each run gets what its own search gives
/// (`two_best_splits_of_block`).
pub fn two_best_splits_of_runs<'a>(
    alignments: &[f64],
    runs: usize,
    weights_of: impl Fn(usize) -> &'a [f64],
) -> Vec<TwoBestSplits> {
    if runs == 0 {
        return Vec::new();
    }
    let n = weights_of(0).len();
    let pairs = n * n.saturating_sub(1) / 2;
    assert_eq!(alignments.len(), runs * pairs, "alignments must be runs × pairs");
    let mut found = Vec::with_capacity(runs);
    for first in (0..runs).step_by(LANES) {
        // A last block of fewer runs repeats its last run in the lanes left over.
        let run_of_lane = |l: usize| (first + l).min(runs - 1);
        let mut weights = [[0.0; LANES]; 16];
        let mut block = [[0.0; LANES]; 16 * 15 / 2];
        for l in 0..LANES {
            let run = run_of_lane(l);
            for (i, w) in weights_of(run).iter().enumerate() {
                weights[i][l] = *w;
            }
            for (p, a) in alignments[run * pairs..(run + 1) * pairs].iter().enumerate() {
                block[p][l] = *a;
            }
        }
        let splits = two_best_splits_of_block(&weights[..n], &block[..pairs]);
        found.extend_from_slice(&splits[..LANES.min(runs - first)]);
    }
    found
}

/// [`two_best_splits`] of [`LANES`] runs at once (the runs of one block of the engine, at the
/// horizon): lane l's for the weights `weights[i][l]` and the alignments `alignments[pair][l]`.
/// Each lane visits the same splits in the same order as the run's own search and keeps the same
/// two, ties included: the same masks and the same energies to the bit. Not inlined: one copy in
/// the page's worker, compiled for the widest SIMD at hand.
#[inline(never)]
pub(super) fn two_best_splits_of_block(weights: &[DoubleLanes], alignments: &[DoubleLanes]) -> [TwoBestSplits; LANES] {
    with_widest_simd(
        #[inline(always)]
        |_| {
            let n = weights.len();
            let (mut best_energy, mut best_mask) = ([0.0; LANES], [0 as SplitMask; LANES]);
            // No second yet: an energy every split beats (energies are finite).
            let (mut second_energy, mut second_mask) = ([f64::INFINITY; LANES], [SplitMask::MAX; LANES]);
            visit_splits(n, block_couplings(weights, alignments), |mask, energy: DoubleLanes| {
                for l in 0..LANES {
                    let e = energy[l];
                    let beats_best = ranks_before(e, mask, best_energy[l], best_mask[l]);
                    let beats_second = ranks_before(e, mask, second_energy[l], second_mask[l]);
                    // The best it beats becomes the second; else it may be the second.
                    (second_energy[l], second_mask[l]) = if beats_best {
                        (best_energy[l], best_mask[l])
                    } else if beats_second {
                        (e, mask)
                    } else {
                        (second_energy[l], second_mask[l])
                    };
                    if beats_best {
                        (best_energy[l], best_mask[l]) = (e, mask);
                    }
                }
            });
            // Two actors or more visit a split besides "one bloc", so have a second.
            let second = |l: usize| (n >= 2).then_some((second_mask[l], second_energy[l]));
            core::array::from_fn(|l| ((best_mask[l], best_energy[l]), second(l)))
        },
    )
}

/// An energy E of one run (`f64`) or of the runs of a block ([`DoubleLanes`], lane by lane).
trait Energy: Copy {
    const ZERO: Self;
    fn plus(self, other: Self) -> Self;
    fn minus(self, other: Self) -> Self;
}

impl Energy for f64 {
    const ZERO: Self = 0.0;
    #[inline(always)]
    fn plus(self, other: Self) -> Self {
        self + other
    }
    #[inline(always)]
    fn minus(self, other: Self) -> Self {
        self - other
    }
}

impl Energy for DoubleLanes {
    const ZERO: Self = [0.0; LANES];
    #[inline(always)]
    fn plus(self, other: Self) -> Self {
        map_to(|l| self[l] + other[l])
    }
    #[inline(always)]
    fn minus(self, other: Self) -> Self {
        map_to(|l| self[l] - other[l])
    }
}

/// Calls `visit(mask, E)` for every split of `n` actors but "one bloc" (mask 0, E = 0, which
/// callers start from), in Gray-code order; `coupling(i, j)` (i < j) is w_i w_j a_ij.
#[inline(always)]
// The matrix is filled at (i, j) and (j, i) together: indices read best there.
#[allow(clippy::needless_range_loop)]
fn visit_splits<E: Energy>(n: usize, coupling: impl Fn(usize, usize) -> E, mut visit: impl FnMut(SplitMask, E)) {
    if n < 2 {
        return;
    }
    // The couplings as a full matrix (at most 16 × 16), so each visit reads one row.
    let mut matrix = [[E::ZERO; 16]; 16];
    for i in 0..n {
        for j in i + 1..n {
            let c = coupling(i, j);
            matrix[i][j] = c;
            matrix[j][i] = c;
        }
    }
    let mut mask: SplitMask = 0;
    let mut energy = E::ZERO;
    for step in 1u32..(1u32 << (n - 1)) {
        // Gray code: flip actor 1 + (index of the lowest set bit of step).
        let actor = step.trailing_zeros() as usize + 1;
        let bit = 1 << actor;
        let new_mask = mask ^ bit;
        let new_side = new_mask & bit != 0;
        // Σ ±term in actor order from 0 (subtracting a term is adding its negation, exactly).
        let mut delta = E::ZERO;
        for (other, &term) in matrix[actor][..n].iter().enumerate() {
            if other == actor {
                continue;
            }
            let apart = ((new_mask >> other) & 1 != 0) != new_side;
            delta = if apart { delta.plus(term) } else { delta.minus(term) };
        }
        mask = new_mask;
        energy = energy.plus(delta);
        visit(mask, energy);
    }
}

/// Frustration: Σ |a_ij a_jk a_ki| over unbalanced triads (product < 0) divided by the same sum
/// over all triads. 0 = perfectly balanced, 1 = every triad unbalanced; 0 when there is no triad
/// or every product is zero.
pub fn frustration(n: usize, alignments: &[f64]) -> f64 {
    let mut unbalanced = 0.0;
    let mut total = 0.0;
    for i in 0..n {
        for j in i + 1..n {
            let a_ij = alignments[pair_index(n, i, j)];
            for k in j + 1..n {
                let product = a_ij * alignments[pair_index(n, j, k)] * alignments[pair_index(n, i, k)];
                total += product.abs();
                if product < 0.0 {
                    unbalanced -= product;
                }
            }
        }
    }
    if total > 0.0 {
        unbalanced / total
    } else {
        0.0
    }
}

/// [`frustration`] of the runs of a block at once: lane l's is `frustration(n, …)` of the
/// alignments `alignments[pair][l]`, to the bit (the same products, summed in the same triad
/// order, lane by lane). At the horizon, where one run at a time took 2–3 % of an ensemble.
#[inline(always)]
pub(super) fn frustration_of_block(n: usize, alignments: &[DoubleLanes]) -> DoubleLanes {
    let mut unbalanced = [0.0; LANES];
    let mut total = [0.0; LANES];
    for i in 0..n {
        for j in i + 1..n {
            let a_ij = &alignments[pair_index(n, i, j)];
            for k in j + 1..n {
                let (a_jk, a_ik) = (&alignments[pair_index(n, j, k)], &alignments[pair_index(n, i, k)]);
                let product = map_to(|l| a_ij[l] * a_jk[l] * a_ik[l]);
                total = map_to(|l| total[l] + product[l].abs());
                unbalanced = map_to(|l| {
                    if product[l] < 0.0 {
                        unbalanced[l] - product[l]
                    } else {
                        unbalanced[l]
                    }
                });
            }
        }
    }
    map_to(|l| if total[l] > 0.0 { unbalanced[l] / total[l] } else { 0.0 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::pair_list;

    fn energy(weights: &[f64], a: &[f64], mask: SplitMask) -> f64 {
        let n = weights.len();
        pair_list(n)
            .into_iter()
            .filter(|&(i, j)| ((mask >> i) & 1) != ((mask >> j) & 1))
            .map(|(i, j)| weights[i] * weights[j] * a[pair_index(n, i, j)])
            .sum()
    }

    /// Test inputs in [0, 1) from a 64-bit LCG (Knuth's MMIX constants): cheap and repeatable.
    fn uniforms(seed: u64) -> impl FnMut() -> f64 {
        let mut state = seed;
        move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    #[test]
    fn gray_code_search_finds_the_brute_force_minimum() {
        let mut next = uniforms(99);
        for n in 2..=8 {
            for _ in 0..50 {
                let w: Vec<f64> = (0..n).map(|_| 0.2 + next()).collect();
                let a: Vec<f64> = (0..n * (n - 1) / 2).map(|_| 2.0 * next() - 1.0).collect();
                let brute = (0..1u32 << (n - 1)).map(|m| (m << 1, energy(&w, &a, m << 1))).fold(
                    (0, f64::INFINITY),
                    |best, (m, e)| if e < best.1 - 1e-12 { (m, e) } else { best },
                );
                let found = best_split(&w, &a);
                assert!((energy(&w, &a, found) - brute.1).abs() < 1e-9, "n = {n}");
            }
        }
    }

    #[test]
    fn the_second_best_split_is_the_brute_force_runner_up() {
        let mut next = uniforms(7);
        for n in 2..=7 {
            for _ in 0..30 {
                let w: Vec<f64> = (0..n).map(|_| 0.2 + next()).collect();
                let a: Vec<f64> = (0..n * (n - 1) / 2).map(|_| 2.0 * next() - 1.0).collect();
                let mut all: Vec<f64> = (0..1u32 << (n - 1)).map(|m| energy(&w, &a, m << 1)).collect();
                all.sort_by(f64::total_cmp);
                let ((best_mask, best), second) = two_best_splits(&w, &a);
                let (_, second) = second.expect("two actors have two splits");
                assert_eq!(best_mask, best_split(&w, &a), "n = {n}");
                assert!(
                    (best - all[0]).abs() < 1e-9 && (second - all[1]).abs() < 1e-9,
                    "n = {n}"
                );
            }
        }
    }

    /// The runs' search, a block of sixteen at a time, gives each run's own two best splits to the
    /// bit: from 1 to 9 actors, run counts around a block, weights differing by run, and in every
    /// other round equal weights and alignments on a grid of 0.5, so that energies tie.
    #[test]
    fn runs_searched_together_find_each_runs_two_best_splits() {
        let mut next = uniforms(2027);
        for n in 1usize..=9 {
            let pairs = n * n.saturating_sub(1) / 2;
            for (round, runs) in [1usize, 7, 15, 16, 17, 39].into_iter().enumerate() {
                let coarse = round % 2 == 1;
                let weights: Vec<Vec<f64>> = (0..runs)
                    .map(|_| (0..n).map(|_| if coarse { 1.0 } else { 0.2 + next() }).collect())
                    .collect();
                let alignments: Vec<f64> = (0..runs * pairs)
                    .map(|_| {
                        let a = 2.0 * next() - 1.0;
                        if coarse {
                            (a * 2.0).round() / 2.0
                        } else {
                            a
                        }
                    })
                    .collect();
                let together = two_best_splits_of_runs(&alignments, runs, |r| &weights[r]);
                assert_eq!(together.len(), runs);
                for (r, got) in together.into_iter().enumerate() {
                    let want = two_best_splits(&weights[r], &alignments[r * pairs..(r + 1) * pairs]);
                    let bits = |((m, e), s): TwoBestSplits| ((m, e.to_bits()), s.map(|(m, e)| (m, e.to_bits())));
                    assert_eq!(bits(got), bits(want), "n = {n}, runs = {runs}, run {r}");
                }
            }
        }
    }

    /// Each lane of the block search is exactly the search of its own run (its best split, and its
    /// two best with their energies to the bit), weights and alignments differing between lanes,
    /// with ties (equal alignments) included.
    #[test]
    fn lanes_find_exactly_each_runs_split() {
        let mut next = uniforms(31);
        for n in 2..=9 {
            for round in 0..20 {
                let weights: Vec<DoubleLanes> = (0..n)
                    .map(|_| {
                        let mut w = [0.0; LANES];
                        w.iter_mut().for_each(|w| *w = 0.2 + next());
                        w
                    })
                    .collect();
                let alignments: Vec<DoubleLanes> = (0..n * (n - 1) / 2)
                    .map(|_| {
                        let mut a = [0.0; LANES];
                        // Every third round coarse values, so that equal energies (ties) occur.
                        a.iter_mut().for_each(|a| {
                            let x = 2.0 * next() - 1.0;
                            *a = if round % 3 == 0 { (x * 2.0).round() / 2.0 } else { x };
                        });
                        a
                    })
                    .collect();
                let got = two_best_splits_of_block(&weights, &alignments);
                for l in 0..LANES {
                    let w: Vec<f64> = weights.iter().map(|w| w[l]).collect();
                    let a: Vec<f64> = alignments.iter().map(|a| a[l]).collect();
                    assert_eq!(got[l].0 .0, best_split(&w, &a), "n = {n}, round {round}, lane {l}");
                    let bits = |((m, e), s): TwoBestSplits| ((m, e.to_bits()), s.map(|(m, e)| (m, e.to_bits())));
                    assert_eq!(
                        bits(got[l]),
                        bits(two_best_splits(&w, &a)),
                        "n = {n}, round {round}, lane {l}"
                    );
                }
            }
        }
    }

    /// Masks of 3 actors (bit 0 never set): each split's count, ascending, the absent ones left out.
    #[test]
    fn splits_are_counted_in_mask_order() {
        assert_eq!(split_counts(&[4, 2, 4, 6, 2, 4], 3), [(2, 2), (4, 3), (6, 1)]);
        assert_eq!(split_counts(&[0, 0], 2), [(0, 2)]);
        assert!(split_counts(&[], 5).is_empty());
    }

    #[test]
    fn two_hostile_camps_are_found() {
        // Actors 0,1 friends; 2,3 friends; hostile across.
        let n = 4;
        let mut a = vec![0.0; 6];
        for (i, j) in pair_list(n) {
            a[pair_index(n, i, j)] = if (i < 2) == (j < 2) { 0.8 } else { -0.7 };
        }
        assert_eq!(best_split(&[1.0; 4], &a), 0b1100);
        assert_eq!(frustration(n, &a), 0.0);
    }

    #[test]
    fn a_blocks_frustrations_are_its_runs_to_the_bit() {
        // Random alignments of every sign (some exactly 0 or −0, some whole triads of zeros), for
        // every actor count up to the limit; each lane against the one-run function.
        let mut next = uniforms(2026);
        for n in 0..=16usize {
            let pairs = n * n.saturating_sub(1) / 2;
            for _ in 0..20 {
                let mut block = vec![[0.0; LANES]; pairs];
                for a in block.iter_mut().flatten() {
                    *a = match (next() * 10.0) as u32 {
                        0 => 0.0,
                        1 => -0.0,
                        _ => 2.0 * next() - 1.0,
                    };
                }
                let got = frustration_of_block(n, &block);
                for l in 0..LANES {
                    let run: Vec<f64> = block.iter().map(|a| a[l]).collect();
                    assert_eq!(got[l].to_bits(), frustration(n, &run).to_bits(), "n = {n}, lane {l}");
                }
            }
        }
        // A lane with no triad weight at all, beside one fully frustrated triangle.
        let mut block = vec![[0.0; LANES]; 3];
        for a in &mut block {
            a[1] = -0.5;
        }
        assert_eq!(frustration_of_block(3, &block)[..2], [0.0, 1.0]);
    }

    #[test]
    fn all_hostile_triangle_is_fully_frustrated() {
        assert_eq!(frustration(3, &[-0.5, -0.5, -0.5]), 1.0);
        assert_eq!(frustration(3, &[0.5, 0.5, 0.5]), 0.0);
        assert_eq!(best_split(&[1.0; 3], &[0.5, 0.5, 0.5]), 0);
    }
}
