//! How an outcome's estimate settles as runs accumulate, and when it is too noisy to read.
//!
//! Run r draws from its own stream (seed, r), so the first k runs of an ensemble of N are exactly
//! an ensemble of k: the trace at k is what the user would have seen with k runs, not an artefact
//! of ordering.
//!
//! **Too noisy to read** (the rule shown next to every probability): a Monte Carlo standard error
//! above [`NOISY_STD_ERROR`], 3 percentage points, i.e. a 95 % interval wider than about ±6 points.
//! A proportion's error is at most 0.5/sqrt(N), so this only happens below about 280 runs. And
//! **too rare to read**: fewer than [`MIN_RUNS_EACH_WAY`] runs on either side of the question
//! (held or not held), where the error sqrt(p(1 − p)/N) itself is unreliable (it is 0 when no run
//! holds, which does not mean the probability is 0).

use serde::{Deserialize, Serialize};

use super::indicators::OutcomeRuns;
use crate::engine::Proportion;

/// A standard error above this (in probability) is too large to read the estimate.
pub const NOISY_STD_ERROR: f64 = 0.03;
/// Below this many runs holding (or not holding), the standard error is itself unreliable.
pub const MIN_RUNS_EACH_WAY: usize = 10;

/// Whether an estimate with this standard error is too noisy to read.
pub fn too_noisy(std_error: f64) -> bool {
    std_error > NOISY_STD_ERROR
}

/// Whether too few runs fall on one side for the standard error to be trusted.
pub fn too_rare(estimate: &Proportion, runs: usize) -> bool {
    estimate.count < MIN_RUNS_EACH_WAY || runs - estimate.count.min(runs) < MIN_RUNS_EACH_WAY
}

/// What a reader should know before reading an estimate of `runs` runs closely, if anything: the
/// one wording the page and the command line print next to a probability.
pub fn caveat(estimate: &Proportion, runs: usize) -> Option<String> {
    if too_noisy(estimate.std_error) {
        Some(format!(
            "too few runs to read closely: the error is over {:.0} points",
            100.0 * NOISY_STD_ERROR
        ))
    } else if too_rare(estimate, runs) {
        let side = if estimate.count < MIN_RUNS_EACH_WAY {
            "hold"
        } else {
            "fail"
        };
        Some(format!(
            "too rare to read closely: fewer than {MIN_RUNS_EACH_WAY} runs {side}, so the ± is itself unreliable"
        ))
    } else {
        None
    }
}

/// The estimate after the first `runs` runs.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TracePoint {
    pub runs: usize,
    pub estimate: Proportion,
}

/// Run counts at which the trace is taken: 100, 200, 500, 1 000, 2 000, 5 000, … below `total`,
/// then `total` itself.
pub fn checkpoints(total: usize) -> Vec<usize> {
    let mut points = Vec::new();
    let mut decade = 100;
    'decades: loop {
        for factor in [1, 2, 5] {
            let k = decade * factor;
            if k >= total {
                break 'decades;
            }
            points.push(k);
        }
        decade *= 10;
    }
    if total > 0 {
        points.push(total);
    }
    points
}

/// The running estimate of `outcome` at each of the [`checkpoints`].
pub fn trace(runs: &OutcomeRuns, outcome: usize) -> Vec<TracePoint> {
    checkpoints(runs.runs())
        .into_iter()
        .map(|k| TracePoint {
            runs: k,
            estimate: Proportion::of(runs.count_in_first(outcome, k), k),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Ensemble, Settings};
    use crate::scenario::builtin;

    #[test]
    fn checkpoints_follow_one_two_five() {
        assert_eq!(checkpoints(2000), vec![100, 200, 500, 1000, 2000]);
        assert_eq!(checkpoints(2500), vec![100, 200, 500, 1000, 2000, 2500]);
        assert_eq!(
            checkpoints(100_000),
            vec![100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000]
        );
        assert_eq!(checkpoints(60), vec![60]);
        assert!(checkpoints(0).is_empty());
    }

    /// The trace at k runs is the estimate an ensemble of k runs reports, and its error shrinks.
    #[test]
    fn the_trace_is_what_smaller_ensembles_report() {
        let scenario = builtin("us-russia-rapprochement").unwrap().unwrap();
        let model = scenario.model(&scenario.defaults());
        let settings = Settings {
            seed: 2,
            runs: 2000,
            horizon: 36,
        };
        let indicators = OutcomeRuns::simulate(model.clone(), settings);
        let outcome = (0..indicators.outcome_count())
            .max_by(|&a, &b| {
                indicators
                    .proportion(a)
                    .std_error
                    .total_cmp(&indicators.proportion(b).std_error)
            })
            .unwrap();
        let trace = trace(&indicators, outcome);
        for point in [trace[0], trace[2]] {
            let smaller = Ensemble::run(
                model.clone(),
                Settings {
                    runs: point.runs,
                    ..settings
                },
            );
            assert_eq!(point.estimate, smaller.outcomes[outcome], "at {} runs", point.runs);
        }
        assert_eq!(trace.last().unwrap().estimate, indicators.proportion(outcome));
        let errors: Vec<f64> = trace.iter().map(|p| p.estimate.std_error).collect();
        assert!(errors.windows(2).all(|w| w[1] < w[0]), "errors shrink: {errors:?}");
        // sqrt(N) scaling: 20 times the runs, about a 4.5th of the error.
        let ratio = errors[0] / errors[errors.len() - 1];
        assert!((3.0..6.5).contains(&ratio), "{ratio}");
    }

    #[test]
    fn noise_and_rarity_rules() {
        assert!(too_noisy(Proportion::of(125, 250).std_error), "250 runs at p = 0.5");
        assert!(!too_noisy(Proportion::of(1000, 2000).std_error));
        assert!(too_rare(&Proportion::of(0, 2000), 2000));
        // 0 % ± 0.0 is the case the error itself hides: it gets the rare caveat, naming the side.
        let zero = caveat(&Proportion::of(0, 2000), 2000).expect("0 of 2000 is too rare");
        assert!(zero.contains("fewer than 10 runs hold"), "{zero}");
        let all = caveat(&Proportion::of(1995, 2000), 2000).expect("5 misses of 2000 is too rare");
        assert!(all.contains("fewer than 10 runs fail"), "{all}");
        assert_eq!(caveat(&Proportion::of(10, 2000), 2000), None, "10 each way is enough");
        assert_eq!(caveat(&Proportion::of(1990, 2000), 2000), None);
        // Noise comes first: 50 % of 100 runs has an error of 5 points.
        let noisy = caveat(&Proportion::of(50, 100), 100).expect("noisy");
        assert!(noisy.contains("over 3 points"), "{noisy}");
        assert!(too_rare(&Proportion::of(1995, 2000), 2000));
        assert!(!too_rare(&Proportion::of(40, 2000), 2000));
    }
}
