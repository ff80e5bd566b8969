//! Sweeps: one or two assumptions over a grid of values, every other as given, one ensemble per
//! grid point (all with the same settings, so neighbouring points differ by the assumption, not by
//! their draws).
//!
//! A grid of n points runs from the low to the high end of the assumption's range, both included,
//! with the points in between snapped to the slider's step (and written at the step's precision,
//! so a value printed in a sweep, passed back with `--set`, gives the same numbers). Points that
//! snap to the same slider position are kept once, so a grid may have fewer than n points.

use serde::{Deserialize, Serialize};

use super::indicators::OutcomeRuns;
use crate::engine::{Proportion, Settings};
use crate::scenario::{Assumption, Scenario};

/// Most points on one axis.
pub const MAX_POINTS: usize = 201;

/// One swept assumption and its grid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    pub assumption: usize,
    pub values: Vec<f64>,
}

impl Axis {
    /// The assumption's grid of `points` (at least 2: the two ends).
    pub fn new(scenario: &Scenario, assumption: usize, points: usize) -> Self {
        Axis {
            assumption,
            values: grid(&scenario.assumptions[assumption], points),
        }
    }
}

/// `points` values from the low to the high end of the range, both exactly included, the interior
/// snapped to the slider step; duplicates after snapping removed.
pub fn grid(assumption: &Assumption, points: usize) -> Vec<f64> {
    assert!(
        (2..=MAX_POINTS).contains(&points),
        "a grid has 2 to {MAX_POINTS} points, not {points}"
    );
    let (low, high) = assumption.range;
    let decimals = assumption.decimals();
    let scale = 10f64.powi(decimals as i32);
    let mut values: Vec<f64> = (0..points)
        .map(|k| match k {
            0 => low,
            k if k == points - 1 => high,
            k => {
                let snapped = assumption.snap(low + (high - low) * k as f64 / (points - 1) as f64);
                // The decimal the slider shows, not 0.30000000000000004.
                ((snapped * scale).round() / scale).clamp(low, high)
            }
        })
        .collect();
    values.dedup();
    values
}

/// One grid point: the swept values (one per axis) and every assumption's value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepJob {
    pub point: Vec<f64>,
    pub values: Vec<f64>,
}

/// Every grid point, the first axis varying slowest.
pub fn sweep_jobs(values: &[f64], axes: &[Axis]) -> Vec<SweepJob> {
    let mut jobs = vec![SweepJob {
        point: Vec::new(),
        values: values.to_vec(),
    }];
    for axis in axes {
        jobs = jobs
            .into_iter()
            .flat_map(|job| {
                axis.values.iter().map(move |&value| {
                    let mut next = job.clone();
                    next.point.push(value);
                    next.values[axis.assumption] = value;
                    next
                })
            })
            .collect();
    }
    jobs
}

/// The outcomes at one grid point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepRow {
    pub point: Vec<f64>,
    /// Per outcome of the scenario, in file order.
    pub outcomes: Vec<Proportion>,
}

/// Runs one grid point (outcomes only).
pub fn run_point(scenario: &Scenario, settings: Settings, job: &SweepJob) -> SweepRow {
    let runs = OutcomeRuns::simulate(scenario.model(&job.values), settings);
    SweepRow {
        point: job.point.clone(),
        outcomes: (0..runs.outcome_count()).map(|o| runs.proportion(o)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::builtin;

    fn scenario() -> Scenario {
        builtin("sino-russian-drift").unwrap().unwrap()
    }

    #[test]
    fn grids_include_both_ends_and_sit_on_slider_steps() {
        let s = scenario();
        for assumption in &s.assumptions {
            for points in [2, 3, 7, 11] {
                let g = grid(assumption, points);
                assert_eq!(g[0], assumption.range.0, "{}", assumption.id);
                assert_eq!(*g.last().unwrap(), assumption.range.1, "{}", assumption.id);
                assert!(g.windows(2).all(|w| w[0] < w[1]), "{}: {g:?}", assumption.id);
                for &v in &g[1..g.len() - 1] {
                    let steps = (v - assumption.range.0) / assumption.step;
                    assert!(
                        (steps - steps.round()).abs() < 1e-6,
                        "{} {v} is off the step",
                        assumption.id
                    );
                    assert!(assumption.accepts(v));
                }
            }
        }
        let balance = &s.assumptions[s.assumption_index("model.balance").unwrap()];
        assert_eq!(grid(balance, 5), vec![0.0, 0.05, 0.1, 0.15, 0.2]);
    }

    #[test]
    fn grids_finer_than_the_step_drop_duplicates() {
        let mut a = scenario().assumptions[0].clone();
        a.range = (1.0, 3.0);
        a.step = 1.0;
        assert_eq!(grid(&a, 9), vec![1.0, 2.0, 3.0]);
    }

    #[test]
    fn two_axes_make_a_full_grid_with_the_first_varying_slowest() {
        let s = scenario();
        let axes = [Axis::new(&s, 0, 3), Axis::new(&s, 1, 2)];
        let jobs = sweep_jobs(&s.defaults(), &axes);
        assert_eq!(jobs.len(), 6);
        assert_eq!(jobs[0].point, vec![axes[0].values[0], axes[1].values[0]]);
        assert_eq!(jobs[1].point, vec![axes[0].values[0], axes[1].values[1]]);
        assert_eq!(jobs[5].point, vec![axes[0].values[2], axes[1].values[1]]);
        for job in &jobs {
            assert_eq!((job.values[0], job.values[1]), (job.point[0], job.point[1]));
            assert_eq!(job.values[2..], s.defaults()[2..]);
        }
    }

    #[test]
    fn the_end_points_are_the_ensembles_at_the_range_ends() {
        let s = scenario();
        let balance = s.assumption_index("model.balance").unwrap();
        let settings = Settings {
            seed: 6,
            runs: 200,
            horizon: 24,
        };
        let jobs = sweep_jobs(&s.defaults(), &[Axis::new(&s, balance, 3)]);
        let last = run_point(&s, settings, jobs.last().unwrap());
        let mut values = s.defaults();
        values[balance] = s.assumptions[balance].range.1;
        assert_eq!(
            last.outcomes,
            crate::engine::Ensemble::run(s.model(&values), settings).outcomes
        );
    }
}
