//! The analyses' part of the page state — the Sobol indices and the sensitivity tornado, the
//! outcomes over what we don't know, and the comparison against a reference — as plain data that
//! the one reducer changes. The page's runner (`app/runner.rs`)
//! sends the jobs a request implies and turns the workers' reports back into these actions; the
//! components only render this and send typed callbacks.

use std::ops::Range;
use std::rc::Rc;

use crate::analysis::ablate::{ablation, Ablation};
use crate::analysis::per_run::{PerRunJob, Plan, Propagation};
use crate::analysis::sensitivity::{tornado_jobs, JobResult, Probe};
use crate::analysis::sobol::{self, Factor, GroupBy, Matrix};
use crate::analysis::OutcomeRuns;
use crate::engine::{Model, Settings, Summary};
use crate::scenario::{builtin, Scenario};

/// One computation of the tornado: what was asked, and what has come back from each worker.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoRun {
    pub id: u64,
    /// The inputs it was computed for: a tornado of older inputs is marked as such.
    pub generation: u64,
    pub scenario: Rc<Scenario>,
    pub values: Rc<Vec<f64>>,
    pub settings: Settings,
    /// Per worker: the probes of the models it was given, in order (interleaved, so every worker
    /// gets a similar share of the work).
    pub probes: Vec<Vec<Probe>>,
    /// Per worker: its per-run outcome indicators once finished, in the order of its probes
    /// (shared: the reducer copies the state on every action).
    pub results: Vec<Option<Rc<Vec<OutcomeRuns>>>>,
    /// Per worker: ensembles done so far.
    pub done: Vec<usize>,
    /// Page clock (ms) when asked, and the time it took once every worker has answered.
    pub started: f64,
    pub milliseconds: Option<f64>,
}

impl TornadoRun {
    pub fn total(&self) -> usize {
        self.probes.iter().map(Vec::len).sum()
    }

    pub fn workers(&self) -> usize {
        self.probes.len()
    }

    pub fn is_running(&self) -> bool {
        self.milliseconds.is_none()
    }

    /// Every ensemble's result, once every worker has answered.
    pub fn finished(&self) -> Option<Vec<JobResult>> {
        let mut all = Vec::with_capacity(self.total());
        for (probes, results) in self.probes.iter().zip(&self.results) {
            let results = results.as_ref()?;
            all.extend(probes.iter().zip(results.iter()).map(|(&probe, runs)| JobResult {
                probe,
                runs: runs.clone(),
            }));
        }
        Some(all)
    }

    /// The model of the base (every assumption at its current value).
    pub fn base_model(&self) -> Model {
        self.scenario.model(&self.values)
    }

    /// The models worker `worker` is to run, in the order of its probes.
    pub fn models(&self, worker: usize) -> Vec<Model> {
        let mut values = (*self.values).clone();
        self.probes[worker]
            .iter()
            .map(|probe| {
                values.copy_from_slice(&self.values);
                if let Probe::End { assumption, end } = *probe {
                    values[assumption] = crate::analysis::sensitivity::end_value(&self.scenario, assumption, end);
                }
                self.scenario.model(&values)
            })
            .collect()
    }
}

/// One computation of the Sobol indices: the design's matrices, handed out a chunk at a time to
/// whichever worker is free, so that a worker slowed by the page's own thread (two cores, two
/// workers and the page) takes fewer of them instead of finishing last.
#[derive(Clone, Debug, PartialEq)]
pub struct SobolRun {
    pub id: u64,
    pub generation: u64,
    pub scenario: Rc<Scenario>,
    pub values: Rc<Vec<f64>>,
    /// `runs` is the design's base samples N.
    pub settings: Settings,
    pub by: GroupBy,
    pub factors: Rc<Vec<Factor>>,
    /// The matrices in the order of [`sobol::matrices`], cut into consecutive chunks
    /// (`sobol_chunks`).
    pub matrices: Vec<Matrix>,
    pub chunks: Vec<Range<usize>>,
    /// Per worker: the chunk it is running (`None`: nothing left for it).
    pub assigned: Vec<Option<usize>>,
    /// The first chunk not yet handed out.
    pub next_chunk: usize,
    /// Per chunk: its indicators once a worker has returned them (shared: the reducer copies the
    /// state on every action).
    pub results: Vec<Option<Rc<Vec<OutcomeRuns>>>>,
    /// Per worker: ensembles done so far in its current chunk.
    pub done: Vec<usize>,
    pub started: f64,
    pub milliseconds: Option<f64>,
}

/// The design's `matrices` cut into chunks for `workers` workers: each a quarter of what is left
/// per worker (guided self-scheduling), at least two matrices. Early chunks are long, so a worker
/// rarely waits for the page to hand it the next; the last are short, so the workers finish close
/// together.
pub fn sobol_chunks(matrices: usize, workers: usize) -> Vec<Range<usize>> {
    let mut chunks = Vec::new();
    let mut start = 0;
    while start < matrices {
        let left = matrices - start;
        let size = left.div_ceil(2 * workers.max(1)).max(2).min(left);
        chunks.push(start..start + size);
        start += size;
    }
    chunks
}

impl SobolRun {
    pub fn total(&self) -> usize {
        self.matrices.len()
    }

    pub fn workers(&self) -> usize {
        self.assigned.len()
    }

    /// Ensembles done: the returned chunks' and those done so far in the running ones.
    pub fn completed(&self) -> usize {
        let returned: usize = (self.chunks.iter().zip(&self.results))
            .filter(|(_, results)| results.is_some())
            .map(|(chunk, _)| chunk.len())
            .sum();
        returned + self.done.iter().sum::<usize>()
    }

    pub fn is_running(&self) -> bool {
        self.milliseconds.is_none()
    }

    /// The job of chunk `chunk`.
    pub fn job(&self, chunk: usize) -> PerRunJob {
        PerRunJob {
            propagation: Propagation::new(&self.scenario, &self.values),
            factors: (*self.factors).clone(),
            plans: self.matrices[self.chunks[chunk].clone()]
                .iter()
                .copied()
                .map(Plan::Sobol)
                .collect(),
        }
    }

    /// Every matrix's indicators in the order of [`sobol::matrices`], once every chunk is back.
    pub fn finished(&self) -> Option<Vec<OutcomeRuns>> {
        let mut all = Vec::with_capacity(self.total());
        for results in &self.results {
            all.extend(results.as_ref()?.iter().cloned());
        }
        Some(all)
    }

    /// Takes worker `worker`'s answer for its chunk, and gives it the next chunk (if any is left).
    /// An answer that is not the size of its chunk changes nothing.
    fn chunk_finished(&mut self, worker: usize, results: Vec<OutcomeRuns>, now: f64) {
        let Some(Some(chunk)) = self.assigned.get(worker).copied() else {
            return;
        };
        if self.chunks[chunk].len() != results.len() {
            return;
        }
        self.results[chunk] = Some(Rc::new(results));
        self.done[worker] = 0;
        self.assigned[worker] = (self.next_chunk < self.chunks.len()).then_some(self.next_chunk);
        self.next_chunk = (self.next_chunk + 1).min(self.chunks.len());
        if self.results.iter().all(Option::is_some) {
            self.milliseconds = Some(now - self.started);
        }
    }
}

/// Which view of "which assumptions matter" is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SensitivityView {
    /// Variance-based, over the plausible ranges.
    #[default]
    Sobol,
    /// One at a time, each assumption at the ends of its plausible range.
    Tornado,
}

/// What the current state is compared against.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Reference {
    /// The scenario's defaults.
    #[default]
    Defaults,
    /// Another built-in scenario over the same actors, at its defaults (its id).
    Builtin(String),
    /// The current values without one source (an index into the scenario's sources): every
    /// assumption that rests on it alone at its `without` value ([`ablation`]); `view.without` in
    /// the link.
    Without(usize),
}

/// The reference state of a comparison and its finished ensemble.
#[derive(Clone, Debug, PartialEq)]
pub struct ReferenceRun {
    pub id: u64,
    /// "the scenario's defaults", the other scenario's title, or the source left out.
    pub label: String,
    pub scenario: Rc<Scenario>,
    pub values: Rc<Vec<f64>>,
    /// For a comparison without a source: what leaving it out changed.
    pub ablation: Option<Rc<Ablation>>,
    pub settings: Settings,
    pub generation: u64,
    pub result: Option<(Rc<Summary>, Rc<OutcomeRuns>)>,
}

impl ReferenceRun {
    pub fn model(&self) -> Model {
        self.scenario.model(&self.values)
    }
}

/// What the analyses hold between renders.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Analyses {
    pub sobol: Option<SobolRun>,
    pub tornado: Option<TornadoRun>,
    pub view: SensitivityView,
    /// How the Sobol factors are grouped.
    pub by: Option<GroupBy>,
    /// The outcomes over what we don't know: the generation they were computed for, and their
    /// per-run indicators (on the same random draws as the main ensemble's).
    pub uncertain: Option<(u64, Rc<OutcomeRuns>)>,
    /// The outcome the tornado is drawn for (switching it needs no new runs).
    pub tornado_outcome: usize,
    pub reference_choice: Reference,
    pub reference: Option<ReferenceRun>,
    /// The last job id given to an analysis: every request takes a new one, so a late answer to
    /// an older request is recognised and dropped.
    pub last_job: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub enum AnalysisAction {
    /// Compute the tornado for the current inputs on `workers` workers; `now` is the page clock.
    ComputeTornado {
        workers: usize,
        now: f64,
    },
    /// Stop the tornado being computed (its partial results are dropped).
    CancelTornado,
    /// Compute the Sobol indices for the current inputs on `workers` workers.
    ComputeSobol {
        workers: usize,
        now: f64,
    },
    CancelSobol,
    ChooseView(SensitivityView),
    ChooseGrouping(GroupBy),
    /// The outcomes over what we don't know for the inputs of generation `id`.
    UncertainFinished {
        id: u64,
        runs: Rc<OutcomeRuns>,
    },
    PoolProgress {
        id: u64,
        worker: usize,
        done: usize,
    },
    PoolFinished {
        id: u64,
        worker: usize,
        results: Vec<OutcomeRuns>,
        now: f64,
    },
    ChooseTornadoOutcome(usize),
    ChooseReference(Reference),
    RunReference,
    /// Drop the reference run still going (nothing is compared then).
    CancelReference,
    ReferenceFinished {
        id: u64,
        summary: Rc<Summary>,
        indicators: Rc<OutcomeRuns>,
    },
}

/// What the analyses see of the rest of the state.
pub struct Inputs<'a> {
    pub scenario: &'a Rc<Scenario>,
    pub values: &'a [f64],
    pub settings: Settings,
    pub generation: u64,
}

impl Analyses {
    pub fn apply(&mut self, action: AnalysisAction, inputs: Inputs) {
        match action {
            AnalysisAction::ComputeTornado { workers, now } => {
                if self.sobol.as_ref().is_some_and(SobolRun::is_running) {
                    self.sobol = None;
                }
                let workers = workers.max(1);
                let mut probes = vec![Vec::new(); workers];
                for (k, job) in tornado_jobs(inputs.scenario, inputs.values).iter().enumerate() {
                    probes[k % workers].push(job.probe);
                }
                self.last_job += 1;
                self.tornado = Some(TornadoRun {
                    id: self.last_job,
                    generation: inputs.generation,
                    scenario: inputs.scenario.clone(),
                    values: Rc::new(inputs.values.to_vec()),
                    settings: inputs.settings,
                    probes,
                    results: vec![None; workers],
                    done: vec![0; workers],
                    started: now,
                    milliseconds: None,
                });
            }
            AnalysisAction::CancelTornado => {
                if self.tornado.as_ref().is_some_and(TornadoRun::is_running) {
                    self.tornado = None;
                }
            }
            AnalysisAction::ComputeSobol { workers, now } => {
                // The pool runs one analysis at a time: a tornado still running is dropped.
                if self.tornado.as_ref().is_some_and(TornadoRun::is_running) {
                    self.tornado = None;
                }
                let by = self.by.unwrap_or(GroupBy::Assumption);
                let factors = sobol::factors(inputs.scenario, inputs.values, by);
                let workers = workers.max(1);
                let matrices = sobol::matrices(&factors);
                let chunks = sobol_chunks(matrices.len(), workers);
                let first = workers.min(chunks.len());
                self.last_job += 1;
                self.sobol = Some(SobolRun {
                    id: self.last_job,
                    generation: inputs.generation,
                    scenario: inputs.scenario.clone(),
                    values: Rc::new(inputs.values.to_vec()),
                    settings: inputs.settings,
                    by,
                    factors: Rc::new(factors),
                    matrices,
                    assigned: (0..workers).map(|w| (w < first).then_some(w)).collect(),
                    next_chunk: first,
                    results: vec![None; chunks.len()],
                    chunks,
                    done: vec![0; workers],
                    started: now,
                    milliseconds: None,
                });
            }
            AnalysisAction::CancelSobol => {
                if self.sobol.as_ref().is_some_and(SobolRun::is_running) {
                    self.sobol = None;
                }
            }
            AnalysisAction::ChooseView(view) => self.view = view,
            AnalysisAction::ChooseGrouping(by) => self.by = Some(by),
            AnalysisAction::UncertainFinished { id, runs } => {
                if id == inputs.generation {
                    self.uncertain = Some((id, runs));
                }
            }
            AnalysisAction::PoolProgress { id, worker, done } => {
                if let Some(run) = self.tornado.as_mut().filter(|run| run.id == id) {
                    if let Some(count) = run.done.get_mut(worker) {
                        *count = done;
                    }
                }
                if let Some(run) = self.sobol.as_mut().filter(|run| run.id == id) {
                    if let Some(count) = run.done.get_mut(worker) {
                        *count = done;
                    }
                }
            }
            AnalysisAction::PoolFinished {
                id,
                worker,
                results,
                now,
            } => {
                if let Some(run) = self.sobol.as_mut().filter(|run| run.id == id) {
                    run.chunk_finished(worker, results, now);
                    return;
                }
                let Some(run) = self.tornado.as_mut().filter(|run| run.id == id) else {
                    return;
                };
                if run.probes.get(worker).map(Vec::len) != Some(results.len()) {
                    return;
                }
                run.done[worker] = results.len();
                run.results[worker] = Some(Rc::new(results));
                if run.results.iter().all(Option::is_some) {
                    run.milliseconds = Some(now - run.started);
                }
            }
            AnalysisAction::ChooseTornadoOutcome(outcome) => {
                if outcome < inputs.scenario.outcomes.len() {
                    self.tornado_outcome = outcome;
                }
            }
            AnalysisAction::ChooseReference(choice) => self.reference_choice = choice,
            AnalysisAction::RunReference => {
                let mut dropped = None;
                let (scenario, values, label) = match &self.reference_choice {
                    Reference::Defaults => (
                        inputs.scenario.clone(),
                        inputs.scenario.defaults(),
                        "the scenario's defaults".to_string(),
                    ),
                    Reference::Builtin(id) => match builtin(id).and_then(Result::ok) {
                        Some(other) => {
                            let label = format!("“{}” at its defaults", other.title);
                            let values = other.defaults();
                            (Rc::new(other), values, label)
                        }
                        None => return,
                    },
                    &Reference::Without(source) => {
                        let Some(left_out) = inputs.scenario.sources.get(source) else {
                            return;
                        };
                        let label = format!("your settings without “{}”", left_out.title);
                        let ablated = ablation(inputs.scenario, source);
                        let values = ablated.values(inputs.values);
                        dropped = Some(Rc::new(ablated));
                        (inputs.scenario.clone(), values, label)
                    }
                };
                self.last_job += 1;
                self.reference = Some(ReferenceRun {
                    id: self.last_job,
                    label,
                    scenario,
                    values: Rc::new(values),
                    ablation: dropped,
                    settings: inputs.settings,
                    generation: inputs.generation,
                    result: None,
                });
            }
            AnalysisAction::CancelReference => {
                if self.reference.as_ref().is_some_and(|r| r.result.is_none()) {
                    self.reference = None;
                }
            }
            AnalysisAction::ReferenceFinished {
                id,
                summary,
                indicators,
            } => {
                if let Some(reference) = self.reference.as_mut().filter(|r| r.id == id) {
                    reference.result = Some((summary, indicators));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::sensitivity::{run_job, End};
    use crate::state::{Action, State};

    fn state() -> State {
        let mut state = State::default_builtin();
        state.settings.runs = 40;
        state.settings.horizon = 6;
        state
    }

    fn compute(state: &mut State, workers: usize) -> TornadoRun {
        state.apply(Action::Analysis(AnalysisAction::ComputeTornado {
            workers,
            now: 1000.0,
        }));
        state.analyses.tornado.clone().expect("asked for")
    }

    #[test]
    fn a_tornado_is_spread_over_the_workers_and_assembled_in_probe_order() {
        let mut state = state();
        let jobs = tornado_jobs(&state.scenario, &state.values);
        let run = compute(&mut state, 3);
        assert_eq!(run.total(), jobs.len());
        assert_eq!(run.workers(), 3);
        // Job k goes to worker k mod 3, in order; each worker's models are those jobs' models.
        for worker in 0..3 {
            let expected: Vec<_> = jobs.iter().skip(worker).step_by(3).collect();
            assert_eq!(run.probes[worker], expected.iter().map(|j| j.probe).collect::<Vec<_>>());
            let models = run.models(worker);
            for (model, job) in models.iter().zip(&expected) {
                assert_eq!(*model, job.model(&state.scenario));
            }
        }
        assert!(run.is_running() && run.finished().is_none());
        // Workers answer in any order; the tornado is complete only when all have.
        for worker in [2, 0, 1] {
            let results = run.probes[worker]
                .iter()
                .map(|&probe| {
                    let job = jobs.iter().find(|j| j.probe == probe).unwrap();
                    run_job(&state.scenario, state.settings, job).runs
                })
                .collect();
            state.apply(Action::Analysis(AnalysisAction::PoolFinished {
                id: run.id,
                worker,
                results,
                now: 1500.0,
            }));
        }
        let done = state.analyses.tornado.clone().unwrap();
        assert_eq!(done.milliseconds, Some(500.0));
        let finished = done.finished().unwrap();
        assert_eq!(finished.len(), jobs.len());
        for result in &finished {
            let job = jobs.iter().find(|j| j.probe == result.probe).unwrap();
            assert_eq!(result.runs, run_job(&state.scenario, state.settings, job).runs);
        }
    }

    #[test]
    fn late_or_mismatched_answers_are_dropped() {
        let mut state = state();
        let old = compute(&mut state, 2);
        let new = compute(&mut state, 2);
        assert!(new.id > old.id);
        let count = old.probes[0].len();
        state.apply(Action::Analysis(AnalysisAction::PoolFinished {
            id: old.id,
            worker: 0,
            results: vec![OutcomeRuns::simulate(state.scenario.model(&state.values), state.settings); count],
            now: 2000.0,
        }));
        state.apply(Action::Analysis(AnalysisAction::PoolProgress {
            id: old.id,
            worker: 0,
            done: 5,
        }));
        assert_eq!(
            state.analyses.tornado.as_ref(),
            Some(&new),
            "an answer to the older request changes nothing"
        );
        // An answer with the wrong number of ensembles is not taken either.
        state.apply(Action::Analysis(AnalysisAction::PoolFinished {
            id: new.id,
            worker: 0,
            results: Vec::new(),
            now: 2000.0,
        }));
        assert_eq!(state.analyses.tornado.as_ref(), Some(&new));
        state.apply(Action::Analysis(AnalysisAction::PoolProgress {
            id: new.id,
            worker: 1,
            done: 3,
        }));
        assert_eq!(state.analyses.tornado.as_ref().unwrap().done, vec![0, 3]);
        state.apply(Action::Analysis(AnalysisAction::CancelTornado));
        assert_eq!(state.analyses.tornado, None);
    }

    /// What a worker does with its job: each plan's ensemble, run to the end (the worker's own
    /// function, [`crate::analysis::per_run::outcomes`]).
    fn run_per_run_job(job: &PerRunJob, settings: Settings) -> Vec<OutcomeRuns> {
        // One cache for the worker's plans, as the worker keeps it.
        let mut cache = crate::analysis::per_run::MatrixCache::default();
        job.plans
            .iter()
            .map(|&plan| {
                let mut run =
                    crate::analysis::per_run::outcomes(&job.propagation, &job.factors, settings, plan, &mut cache);
                run.finish();
                run.outcomes()
            })
            .collect()
    }

    /// The chunks of the Sobol design, worked out by hand: a quarter of what is left per worker
    /// (rounded up), at least two matrices, never past the end.
    #[test]
    fn sobol_chunks_shrink_as_the_design_is_handed_out() {
        let sizes = |matrices, workers| {
            sobol_chunks(matrices, workers)
                .iter()
                .map(Range::len)
                .collect::<Vec<_>>()
        };
        // 108 left over 2 workers: ⌈108/4⌉ = 27, then ⌈81/4⌉ = 21, ⌈60/4⌉ = 15, ⌈45/4⌉ = 12, …
        assert_eq!(sizes(108, 2), [27, 21, 15, 12, 9, 6, 5, 4, 3, 2, 2, 2]);
        assert_eq!(sizes(9, 3), [2, 2, 2, 2, 1]);
        assert_eq!(sizes(5, 1), [3, 2]);
        assert_eq!(sizes(1, 4), [1]);
        assert!(sizes(0, 2).is_empty());
        let chunks = sobol_chunks(108, 2);
        assert!(chunks.windows(2).all(|w| w[0].end == w[1].start) && chunks[0].start == 0 && chunks[11].end == 108);
    }

    /// A worker's answer that is not the size of its chunk, or comes from a worker with no chunk,
    /// changes nothing; a right one hands that worker the next chunk.
    #[test]
    fn sobol_answers_of_the_wrong_size_are_dropped() {
        let mut state = state();
        state.settings.runs = 16;
        state.apply(Action::Analysis(AnalysisAction::ChooseGrouping(GroupBy::Kind)));
        state.apply(Action::Analysis(AnalysisAction::ComputeSobol { workers: 2, now: 0.0 }));
        let run = state.analyses.sobol.clone().unwrap();
        assert_eq!((run.assigned.clone(), run.next_chunk), (vec![Some(0), Some(1)], 2));
        let answer = |chunk| run_per_run_job(&run.job(chunk), run.settings);
        let mut short = answer(0);
        short.pop();
        state.apply(Action::Analysis(AnalysisAction::PoolFinished {
            id: run.id,
            worker: 0,
            results: short,
            now: 1.0,
        }));
        assert_eq!(state.analyses.sobol.as_ref(), Some(&run));
        state.apply(Action::Analysis(AnalysisAction::PoolFinished {
            id: run.id,
            worker: 1,
            results: answer(1),
            now: 1.0,
        }));
        let after = state.analyses.sobol.clone().unwrap();
        let handed = (run.chunks.len() > 2).then_some(2);
        assert_eq!(after.assigned, vec![Some(0), handed]);
        assert_eq!(after.completed(), run.chunks[1].len());
        assert!(after.results[1].is_some() && after.results[0].is_none());
        // Progress within a running chunk adds to the chunks returned.
        state.apply(Action::Analysis(AnalysisAction::PoolProgress {
            id: run.id,
            worker: 0,
            done: 1,
        }));
        assert_eq!(
            state.analyses.sobol.as_ref().map(SobolRun::completed),
            Some(run.chunks[1].len() + 1)
        );
    }

    /// The Sobol indices assembled from the workers' answers are the command line's (every matrix
    /// by `sobol::run_matrix`, in order), whatever the number of workers and the order they answer in.
    #[test]
    fn sobol_indices_do_not_depend_on_the_workers() {
        let mut state = state();
        state.settings.runs = 64;
        state.apply(Action::Analysis(AnalysisAction::ChooseGrouping(GroupBy::Kind)));
        let propagation = Propagation::new(&state.scenario, &state.values);
        let factors = sobol::factors(&state.scenario, &state.values, GroupBy::Kind);
        let direct: Vec<OutcomeRuns> = sobol::matrices(&factors)
            .into_iter()
            // A cache of its own for each matrix: the reference derives every run afresh.
            .map(|m| sobol::run_matrix(&propagation, state.settings, &factors, m, &mut Default::default()))
            .collect();
        let want = sobol::assemble(&direct, 0, state.settings.seed);
        // Workers answer in turn, or the last busy one always first (the others wait on it).
        // The last: more workers than matrices, so some start with no chunk.
        let more = factors.len() + 3;
        for (workers, last_first) in [(1, false), (2, false), (2, true), (3, true), (more, false)] {
            state.apply(Action::Analysis(AnalysisAction::ComputeSobol { workers, now: 4.0 }));
            let run = state.analyses.sobol.clone().unwrap();
            assert_eq!(
                (run.by, run.workers(), run.total()),
                (GroupBy::Kind, workers, factors.len() + 2)
            );
            let first: Vec<Option<usize>> = (0..workers).map(|w| (w < run.chunks.len()).then_some(w)).collect();
            assert_eq!(run.assigned, first, "{workers} workers, {} chunks", run.chunks.len());
            // One answer per chunk; a run that never hands out the next stops here, not in a hang.
            for turn in 0..=run.chunks.len() {
                let run = state.analyses.sobol.clone().unwrap();
                let busy: Vec<usize> = (0..workers).filter(|&w| run.assigned[w].is_some()).collect();
                let Some(&worker) = (if last_first {
                    busy.last()
                } else {
                    busy.get(turn % busy.len().max(1))
                }) else {
                    break;
                };
                let chunk = run.assigned[worker].unwrap();
                state.apply(Action::Analysis(AnalysisAction::PoolFinished {
                    id: run.id,
                    worker,
                    results: run_per_run_job(&run.job(chunk), run.settings),
                    now: 10.0,
                }));
            }
            let done = state.analyses.sobol.clone().unwrap();
            assert_eq!(done.milliseconds, Some(6.0), "asked at 4, last answer at 10");
            assert_eq!(done.completed(), done.total());
            assert_eq!(done.finished().unwrap(), direct, "{workers} workers");
            assert_eq!(sobol::assemble(&done.finished().unwrap(), 0, done.settings.seed), want);
        }
        // Starting the tornado drops a Sobol run still going (they share the pool), and cancel stops one.
        state.apply(Action::Analysis(AnalysisAction::ComputeSobol { workers: 2, now: 0.0 }));
        compute(&mut state, 2);
        assert_eq!(state.analyses.sobol, None);
        state.apply(Action::Analysis(AnalysisAction::ComputeSobol { workers: 2, now: 0.0 }));
        assert_eq!(state.analyses.tornado.as_ref().map(TornadoRun::is_running), None);
        state.apply(Action::Analysis(AnalysisAction::CancelSobol));
        assert_eq!(state.analyses.sobol, None);
    }

    /// The outcomes over what we don't know are kept only for the inputs they were computed for,
    /// and are those of the command line's `run --uncertain` ensemble.
    #[test]
    fn uncertain_outcomes_belong_to_their_generation() {
        let mut state = state();
        let job = PerRunJob {
            propagation: Propagation::new(&state.scenario, &state.values),
            factors: Vec::new(),
            plans: vec![Plan::Uncertain],
        };
        let runs = Rc::new(run_per_run_job(&job, state.settings).remove(0));
        // As `run --uncertain` draws them: run r's values from stream r of the assumption key.
        let key = crate::analysis::uncertainty::assumption_key(state.settings.seed);
        let mut ensemble =
            crate::engine::Ensemble::per_run(state.scenario.model(&state.values), state.settings, false, |run| {
                (
                    crate::analysis::uncertainty::run_model(&state.scenario, &state.values, key, run as u64),
                    run as u64,
                )
            });
        ensemble.finish();
        assert_eq!(*runs, OutcomeRuns::from_ensemble(&ensemble));
        let generation = state.generation;
        state.apply(Action::Analysis(AnalysisAction::UncertainFinished {
            id: generation - 1,
            runs: runs.clone(),
        }));
        assert_eq!(
            state.analyses.uncertain, None,
            "an older generation's answer is dropped"
        );
        state.apply(Action::Analysis(AnalysisAction::UncertainFinished {
            id: generation,
            runs: runs.clone(),
        }));
        assert_eq!(state.analyses.uncertain, Some((generation, runs)));
        state.apply(Action::SetUncertain(true));
        assert!(state.link().ends_with("&u=1"));
        assert!(State::from_link(&state.link()).view.uncertain);
    }

    #[test]
    fn a_tornado_end_model_moves_only_its_assumption() {
        let mut state = state();
        let run = compute(&mut state, 1);
        let (k, assumption) = run.probes[0]
            .iter()
            .enumerate()
            .find_map(|(k, probe)| match *probe {
                Probe::End {
                    assumption,
                    end: End::High,
                } => Some((k, assumption)),
                _ => None,
            })
            .unwrap();
        let mut expected = state.values.clone();
        // The high end of its plausible range (the tornado's end).
        expected[assumption] = state.scenario.assumptions[assumption].plausible_or_range().1;
        assert_eq!(run.models(0)[k], state.scenario.model(&expected));
    }

    /// A link's `view.without` compares the state against itself without that source: the
    /// reference's values are the link's values with every assumption resting on the source alone
    /// at its `without` value (worked out here from the file, not from `ablation`), and the link
    /// written back carries the key; a comparison against the defaults writes none.
    #[test]
    fn a_link_without_a_source_runs_that_comparison_and_keeps_it_in_the_link() {
        let state = State::from_link("v=1&s=russia-dprk-alignment&runs=200&view.without=seed-002");
        let source = state.scenario.sources.iter().position(|s| s.id == "seed-002").unwrap();
        let reference = state.analyses.reference.clone().expect("a comparison");
        assert_eq!(state.analyses.reference_choice, Reference::Without(source));
        assert_eq!(reference.ablation.as_ref().unwrap().source, source);
        let mut expected = state.values.clone();
        let mut changed = 0;
        for (i, assumption) in state.scenario.assumptions.iter().enumerate() {
            let documents: Vec<&str> = assumption
                .sources
                .iter()
                .filter(|c| {
                    !c.note
                        .as_deref()
                        .unwrap_or("")
                        .to_ascii_lowercase()
                        .contains("for reference only")
                })
                .map(|c| state.scenario.sources[c.source].id.as_str())
                .filter(|id| *id != "judgement")
                .collect();
            // Cited once or more, and nothing but judgement besides.
            if !documents.is_empty() && documents.iter().all(|id| *id == "seed-002") {
                if let Some(value) = assumption.without {
                    expected[i] = value;
                    changed += 1;
                }
            }
        }
        assert!(
            changed > 0,
            "seed-002 alone supports some assumption with a without value"
        );
        assert_eq!(*reference.values, expected);
        assert_eq!(reference.model(), state.scenario.model(&expected));
        assert!(state.link().contains("view.without=seed-002"), "{}", state.link());
        let mut plain = State::from_link("v=1&s=russia-dprk-alignment&runs=200");
        plain.apply(Action::Analysis(AnalysisAction::RunReference));
        assert!(plain.analyses.reference.is_some() && !plain.link().contains("without"));
    }

    #[test]
    fn the_reference_is_the_chosen_scenario_at_its_defaults_and_keeps_only_its_own_answer() {
        let mut state = state();
        state.apply(Action::SetValue(0, state.scenario.assumptions[0].range.0));
        state.apply(Action::Analysis(AnalysisAction::RunReference));
        let first = state.analyses.reference.clone().unwrap();
        assert_eq!(first.label, "the scenario's defaults");
        assert_eq!(first.model(), state.scenario.model(&state.scenario.defaults()));
        assert_eq!(first.settings, state.settings);
        state.apply(Action::Analysis(AnalysisAction::ChooseReference(Reference::Builtin(
            "no-such-scenario".into(),
        ))));
        state.apply(Action::Analysis(AnalysisAction::RunReference));
        assert_eq!(
            state.analyses.reference.as_ref(),
            Some(&first),
            "an unknown choice runs nothing"
        );
        state.apply(Action::Analysis(AnalysisAction::ChooseReference(Reference::Defaults)));
        state.apply(Action::Analysis(AnalysisAction::RunReference));
        let second = state.analyses.reference.clone().unwrap();
        let summary = Rc::new(crate::engine::Ensemble::run(second.model(), second.settings));
        let indicators = Rc::new(OutcomeRuns::simulate(second.model(), second.settings));
        for id in [first.id, second.id] {
            state.apply(Action::Analysis(AnalysisAction::ReferenceFinished {
                id,
                summary: summary.clone(),
                indicators: indicators.clone(),
            }));
            let got = state.analyses.reference.as_ref().unwrap();
            assert_eq!(got.result.is_some(), id == second.id, "answer to job {id}");
        }
        // Cancel leaves a finished comparison alone, and drops one still running, with its link key.
        state.apply(Action::Analysis(AnalysisAction::CancelReference));
        assert_eq!(state.analyses.reference.as_ref().unwrap().id, second.id);
        let source = *crate::analysis::ablate::ablatable(&state.scenario)
            .first()
            .expect("a source to leave out");
        state.apply(Action::Analysis(AnalysisAction::ChooseReference(Reference::Without(
            source,
        ))));
        state.apply(Action::Analysis(AnalysisAction::RunReference));
        assert!(state.link().contains("view.without="), "{}", state.link());
        state.apply(Action::Analysis(AnalysisAction::CancelReference));
        assert_eq!(state.analyses.reference, None);
        assert!(!state.link().contains("view.without="), "{}", state.link());
        // Its answer, arriving after the cancel, is not shown.
        state.apply(Action::Analysis(AnalysisAction::ReferenceFinished {
            id: state.analyses.last_job,
            summary,
            indicators,
        }));
        assert_eq!(state.analyses.reference, None);
    }

    #[test]
    fn analyses_survive_back_and_forward_within_a_scenario_but_not_a_scenario_change() {
        let mut state = state();
        let link = state.link();
        compute(&mut state, 2);
        state.apply(Action::OpenLink(link));
        assert!(state.analyses.tornado.is_some());
        let other = crate::scenario::builtin_ids()
            .find(|id| *id != state.scenario.id)
            .unwrap();
        state.apply(Action::SelectScenario(other.to_string()));
        assert_eq!(state.analyses, Analyses::default());
    }
}
