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

use gloo::worker::{Bincode, Codec};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::MessageEvent;
use yew::prelude::*;

use super::worker::{EnsembleUpdate, Job, OutcomesUpdate, Report, Share, Task};
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
    /// The main ensemble's other runs, when two workers share it ([`shared_blocks`]); it reports
    /// to the main worker, not to the page.
    Follow,
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

/// The lead's share of a main ensemble's runs when two workers share it: less than half, since it
/// also takes every month's quantiles. (A quarter and a fifth did no better in headless Chromium
/// on two cores.)
const LEAD_SHARE: f64 = 1.0 / 3.0;

/// Main ensembles of at least this many runs are shared by two workers. Measured in headless
/// Chromium on two cores, the worker time of a slider step (the status line's), one worker against
/// two: 2 000 runs 44–49 against 43–46 ms (medians of 12 steps, 3 loads each; the page's own thread
/// is busy during much of it, and takes the second core); 5 000 runs 113–115 against 90–101 ms;
/// 10 000 runs 199–206 against 155–160 ms; 100 000 runs 1.7–1.9 against 1.4–1.6 s.
const SHARED_FROM_RUNS: usize = 5000;

/// How many blocks of runs the lead takes when the main ensemble of `runs` runs is shared by two
/// workers; `None` where one worker runs it (one core, or fewer than [`SHARED_FROM_RUNS`]).
fn shared_blocks(runs: usize) -> Option<usize> {
    let blocks = runs.div_ceil(crate::engine::LANES);
    (pool_size() >= 2 && runs >= SHARED_FROM_RUNS)
        .then(|| ((blocks as f64 * LEAD_SHARE).round() as usize).clamp(1, blocks - 1))
}

/// Messages posted to a worker before it could take them, each with whether it moves (a port).
type Pending = Rc<RefCell<Option<Vec<(JsValue, bool)>>>>;

/// One of the page's Web Workers, on the page's own module (`worker_loader.js`; the protocol is
/// `worker.rs`'s).
struct WorkerHandle {
    worker: web_sys::Worker,
    /// What was posted before the worker said it can take messages (one posted earlier would find
    /// no handler), with what it transfers; `None` once it can.
    pending: Pending,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

impl WorkerHandle {
    fn spawn(on_report: impl Fn(Report) + 'static) -> Self {
        let worker = web_sys::Worker::new("./worker_loader.js").expect("a page can start a Web Worker");
        let pending = Rc::new(RefCell::new(Some(Vec::new())));
        let on_message = {
            let (worker, pending) = (worker.clone(), pending.clone());
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let data = event.data();
                if !data.is_null() {
                    return on_report(Bincode::decode(data));
                }
                for (message, transfers) in pending.take().into_iter().flatten() {
                    post(&worker, &message, transfers);
                }
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        WorkerHandle {
            worker,
            pending,
            _on_message: on_message,
        }
    }

    /// Posts `message` (moving it to the worker when `transfers`: a port), now or once it can
    /// take it.
    fn post(&self, message: JsValue, transfers: bool) {
        match self.pending.borrow_mut().as_mut() {
            Some(pending) => pending.push((message, transfers)),
            None => post(&self.worker, &message, transfers),
        }
    }
}

fn post(worker: &web_sys::Worker, message: &JsValue, transfers: bool) {
    // Posting to a worker never fails for these messages (encoded bytes, a port).
    let _ = match transfers {
        true => worker.post_message_with_transfer(message, &js_sys::Array::of1(message)),
        false => worker.post_message(message),
    };
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        self.worker.terminate();
    }
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
    workers: RefCell<HashMap<Lane, WorkerHandle>>,
    /// Whether the main and follow workers have their channel (they get a new one when either
    /// is new).
    paired: Cell<bool>,
    /// Page clock of the main lane's last report or job: what the watchdog measures from.
    main_heard: Rc<Cell<f64>>,
}

impl Runner {
    fn new(on_action: Callback<Action>) -> Self {
        Runner {
            on_action,
            workers: RefCell::new(HashMap::new()),
            paired: Cell::new(false),
            main_heard: Rc::new(Cell::new(now())),
        }
    }

    /// The main ensemble of `model`: on two workers when [`shared_blocks`] says so, else on one.
    fn send_main(&self, generation: u64, model: crate::engine::Model, settings: Settings) {
        let Some(blocks) = shared_blocks(settings.runs) else {
            self.cancel(Lane::Follow);
            return self.send(Lane::Main, generation, Task::Ensemble { model, share: None }, settings);
        };
        self.warm(Lane::Main);
        self.warm(Lane::Follow);
        if !self.paired.replace(true) {
            let channel = web_sys::MessageChannel::new().expect("a page can open a message channel");
            let workers = self.workers.borrow();
            workers[&Lane::Main].post(channel.port1().into(), true);
            workers[&Lane::Follow].post(channel.port2().into(), true);
        }
        let side = |lead| Task::Ensemble {
            model: model.clone(),
            share: Some(Share { lead, blocks }),
        };
        self.send(Lane::Follow, generation, side(false), settings);
        self.send(Lane::Main, generation, side(true), settings);
    }

    fn spawn(&self, lane: Lane) -> WorkerHandle {
        if matches!(lane, Lane::Main | Lane::Follow) {
            self.paired.set(false);
        }
        let (on_action, main_heard) = (self.on_action.clone(), self.main_heard.clone());
        WorkerHandle::spawn(move |report: Report| {
            let time = now();
            if lane == Lane::Main {
                main_heard.set(time);
            }
            if let Some(action) = action(lane, report, time) {
                on_action.emit(action);
            }
        })
    }

    /// Sends a job to the lane's worker; it replaces the job that worker is running.
    pub fn send(&self, lane: Lane, id: u64, task: Task, settings: Settings) {
        if lane == Lane::Main {
            self.main_heard.set(now());
        }
        self.warm(lane);
        self.workers.borrow()[&lane].post(Bincode::encode(Job { id, task, settings }), false);
    }

    /// Starts the lane's worker ahead of its first job (loading a worker's wasm takes a moment).
    fn warm(&self, lane: Lane) {
        if !self.workers.borrow().contains_key(&lane) {
            let worker = self.spawn(lane);
            self.workers.borrow_mut().insert(lane, worker);
        }
    }

    /// Stops whatever the lane's worker is running (a worker never spawned has nothing to stop).
    pub fn cancel(&self, lane: Lane) {
        if let Some(worker) = self.workers.borrow().get(&lane) {
            let cancel = Job {
                id: 0,
                task: Task::Cancel,
                settings: Settings {
                    seed: 0,
                    runs: 0,
                    horizon: 0,
                },
            };
            worker.post(Bincode::encode(cancel), false);
        }
    }

    /// Stops every worker (one stopped answering): the next job of each lane starts a fresh one.
    fn restart(&self) {
        self.workers.borrow_mut().clear();
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
                runner.send_main(generation, model, job_state.settings);
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
                Task::Ensemble {
                    model: reference.model(),
                    share: None,
                },
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
