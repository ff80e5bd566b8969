//! Per-run outcome indicators of one ensemble: whether each outcome held in each run.
//!
//! They are the raw material of every paired analysis: two ensembles with the same settings draw
//! run r from the same random stream, so comparing their indicators run by run separates the effect
//! of a change from sampling noise. Stored as one bit per run (a few hundred bytes for 2 000 runs and
//! a handful of outcomes), cheap to send back from a Web Worker or a thread.

use serde::{Deserialize, Serialize};

use crate::engine::{Ensemble, Model, Proportion, Settings};

const WORD_BITS: usize = 32;

/// Whether each outcome held in each run of one finished ensemble.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeRuns {
    runs: usize,
    /// Per outcome, run r is bit r % 32 of word r / 32 (32-bit words so that the page can pass
    /// them through JavaScript numbers unchanged). Bits past the last run are zero.
    columns: Vec<Vec<u32>>,
}

impl OutcomeRuns {
    /// Runs an outcomes-only ensemble of `model` to the end and keeps its indicators.
    ///
    /// The runs are exactly those of [`Ensemble::new`] with the same settings, so the probabilities
    /// equal those of the full summary.
    pub fn simulate(model: Model, settings: Settings) -> Self {
        let mut ensemble = Ensemble::outcomes_only(model, settings);
        ensemble.finish();
        Self::from_ensemble(&ensemble)
    }

    /// The indicators of a finished ensemble (full or outcomes-only). Call it once
    /// [`Ensemble::advance`] reports the ensemble done: before that, "at the horizon" outcomes have
    /// not been decided yet.
    pub fn from_ensemble(ensemble: &Ensemble) -> Self {
        debug_assert!(ensemble.progress().is_done(), "indicators of an unfinished ensemble");
        Self::from_states(ensemble.outcome_states(), ensemble.progress().runs)
    }

    /// From run-major states (runs × outcomes), as [`Ensemble::outcome_states`] gives them.
    pub fn from_states(states: &[bool], runs: usize) -> Self {
        let outcomes = states.len().checked_div(runs).unwrap_or(0);
        assert_eq!(outcomes * runs, states.len(), "states must be runs × outcomes");
        let words = runs.div_ceil(WORD_BITS);
        let mut columns = vec![vec![0u32; words]; outcomes];
        for (run, row) in states.chunks_exact(outcomes.max(1)).enumerate().take(runs) {
            for (column, &held) in columns.iter_mut().zip(row) {
                if held {
                    column[run / WORD_BITS] |= 1 << (run % WORD_BITS);
                }
            }
        }
        OutcomeRuns { runs, columns }
    }

    pub fn runs(&self) -> usize {
        self.runs
    }

    pub fn outcome_count(&self) -> usize {
        self.columns.len()
    }

    /// Whether `outcome` held in `run`.
    pub fn held(&self, outcome: usize, run: usize) -> bool {
        assert!(run < self.runs, "run {run} of {}", self.runs);
        self.columns[outcome][run / WORD_BITS] >> (run % WORD_BITS) & 1 == 1
    }

    /// Takes run `rows[i]`'s indicators from run i of `from`, for every i (the rows of a Sobol
    /// matrix that were run, the others being another matrix's to the bit).
    pub fn set_runs(&mut self, rows: &[usize], from: &OutcomeRuns) {
        assert_eq!(rows.len(), from.runs, "one row per run of `from`");
        assert_eq!(self.columns.len(), from.columns.len(), "the same outcomes");
        for (column, from_column) in self.columns.iter_mut().zip(&from.columns) {
            for (i, &row) in rows.iter().enumerate() {
                assert!(row < self.runs, "row {row} of {}", self.runs);
                let held = from_column[i / WORD_BITS] >> (i % WORD_BITS) & 1;
                let word = &mut column[row / WORD_BITS];
                *word = *word & !(1 << (row % WORD_BITS)) | held << (row % WORD_BITS);
            }
        }
    }

    /// Runs in which `outcome` held.
    pub fn count(&self, outcome: usize) -> usize {
        self.count_in_first(outcome, self.runs)
    }

    /// Runs among the first `runs` in which `outcome` held (for convergence traces: the first k
    /// runs of an ensemble are exactly the runs of an ensemble of k).
    pub fn count_in_first(&self, outcome: usize, runs: usize) -> usize {
        let runs = runs.min(self.runs);
        let column = &self.columns[outcome];
        let full = runs / WORD_BITS;
        let mut count: usize = column[..full].iter().map(|w| w.count_ones() as usize).sum();
        let rest = runs % WORD_BITS;
        if rest > 0 {
            count += (column[full] & ((1u32 << rest) - 1)).count_ones() as usize;
        }
        count
    }

    /// The outcome's probability with its Monte Carlo standard error, exactly as the ensemble's
    /// summary reports it.
    pub fn proportion(&self, outcome: usize) -> Proportion {
        Proportion::of(self.count(outcome), self.runs)
    }

    /// Runs in which `outcome` held here and `other_outcome` held in `other`, run by run.
    pub(crate) fn count_both(&self, outcome: usize, other: &OutcomeRuns, other_outcome: usize) -> usize {
        assert_eq!(self.runs, other.runs, "paired indicators need the same runs");
        self.columns[outcome]
            .iter()
            .zip(&other.columns[other_outcome])
            .map(|(a, b)| (a & b).count_ones() as usize)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::builtin;

    #[test]
    fn bits_round_trip_and_counts_respect_prefixes() {
        let runs = 70;
        let states: Vec<bool> = (0..runs * 2).map(|i| (i * 7) % 3 == 0).collect();
        let indicators = OutcomeRuns::from_states(&states, runs);
        assert_eq!(indicators.outcome_count(), 2);
        for run in 0..runs {
            for outcome in 0..2 {
                assert_eq!(indicators.held(outcome, run), states[run * 2 + outcome]);
            }
        }
        for k in [0, 1, 31, 32, 33, 64, 70] {
            let expected = (0..k).filter(|&r| states[r * 2 + 1]).count();
            assert_eq!(indicators.count_in_first(1, k), expected, "first {k}");
        }
    }

    #[test]
    fn set_runs_takes_each_listed_row_from_the_other_runs_and_leaves_the_rest() {
        let runs = 70;
        let states: Vec<bool> = (0..runs * 2).map(|i| (i * 7) % 3 == 0).collect();
        let mut indicators = OutcomeRuns::from_states(&states, runs);
        let rows = [0, 5, 31, 32, 33, 69];
        let others: Vec<bool> = (0..rows.len() * 2).map(|i| i % 4 != 1).collect();
        indicators.set_runs(&rows, &OutcomeRuns::from_states(&others, rows.len()));
        for run in 0..runs {
            for outcome in 0..2 {
                let expected = match rows.iter().position(|&r| r == run) {
                    Some(i) => others[i * 2 + outcome],
                    None => states[run * 2 + outcome],
                };
                assert_eq!(indicators.held(outcome, run), expected, "run {run}, outcome {outcome}");
            }
        }
    }

    #[test]
    fn probabilities_equal_those_of_the_full_summary() {
        let scenario = builtin("sino-russian-drift").unwrap().unwrap();
        let settings = Settings {
            seed: 3,
            runs: 300,
            horizon: 24,
        };
        let model = scenario.model(&scenario.defaults());
        let summary = Ensemble::run(model.clone(), settings);
        let indicators = OutcomeRuns::simulate(model, settings);
        let proportions: Vec<Proportion> = (0..indicators.outcome_count())
            .map(|o| indicators.proportion(o))
            .collect();
        assert_eq!(proportions, summary.outcomes);
    }
}
