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
//!
//! The main ensemble may be shared by two workers ([`Share`]): the lead reports it as above, and
//! the follow computes the other runs and hands them to the lead, month by month, on a message
//! port the page gives both (`Channel`: plain numbers in buffers that are moved, not copied,
//! and given back); the page's thread never carries them.
//!
//! The protocol with the page: the worker posts `null` once it can take jobs, then a report
//! ([`Report`], encoded) for each thing it has to say; the page posts encoded [`Job`]s, and, to a
//! shared ensemble's two workers, each its end of their channel (a `MessagePort`).

use std::cell::RefCell;
use std::collections::VecDeque;

use gloo::worker::{Bincode, Codec};
use serde::{Deserialize, Serialize};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, MessagePort};

use crate::analysis::per_run::{self, KeptPlain, MatrixCache, PerRunJob, PlanRun, KEPT_TAPE_BYTES};
use crate::analysis::readings::RunReadings;
use crate::analysis::OutcomeRuns;

use crate::engine::{Ensemble, KeptDraws, Model, PairBands, Proportion, Settings, Summary};

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
    /// One full ensemble, or one side of it.
    Ensemble { model: Model, share: Option<Share> },
    /// Outcomes-only ensembles, in order, with the model of the tornado's base: the worker runs it
    /// first and reuses its runs where they are another model's (`per_run::plain_outcomes`).
    Outcomes { base: Box<Model>, models: Vec<Model> },
    /// Outcomes-only ensembles of per-run models, one per plan, in order (boxed: it holds a
    /// scenario's template).
    PerRun(Box<PerRunJob>),
    /// Drop the running job, if any (the user cancelled it); nothing is reported.
    Cancel,
}

/// One side of an ensemble shared by two workers.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Share {
    /// The lead computes the first `blocks` blocks of runs and reports the whole ensemble; the
    /// follow computes the others, hands them to the lead on the port the page gave both, and
    /// reports nothing.
    pub lead: bool,
    pub blocks: usize,
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

enum Step {
    Continue,
    /// What came from the other end of the channel.
    FromChannel(JsValue),
}

/// A worker's end of the channel between a shared ensemble's lead and follow, and what passes on
/// it. The follow posts arrays of doubles: the job (a newer job's arrays can arrive before the lead
/// has its newer job), then a month's rows (`Ensemble::month_rows`) or, after the last month,
/// its end (`Ensemble::follow_end`). Each array's buffer moves, and the lead gives it back once
/// read, for the follow's next array of that size: new arrays cost far more than the copies (in
/// headless Chromium, posting a slider step's 36 months of 1 333 runs took the follow 10–16 ms a
/// step in new arrays, 1.5–10 ms in arrays given back, of 22–47 ms for its whole share).
struct Channel {
    port: MessagePort,
    /// The handler of what comes from the other end, kept while the channel is open.
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    /// A lead's arrays from its follow not yet used, oldest first (of its job or a newer one).
    inbox: VecDeque<js_sys::Float64Array>,
    /// A follow's arrays given back by the lead, to post again. They come back between the
    /// follow's slices, so a job posts in its own arrays only as far as the last job's came back.
    spares: Vec<js_sys::Float64Array>,
}

/// A follow keeps the arrays given back up to this many doubles in all (24 MiB): every month of a
/// 2 000-run ensemble (36 arrays of 1 333 runs × 21 pairs, 8 MB), a part of a larger one's.
const MAX_SPARE_VALUES: u32 = 3 << 20;

impl Channel {
    /// A follow's `values` of `job` to the lead.
    fn post(&mut self, job: u64, values: &[f64]) {
        let length = 1 + values.len() as u32;
        let array = match self.spares.iter().position(|spare| spare.length() == length) {
            Some(at) => self.spares.swap_remove(at),
            None => js_sys::Float64Array::new_with_length(length),
        };
        array.set_index(0, job as f64);
        array.subarray(1, length).copy_from(values);
        self.send(&array, &array.buffer());
    }

    /// Moves `message` (holding `buffer`) to the other end. Posting on a port whose other end is
    /// gone drops it without an error: a lead then waits until the page's watchdog replaces both.
    fn send(&self, message: &JsValue, buffer: &js_sys::ArrayBuffer) {
        let _ = self
            .port
            .post_message_with_transferable(message, &js_sys::Array::of1(buffer));
    }

    /// What came from the other end: a follow's array (for a lead's inbox), or a bare buffer a
    /// lead gave back (for a follow's spares).
    fn receive(&mut self, data: JsValue) {
        match data.dyn_into::<js_sys::ArrayBuffer>() {
            Ok(buffer) => {
                let spare = js_sys::Float64Array::new(&buffer);
                let kept: u32 = self.spares.iter().map(js_sys::Float64Array::length).sum();
                if kept + spare.length() <= MAX_SPARE_VALUES {
                    self.spares.push(spare);
                }
            }
            Err(array) => self.inbox.push_back(array.unchecked_into()),
        }
    }

    /// A lead's next array of `job` (older jobs' arrays are given back unread); `None` until one
    /// has come. Give it back with [`Channel::give_back`] once read.
    fn next_of(&mut self, job: u64) -> Option<js_sys::Float64Array> {
        while let Some(array) = self.inbox.front() {
            let of = array.get_index(0) as u64;
            if of > job {
                return None;
            }
            let array = self.inbox.pop_front().expect("looked at");
            if of == job {
                return Some(array);
            }
            self.give_back(array);
        }
        None
    }

    /// Returns a follow's array, read, for it to post again.
    fn give_back(&self, array: js_sys::Float64Array) {
        let buffer = array.buffer();
        self.send(&buffer, &buffer);
    }
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
    /// The follow's side of a shared ensemble, posting to the worker's channel.
    Follow(Box<Ensemble>),
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
    started: f64,
    last_report: f64,
    /// A lead waiting for its follow: no slice is scheduled, the follow's next message resumes it.
    waiting: bool,
}

/// What comes after a slice.
enum Next {
    Continue,
    /// A lead waits for its follow's next message.
    Wait,
    Done,
}

/// The worker's state: at most one job.
pub struct SimWorker {
    running: Option<Running>,
    /// The matrix cache of the last per-run job, for the next: the page hands a Sobol design's
    /// matrices to a worker a few at a time. Entries are checked against their inputs, so a cache
    /// left by another job changes no number, only the work; dropped on cancel (the page cancels
    /// the pool when an analysis ends), so it holds memory only while one runs.
    cache: MatrixCache,
    /// The channel between lead and follow, once the page gave one.
    channel: Option<Channel>,
    /// The random numbers of this worker's last whole ensemble (one not shared with another
    /// worker), for the next: a slider step's (up to [`KEPT_TAPE_BYTES`]).
    draws: KeptDraws,
    /// The last whole ensemble's model and settings, when `draws` are not its own: they are drawn
    /// once its report is sent and the worker is idle, while the page's thread shows the results,
    /// rather than before the job (which would make it about 5 ms longer in the page's engine in
    /// Node).
    to_keep: Option<(Model, Settings)>,
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

    /// Takes `port` as this worker's end of the channel between lead and follow (replacing any
    /// other): a lead's inbox is filled from it.
    fn connect(&mut self, port: MessagePort) {
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
            WORKER.with_borrow_mut(|worker| worker.update(Step::FromChannel(event.data())))
        });
        port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        self.channel = Some(Channel {
            port,
            _on_message: on_message,
            inbox: VecDeque::new(),
            spares: Vec::new(),
        });
    }

    /// Runs the next slice in a later task of the event loop ([`next_task`]).
    fn schedule() {
        wasm_bindgen_futures::spawn_local(async {
            next_task().await;
            WORKER.with_borrow_mut(|worker| worker.update(Step::Continue));
        });
    }
}

thread_local! {
    /// This Web Worker's engine worker.
    static WORKER: RefCell<SimWorker> = RefCell::new(SimWorker {
        running: None,
        cache: MatrixCache::default(),
        channel: None,
        draws: KeptDraws::default(),
        to_keep: None,
    });
}

fn global() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Starts the engine's worker in this Web Worker (the page's module, loaded by
/// `src/web/worker_loader.js`): it takes the page's messages from now on, and says so.
pub fn start() {
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        WORKER.with_borrow_mut(|worker| match event.data().dyn_into::<MessagePort>() {
            Ok(port) => worker.connect(port),
            Err(job) => worker.received(Bincode::decode(job)),
        })
    });
    global().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    // A job posted before the handler was set would have been dropped: the page waits for this.
    let _ = global().post_message(&JsValue::NULL);
}

/// Sends `report` to the page.
fn respond(report: Report) {
    let _ = global().post_message(&Bincode::encode(report));
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

/// The main ensemble's progress (a partial fan) if a report is due at the end of a slice: none in
/// the job's first [`FIRST_PROGRESS_MILLISECONDS`], so that a job that will be over in a moment (a
/// slider step) shows its result once (a partial fan drawn and replaced within a frame or two costs
/// the page's thread a redraw and shows nothing a person can read); then one at most every
/// [`SLICE_MILLISECONDS`] (`last_report` is when the last went).
fn progress_due(id: u64, started: f64, last_report: &mut f64, ensemble: &Ensemble) -> Option<Report> {
    let time = now();
    if time - started < FIRST_PROGRESS_MILLISECONDS || time - *last_report < SLICE_MILLISECONDS {
        return None;
    }
    *last_report = time;
    Some(Report::Ensemble {
        id,
        update: EnsembleUpdate::Progress {
            fraction: ensemble.progress().fraction(),
            bands: ensemble.bands().to_vec(),
        },
    })
}

/// Advances a job for one slice (a lead or a follow on `channel`); returns the report to send and
/// what comes next.
fn slice(job: &mut Running, mut channel: Option<&mut Channel>) -> (Option<Report>, Next) {
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
                    return (Some(report), Next::Continue);
                }
                if now() - slice_start >= SLICE_MILLISECONDS {
                    return (None, Next::Continue);
                }
            }
            Work::Ensemble {
                full: ensemble,
                first: None,
                weights,
            } => {
                // A lead takes its follow's rows and end as it comes to need them (the follow
                // sends them in that order), and waits when they are not in yet.
                if ensemble.awaits_rows() || ensemble.awaits_end() {
                    let channel = channel.as_deref_mut().expect("a lead has its channel");
                    let Some(array) = channel.next_of(job.id) else {
                        // A lead ahead of its follow ends every slice here, before its time is
                        // up: it reports its progress here too, or a long shared job showed none.
                        return (
                            progress_due(job.id, job.started, &mut job.last_report, ensemble),
                            Next::Wait,
                        );
                    };
                    // After the job's number: a month's rows, pair after pair, or the end.
                    if ensemble.awaits_rows() {
                        ensemble.join_month(|p, row| {
                            let start = 1 + (p * row.len()) as u32;
                            array.subarray(start, start + row.len() as u32).copy_to(row);
                        });
                    } else {
                        ensemble.join_end(&array.subarray(1, array.length()).to_vec());
                    }
                    channel.give_back(array);
                    continue;
                }
                if ensemble.advance(RUNS_PER_STEP).is_done() && !ensemble.awaits_end() {
                    let report = Report::Ensemble {
                        id: job.id,
                        update: EnsembleUpdate::Finished {
                            summary: ensemble.summary(),
                            indicators: OutcomeRuns::from_ensemble(ensemble),
                            readings: Box::new(RunReadings::of(ensemble, |_| weights)),
                            milliseconds: now() - job.started,
                        },
                    };
                    return (Some(report), Next::Done);
                }
                if now() - slice_start >= SLICE_MILLISECONDS {
                    return (
                        progress_due(job.id, job.started, &mut job.last_report, ensemble),
                        Next::Continue,
                    );
                }
            }
            Work::Follow(ensemble) => {
                let progress = ensemble.advance(RUNS_PER_STEP);
                let channel = channel.as_deref_mut().expect("a follow has its channel");
                if let Some(rows) = ensemble.month_rows() {
                    channel.post(job.id, rows);
                }
                if progress.is_done() {
                    channel.post(job.id, &ensemble.follow_end());
                    return (None, Next::Done);
                }
                if now() - slice_start >= SLICE_MILLISECONDS {
                    return (None, Next::Continue);
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
                    return (Some(report), Next::Done);
                }
                let time = now();
                if time - slice_start >= SLICE_MILLISECONDS {
                    if time - job.last_report < BATCH_REPORT_MILLISECONDS {
                        return (None, Next::Continue);
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
                        Next::Continue,
                    );
                }
            }
        }
    }
}

/// The main ensemble `full` of `model` (or its lead), and before it, for large ones, its first runs.
fn main_ensemble(full: Ensemble, model: Model, settings: Settings) -> Work {
    let first = (settings.runs >= PRELIMINARY_FROM).then(|| {
        Box::new(Ensemble::outcomes_only(
            model.clone(),
            Settings {
                runs: PRELIMINARY_RUNS,
                ..settings
            },
        ))
    });
    Work::Ensemble {
        weights: model.weights,
        full: Box::new(full),
        first,
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

impl SimWorker {
    fn update(&mut self, step: Step) {
        if let Step::FromChannel(data) = step {
            match self.channel.as_mut() {
                Some(channel) => channel.receive(data),
                None => return,
            }
            // A waiting lead resumes; any other job has its next slice scheduled already, or is
            // older than the message and will be replaced.
            if !self.running.as_ref().is_some_and(|job| job.waiting) {
                return;
            }
        }
        let Some(job) = self.running.as_mut() else { return };
        let (report, next) = slice(job, self.channel.as_mut());
        job.waiting = matches!(next, Next::Wait);
        match next {
            Next::Continue => Self::schedule(),
            Next::Wait => {}
            Next::Done => self.end_job(),
        }
        if let Some(report) = report {
            respond(report);
        }
        // After the report: the page has the results, and a job it sends meanwhile waits for the
        // draws (about 10 ms for 2 000 runs of the largest built-in in the page's engine in Node).
        if self.running.is_none() {
            if let Some((model, settings)) = self.to_keep.take() {
                self.draws.keep(&model, settings, KEPT_TAPE_BYTES);
            }
        }
    }

    fn received(&mut self, job: Job) {
        // A waiting lead has no slice scheduled: the new job starts now, as in an idle worker.
        let idle = self.running.as_ref().is_none_or(|running| running.waiting);
        // The job this one replaces leaves its matrix cache to it, and its draws are not kept:
        // only a plain ensemble that this job is sets `to_keep` again (else a shared or batch job
        // would keep, when it ends, the draws of an ensemble the page has moved on from).
        self.end_job();
        self.to_keep = None;
        let work = match job.task {
            Task::Cancel => {
                self.cache = MatrixCache::default();
                return;
            }
            Task::Ensemble { model, share } => match share {
                None => {
                    let whole = self.draws.ensemble(model.clone(), job.settings);
                    self.to_keep = (!whole.reads_a_tape()).then(|| (model.clone(), job.settings));
                    main_ensemble(whole, model, job.settings)
                }
                Some(Share { lead: true, blocks }) => {
                    let lead = Ensemble::new(model.clone(), job.settings).into_lead(blocks);
                    main_ensemble(lead, model, job.settings)
                }
                Some(Share { lead: false, blocks }) => {
                    Work::Follow(Box::new(Ensemble::new(model, job.settings).into_follow(blocks)))
                }
            },
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
            started,
            last_report: started,
            waiting: false,
        });
        if idle {
            // Start now, in this task; a running job already has its next slice scheduled.
            self.update(Step::Continue);
        }
    }
}
