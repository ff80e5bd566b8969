//! The Web Worker that runs the engine off the UI thread.
//!
//! The page sends a [`Job`]; the worker advances it in slices of about [`SLICE_MILLISECONDS`],
//! reporting progress after each, and yields to its event loop between slices so that a newer job,
//! which replaces the running one, is seen at once. Numbers are those of `Ensemble::run` (and of the
//! command line) for the same model and settings.
//!
//! Three kinds of task: the main ensemble (fan-chart bands as it goes, then the summary, the
//! per-run outcome indicators and the readings of its runs), a batch of outcomes-only ensembles
//! (the sensitivity tornado, spread over several workers), and a batch of per-run-model ensembles
//! (over what we don't know; the matrices of a Sobol design). Both batches return each ensemble's
//! indicators.

use gloo::worker::{HandlerId, Worker, WorkerScope};
use serde::{Deserialize, Serialize};

use crate::analysis::per_run::{self, KeptPlain, MatrixCache, PerRunJob, PlanRun};
use crate::analysis::readings::RunReadings;
use crate::analysis::OutcomeRuns;

use crate::engine::{Ensemble, Model, PairBands, Proportion, Settings, Summary};

/// Work done between two looks at the message queue.
pub const SLICE_MILLISECONDS: f64 = 30.0;

/// Runs advanced per call between clock checks.
const RUNS_PER_STEP: usize = 500;

/// A batch reports its progress at most this often: the page's thread shares the cores with the
/// workers, so fewer messages leave more time for the work.
const BATCH_REPORT_MILLISECONDS: f64 = 250.0;

/// The main ensemble reports its first progress (a partial fan) once it has run this long.
const FIRST_PROGRESS_MILLISECONDS: f64 = 150.0;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Task {
    /// One full ensemble.
    Ensemble(Model),
    /// Outcomes-only ensembles, in order, with the model of the tornado's base: the worker runs it
    /// first and reuses its runs where they are another model's (`per_run::plain_outcomes`).
    Outcomes { base: Box<Model>, models: Vec<Model> },
    /// Outcomes-only ensembles of per-run models, one per plan, in order (boxed: it holds a
    /// scenario's template).
    PerRun(Box<PerRunJob>),
    /// Drop the running job, if any (the user cancelled it); nothing is reported.
    Cancel,
}

/// A request from the page. A newer job replaces any job still running in this worker.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Job {
    pub id: u64,
    pub task: Task,
    pub settings: Settings,
}

/// What the worker sends back: one kind of report per kind of task, so a receiver matches only
/// the updates its own task can produce.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Report {
    Ensemble { id: u64, update: EnsembleUpdate },
    Outcomes { id: u64, update: OutcomesUpdate },
}

/// How a [`Task::Ensemble`] goes.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum EnsembleUpdate {
    Progress {
        fraction: f64,
        bands: Vec<PairBands>,
    },
    /// The outcomes of the first `runs` runs, while the rest are computed.
    Preliminary {
        runs: usize,
        outcomes: Vec<Proportion>,
    },
    Finished {
        summary: Summary,
        indicators: OutcomeRuns,
        /// Boxed: it is larger than the other updates.
        readings: Box<RunReadings>,
        milliseconds: f64,
    },
}

/// How a [`Task::Outcomes`] or [`Task::PerRun`] batch goes.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum OutcomesUpdate {
    Progress {
        done: usize,
        total: usize,
    },
    Finished {
        results: Vec<OutcomeRuns>,
        milliseconds: f64,
    },
}

pub enum Step {
    Continue,
}

/// Ensembles of at least this many runs first report the outcomes of their first
/// [`PRELIMINARY_RUNS`] runs (exactly an ensemble of that size), so the numbers refine as runs
/// accumulate instead of appearing only at the end.
const PRELIMINARY_FROM: usize = 5000;
const PRELIMINARY_RUNS: usize = 1000;

enum Work {
    /// The full ensemble, and before it, for large ones, its first runs (outcomes only).
    /// Boxed: an ensemble is a few kilobytes, the batch variant much less.
    Ensemble {
        full: Box<Ensemble>,
        first: Option<Box<Ensemble>>,
        /// The model's capability weights, for the blocs' leans.
        weights: Vec<f64>,
    },
    /// `current` is `None` once every ensemble is done.
    Batch {
        pending: Pending,
        current: Option<Box<PlanRun>>,
        total: usize,
        results: Vec<OutcomeRuns>,
    },
}

/// The ensembles of a batch not yet started.
enum Pending {
    /// Models of one scenario (the tornado's), each run as its own ensemble but for the runs it
    /// shares with the base's (`per_run::plain_outcomes`).
    Models {
        models: std::vec::IntoIter<Model>,
        base: Box<Model>,
        /// The base's runs, once the first model is started.
        kept: Option<Box<KeptPlain>>,
    },
    PerRun {
        job: Box<PerRunJob>,
        next: usize,
        /// What the matrices made (the runs' derivations, the design's rows), kept from one plan
        /// to the next (a Sobol design's matrices differ row by row in one factor) and from one
        /// job to the next ([`SimWorker::cache`]).
        cache: MatrixCache,
    },
}

impl Pending {
    fn next(&mut self, settings: Settings) -> Option<Box<PlanRun>> {
        match self {
            Pending::Models { models, base, kept } => {
                let model = models.next()?;
                let kept = kept.get_or_insert_with(|| Box::new(KeptPlain::simulate((**base).clone(), settings)));
                Some(Box::new(per_run::plain_outcomes(model, settings, Some(kept))))
            }
            Pending::PerRun { job, next, cache } => {
                let plan = *job.plans.get(*next)?;
                *next += 1;
                Some(Box::new(per_run::outcomes(
                    &job.propagation,
                    &job.factors,
                    settings,
                    plan,
                    cache,
                )))
            }
        }
    }
}

struct Running {
    id: u64,
    settings: Settings,
    work: Work,
    requester: HandlerId,
    started: f64,
    last_report: f64,
}

/// The worker's state: at most one job.
pub struct SimWorker {
    running: Option<Running>,
    /// The matrix cache of the last per-run job, for the next: the page hands a Sobol design's
    /// matrices to a worker a few at a time. Entries are checked against their inputs, so a cache
    /// left by another job changes no number, only the work; dropped on cancel (the page cancels
    /// the pool when an analysis ends), so it holds memory only while one runs.
    cache: MatrixCache,
}

fn now() -> f64 {
    js_sys::Date::now()
}

impl SimWorker {
    /// Ends the running job (if any); a per-run job leaves its matrix cache to the next.
    fn end_job(&mut self) {
        if let Some(Running {
            work: Work::Batch {
                pending: Pending::PerRun { cache, .. },
                ..
            },
            ..
        }) = self.running.take()
        {
            self.cache = cache;
        }
    }

    fn schedule(scope: &WorkerScope<Self>) {
        scope.send_future(async {
            next_task().await;
            Step::Continue
        });
    }
}

thread_local! {
    /// The channel the worker posts itself a message on to yield (one per worker, kept for its
    /// lifetime so that a pending message is never dropped with its ports).
    static YIELD_CHANNEL: web_sys::MessageChannel =
        web_sys::MessageChannel::new().expect("a worker can open a message channel");
}

/// Resolves in a later task of the worker's event loop, after the messages already queued (a newer
/// job, a cancel). A message to itself rather than a zero timeout: browsers clamp nested zero
/// timeouts to 4 ms, which left every worker idle 4–5 ms after each 30 ms slice (measured in
/// headless Chromium: 4.5 ms per slice with timeouts, 0.2–0.5 ms with a message channel).
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        YIELD_CHANNEL.with(|channel| {
            channel.port1().set_onmessage(Some(&resolve));
            // Posting `undefined` on an open port of one's own channel does not fail.
            let _ = channel.port2().post_message(&wasm_bindgen::JsValue::UNDEFINED);
        })
    });
    // The promise only ever resolves.
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Advances a job for one slice; returns the report to send and whether the job is done.
fn slice(job: &mut Running) -> (Option<Report>, bool) {
    let slice_start = now();
    loop {
        match &mut job.work {
            Work::Ensemble {
                first: first @ Some(_), ..
            } => {
                let ensemble = first.as_mut().expect("matched Some");
                if ensemble.advance(RUNS_PER_STEP).is_done() {
                    let report = Report::Ensemble {
                        id: job.id,
                        update: EnsembleUpdate::Preliminary {
                            runs: PRELIMINARY_RUNS,
                            outcomes: ensemble.summary().outcomes,
                        },
                    };
                    *first = None;
                    return (Some(report), false);
                }
                if now() - slice_start >= SLICE_MILLISECONDS {
                    return (None, false);
                }
            }
            Work::Ensemble {
                full: ensemble,
                first: None,
                weights,
            } => {
                let progress = ensemble.advance(RUNS_PER_STEP);
                if progress.is_done() {
                    let report = Report::Ensemble {
                        id: job.id,
                        update: EnsembleUpdate::Finished {
                            summary: ensemble.summary(),
                            indicators: OutcomeRuns::from_ensemble(ensemble),
                            readings: Box::new(RunReadings::of(ensemble, |_| weights)),
                            milliseconds: now() - job.started,
                        },
                    };
                    return (Some(report), true);
                }
                let time = now();
                if time - slice_start >= SLICE_MILLISECONDS {
                    // A job that will be over in a moment (a slider step) shows its result once:
                    // a partial fan drawn and replaced within a frame or two costs the page's
                    // thread a redraw and shows nothing a person can read.
                    if time - job.started < FIRST_PROGRESS_MILLISECONDS {
                        return (None, false);
                    }
                    let report = Report::Ensemble {
                        id: job.id,
                        update: EnsembleUpdate::Progress {
                            fraction: progress.fraction(),
                            bands: ensemble.bands().to_vec(),
                        },
                    };
                    return (Some(report), false);
                }
            }
            Work::Batch {
                pending,
                current,
                total,
                results,
            } => {
                if let Some(run) = current {
                    if run.advance(RUNS_PER_STEP) {
                        results.push(run.outcomes());
                        *current = pending.next(job.settings);
                    }
                }
                if current.is_none() {
                    let report = Report::Outcomes {
                        id: job.id,
                        update: OutcomesUpdate::Finished {
                            results: std::mem::take(results),
                            milliseconds: now() - job.started,
                        },
                    };
                    return (Some(report), true);
                }
                let time = now();
                if time - slice_start >= SLICE_MILLISECONDS {
                    if time - job.last_report < BATCH_REPORT_MILLISECONDS {
                        return (None, false);
                    }
                    job.last_report = time;
                    return (
                        Some(Report::Outcomes {
                            id: job.id,
                            update: OutcomesUpdate::Progress {
                                done: results.len(),
                                total: *total,
                            },
                        }),
                        false,
                    );
                }
            }
        }
    }
}

/// A batch of `total` ensembles, the first started.
fn batch(mut pending: Pending, total: usize, settings: Settings) -> Work {
    let current = pending.next(settings);
    Work::Batch {
        pending,
        current,
        total,
        results: Vec::with_capacity(total),
    }
}

impl Worker for SimWorker {
    type Message = Step;
    type Input = Job;
    type Output = Report;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        SimWorker {
            running: None,
            cache: MatrixCache::default(),
        }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, Step::Continue: Step) {
        let Some(job) = self.running.as_mut() else { return };
        let (report, done) = slice(job);
        let requester = job.requester;
        if done {
            self.end_job();
        } else {
            Self::schedule(scope);
        }
        if let Some(report) = report {
            scope.respond(requester, report);
        }
    }

    fn received(&mut self, scope: &WorkerScope<Self>, job: Job, requester: HandlerId) {
        let idle = self.running.is_none();
        // The job this one replaces leaves its matrix cache to it.
        self.end_job();
        let work = match job.task {
            Task::Cancel => {
                self.cache = MatrixCache::default();
                return;
            }
            Task::Ensemble(model) => {
                let first = (job.settings.runs >= PRELIMINARY_FROM).then(|| {
                    Box::new(Ensemble::outcomes_only(
                        model.clone(),
                        Settings {
                            runs: PRELIMINARY_RUNS,
                            ..job.settings
                        },
                    ))
                });
                Work::Ensemble {
                    weights: model.weights.clone(),
                    full: Box::new(Ensemble::new(model, job.settings)),
                    first,
                }
            }
            Task::Outcomes { base, models } => {
                let total = models.len();
                let pending = Pending::Models {
                    models: models.into_iter(),
                    base,
                    kept: None,
                };
                batch(pending, total, job.settings)
            }
            Task::PerRun(per_run) => {
                let total = per_run.plans.len();
                batch(
                    Pending::PerRun {
                        job: per_run,
                        next: 0,
                        cache: std::mem::take(&mut self.cache),
                    },
                    total,
                    job.settings,
                )
            }
        };
        let started = now();
        self.running = Some(Running {
            id: job.id,
            settings: job.settings,
            work,
            requester,
            started,
            last_report: started,
        });
        if idle {
            // Start now, in this task; a running job already has its next slice scheduled.
            self.update(scope, Step::Continue);
        }
    }
}
