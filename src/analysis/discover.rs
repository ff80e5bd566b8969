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

/// The value at quantile `q` (type 7) of sorted values.
fn quantile_of_sorted(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lower = h.floor() as usize;
    let upper = (lower + 1).min(sorted.len() - 1);
    sorted[lower] + (h - lower as f64) * (sorted[upper] - sorted[lower])
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
                values.sort_by(f64::total_cmp);
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
}
