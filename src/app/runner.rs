//! The one place the page talks to its Web Workers.
//!
//! The reducer decides *what* to compute (a new generation of inputs, a tornado, a reference run);
//! [`use_runner`] sees those requests in the state and sends the jobs, each on its own [`Lane`]
//! (one worker per lane, so a job replaces only the job of its own lane). Reports come back typed
//! by the kind of job ([`Report`]) and are turned into reducer actions in one function,
//! [`action`]; a late report of an older job is dropped by the reducer, which knows the current
//! job ids. Retry after a dead worker, cancel and the watchdog live here too.
//!
//! Adding an analysis: its state and actions (`src/state/analyses.rs`), its computation
//! (`src/analysis/`), its lane and report mapping and the effect that sends its jobs (here), its
//! component, and where the component is placed (`components/results.rs`).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use gloo::worker::{Spawnable, WorkerBridge};
use yew::prelude::*;

use super::worker::{EnsembleUpdate, Job, OutcomesUpdate, Report, SimWorker, Task};
use crate::analysis::per_run::{PerRunJob, Plan, Propagation};
use crate::engine::Settings;
use crate::state::{Action, AnalysisAction, State};

/// A running job that sends nothing for this long is taken as a failed worker (a job reports at
/// least every 30 ms of work).
const WORKER_SILENCE_MILLISECONDS: f64 = 6000.0;

/// Which worker a job goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lane {
    /// The ensemble behind the fan charts and outcomes; job id = the state's generation.
    Main,
    /// The comparison's reference state.
    Reference,
    /// The outcomes over what we don't know (per-run models); job id = the state's generation.
    Uncertain,
    /// One worker of the analysis pool (the tornado's ensembles and the Sobol design's matrices
    /// are spread over them).
    Pool(usize),
}

/// Workers in the analysis pool: one per core, at most 4.
pub fn pool_size() -> usize {
    let cores = gloo::utils::window().navigator().hardware_concurrency();
    (cores as usize).clamp(1, 4)
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// What a lane's report becomes: the one translation from the worker protocol to the reducer.
/// `None` for updates nobody shows (the reference's progress).
fn action(lane: Lane, report: Report, now: f64) -> Option<Action> {
    Some(match (lane, report) {
        (Lane::Main, Report::Ensemble { id, update }) => match update {
            EnsembleUpdate::Progress { fraction, bands } => Action::Progress {
                generation: id,
                fraction,
                bands: Rc::new(bands),
            },
            EnsembleUpdate::Preliminary { runs, outcomes } => Action::Preliminary {
                generation: id,
                runs,
                outcomes: Rc::new(outcomes),
            },
            EnsembleUpdate::Finished {
                summary,
                indicators,
                readings,
                milliseconds,
            } => Action::Finished {
                generation: id,
                summary: Rc::new(summary),
                indicators: Rc::new(indicators),
                readings: Rc::new(*readings),
                milliseconds,
            },
        },
        (
            Lane::Reference,
            Report::Ensemble {
                id,
                update: EnsembleUpdate::Finished {
                    summary, indicators, ..
                },
            },
        ) => Action::Analysis(AnalysisAction::ReferenceFinished {
            id,
            summary: Rc::new(summary),
            indicators: Rc::new(indicators),
        }),
        (
            Lane::Uncertain,
            Report::Outcomes {
                id,
                update: OutcomesUpdate::Finished { mut results, .. },
            },
        ) => Action::Analysis(AnalysisAction::UncertainFinished {
            id,
            runs: Rc::new(results.pop()?),
        }),
        (Lane::Pool(worker), Report::Outcomes { id, update }) => Action::Analysis(match update {
            OutcomesUpdate::Progress { done, .. } => AnalysisAction::PoolProgress { id, worker, done },
            OutcomesUpdate::Finished { results, .. } => AnalysisAction::PoolFinished {
                id,
                worker,
                results,
                now,
            },
        }),
        _ => return None,
    })
}

/// The page's workers, spawned on first use of each lane.
pub struct Runner {
    on_action: Callback<Action>,
    bridges: RefCell<HashMap<Lane, WorkerBridge<SimWorker>>>,
    /// Page clock of the main lane's last report or job: what the watchdog measures from.
    main_heard: Rc<Cell<f64>>,
}

impl Runner {
    fn new(on_action: Callback<Action>) -> Self {
        Runner {
            on_action,
            bridges: RefCell::new(HashMap::new()),
            main_heard: Rc::new(Cell::new(now())),
        }
    }

    fn spawn(&self, lane: Lane) -> WorkerBridge<SimWorker> {
        let (on_action, main_heard) = (self.on_action.clone(), self.main_heard.clone());
        SimWorker::spawner()
            .callback(move |report: Report| {
                let time = now();
                if lane == Lane::Main {
                    main_heard.set(time);
                }
                if let Some(action) = action(lane, report, time) {
                    on_action.emit(action);
                }
            })
            .spawn_with_loader("./worker_loader.js")
    }

    /// Sends a job to the lane's worker; it replaces the job that worker is running.
    pub fn send(&self, lane: Lane, id: u64, task: Task, settings: Settings) {
        if lane == Lane::Main {
            self.main_heard.set(now());
        }
        let mut bridges = self.bridges.borrow_mut();
        let bridge = bridges.entry(lane).or_insert_with(|| self.spawn(lane));
        bridge.send(Job { id, task, settings });
    }

    /// Starts the lane's worker ahead of its first job (loading a worker's wasm takes a moment).
    fn warm(&self, lane: Lane) {
        self.bridges
            .borrow_mut()
            .entry(lane)
            .or_insert_with(|| self.spawn(lane));
    }

    /// Stops whatever the lane's worker is running (a worker never spawned has nothing to stop).
    pub fn cancel(&self, lane: Lane) {
        if let Some(bridge) = self.bridges.borrow().get(&lane) {
            bridge.send(Job {
                id: 0,
                task: Task::Cancel,
                settings: Settings {
                    seed: 0,
                    runs: 0,
                    horizon: 0,
                },
            });
        }
    }

    /// Forgets every worker (one stopped answering): the next job of each lane starts a fresh one.
    fn restart(&self) {
        self.bridges.borrow_mut().clear();
    }
}

/// Sends every job the state asks for, and watches the main worker. The page's root calls it once.
#[hook]
pub fn use_runner(state: &UseReducerHandle<State>) {
    let runner: Rc<Runner> = {
        let dispatch = state.dispatcher();
        use_memo((), move |_| {
            Runner::new(Callback::from(move |action| dispatch.dispatch(action)))
        })
    };

    // The main ensemble: whenever an input of the model changes (the new job replaces the running
    // one), or on retry after a failure (with fresh workers).
    {
        let (runner, job_state) = (runner.clone(), state.clone());
        let restarted_for = use_mut_ref(|| 0u32);
        use_effect_with(
            (state.generation, state.worker_attempt),
            move |&(generation, attempt)| {
                if *restarted_for.borrow() != attempt {
                    runner.restart();
                    *restarted_for.borrow_mut() = attempt;
                }
                let model = job_state.scenario.model(&job_state.values);
                runner.send(Lane::Main, generation, Task::Ensemble(model), job_state.settings);
            },
        );
    }

    // The analysis pool starts once the first results are in: not earlier, so that loading it does
    // not slow the first result; not on the first click, so that the tornado does not wait for it.
    {
        let runner = runner.clone();
        use_effect_with(state.summary_generation > 0, move |&ready| {
            if ready {
                (0..pool_size()).for_each(|worker| runner.warm(Lane::Pool(worker)));
            }
        });
    }

    // The tornado: its ensembles spread over the pool when asked for; stopped when cancelled.
    {
        let (runner, job_state) = (runner.clone(), state.clone());
        let running = state
            .analyses
            .tornado
            .as_ref()
            .filter(|run| run.is_running())
            .map(|run| run.id);
        use_effect_with(running, move |running| match (running, &job_state.analyses.tornado) {
            (Some(id), Some(run)) if run.id == *id => {
                for worker in 0..run.workers() {
                    runner.send(
                        Lane::Pool(worker),
                        run.id,
                        Task::Outcomes {
                            base: Box::new(run.base_model()),
                            models: run.models(worker),
                        },
                        run.settings,
                    );
                }
            }
            (None, _) if job_state.analyses.sobol.as_ref().is_none_or(|s| !s.is_running()) => {
                (0..pool_size()).for_each(|worker| runner.cancel(Lane::Pool(worker)))
            }
            _ => {}
        });
    }

    // The Sobol design: each chunk of its matrices sent to the worker the state hands it to (a
    // worker that returns a chunk gets the next); stopped when cancelled.
    {
        let (runner, job_state) = (runner.clone(), state.clone());
        let running = state
            .analyses
            .sobol
            .as_ref()
            .filter(|run| run.is_running())
            .map(|run| (run.id, run.assigned.clone()));
        // Per worker, the (job, chunk) last sent: a change of one worker's chunk sends that chunk.
        let sent = use_mut_ref(Vec::<Option<(u64, usize)>>::new);
        use_effect_with(running, move |running| match (running, &job_state.analyses.sobol) {
            (Some((id, assigned)), Some(run)) if run.id == *id => {
                let mut sent = sent.borrow_mut();
                if sent.len() < assigned.len() {
                    sent.resize(assigned.len(), None);
                }
                for (worker, &chunk) in assigned.iter().enumerate() {
                    let Some(chunk) = chunk else { continue };
                    if sent[worker].replace((run.id, chunk)) != Some((run.id, chunk)) {
                        runner.send(
                            Lane::Pool(worker),
                            run.id,
                            Task::PerRun(Box::new(run.job(chunk))),
                            run.settings,
                        );
                    }
                }
            }
            (None, _) if job_state.analyses.tornado.as_ref().is_none_or(|t| !t.is_running()) => {
                (0..pool_size()).for_each(|worker| runner.cancel(Lane::Pool(worker)))
            }
            _ => {}
        });
    }

    // Over what we don't know: with the switch on, for every generation of inputs (on the main
    // ensemble's random draws); switched off, stopped.
    {
        let (runner, job_state) = (runner.clone(), state.clone());
        use_effect_with(
            (state.generation, state.view.uncertain, state.worker_attempt),
            move |&(generation, on, _)| {
                if on {
                    let job = PerRunJob {
                        propagation: Propagation::new(&job_state.scenario, &job_state.values),
                        factors: Vec::new(),
                        plans: vec![Plan::Uncertain],
                    };
                    runner.send(
                        Lane::Uncertain,
                        generation,
                        Task::PerRun(Box::new(job)),
                        job_state.settings,
                    );
                } else {
                    runner.cancel(Lane::Uncertain);
                }
            },
        );
    }

    // The comparison's reference state.
    {
        let (runner, job_state) = (runner.clone(), state.clone());
        let pending = state
            .analyses
            .reference
            .as_ref()
            .filter(|r| r.result.is_none())
            .map(|r| r.id);
        use_effect_with(pending, move |pending| match (pending, &job_state.analyses.reference) {
            (Some(id), Some(reference)) if reference.id == *id => runner.send(
                Lane::Reference,
                reference.id,
                Task::Ensemble(reference.model()),
                reference.settings,
            ),
            // Cancelled (or finished, when there is nothing left to stop).
            (None, None) => runner.cancel(Lane::Reference),
            _ => {}
        });
    }

    // Watchdog: a running main job whose worker has gone silent is reported; the page stays usable.
    let running = use_mut_ref(|| false);
    *running.borrow_mut() = state.progress.is_some();
    {
        let dispatch = state.dispatcher();
        let main_heard = runner.main_heard.clone();
        use_effect_with((), move |_| {
            let interval = gloo::timers::callback::Interval::new(1000, move || {
                if *running.borrow() && now() - main_heard.get() > WORKER_SILENCE_MILLISECONDS {
                    dispatch.dispatch(Action::WorkerFailed(
                        "the simulation worker stopped answering (it may have failed to load or crashed)".into(),
                    ));
                }
            });
            move || drop(interval)
        });
    }
}
