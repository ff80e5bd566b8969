//! An ensemble's random numbers drawn ahead of time, for many ensembles that share them.
//!
//! Ensembles with the same seed, runs and horizon, and the same numbers of pairs and events, draw
//! exactly the same numbers (each run's shock and event streams do not depend on the model's
//! values). A sensitivity analysis runs a hundred or more such ensembles; drawing their numbers
//! once and reading them back saves about a quarter of the work, and gives the very same results.

use super::ensemble::BlockStreams;
use super::lanes::{blocks_for, Lanes, LANES};
use super::model::{Model, Settings};
use super::rng::Ziggurat;

/// Larger tapes are not drawn: the ensembles then draw as they go.
pub const MAX_TAPE_BYTES: usize = 256 << 20;

/// Every shock and event draw of every run and month, block by block as the engine reads them.
#[derive(Debug)]
pub struct RandomTape {
    settings: Settings,
    pairs: usize,
    events: usize,
    /// blocks × months × pairs, one value per lane (run) of the block.
    shocks: Vec<Lanes>,
    /// blocks × months × events, each as its integer k of k · 2^-53 (`LaneRng::unit_steps`).
    event_draws: Vec<[u64; LANES]>,
}

impl RandomTape {
    /// The tape for ensembles of `model`'s shape with these settings, if it fits in
    /// [`MAX_TAPE_BYTES`].
    pub fn draw(model: &Model, settings: Settings) -> Option<Self> {
        Self::draw_within(model, settings, MAX_TAPE_BYTES)
    }

    /// [`RandomTape::draw`] with a lower limit than [`MAX_TAPE_BYTES`] (which caps `max_bytes`).
    pub fn draw_within(model: &Model, settings: Settings, max_bytes: usize) -> Option<Self> {
        let (pairs, events) = (model.pair_count(), model.events.len());
        let blocks = blocks_for(settings.runs);
        let per_block = settings.horizon * (pairs + events);
        if blocks.checked_mul(per_block)?.checked_mul(LANES * 8)? > max_bytes.min(MAX_TAPE_BYTES) {
            return None;
        }
        let ziggurat = Ziggurat::new();
        let mut shocks = vec![[0.0; LANES]; blocks * settings.horizon * pairs];
        let mut event_draws = vec![[0; LANES]; blocks * settings.horizon * events];
        for block in 0..blocks {
            let mut streams = BlockStreams::of_block(settings.seed, block);
            for month in 0..settings.horizon {
                let at = block * settings.horizon + month;
                streams.draw_month(
                    &ziggurat,
                    &mut shocks[at * pairs..(at + 1) * pairs],
                    &mut event_draws[at * events..(at + 1) * events],
                );
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

    /// The shocks of block `block` in `month` (1-based), one per pair.
    pub(super) fn shocks(&self, block: usize, month: usize) -> &[Lanes] {
        let start = (block * self.settings.horizon + month - 1) * self.pairs;
        &self.shocks[start..start + self.pairs]
    }

    /// The event draws of block `block` in `month` (1-based), one per event.
    pub(super) fn event_draws(&self, block: usize, month: usize) -> &[[u64; LANES]] {
        let start = (block * self.settings.horizon + month - 1) * self.events;
        &self.event_draws[start..start + self.events]
    }
}
