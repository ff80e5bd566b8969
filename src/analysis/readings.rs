//! What is read from a finished ensemble's runs besides its summary, at no extra runs: outcomes
//! conditional on events ([`super::conditional`]) and the blocs' leans ([`super::leans`]). The
//! command line's `run` and the page's worker both read them here.

use serde::{Deserialize, Serialize};

use super::conditional::{conditional_outcomes, ConditionalOutcome};
use super::leans::{read_blocs_of_splits, BlocReading};
use crate::engine::Ensemble;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunReadings {
    /// Every event × outcome, event-major.
    pub conditional: Vec<ConditionalOutcome>,
    pub blocs: BlocReading,
}

impl RunReadings {
    /// The readings of a finished full ensemble; `weights_of(run)` is the capability weights run
    /// `run` used.
    pub fn of<'a>(ensemble: &Ensemble, weights_of: impl Fn(usize) -> &'a [f64]) -> Self {
        let runs = ensemble.progress().runs;
        RunReadings {
            conditional: conditional_outcomes(ensemble.outcome_states(), &ensemble.first_fired_months(), runs),
            blocs: read_blocs_of_splits(ensemble.two_best_splits(), &ensemble.alignments(), runs, weights_of),
        }
    }
}
