//! Ensembles in which every run has a model of its own: the runs over what we don't know
//! ([`super::uncertainty`]) and the matrices of a Sobol design ([`super::sobol`]), described as plain
//! data ([`PerRunJob`]) so that the command line's threads and the page's Web Workers build exactly
//! the same ensembles from it.

use serde::{Deserialize, Serialize};

use super::sobol::{Design, DesignRows, Factor, Matrix};
use super::uncertainty::{assumption_key, draws, fill_values_of_run, Draw};
use crate::engine::{Ensemble, RunCache, Settings};
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

/// What one thread or worker keeps from one Sobol matrix to the next; the numbers never depend
/// on it, only the work: what the runs' models derive ([`RunCache`]), and the design's rows as
/// values ([`DesignRows`]).
#[derive(Clone, Debug, Default)]
pub struct MatrixCache {
    pub runs: RunCache,
    pub rows: DesignRows,
}

/// The ensemble of `plan`, not yet run (`full`: fan-chart bands and blocs too, else outcomes and
/// events only). A Sobol matrix keeps what it makes in `cache`, so that the next matrix run with
/// the same cache (on the same thread or worker) derives only what its factor changes.
pub fn ensemble(
    propagation: &Propagation,
    factors: &[Factor],
    settings: Settings,
    plan: Plan,
    full: bool,
    cache: &mut MatrixCache,
) -> Ensemble {
    let base = propagation.template.model(&propagation.values);
    let Propagation { template, draws, .. } = propagation;
    // Each run's uniforms and values go into buffers kept from run to run, and its model into the
    // lane's reused model (`Ensemble::per_run_filled`): no allocation per run.
    let mut values = vec![0.0; draws.len()];
    match plan {
        Plan::Uncertain => {
            let key = assumption_key(settings.seed);
            Ensemble::per_run_filled(base, settings, full, move |run, model| {
                fill_values_of_run(draws, key, run as u64, &mut values);
                template.fill(&values, model);
                run as u64
            })
        }
        Plan::Sobol(matrix) => {
            let design = Design::new(settings.seed, settings.runs);
            let MatrixCache { runs, rows } = cache;
            let keep_rows = rows.prepare(&design, draws);
            let mut u = Vec::with_capacity(draws.len());
            Ensemble::per_run_cached(base, settings, full, runs, move |row, model| {
                let stream = if keep_rows {
                    rows.values_into(factors, matrix, row, &mut values)
                } else {
                    let stream = design.point_into(factors, matrix, row, draws.len(), &mut u);
                    for ((value, draw), &u) in values.iter_mut().zip(draws).zip(&u) {
                        *value = draw.at(u);
                    }
                    stream
                };
                template.fill(&values, model);
                stream
            })
        }
    }
}
