//! An ensemble's random numbers drawn ahead of time, for many ensembles that share them.
//!
//! Ensembles with the same seed, runs and horizon, and the same numbers of pairs and events, draw
//! exactly the same numbers (each run's shock and event streams do not depend on the model's
//! values). A sensitivity analysis runs a hundred or more such ensembles; drawing their numbers
//! once and reading them back saves about a quarter of the work, and gives the very same results.

use super::model::{Model, Settings};
use super::rng::{RunRng, Stream, Ziggurat};

/// Larger tapes are not drawn: the ensembles then draw as they go.
pub const MAX_TAPE_BYTES: usize = 256 << 20;

/// Every shock and event draw of every run and month.
#[derive(Debug)]
pub struct RandomTape {
    settings: Settings,
    pairs: usize,
    events: usize,
    /// runs × months × pairs, in the order the engine uses them.
    shocks: Vec<f64>,
    /// runs × months × events.
    event_draws: Vec<f64>,
}

impl RandomTape {
    /// The tape for ensembles of `model`'s shape with these settings, if it fits in
    /// [`MAX_TAPE_BYTES`].
    pub fn draw(model: &Model, settings: Settings) -> Option<Self> {
        let (pairs, events) = (model.pair_count(), model.events.len());
        let per_run = settings.horizon * (pairs + events);
        if settings.runs.checked_mul(per_run)?.checked_mul(8)? > MAX_TAPE_BYTES {
            return None;
        }
        let ziggurat = Ziggurat::new();
        let mut shocks = Vec::with_capacity(settings.runs * settings.horizon * pairs);
        let mut event_draws = Vec::with_capacity(settings.runs * settings.horizon * events);
        for run in 0..settings.runs as u64 {
            let mut noise = RunRng::for_run(settings.seed, run, Stream::Noise);
            let mut draws = RunRng::for_run(settings.seed, run, Stream::Events);
            for _ in 0..settings.horizon {
                shocks.extend((0..pairs).map(|_| noise.normal(&ziggurat)));
                event_draws.extend((0..events).map(|_| draws.uniform()));
            }
        }
        Some(RandomTape {
            settings,
            pairs,
            events,
            shocks,
            event_draws,
        })
    }

    /// Whether this tape holds the draws of an ensemble of `model` with `settings`.
    pub fn fits(&self, model: &Model, settings: Settings) -> bool {
        self.settings == settings && self.pairs == model.pair_count() && self.events == model.events.len()
    }

    /// The shocks of `run` in `month` (1-based), one per pair.
    pub fn shocks(&self, run: usize, month: usize) -> &[f64] {
        let start = (run * self.settings.horizon + month - 1) * self.pairs;
        &self.shocks[start..start + self.pairs]
    }

    /// The event draws of `run` in `month` (1-based), one per event.
    pub fn event_draws(&self, run: usize, month: usize) -> &[f64] {
        let start = (run * self.settings.horizon + month - 1) * self.events;
        &self.event_draws[start..start + self.events]
    }
}
