//! An ensemble's random numbers drawn ahead of time, for many ensembles that share them.
//!
//! Ensembles with the same seed, runs and horizon, and the same numbers of pairs and events, draw
//! exactly the same numbers (each run's shock and event streams do not depend on the model's
//! values). A sensitivity analysis runs a hundred or more such ensembles; drawing their numbers
//! once and reading them back saves about a quarter of the work, and gives the very same results.
//! So does a page's worker from one slider step to the next ([`KeptDraws`]).

use std::sync::Arc;

use super::ensemble::{BlockStreams, Ensemble};
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
        // A block's month: a vector of single-precision shocks per pair, one of 64-bit draws per
        // event.
        let per_month = pairs * size_of::<Lanes>() + events * size_of::<[u64; LANES]>();
        if blocks.checked_mul(settings.horizon)?.checked_mul(per_month)? > max_bytes.min(MAX_TAPE_BYTES) {
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

/// The random numbers of the last whole ensemble, kept for the next: a slider step changes values,
/// not the seed, the runs, the horizon or how many pairs and events there are, so its ensemble
/// reads the same numbers instead of drawing them again (the same numbers: see [`RandomTape`]).
#[derive(Debug, Default)]
pub struct KeptDraws {
    tape: Option<Arc<RandomTape>>,
}

impl KeptDraws {
    /// The whole ensemble ([`Ensemble::new`]) of `model` with `settings`, reading the kept draws
    /// when they are this ensemble's; else it draws as it goes.
    pub fn ensemble(&self, model: Model, settings: Settings) -> Ensemble {
        match &self.tape {
            Some(tape) => Ensemble::from_tape(model, settings, tape.clone()),
            None => Ensemble::new(model, settings),
        }
    }

    /// Keeps the draws of ensembles of `model` with `settings`, drawn now unless they are kept
    /// already, in place of any others; none are kept if they would take more than `max_bytes`.
    pub fn keep(&mut self, model: &Model, settings: Settings, max_bytes: usize) {
        if !self.holds(model, settings) {
            // Freed first: the old draws and the new are never held at once.
            self.tape = None;
            self.tape = RandomTape::draw_within(model, settings, max_bytes).map(Arc::new);
        }
    }

    /// Whether the kept draws are those of an ensemble of `model` with `settings`.
    pub fn holds(&self, model: &Model, settings: Settings) -> bool {
        self.tape.as_ref().is_some_and(|tape| tape.fits(model, settings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ensemble::tests::model as four_actors;
    use crate::MAX_TAPE_BYTES;

    fn summary(mut ensemble: Ensemble) -> String {
        ensemble.finish();
        // `{:?}` prints every double exactly.
        format!("{:?}", ensemble.summary())
    }

    #[test]
    fn kept_draws_are_read_again_only_by_an_ensemble_they_belong_to() {
        let settings = Settings {
            seed: 3,
            runs: 20,
            horizon: 8,
        };
        let mut kept = KeptDraws::default();
        let model = four_actors();
        // Nothing kept yet: the ensemble draws its own.
        assert!(!kept.holds(&model, settings) && !kept.ensemble(model.clone(), settings).reads_a_tape());
        kept.keep(&model, settings, MAX_TAPE_BYTES);
        assert!(kept.holds(&model, settings));
        let first = kept.ensemble(model.clone(), settings);
        assert!(first.reads_a_tape());
        assert_eq!(summary(first), summary(Ensemble::new(model.clone(), settings)));
        let tape = kept.tape.clone().expect("drawn");

        // A slider step: other values, the same draws (kept, not drawn anew), and the numbers of
        // the ensemble drawing its own.
        let mut moved = model.clone();
        moved.balance = 0.2;
        moved.initial[1] = 0.4;
        kept.keep(&moved, settings, MAX_TAPE_BYTES);
        assert!(Arc::ptr_eq(&tape, kept.tape.as_ref().expect("kept")));
        let step = kept.ensemble(moved.clone(), settings);
        assert!(step.reads_a_tape());
        assert_eq!(summary(step), summary(Ensemble::new(moved.clone(), settings)));

        // Another seed, or another event: not these draws. The ensemble draws its own, and new
        // draws are kept in place of the old.
        let reseeded = Settings { seed: 4, ..settings };
        assert!(!kept.holds(&moved, reseeded));
        let other = kept.ensemble(moved.clone(), reseeded);
        assert!(!other.reads_a_tape());
        assert_eq!(summary(other), summary(Ensemble::new(moved.clone(), reseeded)));
        kept.keep(&moved, reseeded, MAX_TAPE_BYTES);
        assert!(kept.holds(&moved, reseeded) && !kept.holds(&moved, settings));
        let other = kept.ensemble(moved.clone(), reseeded);
        assert!(other.reads_a_tape());
        assert_eq!(summary(other), summary(Ensemble::new(moved.clone(), reseeded)));
        let mut two_events = moved.clone();
        two_events.events.push(two_events.events[0].clone());
        assert!(!kept.holds(&two_events, reseeded));
        assert!(!kept.ensemble(two_events.clone(), reseeded).reads_a_tape());
        kept.keep(&two_events, reseeded, MAX_TAPE_BYTES);
        assert!(kept.holds(&two_events, reseeded));

        // Draws too large to keep: none are kept (the old ones are dropped).
        kept.keep(&moved, settings, 64);
        assert!(kept.tape.is_none());
        assert!(!kept.ensemble(moved, settings).reads_a_tape());
    }
}
