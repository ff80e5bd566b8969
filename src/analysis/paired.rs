//! The difference between two outcome probabilities estimated on the same runs.
//!
//! With indicators x_r (state A) and y_r (state B) of the same run r, the difference of the
//! probabilities is the mean of d_r = y_r − x_r, and its Monte Carlo standard error is
//! sd(d) / sqrt(N), with the same population variance (divide by N) the engine uses for a single
//! probability, sqrt(p(1 − p)/N). Runs that agree contribute d_r = 0, so when a change only alters a
//! few runs the paired error is small, where the error of two independent estimates,
//! sqrt(p_a(1 − p_a)/N + p_b(1 − p_b)/N), would be as large as each estimate's own.

use serde::{Deserialize, Serialize};

use super::indicators::OutcomeRuns;

/// B − A for one outcome, from run-by-run paired indicators.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairedDifference {
    /// p_B − p_A.
    pub delta: f64,
    /// Standard error of `delta` from the per-run differences (common random numbers).
    pub std_error: f64,
    /// What the standard error would be if A and B had been run on independent draws; shown to
    /// make the gain from pairing visible, never used for decisions.
    pub unpaired_std_error: f64,
    /// Runs where the outcome held in B but not in A, and in A but not in B.
    pub gained: usize,
    pub lost: usize,
}

impl PairedDifference {
    /// Outcome `outcome_a` of `a` against outcome `outcome_b` of `b`; both ensembles must have
    /// the same number of runs (and, for the pairing to mean anything, the same seed).
    pub fn of(a: &OutcomeRuns, outcome_a: usize, b: &OutcomeRuns, outcome_b: usize) -> Self {
        let runs = a.runs();
        let count_a = a.count(outcome_a);
        let count_b = b.count(outcome_b);
        let both = a.count_both(outcome_a, b, outcome_b);
        Self::from_counts(runs, count_a, count_b, both)
    }

    /// From the counts of runs where A held, B held, and both held.
    pub fn from_counts(runs: usize, count_a: usize, count_b: usize, both: usize) -> Self {
        let gained = count_b - both;
        let lost = count_a - both;
        if runs == 0 {
            return PairedDifference {
                delta: 0.0,
                std_error: 0.0,
                unpaired_std_error: 0.0,
                gained,
                lost,
            };
        }
        let n = runs as f64;
        // As the two proportions are computed, so that delta is exactly p_B − p_A as shown.
        let (p_a, p_b) = (count_a as f64 / n, count_b as f64 / n);
        let delta = p_b - p_a;
        // E[d²] − E[d]², with d ∈ {−1, 0, 1}; clamped against rounding just below zero.
        let variance = ((gained + lost) as f64 / n - delta * delta).max(0.0);
        PairedDifference {
            delta,
            std_error: (variance / n).sqrt(),
            unpaired_std_error: ((p_a * (1.0 - p_a) + p_b * (1.0 - p_b)) / n).sqrt(),
            gained,
            lost,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs_of(column: &[bool]) -> OutcomeRuns {
        OutcomeRuns::from_states(column, column.len())
    }

    #[test]
    fn a_state_against_itself_differs_by_nothing() {
        let x: Vec<bool> = (0..500).map(|r| r % 3 == 0).collect();
        let d = PairedDifference::of(&runs_of(&x), 0, &runs_of(&x), 0);
        assert_eq!((d.delta, d.std_error, d.gained, d.lost), (0.0, 0.0, 0, 0));
        assert!(
            d.unpaired_std_error > 0.02,
            "independent draws would not cancel: {}",
            d.unpaired_std_error
        );
    }

    #[test]
    fn matches_the_textbook_formula() {
        let x: Vec<bool> = (0..400).map(|r| r % 4 == 0).collect();
        let y: Vec<bool> = (0..400).map(|r| r % 4 == 0 || r % 10 == 1).collect();
        let d = PairedDifference::of(&runs_of(&x), 0, &runs_of(&y), 0);
        let diffs: Vec<f64> = x
            .iter()
            .zip(&y)
            .map(|(&a, &b)| b as u8 as f64 - a as u8 as f64)
            .collect();
        let n = diffs.len() as f64;
        let mean = diffs.iter().sum::<f64>() / n;
        let variance = diffs.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / n;
        assert!((d.delta - mean).abs() < 1e-15);
        assert!((d.std_error - (variance / n).sqrt()).abs() < 1e-15);
        assert_eq!((d.gained, d.lost), (y.iter().filter(|&&b| b).count() - 100, 0));
    }
}
