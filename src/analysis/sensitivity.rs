//! The sensitivity tornado: how far each assumption moves an outcome's probability when it is set
//! to the low and to the high end of its plausible range (the slider range where the file gives
//! none), everything else as the user has it.
//!
//! Three steps, so that the work can be spread over Web Workers or threads:
//! 1. [`tornado_jobs`] lists the ensembles to run: the base (the current values) and, per
//!    assumption, its low end and its high end. An end equal to the current value is not listed
//!    (its ensemble would be the base's, run for run).
//! 2. [`run_job`] runs one of them, outcomes only, keeping per-run indicators. All jobs use the
//!    same settings, hence the same seed and per-run streams (common random numbers), so
//!    [`run_job_reusing`] reruns an end of an effect size only where its event fired in the base.
//! 3. [`assemble`] turns the results into the ranked bars of one outcome. The job results serve
//!    every outcome, so switching the outcome shown needs no new runs.
//!
//! The swing of a bar is |p(high) − p(low)|; its standard error comes from the per-run paired
//! differences (see [`paired`](super::paired)), so a bar longer than its error bar is an effect of
//! the assumption, not sampling noise.
//!
//! **Influential** (the rule the page and the command line both show): the swing is at least
//! [`INFLUENTIAL_SWING`] (5 percentage points) *and* at least [`NOISE_MULTIPLE`] (2) paired
//! standard errors. A bar is **flagged** when it is influential and its assumption has low
//! confidence: where better evidence would matter most.

use serde::{Deserialize, Serialize};

use super::indicators::OutcomeRuns;
use super::paired::PairedDifference;
use super::per_run::{plain_outcomes, KeptPlain};
use crate::engine::{Model, Proportion, Settings};
use crate::scenario::{Confidence, Scenario};

/// A swing below this (in probability) is not called influential, however certain.
pub const INFLUENTIAL_SWING: f64 = 0.05;
/// A swing must also be at least this many paired standard errors to be called influential.
pub const NOISE_MULTIPLE: f64 = 2.0;

/// Which end of an assumption's range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum End {
    Low,
    High,
}

/// What one job's ensemble stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Probe {
    /// Every assumption at its current value.
    Base,
    /// One assumption at one end of its range, every other at its current value.
    End { assumption: usize, end: End },
}

/// One ensemble to run: what it stands for and the value of every assumption.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TornadoJob {
    pub probe: Probe,
    pub values: Vec<f64>,
}

impl TornadoJob {
    /// The engine model of this job (the page may build it on the UI thread and send only the
    /// model to a worker).
    pub fn model(&self, scenario: &Scenario) -> Model {
        scenario.model(&self.values)
    }
}

/// What a job produced: the per-run indicators of every outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobResult {
    pub probe: Probe,
    pub runs: OutcomeRuns,
}

/// The value of an assumption at one end of its plausible range (its slider range when the file
/// gives no plausible range): the tornado swings each assumption over the values the modeller would
/// not be surprised by, not over everything a slider allows.
pub fn end_value(scenario: &Scenario, assumption: usize, end: End) -> f64 {
    let range = scenario.assumptions[assumption].plausible_or_range();
    match end {
        End::Low => range.0,
        End::High => range.1,
    }
}

/// Every ensemble the tornado needs, the base first, then low and high end of each assumption in
/// file order. Ends equal to the current value are left out ([`assemble`] uses the base for them).
pub fn tornado_jobs(scenario: &Scenario, values: &[f64]) -> Vec<TornadoJob> {
    assert_eq!(values.len(), scenario.assumptions.len(), "one value per assumption");
    let mut jobs = vec![TornadoJob {
        probe: Probe::Base,
        values: values.to_vec(),
    }];
    for assumption in 0..scenario.assumptions.len() {
        for end in [End::Low, End::High] {
            let value = end_value(scenario, assumption, end);
            if value != values[assumption] {
                let mut moved = values.to_vec();
                moved[assumption] = value;
                jobs.push(TornadoJob {
                    probe: Probe::End { assumption, end },
                    values: moved,
                });
            }
        }
    }
    jobs
}

/// Runs one job: an outcomes-only ensemble with the shared settings.
pub fn run_job(scenario: &Scenario, settings: Settings, job: &TornadoJob) -> JobResult {
    JobResult {
        probe: job.probe,
        runs: OutcomeRuns::simulate(job.model(scenario), settings),
    }
}

/// [`run_job`] taking `base`'s runs where they are the job's own: a job that moves an effect
/// size runs only the runs where its event fired in the base (`per_run::plain_outcomes`). The same
/// numbers as [`run_job`], with less work.
pub fn run_job_reusing(scenario: &Scenario, settings: Settings, job: &TornadoJob, base: &KeptPlain) -> JobResult {
    let mut run = plain_outcomes(job.model(scenario), settings, Some(base));
    run.finish();
    JobResult {
        probe: job.probe,
        runs: run.outcomes(),
    }
}

/// One assumption's bar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    pub assumption: usize,
    pub low_value: f64,
    pub high_value: f64,
    /// The outcome with the assumption at the low and at the high end.
    pub low: Proportion,
    pub high: Proportion,
    /// p(high) − p(low), with its paired standard error.
    pub change: PairedDifference,
    /// |p(high) − p(low)|: the length of the bar, by which bars are ranked.
    pub swing: f64,
    pub low_confidence: bool,
    /// See the module documentation for the rule.
    pub influential: bool,
    /// Influential and low confidence.
    pub flagged: bool,
}

/// The tornado of one outcome: bars ranked by swing, largest first (ties in file order).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tornado {
    pub outcome: usize,
    pub settings: Settings,
    /// The outcome at the current values.
    pub base: Proportion,
    pub bars: Vec<Bar>,
}

/// Why job results could not be assembled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssembleError {
    /// The result of a listed job is missing.
    Missing(Probe),
    /// Results come from ensembles of different sizes.
    RunsDiffer,
    /// The scenario has no such outcome.
    NoSuchOutcome(usize),
}

impl std::fmt::Display for AssembleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AssembleError::Missing(probe) => write!(f, "the result of job {probe:?} is missing"),
            AssembleError::RunsDiffer => f.write_str("the job results come from ensembles of different sizes"),
            AssembleError::NoSuchOutcome(o) => write!(f, "the scenario has no outcome {o}"),
        }
    }
}

impl std::error::Error for AssembleError {}

/// Whether a swing with this paired standard error counts as influential.
pub fn is_influential(swing: f64, std_error: f64) -> bool {
    swing >= INFLUENTIAL_SWING.max(NOISE_MULTIPLE * std_error)
}

/// The ranked bars of `outcome` from the results of [`tornado_jobs`] (in any order) for the same
/// scenario and `values`. Results for probes not listed are ignored.
pub fn assemble(
    scenario: &Scenario,
    values: &[f64],
    settings: Settings,
    results: &[JobResult],
    outcome: usize,
) -> Result<Tornado, AssembleError> {
    if outcome >= scenario.outcomes.len() {
        return Err(AssembleError::NoSuchOutcome(outcome));
    }
    let find = |probe: Probe| results.iter().find(|r| r.probe == probe).map(|r| &r.runs);
    let base = find(Probe::Base).ok_or(AssembleError::Missing(Probe::Base))?;
    if results.iter().any(|r| r.runs.runs() != base.runs()) {
        return Err(AssembleError::RunsDiffer);
    }
    let at_end = |assumption: usize, end: End| {
        if end_value(scenario, assumption, end) == values[assumption] {
            return Ok(base);
        }
        let probe = Probe::End { assumption, end };
        find(probe).ok_or(AssembleError::Missing(probe))
    };
    let mut bars = Vec::with_capacity(scenario.assumptions.len());
    for (index, assumption) in scenario.assumptions.iter().enumerate() {
        let (low, high) = (at_end(index, End::Low)?, at_end(index, End::High)?);
        let change = PairedDifference::of(low, outcome, high, outcome);
        let swing = change.delta.abs();
        let influential = is_influential(swing, change.std_error);
        let low_confidence = assumption.confidence == Confidence::Low;
        bars.push(Bar {
            assumption: index,
            low_value: end_value(scenario, index, End::Low),
            high_value: end_value(scenario, index, End::High),
            low: low.proportion(outcome),
            high: high.proportion(outcome),
            change,
            swing,
            low_confidence,
            influential,
            flagged: influential && low_confidence,
        });
    }
    // Stable: equal swings keep file order.
    crate::engine::sort_stably_by(&mut bars, |a, b| b.swing.total_cmp(&a.swing));
    Ok(Tornado {
        outcome,
        settings,
        base: base.proportion(outcome),
        bars,
    })
}

/// Runs every job in turn and assembles: the single-threaded reference (tests, small cases).
pub fn tornado(
    scenario: &Scenario,
    values: &[f64],
    settings: Settings,
    outcome: usize,
) -> Result<Tornado, AssembleError> {
    let results: Vec<JobResult> = tornado_jobs(scenario, values)
        .iter()
        .map(|job| run_job(scenario, settings, job))
        .collect();
    assemble(scenario, values, settings, &results, outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::builtin;

    fn scenario(id: &str) -> Scenario {
        builtin(id).unwrap().unwrap()
    }

    fn outcome_index(scenario: &Scenario, id: &str) -> usize {
        scenario.outcomes.iter().position(|o| o.id == id).unwrap()
    }

    #[test]
    fn jobs_cover_both_ends_except_the_current_value() {
        let s = scenario("russia-dprk-alignment");
        let mut values = s.defaults();
        let jobs = tornado_jobs(&s, &values);
        assert_eq!(jobs[0].probe, Probe::Base);
        assert_eq!(
            jobs.len(),
            1 + 2 * s.assumptions.len(),
            "no default sits at an end of its plausible range"
        );
        values[0] = end_value(&s, 0, End::High);
        let jobs = tornado_jobs(&s, &values);
        assert_eq!(jobs.len(), 2 * s.assumptions.len());
        assert!(!jobs.iter().any(|j| j.probe
            == Probe::End {
                assumption: 0,
                end: End::High
            }));
        for job in &jobs {
            if let Probe::End { assumption, end } = job.probe {
                assert_eq!(job.values[assumption], end_value(&s, assumption, end));
                let others_unchanged = (0..values.len())
                    .filter(|&i| i != assumption)
                    .all(|i| job.values[i] == values[i]);
                assert!(others_unchanged);
            }
        }
    }

    /// The baseline of the very pair an outcome asks about dominates it: across its whole slider
    /// range it decides the outcome almost alone, whatever the seed; the next bars keep their
    /// places too. (The file's plausible ranges are removed, so the tornado falls back to the
    /// slider ranges, as for a file that states none.)
    #[test]
    fn a_dominant_assumption_ranks_first_across_seeds() {
        let mut s = scenario("sino-russian-drift");
        for a in &mut s.assumptions {
            a.plausible = None;
        }
        let outcome = outcome_index(&s, "rus-chn-below-03");
        let ids = |t: &Tornado, n: usize| {
            t.bars
                .iter()
                .take(n)
                .map(|b| s.assumptions[b.assumption].id.clone())
                .collect::<Vec<_>>()
        };
        let first = tornado(
            &s,
            &s.defaults(),
            Settings {
                seed: 1,
                runs: 400,
                horizon: 36,
            },
            outcome,
        )
        .unwrap();
        assert_eq!(ids(&first, 1), ["pair.RUS-CHN.baseline"]);
        assert!(first.bars[0].swing > 0.9 && first.bars[0].influential);
        for seed in [2, 3] {
            let t = tornado(
                &s,
                &s.defaults(),
                Settings {
                    seed,
                    runs: 400,
                    horizon: 36,
                },
                outcome,
            )
            .unwrap();
            assert_eq!(ids(&t, 3), ids(&first, 3), "seed {seed}");
            assert!(t.bars.windows(2).all(|w| w[0].swing >= w[1].swing), "ranked");
            // Balance pressure holds Russia and China together (the scenario's rationale says so):
            // influential, and a low-confidence judgement, so flagged.
            let balance = t
                .bars
                .iter()
                .find(|b| s.assumptions[b.assumption].id == "model.balance")
                .unwrap();
            assert!(balance.flagged, "seed {seed}: {balance:?}");
        }
    }

    /// Common random numbers: the same bar's swing is known far more precisely than two
    /// independent estimates would allow, most of all for effect sizes (jumps and shifts), which
    /// change nothing in a run until their event fires.
    #[test]
    fn pairing_shrinks_the_error_of_a_swing() {
        let s = scenario("sino-russian-drift");
        let outcome = outcome_index(&s, "chn-eu-hostile");
        let t = tornado(
            &s,
            &s.defaults(),
            Settings {
                seed: 5,
                runs: 600,
                horizon: 36,
            },
            outcome,
        )
        .unwrap();
        let median_ratio = |effects_only: bool| {
            let mut ratios: Vec<f64> = t
                .bars
                .iter()
                .filter(|b| {
                    !effects_only
                        || matches!(
                            s.assumptions[b.assumption].quantity,
                            crate::scenario::Quantity::Jump | crate::scenario::Quantity::Shift
                        )
                })
                .map(|b| b.change.std_error / b.change.unpaired_std_error)
                .collect();
            ratios.sort_by(f64::total_cmp);
            ratios[ratios.len() / 2]
        };
        assert!(
            median_ratio(true) < 0.3,
            "effect sizes: median paired/unpaired error {}",
            median_ratio(true)
        );
        assert!(
            median_ratio(false) < 0.4,
            "all: median paired/unpaired error {}",
            median_ratio(false)
        );
    }

    #[test]
    fn flags_follow_the_documented_rule() {
        let s = scenario("sino-russian-drift");
        let t = tornado(
            &s,
            &s.defaults(),
            Settings {
                seed: 1,
                runs: 300,
                horizon: 36,
            },
            0,
        )
        .unwrap();
        for bar in &t.bars {
            let confidence = s.assumptions[bar.assumption].confidence;
            assert_eq!(bar.low_confidence, confidence == Confidence::Low);
            assert_eq!(
                bar.influential,
                bar.swing >= 0.05 && bar.swing >= 2.0 * bar.change.std_error
            );
            assert_eq!(bar.flagged, bar.influential && bar.low_confidence);
            assert_eq!(
                bar.swing,
                (bar.high.probability - bar.low.probability).abs(),
                "exactly the shown difference"
            );
        }
        assert!(t.bars.iter().any(|b| b.flagged), "β is low confidence and dominant");
    }

    #[test]
    fn results_in_any_order_give_the_same_tornado_and_missing_ones_are_reported() {
        let s = scenario("russia-dprk-alignment");
        let settings = Settings {
            seed: 9,
            runs: 64,
            horizon: 12,
        };
        let values = s.defaults();
        let mut results: Vec<JobResult> = tornado_jobs(&s, &values)
            .iter()
            .map(|j| run_job(&s, settings, j))
            .collect();
        let forward = assemble(&s, &values, settings, &results, 1).unwrap();
        results.reverse();
        assert_eq!(assemble(&s, &values, settings, &results, 1).unwrap(), forward);
        results.pop();
        assert_eq!(
            assemble(&s, &values, settings, &results, 1),
            Err(AssembleError::Missing(Probe::Base))
        );
        assert!(matches!(
            assemble(&s, &values, settings, &results, 99),
            Err(AssembleError::NoSuchOutcome(99))
        ));
        // What the command line prints for each (`CliError(e.to_string())`).
        let messages = [
            AssembleError::Missing(Probe::Base),
            AssembleError::RunsDiffer,
            AssembleError::NoSuchOutcome(99),
        ]
        .map(|e| e.to_string());
        assert_eq!(
            messages,
            [
                "the result of job Base is missing",
                "the job results come from ensembles of different sizes",
                "the scenario has no outcome 99",
            ]
        );
    }

    #[test]
    fn the_base_is_the_plain_ensemble_at_the_current_values() {
        let s = scenario("russia-dprk-alignment");
        let settings = Settings {
            seed: 4,
            runs: 200,
            horizon: 24,
        };
        let t = tornado(&s, &s.defaults(), settings, 0).unwrap();
        let summary = crate::engine::Ensemble::run(s.model(&s.defaults()), settings);
        assert_eq!(t.base, summary.outcomes[0]);
    }
}
