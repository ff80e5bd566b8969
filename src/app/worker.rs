//! The Web Worker that runs the engine off the UI thread.
//!
//! The page sends a [`Job`]; the worker advances the ensemble in slices of about
//! [`SLICE_MILLISECONDS`], reporting progress (with the fan-chart bands so far) after each, and
//! yields to its event loop between slices so that a newer job, which replaces the running one,
//! is seen at once. Numbers are those of `Ensemble::run` for the same model and settings.

use gloo::worker::{HandlerId, Worker, WorkerScope};
use serde::{Deserialize, Serialize};

use crate::engine::{Ensemble, Model, PairBands, Settings, Summary};

/// Work done between two looks at the message queue.
pub const SLICE_MILLISECONDS: f64 = 30.0;

/// Runs advanced per call between clock checks.
const RUNS_PER_STEP: usize = 500;

/// A request from the page: run this model. A newer id replaces any job still running.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Job {
    pub id: u64,
    pub model: Model,
    pub settings: Settings,
}

/// What the worker sends back.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Report {
    Progress { id: u64, fraction: f64, bands: Vec<PairBands> },
    Finished { id: u64, summary: Summary, milliseconds: f64 },
}

pub enum Step {
    Continue,
}

struct Running {
    id: u64,
    ensemble: Ensemble,
    requester: HandlerId,
    started: f64,
}

/// The worker's state: at most one job.
pub struct SimWorker {
    running: Option<Running>,
}

fn now() -> f64 {
    js_sys::Date::now()
}

impl SimWorker {
    fn schedule(scope: &WorkerScope<Self>) {
        scope.send_future(async {
            gloo::timers::future::TimeoutFuture::new(0).await;
            Step::Continue
        });
    }
}

impl Worker for SimWorker {
    type Message = Step;
    type Input = Job;
    type Output = Report;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        SimWorker { running: None }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, Step::Continue: Step) {
        let Some(job) = self.running.as_mut() else { return };
        let slice_start = now();
        loop {
            let progress = job.ensemble.advance(RUNS_PER_STEP);
            if progress.is_done() {
                let job = self.running.take().expect("a running job");
                let milliseconds = now() - job.started;
                scope.respond(job.requester, Report::Finished { id: job.id, summary: job.ensemble.summary(), milliseconds });
                return;
            }
            if now() - slice_start >= SLICE_MILLISECONDS {
                let report = Report::Progress { id: job.id, fraction: progress.fraction(), bands: job.ensemble.bands().to_vec() };
                scope.respond(job.requester, report);
                Self::schedule(scope);
                return;
            }
        }
    }

    fn received(&mut self, scope: &WorkerScope<Self>, job: Job, requester: HandlerId) {
        let idle = self.running.is_none();
        self.running = Some(Running { id: job.id, ensemble: Ensemble::new(job.model, job.settings), requester, started: now() });
        if idle {
            // Start now, in this task; a running job already has its next slice scheduled.
            self.update(scope, Step::Continue);
        }
    }
}
