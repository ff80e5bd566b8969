//! Ensembles in which every run has a model of its own: the runs over what we don't know
//! ([`super::uncertainty`]) and the matrices of a Sobol design ([`super::sobol`]), described as plain
//! data ([`PerRunJob`]) so that the command line's threads and the page's Web Workers build exactly
//! the same ensembles from it.

use serde::{Deserialize, Serialize};

use super::sobol::{Design, Factor, Matrix};
use super::uncertainty::{assumption_key, draws, values_of_run, Draw};
use crate::engine::{Ensemble, Model, Settings};
use crate::scenario::{ModelTemplate, Scenario};

/// What a run's model is made from: the scenario's template, and each assumption's distribution
/// around its current value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Propagation {
    pub template: ModelTemplate,
    pub draws: Vec<Draw>,
    /// The current values (the modes of the draws).
    pub values: Vec<f64>,
}

impl Propagation {
    pub fn new(scenario: &Scenario, values: &[f64]) -> Self {
        Propagation {
            template: scenario.template(),
            draws: draws(scenario, values),
            values: values.to_vec(),
        }
    }

    /// The model with every assumption at quantile `u[i]` of its distribution.
    pub fn model_at(&self, u: &[f64]) -> Model {
        let values: Vec<f64> = self.draws.iter().zip(u).map(|(draw, &u)| draw.at(u)).collect();
        self.template.model(&values)
    }
}

/// One ensemble of per-run models.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Plan {
    /// Run r draws its assumptions from stream r of the assumption key, on the noise stream r
    /// (`run --uncertain`).
    Uncertain,
    /// The rows of one matrix of the Sobol design (settings.runs rows).
    Sobol(Matrix),
}

/// A batch of per-run ensembles of one scenario state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PerRunJob {
    pub propagation: Propagation,
    /// The Sobol factors the plans' matrices refer to (empty for `Uncertain` alone).
    pub factors: Vec<Factor>,
    pub plans: Vec<Plan>,
}

/// The ensemble of `plan`, not yet run (`full`: fan-chart bands and blocs too, else outcomes and
/// events only).
pub fn ensemble(propagation: &Propagation, factors: &[Factor], settings: Settings, plan: Plan, full: bool) -> Ensemble {
    let base = propagation.template.model(&propagation.values);
    match plan {
        Plan::Uncertain => {
            let key = assumption_key(settings.seed);
            Ensemble::per_run(base, settings, full, |run| {
                let values = values_of_run(&propagation.draws, key, run as u64);
                (propagation.template.model(&values), run as u64)
            })
        }
        Plan::Sobol(matrix) => {
            let design = Design::new(settings.seed, settings.runs);
            let columns = propagation.draws.len();
            Ensemble::per_run(base, settings, full, |row| {
                let (u, stream) = design.point(factors, matrix, row, columns);
                (propagation.model_at(&u), stream)
            })
        }
    }
}
