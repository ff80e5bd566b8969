//! What would have to be true: scenario discovery by PRIM (the Patient Rule Induction Method of
//! Friedman & Fisher 1999) over the runs of `run --uncertain`, where every run drew every
//! assumption from its plausible range.
//!
//! Each run is a point: its drawn assumption values x and whether the chosen outcome held (y = 1)
//! or not. PRIM looks for a *box* (a range per assumption) inside which the outcome is much more
//! likely than overall:
//!
//! - **Peeling.** Starting from the box holding every run, each step considers, for every
//!   assumption, cutting off the runs below its 5 % quantile (within the box) or above its 95 %
//!   quantile, and makes the one cut that leaves the highest share of runs where the outcome held
//!   (ties: the cut keeping more runs, then the earlier assumption, low side first). It stops when
//!   fewer than [`MIN_SUPPORT`] of all runs (and at least 20) would remain, or no cut raises nor
//!   keeps the share.
//! - **Trajectory.** Every box along the way, with its *coverage* (of all runs where the outcome
//!   held, the share inside the box) and *density* (of the runs inside the box, the share where the
//!   outcome held).
//! - **The box reported**: the densest box on the trajectory that still covers at least
//!   [`MIN_COVERAGE`] of the runs where the outcome held (ties: the larger coverage, i.e. the
//!   earlier box). Its *restrictions* are the assumptions whose range it narrowed.
//!
//! No pasting and no second box ("covering") are done. The box describes the model's runs over the
//! plausible ranges; it is not a forecast and not evidence about which values are right.

use super::quantile_of_sorted;

/// Share of the data peeled at each step.
pub const PEEL_ALPHA: f64 = 0.05;
/// Peeling stops before the box holds fewer than this share of all runs.
pub const MIN_SUPPORT: f64 = 0.05;
/// The reported box covers at least this share of the runs where the outcome held.
pub const MIN_COVERAGE: f64 = 0.5;

/// One box: a closed range per dimension.
#[derive(Clone, Debug, PartialEq)]
pub struct PrimBox {
    pub bounds: Vec<(f64, f64)>,
    /// Runs inside.
    pub support: usize,
    /// Of the runs where the outcome held, the share inside.
    pub coverage: f64,
    /// Of the runs inside, the share where the outcome held.
    pub density: f64,
}

/// What PRIM found.
#[derive(Clone, Debug, PartialEq)]
pub struct Discovery {
    /// The share of all runs where the outcome held.
    pub overall: f64,
    /// Every box of the peeling trajectory, the whole box first.
    pub trajectory: Vec<PrimBox>,
    /// Index into `trajectory` of the box reported (`None` when the outcome never held).
    pub chosen: Option<usize>,
    /// Dimensions the chosen box restricts, with their full range (the whole box's) for comparison.
    pub restricted: Vec<usize>,
}

/// The box's statistics over the points.
fn measure(points: &[Vec<f64>], held: &[bool], bounds: &[(f64, f64)], total_held: usize) -> PrimBox {
    let mut support = 0;
    let mut inside_held = 0;
    for (x, &y) in points.iter().zip(held) {
        if x.iter().zip(bounds).all(|(v, (lo, hi))| lo <= v && v <= hi) {
            support += 1;
            inside_held += usize::from(y);
        }
    }
    PrimBox {
        bounds: bounds.to_vec(),
        support,
        coverage: if total_held > 0 {
            inside_held as f64 / total_held as f64
        } else {
            0.0
        },
        density: if support > 0 {
            inside_held as f64 / support as f64
        } else {
            0.0
        },
    }
}

/// PRIM over `points` (one vector of d values per run) and `held` (whether the outcome held).
pub fn discover(points: &[Vec<f64>], held: &[bool]) -> Discovery {
    let n = points.len();
    assert_eq!(held.len(), n, "one answer per point");
    let total_held = held.iter().filter(|&&h| h).count();
    let overall = if n > 0 { total_held as f64 / n as f64 } else { 0.0 };
    let dims = points.first().map_or(0, Vec::len);
    let full: Vec<(f64, f64)> = (0..dims)
        .map(|j| {
            points.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
                (lo.min(x[j]), hi.max(x[j]))
            })
        })
        .collect();
    let mut trajectory = vec![measure(points, held, &full, total_held)];
    let min_support = ((MIN_SUPPORT * n as f64).ceil() as usize).max(20);
    if total_held > 0 {
        loop {
            let current = trajectory.last().expect("the whole box").clone();
            let inside: Vec<usize> = (0..n)
                .filter(|&r| {
                    points[r]
                        .iter()
                        .zip(&current.bounds)
                        .all(|(v, (lo, hi))| lo <= v && v <= hi)
                })
                .collect();
            let mut best: Option<PrimBox> = None;
            for j in 0..dims {
                let mut values: Vec<f64> = inside.iter().map(|&r| points[r][j]).collect();
                // The quantiles' sort (one compiled sort of doubles for the page).
                crate::engine::sort_doubles(&mut values);
                let (lo, hi) = current.bounds[j];
                let cut_low = quantile_of_sorted(&values, PEEL_ALPHA);
                let cut_high = quantile_of_sorted(&values, 1.0 - PEEL_ALPHA);
                // Runs strictly beyond the cut are removed; a cut that removes nothing is no cut.
                let low_side = values.iter().position(|&v| v >= cut_low).map(|i| values[i]);
                let high_side = values.iter().rposition(|&v| v <= cut_high).map(|i| values[i]);
                let candidates = [
                    low_side.filter(|&v| v > lo).map(|v| (v, hi)),
                    high_side.filter(|&v| v < hi).map(|v| (lo, v)),
                ];
                for range in candidates.into_iter().flatten() {
                    // Only dimension j changes: count the box's runs among those already inside.
                    let (mut support, mut inside_held) = (0, 0);
                    for &r in &inside {
                        if range.0 <= points[r][j] && points[r][j] <= range.1 {
                            support += 1;
                            inside_held += usize::from(held[r]);
                        }
                    }
                    if support < min_support || support == current.support {
                        continue;
                    }
                    let mut bounds = current.bounds.clone();
                    bounds[j] = range;
                    let candidate = PrimBox {
                        bounds,
                        support,
                        coverage: inside_held as f64 / total_held as f64,
                        density: inside_held as f64 / support as f64,
                    };
                    let better = match &best {
                        None => true,
                        Some(b) => {
                            candidate.density > b.density
                                || (candidate.density == b.density && candidate.support > b.support)
                        }
                    };
                    if better {
                        best = Some(candidate);
                    }
                }
            }
            match best {
                Some(next) if next.density >= current.density => trajectory.push(next),
                _ => break,
            }
        }
    }
    let chosen = (total_held > 0).then(|| {
        let mut pick = 0;
        for (i, b) in trajectory.iter().enumerate() {
            let best = &trajectory[pick];
            if b.coverage >= MIN_COVERAGE
                && (b.density > best.density || (b.density == best.density && b.coverage > best.coverage))
            {
                pick = i;
            }
        }
        pick
    });
    let restricted = chosen.map_or_else(Vec::new, |c| {
        (0..dims).filter(|&j| trajectory[c].bounds[j] != full[j]).collect()
    });
    Discovery {
        overall,
        trajectory,
        chosen,
        restricted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::RunRng;

    /// y = 1 exactly when x0 > 0.7 and x1 < 0.5, x uniform on [0, 1]⁴: the densest box holding
    /// at least half of the runs where y = 1 is about x0 ∈ [0.7, 1], x1 ∈ [0, 0.5], where y = 1
    /// always (density 1 against 0.15 overall) and which holds (nearly) all of them.
    #[test]
    fn finds_the_box_where_the_outcome_lives() {
        let mut rng = RunRng::new(3, 0);
        let points: Vec<Vec<f64>> = (0..4000).map(|_| (0..4).map(|_| rng.uniform()).collect()).collect();
        let held: Vec<bool> = points.iter().map(|x| x[0] > 0.7 && x[1] < 0.5).collect();
        let found = discover(&points, &held);
        assert!((found.overall - 0.15).abs() < 0.02, "{}", found.overall);
        let chosen = &found.trajectory[found.chosen.unwrap()];
        assert_eq!(chosen.density, 1.0);
        assert!(chosen.coverage > 0.9, "coverage {}", chosen.coverage);
        assert!(found.restricted.contains(&0) && found.restricted.contains(&1));
        let (lo0, hi0) = chosen.bounds[0];
        let (lo1, hi1) = chosen.bounds[1];
        assert!((0.7..0.75).contains(&lo0) && hi0 > 0.99, "x0 in [{lo0}, {hi0}]");
        assert!(lo1 < 0.01 && (0.45..=0.5).contains(&hi1), "x1 in [{lo1}, {hi1}]");
        // Every box of the trajectory is as dense as the one before (peeling never loses density).
        assert!(found.trajectory.windows(2).all(|w| w[1].density >= w[0].density));
    }

    /// Coverage and density by hand on six points in one dimension.
    #[test]
    fn coverage_and_density_by_hand() {
        let points: Vec<Vec<f64>> = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6].iter().map(|&v| vec![v]).collect();
        let held = [false, false, true, false, true, true];
        let b = measure(&points, &held, &[(0.25, 0.6)], 3);
        // Inside: 0.3, 0.4, 0.5, 0.6 (4 runs), 3 of them held: density 3/4; all 3 held inside.
        assert_eq!((b.support, b.coverage, b.density), (4, 1.0, 0.75));
    }

    #[test]
    fn an_outcome_that_never_holds_has_no_box() {
        let points: Vec<Vec<f64>> = (0..50).map(|i| vec![i as f64]).collect();
        let found = discover(&points, &[false; 50]);
        assert_eq!((found.chosen, found.trajectory.len()), (None, 1));
    }

    /// The type-7 quantile by hand: h = (n − 1)·q, then x_⌊h⌋ + (h − ⌊h⌋)·(x_⌊h⌋+1 − x_⌊h⌋).
    #[test]
    fn quantiles_of_sorted_values_by_hand() {
        let x = [1.0, 2.0, 4.0, 8.0, 16.0];
        // q = 0.05: h = 0.2, 1 + 0.2·(2 − 1) = 1.2; q = 0.95: h = 3.8, 8 + 0.8·(16 − 8) = 14.4.
        assert!((quantile_of_sorted(&x, PEEL_ALPHA) - 1.2).abs() < 1e-12);
        assert!((quantile_of_sorted(&x, 1.0 - PEEL_ALPHA) - 14.4).abs() < 1e-12);
        assert_eq!(quantile_of_sorted(&x, 0.0), 1.0);
        assert_eq!(quantile_of_sorted(&x, 0.5), 4.0);
        assert_eq!(quantile_of_sorted(&x, 1.0), 16.0);
        // A single value is every quantile.
        assert_eq!(quantile_of_sorted(&[3.0], 0.95), 3.0);
        assert_eq!(quantile_of_sorted(&[3.0], 1.0), 3.0);
    }

    /// Shares of nothing are 0, not 0/0: no run where the outcome held (coverage), no run inside
    /// the box (density), no run at all (the overall share).
    #[test]
    fn shares_of_nothing_are_zero() {
        let points: Vec<Vec<f64>> = (0..5).map(|i| vec![i as f64]).collect();
        let b = measure(&points, &[false; 5], &[(0.0, 4.0)], 0);
        assert_eq!((b.support, b.coverage, b.density), (5, 0.0, 0.0));
        let b = measure(&points, &[true; 5], &[(10.0, 11.0)], 5);
        assert_eq!((b.support, b.coverage, b.density), (0, 0.0, 0.0));
        let found = discover(&[], &[]);
        assert_eq!((found.overall, found.chosen), (0.0, None));
        let whole = &found.trajectory[0];
        assert_eq!((whole.support, whole.coverage, whole.density), (0, 0.0, 0.0));
    }

    /// Peeling stops before the box holds fewer than 5 % of the runs: ⌈0.05·402⌉ = 21 of 402 runs
    /// at 0, 1, …, 401. The outcome holds at the top four, so every cut from below raises the share
    /// and only the support rule stops it. A cut keeps the values at or above the box's 5 % quantile
    /// (type 7): it removes the ⌈(s − 1)·0.05⌉ lowest of the box's s runs, so the supports are
    /// 402, 381, 362, …, 25, 23, 21, and the next cut would keep 20. Each box's coverage and density
    /// are counted here from its bounds.
    #[test]
    fn peeling_stops_before_five_percent_of_the_runs() {
        let points: Vec<Vec<f64>> = (0..402).map(|i| vec![i as f64]).collect();
        let held: Vec<bool> = (0..402).map(|i| i >= 398).collect();
        let found = discover(&points, &held);
        let supports: Vec<usize> = found.trajectory.iter().map(|b| b.support).collect();
        assert_eq!(supports[..3], [402, 381, 362], "{supports:?}");
        assert_eq!(supports[supports.len() - 3..], [25, 23, 21], "{supports:?}");
        for b in &found.trajectory {
            let (lo, hi) = b.bounds[0];
            assert_eq!(hi, 401.0);
            let inside = (0..402).filter(|&i| lo <= i as f64).count();
            assert_eq!(b.support, inside);
            assert_eq!((b.coverage, b.density), (1.0, 4.0 / inside as f64), "{b:?}");
        }
    }

    /// Ties between cuts of equal share go to the cut keeping more runs, then to the earlier
    /// dimension, low side first. Every run counts (the share is 1 whatever the cut) and run i is at
    /// (i/1000, ⌊i/40⌋): dimension 0's cuts each remove 50 runs (⌈999·0.05⌉); dimension 1's 5 % and
    /// 95 % quantiles are the values 1 and 23 themselves (runs 49, 50 and 949, 950 share them), so
    /// its cuts remove only the 40 runs at 0, or the 40 at 24. Its low side is taken: [1, 24].
    #[test]
    fn ties_between_cuts_go_to_more_runs_then_the_earlier_cut() {
        let points: Vec<Vec<f64>> = (0..1000).map(|i| vec![i as f64 / 1000.0, (i / 40) as f64]).collect();
        let found = discover(&points, &[true; 1000]);
        let first = &found.trajectory[1];
        assert_eq!(first.bounds, [(0.0, 0.999), (1.0, 24.0)]);
        assert_eq!((first.support, first.coverage, first.density), (960, 0.96, 1.0));
        // The next cut: dimension 1's low side removes the 40 runs at 1 and its high side the 40 at
        // 24 (920 kept), dimension 0's sides 48 each (⌈959·0.05⌉): dimension 1's low side again.
        let second = &found.trajectory[2];
        assert_eq!(second.bounds, [(0.0, 0.999), (2.0, 24.0)]);
        assert_eq!(second.support, 920);
    }
}
