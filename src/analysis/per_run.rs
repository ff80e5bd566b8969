//! Ensembles in which every run has a model of its own: the runs over what we don't know
//! ([`super::uncertainty`]) and the matrices of a Sobol design ([`super::sobol`]), described as plain
//! data ([`PerRunJob`]) so that the command line's threads and the page's Web Workers build exactly
//! the same ensembles from it.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::indicators::OutcomeRuns;
use super::sobol::{Design, DesignRows, Factor, Matrix};
use super::uncertainty::{assumption_key, draws, fill_values_of_run, Draw};
use crate::engine::{Ensemble, Model, RandomTape, RunCache, Settings};
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
/// on it, only the work: what the runs' models derive ([`RunCache`]), the design's rows as
/// values ([`DesignRows`]), and matrix A's outputs (`KeptA`).
#[derive(Clone, Debug, Default)]
pub struct MatrixCache {
    pub runs: RunCache,
    pub rows: DesignRows,
    /// Boxed: the cache sits in every worker's job, and A's outputs are kilobytes.
    a: Option<Box<KeptA>>,
}

/// A finished ensemble's outcomes and the month each event first fired in each run: enough to
/// reuse its runs for an ensemble whose models differ only in effect sizes of events that did not
/// fire in them (on the same streams, those runs are the same runs, to the bit).
#[derive(Clone, Debug)]
struct FiredRuns {
    outcomes: OutcomeRuns,
    /// Run-major (runs × events): the month each event first fired in each run, 0 if it never did.
    first_fired: Vec<u32>,
    events: usize,
}

impl FiredRuns {
    fn of(ensemble: &Ensemble, events: usize) -> Self {
        FiredRuns {
            outcomes: OutcomeRuns::from_ensemble(ensemble),
            first_fired: ensemble.first_fired_months(),
            events,
        }
    }

    /// The runs in which one of `events` fired.
    fn rows_where_fired(&self, events: &[usize]) -> Vec<usize> {
        // With no events there is nothing to chunk (and chunks of 0 would panic): no row fired.
        let runs = self.first_fired.chunks_exact(self.events.max(1));
        (0..self.outcomes.runs())
            .zip(runs)
            .filter(|(_, first_fired)| events.iter().any(|&e| first_fired[e] != 0))
            .map(|(row, _)| row)
            .collect()
    }
}

/// Matrix A's runs, kept by each thread or worker for the matrices AB_g whose factor only sizes
/// some events' effects (jumps and shifts, [`ModelTemplate::events_sized_only_by`]): row j of AB_g
/// is row j of A with other effect sizes on the same noise stream, so where none of those events
/// fired in A's run j, AB_g's run j is the same run, to the bit, and is not run again.
#[derive(Clone, Debug)]
struct KeptA {
    /// What A's runs are made from (the rows of A do not depend on the factors).
    of: (Propagation, Settings),
    runs: FiredRuns,
}

/// Larger random tapes are not kept: a page's worker keeps its tape until its batch of the
/// tornado ends (the main ensemble's worker, until the next ensemble of another shape), and 2 000
/// runs of 36 months of the largest built-in take 18 MB.
pub const KEPT_TAPE_BYTES: usize = 64 << 20;

/// A plain ensemble's runs (run r on stream r, one model), kept for the ensembles of models that
/// differ from it only in some events' effect sizes, and its random numbers, for the others: the
/// tornado's base ([`plain_outcomes`]).
#[derive(Clone, Debug)]
pub struct KeptPlain {
    model: Model,
    settings: Settings,
    runs: FiredRuns,
    /// Every draw of the base's runs (`None` above [`KEPT_TAPE_BYTES`]): an ensemble of another
    /// model of the same shape reads the same numbers from it instead of drawing them again,
    /// which is about a quarter of its work.
    tape: Option<Arc<RandomTape>>,
}

impl KeptPlain {
    pub fn simulate(model: Model, settings: Settings) -> Self {
        let tape = RandomTape::draw_within(&model, settings, KEPT_TAPE_BYTES).map(Arc::new);
        let mut ensemble = outcomes_only(model.clone(), settings, tape.as_ref());
        ensemble.finish();
        let runs = FiredRuns::of(&ensemble, model.events.len());
        KeptPlain {
            model,
            settings,
            runs,
            tape,
        }
    }
}

/// [`Ensemble::outcomes_only`], reading `tape` where it holds this ensemble's draws.
fn outcomes_only(model: Model, settings: Settings, tape: Option<&Arc<RandomTape>>) -> Ensemble {
    match tape {
        Some(tape) => Ensemble::outcomes_only_from_tape(model, settings, tape.clone()),
        None => Ensemble::outcomes_only(model, settings),
    }
}

/// The outcomes-only ensemble of `model` (run r on stream r, as [`Ensemble::outcomes_only`]),
/// with `base`'s runs where they are its own: where `model` differs from `base`'s model only in
/// effect sizes of events that did not fire (`Model::differs_only_in_effects_of`). Otherwise, all
/// its runs, on `base`'s random tape where it has one of these settings.
pub fn plain_outcomes(model: Model, settings: Settings, base: Option<&KeptPlain>) -> PlanRun {
    let reused = base
        .filter(|base| base.settings == settings)
        .and_then(|base| Some((base, base.model.differs_only_in_effects_of(&model)?)));
    let Some((base, events)) = reused else {
        let tape = base.and_then(|base| base.tape.as_ref());
        return PlanRun::whole(outcomes_only(model, settings, tape));
    };
    let rows = base.runs.rows_where_fired(&events);
    PlanRun::of_rows(rows, base.runs.outcomes.clone(), |rows| {
        let runs: Vec<u64> = rows.iter().map(|&row| row as u64).collect();
        Ensemble::outcomes_only_of_runs(model, settings, &runs)
    })
}

/// The outcomes-only ensemble of one plan, running: [`PlanRun::advance`] it to the end, then
/// read its [`PlanRun::outcomes`]. Usually one ensemble of every row; for a Sobol matrix that
/// reuses A's runs (`KeptA`), an ensemble of the other rows only, or none.
pub struct PlanRun {
    ensemble: Option<Ensemble>,
    /// The rows the ensemble runs (its run i is row `rows[i]`), and the outcomes of every row
    /// that the others are taken from.
    rows_of: Option<(Vec<usize>, OutcomeRuns)>,
}

impl PlanRun {
    /// The ensemble's every run is a row.
    pub fn whole(ensemble: Ensemble) -> Self {
        PlanRun {
            ensemble: Some(ensemble),
            rows_of: None,
        }
    }

    /// Advances by at most about `max_runs` runs of a month (see [`Ensemble::advance`]); true
    /// once done.
    pub fn advance(&mut self, max_runs: usize) -> bool {
        self.ensemble
            .as_mut()
            .is_none_or(|ensemble| ensemble.advance(max_runs).is_done())
    }

    /// Advances to the end at once, for a caller that neither reports progress nor yields.
    pub fn finish(&mut self) {
        if let Some(ensemble) = &mut self.ensemble {
            ensemble.finish();
        }
    }

    /// An ensemble of `rows` alone (`build`'s run i is row `rows[i]`, on that row's stream), the
    /// other rows being those of `others`.
    fn of_rows(rows: Vec<usize>, others: OutcomeRuns, build: impl FnOnce(&[usize]) -> Ensemble) -> Self {
        PlanRun {
            ensemble: (!rows.is_empty()).then(|| build(&rows)),
            rows_of: Some((rows, others)),
        }
    }

    /// The indicators of every row, once [`PlanRun::advance`] returned true.
    pub fn outcomes(&self) -> OutcomeRuns {
        let run = self.ensemble.as_ref().map(OutcomeRuns::from_ensemble);
        match (&self.rows_of, run) {
            (None, Some(run)) => run,
            (Some((rows, others)), run) => {
                let mut outcomes = others.clone();
                if let Some(run) = run {
                    outcomes.set_runs(rows, &run);
                }
                outcomes
            }
            (None, None) => unreachable!("a plan run has an ensemble or the outcomes of its rows"),
        }
    }
}

/// The outcomes-only ensemble of `plan`, not yet run. A Sobol matrix keeps what it makes in
/// `cache`, so that the next matrix run with the same cache (on the same thread or worker) derives
/// only what its factor changes, and reuses A's runs where they are its own (`KeptA`).
pub fn outcomes(
    propagation: &Propagation,
    factors: &[Factor],
    settings: Settings,
    plan: Plan,
    cache: &mut MatrixCache,
) -> PlanRun {
    let sized_events = match plan {
        Plan::Sobol(Matrix::A) => Some(Vec::new()),
        Plan::Sobol(Matrix::Mixed(g)) if !factors[g].chance => {
            propagation.template.events_sized_only_by(&factors[g].assumptions)
        }
        Plan::Sobol(_) | Plan::Uncertain => None,
    };
    let Some(events) = sized_events else {
        return PlanRun::whole(ensemble(propagation, factors, settings, plan, None, cache));
    };
    let a = &kept_a(propagation, factors, settings, cache).runs;
    let (rows, others) = (a.rows_where_fired(&events), a.outcomes.clone());
    PlanRun::of_rows(rows, others, |rows| {
        ensemble(propagation, factors, settings, plan, Some(rows), cache)
    })
}

/// Matrix A's outputs for `propagation` and `settings`, run now unless `cache` holds them.
fn kept_a<'c>(
    propagation: &Propagation,
    factors: &[Factor],
    settings: Settings,
    cache: &'c mut MatrixCache,
) -> &'c KeptA {
    let held = cache
        .a
        .as_ref()
        .is_some_and(|a| a.of.1 == settings && a.of.0 == *propagation);
    if !held {
        let mut ensemble = ensemble(propagation, factors, settings, Plan::Sobol(Matrix::A), None, cache);
        ensemble.finish();
        cache.a = Some(Box::new(KeptA {
            of: (propagation.clone(), settings),
            runs: FiredRuns::of(&ensemble, propagation.template.event_count()),
        }));
    }
    cache.a.as_ref().expect("kept")
}

/// The outcomes-only ensemble of `plan`: of all N rows of a Sobol matrix (`settings.runs`), or of
/// the `only` ones, packed (its run i is then row `only[i]`, with that row's model and stream).
fn ensemble(
    propagation: &Propagation,
    factors: &[Factor],
    settings: Settings,
    plan: Plan,
    only: Option<&[usize]>,
    cache: &mut MatrixCache,
) -> Ensemble {
    let Propagation { template, draws, .. } = propagation;
    let base = template.model(&propagation.values);
    // Each run's uniforms and values go into buffers kept from run to run, and its model into the
    // lane's reused model (`Ensemble::per_run_filled`): no allocation per run.
    let mut values = vec![0.0; draws.len()];
    match plan {
        Plan::Uncertain => {
            let key = assumption_key(settings.seed);
            Ensemble::per_run_filled(base, settings, false, move |run, model| {
                fill_values_of_run(draws, key, run as u64, &mut values);
                template.fill(&values, model);
                run as u64
            })
        }
        Plan::Sobol(matrix) => {
            let design = Design::new(settings.seed, settings.runs);
            let MatrixCache { runs, rows, .. } = cache;
            let keep_rows = rows.prepare(&design, draws);
            let mut u = Vec::with_capacity(draws.len());
            let fill = move |run: usize, model: &mut Model| {
                let row = only.map_or(run, |only| only[run]);
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
            };
            match only {
                // Not through the run cache, which is kept by run number for matrices of every row.
                Some(only) => {
                    let subset = Settings {
                        runs: only.len(),
                        ..settings
                    };
                    Ensemble::per_run_filled(base, subset, false, fill)
                }
                None => Ensemble::per_run_cached(base, settings, false, runs, fill),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::sobol::{factors, matrices, GroupBy};
    use crate::scenario::builtin;

    /// Every row of every matrix of a design, through [`outcomes`] with one cache kept from matrix
    /// to matrix (A's runs reused where a factor only sizes events that did not fire), against that
    /// row run alone from its own model and stream. One cache goes through two scenarios and
    /// other values of the first, so A's runs kept for another state must not be read; grouped
    /// by source, a factor can size the effects of several events.
    #[test]
    fn matrices_reusing_a_give_every_row_its_own_run() {
        let mut cache = MatrixCache::default();
        let (mut some_rows_reused, mut every_row_reused) = (0, 0);
        let sino = builtin("sino-russian-drift").unwrap().unwrap();
        let lows: Vec<f64> = sino.assumptions.iter().map(|a| a.plausible_or_range().0).collect();
        let dprk = builtin("russia-dprk-alignment").unwrap().unwrap();
        for (scenario, values, by) in [
            (&sino, sino.defaults(), GroupBy::Assumption),
            (&dprk, dprk.defaults(), GroupBy::Assumption),
            (&sino, lows, GroupBy::Assumption),
            (&sino, sino.defaults(), GroupBy::Source),
        ] {
            let propagation = Propagation::new(scenario, &values);
            let settings = Settings {
                seed: 5,
                runs: 40,
                horizon: 36,
            };
            let mut factors = factors(scenario, &values, by);
            // A group of two events' jumps: its rows run where either event fired.
            let jumps: Vec<usize> = [
                "event.ukraine-settlement.jump.RUS-UKR",
                "event.central-asia-friction.jump.RUS-CHN",
            ]
            .iter()
            .filter_map(|id| scenario.assumptions.iter().position(|a| a.id == *id))
            .collect();
            if jumps.len() == 2 {
                factors.push(Factor {
                    id: "two-events".into(),
                    assumptions: jumps,
                    chance: false,
                });
            }
            let design = Design::new(settings.seed, settings.runs);
            for matrix in matrices(&factors) {
                let mut run = outcomes(&propagation, &factors, settings, Plan::Sobol(matrix), &mut cache);
                run.finish();
                match &run.rows_of {
                    Some((rows, _)) if rows.is_empty() => every_row_reused += 1,
                    Some((rows, _)) if rows.len() < settings.runs => some_rows_reused += 1,
                    _ => {}
                }
                let got = run.outcomes();
                for row in 0..settings.runs {
                    let (u, stream) = design.point(&factors, matrix, row, propagation.draws.len());
                    let row_values: Vec<f64> = propagation.draws.iter().zip(&u).map(|(d, &u)| d.at(u)).collect();
                    let model = propagation.template.model(&row_values);
                    let alone = Settings { runs: 1, ..settings };
                    let mut ensemble = Ensemble::per_run(model.clone(), alone, false, |_| (model.clone(), stream));
                    ensemble.finish();
                    let want = OutcomeRuns::from_ensemble(&ensemble);
                    for outcome in 0..want.outcome_count() {
                        assert_eq!(
                            got.held(outcome, row),
                            want.held(outcome, 0),
                            "{} by {by:?}: {matrix:?}, row {row}, outcome {outcome}",
                            scenario.id
                        );
                    }
                }
            }
        }
        // The reuse did happen: matrices with some rows run and some taken from A, and matrices
        // (an event that fired in none of A's 40 runs) with none run at all.
        assert!(some_rows_reused >= 20, "{some_rows_reused} matrices ran only some rows");
        assert!(every_row_reused >= 1, "{every_row_reused} matrices ran no row");
    }

    /// Every tornado job of every built-in through [`plain_outcomes`] with the base's runs kept,
    /// against the job's plain ensemble; the jobs that move an effect size run only some runs.
    #[test]
    fn tornado_jobs_reusing_the_base_give_the_plain_ensembles_runs() {
        let settings = Settings {
            seed: 11,
            runs: 200,
            horizon: 36,
        };
        for id in crate::scenario::BUILTIN_IDS {
            let scenario = builtin(id).unwrap().unwrap();
            let jobs = crate::analysis::sensitivity::tornado_jobs(&scenario, &scenario.defaults());
            let base = KeptPlain::simulate(jobs[0].model(&scenario), settings);
            let (mut some_runs_reused, mut on_the_tape) = (0, 0);
            for job in &jobs {
                let model = job.model(&scenario);
                let mut run = plain_outcomes(model.clone(), settings, Some(&base));
                on_the_tape += usize::from(run.ensemble.as_ref().is_some_and(Ensemble::reads_a_tape));
                run.finish();
                if run
                    .rows_of
                    .as_ref()
                    .is_some_and(|(rows, _)| !rows.is_empty() && rows.len() < settings.runs)
                {
                    some_runs_reused += 1;
                }
                let mut plain = Ensemble::outcomes_only(model, settings);
                plain.finish();
                assert_eq!(
                    run.outcomes(),
                    OutcomeRuns::from_ensemble(&plain),
                    "{id}: {:?}",
                    job.probe
                );
            }
            // Two ends of each effect size whose event fires in some of the base's runs.
            assert!(
                some_runs_reused >= 20,
                "{id}: {some_runs_reused} jobs ran only some runs"
            );
            // The jobs that run all their runs read the base's tape (each built-in has more than
            // 40 assumptions that are not effect sizes).
            assert!(on_the_tape >= 80, "{id}: {on_the_tape} jobs read the tape");
            // The base itself is the base's runs; another seed is not.
            let other = Settings { seed: 12, ..settings };
            assert!(plain_outcomes(jobs[0].model(&scenario), other, Some(&base))
                .rows_of
                .is_none());
        }
    }
}
