//! The Monte Carlo ensemble, month by month over a structure of arrays.
//!
//! Runs are advanced in blocks of [`LANES`] runs, one run per lane (see [`super::lanes`]): a block
//! holds, for every pair, one value per lane, so each step of a month is the same few operations
//! on every lane and compiles to SIMD. Each month every run is advanced by the steps (a)–(e) of
//! DESIGN.md §3; the month's fan-chart quantiles are then taken pair by pair from the new state, so
//! no path is ever kept. Work can be done in chunks of blocks ([`Ensemble::advance`]) or spread over
//! threads ([`Ensemble::run_on_threads`]); the result does not depend on either, because every run
//! has its own random stream and every lane computes exactly what a run computes alone.

// Lane loops index several arrays by the same lane: an index reads best there.
#![allow(clippy::needless_range_loop)]

use std::sync::Arc;

use super::blocs::{
    frustration, frustration_of_block, split_counts, two_best_splits_of_block, SplitMask, TwoBestSplits,
};
use super::fastmath::Tanh;
use super::lanes::{
    blocks_for, lane_mask, map, map_to, with_widest_simd, DoubleLanes, Kernels, Lanes, ALL_LANES, LANES,
};
use super::model::{Join, Model, Reference, Settings, When};
use super::params::{Constants, Derived, PerRun, RunCache, Shared, StepParams};
use super::rng::{self, LaneRng, Stream, Ziggurat};
use super::stats::{mean, quantiles, Quantiles};
use super::summary::{BlocShare, EventStats, FrustrationStats, PairBands, Proportion, Summary, REPORTED_SPLITS};
use super::tape::RandomTape;

mod halves;
use halves::Part;

/// Alignments are clamped here when an event moves them or their baseline.
pub const ALIGNMENT_CLAMP: f64 = 0.995;

/// Latent scores are kept within ±this. The state is single precision, whose tanh is exactly ±1
/// beyond about ±9.01; the limit keeps z finite and an event's jump from it meaningful (tanh z
/// read back as a double, moved and clamped to ±[`ALIGNMENT_CLAMP`]). Only strongly saturated
/// states, such as a very large balance strength, ever reach it.
pub const LATENT_LIMIT: f32 = 18.0;

/// Months of ensembles at least this large take their quantiles on several threads (when asked to).
#[cfg(not(target_arch = "wasm32"))]
const PARALLEL_QUANTILES_FROM: usize = 10_000;

/// Pairs of at most 16 actors, the scenario limit.
const MAX_PAIRS: usize = 16 * 15 / 2;

/// Constants derived once from the model.
#[derive(Clone, Debug)]
struct Prepared {
    constants: Constants,
    ziggurat: Ziggurat,
    tanh: Tanh,
}

impl Prepared {
    fn new(model: &Model) -> Self {
        Prepared {
            constants: Constants::of(model),
            ziggurat: Ziggurat::new(),
            tanh: Tanh::new(),
        }
    }
}

/// A block's random numbers for one month, in the order the steps use them. Natively the month's
/// step is compiled once per source, so drawing as we go costs nothing extra for the tape's sake;
/// the page compiles it once per kind of parameters (shared, per run), reading draws made ahead
/// ([`FromTape`]).
trait BlockDraws {
    fn shocks(&mut self, pair: usize, ziggurat: &Ziggurat) -> Lanes;
    /// Each lane's uniform for `event`, as its integer k of k · 2^-53 (see
    /// [`firing_threshold`](super::rng::firing_threshold)).
    fn event_draws(&mut self, event: usize) -> [u64; LANES];
}

/// A block's own streams: the pairs' shocks and the events' draws.
#[derive(Clone, Debug)]
pub(super) struct BlockStreams {
    noise: LaneRng,
    events: LaneRng,
}

impl BlockStreams {
    /// The streams of block `block` of an ensemble with this seed (run r on stream r).
    pub(super) fn of_block(seed: u64, block: usize) -> Self {
        let first_run = (block * LANES) as u64;
        BlockStreams {
            noise: LaneRng::for_runs(seed, first_run, Stream::Noise),
            events: LaneRng::for_runs(seed, first_run, Stream::Events),
        }
    }

    /// The streams of the runs numbered `runs` of an ensemble with this seed, one per lane.
    fn of_runs(seed: u64, runs: [u64; LANES]) -> Self {
        BlockStreams {
            noise: LaneRng::for_run_ids(seed, runs, Stream::Noise),
            events: LaneRng::for_run_ids(seed, runs, Stream::Events),
        }
    }

    /// The block's draws of one month, in the order a month's step draws them as it goes: a shock
    /// per pair, then a uniform per event. No draw depends on the state (each purpose has its own
    /// stream, and every event draws every month), so drawing them ahead changes no number. Not
    /// inlined: the tape and the page's month step share one copy.
    #[inline(never)]
    pub(super) fn draw_month(&mut self, ziggurat: &Ziggurat, shocks: &mut [Lanes], events: &mut [[u64; LANES]]) {
        with_widest_simd(
            #[inline(always)]
            |kernels| {
                // Two pairs' shocks per draw; with an odd number of pairs, the last draw's second
                // normal is left unused, as [`AsItGoes`] leaves it.
                for two in shocks.chunks_mut(2) {
                    let pair = self.noise.normal_pair(ziggurat, kernels);
                    two.copy_from_slice(&pair[..two.len()]);
                }
                for draw in events {
                    *draw = self.events.unit_steps(kernels);
                }
            },
        );
    }
}

/// A block's own streams, drawn as the month's step goes (natively), with the kernels of the
/// step's copy (`with_widest_simd`'s).
#[cfg(not(target_arch = "wasm32"))]
struct AsItGoes<'a> {
    streams: &'a mut BlockStreams,
    kernels: Kernels,
    /// The second normal of the last draw, for the next (odd-numbered) pair.
    spare: Lanes,
}

#[cfg(not(target_arch = "wasm32"))]
impl BlockDraws for AsItGoes<'_> {
    #[inline(always)]
    fn shocks(&mut self, pair: usize, ziggurat: &Ziggurat) -> Lanes {
        // Pairs are asked for in order, from 0, once each: an even pair draws two normals.
        if pair % 2 == 1 {
            return self.spare;
        }
        let [this, next] = self.streams.noise.normal_pair(ziggurat, self.kernels);
        self.spare = next;
        this
    }

    #[inline(always)]
    fn event_draws(&mut self, _event: usize) -> [u64; LANES] {
        self.streams.events.unit_steps(self.kernels)
    }
}

/// Draws made ahead: a [`RandomTape`]'s, or (in the page) the block's month drawn just before its
/// step (`MonthDraws::draw`).
struct FromTape<'a> {
    shocks: &'a [Lanes],
    events: &'a [[u64; LANES]],
}

impl<'a> FromTape<'a> {
    /// The tape's draws of block `block` in `month` (1-based).
    fn of(tape: &'a RandomTape, block: usize, month: usize) -> Self {
        FromTape {
            shocks: tape.shocks(block, month),
            events: tape.event_draws(block, month),
        }
    }
}

impl BlockDraws for FromTape<'_> {
    #[inline(always)]
    fn shocks(&mut self, pair: usize, _ziggurat: &Ziggurat) -> Lanes {
        self.shocks[pair]
    }

    #[inline(always)]
    fn event_draws(&mut self, event: usize) -> [u64; LANES] {
        self.events[event]
    }
}

/// Where an ensemble has got to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Months fully computed (0..=T).
    pub months_done: usize,
    pub horizon: usize,
    /// Runs of the month in progress already advanced, out of `runs`.
    pub runs_done: usize,
    pub runs: usize,
}

impl Progress {
    pub fn fraction(&self) -> f64 {
        if self.horizon == 0 {
            return 1.0;
        }
        (self.months_done as f64 + self.runs_done as f64 / self.runs.max(1) as f64) / self.horizon as f64
    }

    pub fn is_done(&self) -> bool {
        self.months_done >= self.horizon
    }
}

/// Everything kept per run, block by block: block b holds runs b·LANES … b·LANES + LANES − 1 (the
/// last block is padded with runs past the ensemble's end, which are computed and never reported).
struct Runs {
    /// Latent scores z, blocks × pairs (one value per lane).
    latent: Vec<Lanes>,
    /// Alignments a = tanh z at the end of the last month (the next month's snapshot).
    alignment: Vec<Lanes>,
    /// Latent baselines m = atanh μ (moved by baseline shifts).
    latent_baseline: Vec<Lanes>,
    streams: Vec<BlockStreams>,
    /// Times each event has fired: blocks × events × lanes (see [`event_slot`]).
    firings: Vec<u32>,
    /// Month each event first fired (0 = not yet), laid out as `firings`.
    first_fired: Vec<u32>,
    /// Whether each outcome holds so far, runs × outcomes.
    outcome_state: Vec<bool>,
    /// At the horizon, per run: its best two-bloc split and the second best, with their energies
    /// (the bloc readings read them rather than search every run's splits again).
    splits: Vec<TwoBestSplits>,
    frustrations: Vec<f64>,
}

/// Some consecutive blocks of [`Runs`], borrowed for advancing them.
struct BlocksMut<'a> {
    latent: &'a mut [Lanes],
    alignment: &'a mut [Lanes],
    latent_baseline: &'a mut [Lanes],
    streams: &'a mut [BlockStreams],
    firings: &'a mut [u32],
    first_fired: &'a mut [u32],
    outcome_state: &'a mut [bool],
    splits: &'a mut [TwoBestSplits],
    frustrations: &'a mut [f64],
}

/// Sizes of the per-run arrays, per block.
#[derive(Clone, Copy)]
struct Shape {
    pairs: usize,
    events: usize,
    outcomes: usize,
}

impl Runs {
    fn blocks(&mut self, shape: Shape, range: std::ops::Range<usize>) -> BlocksMut<'_> {
        let per_block = |size: usize| range.start * size..range.end * size;
        BlocksMut {
            latent: &mut self.latent[per_block(shape.pairs)],
            alignment: &mut self.alignment[per_block(shape.pairs)],
            latent_baseline: &mut self.latent_baseline[per_block(shape.pairs)],
            streams: &mut self.streams[range.clone()],
            firings: &mut self.firings[per_block(LANES * shape.events)],
            first_fired: &mut self.first_fired[per_block(LANES * shape.events)],
            outcome_state: &mut self.outcome_state[per_block(LANES * shape.outcomes)],
            splits: &mut self.splits[per_block(LANES)],
            frustrations: &mut self.frustrations[per_block(LANES)],
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl<'a> BlocksMut<'a> {
    /// The first `blocks` blocks and the rest.
    fn split_at(self, shape: Shape, blocks: usize) -> (BlocksMut<'a>, BlocksMut<'a>) {
        let (latent, latent_rest) = self.latent.split_at_mut(blocks * shape.pairs);
        let (alignment, alignment_rest) = self.alignment.split_at_mut(blocks * shape.pairs);
        let (latent_baseline, baseline_rest) = self.latent_baseline.split_at_mut(blocks * shape.pairs);
        let (streams, streams_rest) = self.streams.split_at_mut(blocks);
        let (firings, firings_rest) = self.firings.split_at_mut(blocks * LANES * shape.events);
        let (first_fired, first_rest) = self.first_fired.split_at_mut(blocks * LANES * shape.events);
        let (outcome_state, outcome_rest) = self.outcome_state.split_at_mut(blocks * LANES * shape.outcomes);
        let (splits, splits_rest) = self.splits.split_at_mut(blocks * LANES);
        let (frustrations, frustrations_rest) = self.frustrations.split_at_mut(blocks * LANES);
        (
            BlocksMut {
                latent,
                alignment,
                latent_baseline,
                streams,
                firings,
                first_fired,
                outcome_state,
                splits,
                frustrations,
            },
            BlocksMut {
                latent: latent_rest,
                alignment: alignment_rest,
                latent_baseline: baseline_rest,
                streams: streams_rest,
                firings: firings_rest,
                first_fired: first_rest,
                outcome_state: outcome_rest,
                splits: splits_rest,
                frustrations: frustrations_rest,
            },
        )
    }
}

/// What advancing a block needs besides the block: the model, and the month.
struct MonthStep<'a> {
    model: &'a Model,
    prepared: &'a Prepared,
    tape: Option<&'a RandomTape>,
    shape: Shape,
    /// The month being computed, 1-based.
    month: usize,
    horizon: usize,
    full: bool,
    /// Per block, the runs' own models (empty: every run uses `model`).
    per_run: &'a [PerRun],
}

/// Per-thread scratch of [`MonthStep`].
struct Scratch {
    /// Per event, the lanes in which it fired this month (bit l for lane l).
    fired: Vec<u32>,
    #[cfg(target_arch = "wasm32")]
    draws: MonthDraws,
}

impl Scratch {
    fn new(shape: Shape) -> Self {
        Scratch {
            fired: vec![0; shape.events],
            #[cfg(target_arch = "wasm32")]
            draws: MonthDraws {
                shocks: vec![[0.0; LANES]; shape.pairs],
                events: vec![[0; LANES]; shape.events],
            },
        }
    }
}

/// In the page, one block's draws of one month, per pair and per event.
#[cfg(target_arch = "wasm32")]
struct MonthDraws {
    shocks: Vec<Lanes>,
    events: Vec<[u64; LANES]>,
}

#[cfg(target_arch = "wasm32")]
impl MonthDraws {
    /// The block's draws of one month from its streams: the numbers a [`RandomTape`] holds for
    /// that block and month.
    fn draw(&mut self, streams: &mut BlockStreams, ziggurat: &Ziggurat) -> FromTape<'_> {
        streams.draw_month(ziggurat, &mut self.shocks, &mut self.events);
        FromTape {
            shocks: &self.shocks,
            events: &self.events,
        }
    }
}

impl MonthStep<'_> {
    /// Advances the blocks `blocks` (numbered from `first_block`) through the month.
    fn advance(&self, blocks: BlocksMut<'_>, first_block: usize, scratch: &mut Scratch) {
        with_widest_simd(
            #[inline(always)]
            |kernels| self.advance_portable(blocks, first_block, scratch, kernels),
        );
    }

    #[inline(always)]
    fn advance_portable(&self, blocks: BlocksMut<'_>, first_block: usize, scratch: &mut Scratch, kernels: Kernels) {
        let Shape {
            pairs,
            events,
            outcomes,
        } = self.shape;
        let BlocksMut {
            latent,
            alignment,
            latent_baseline,
            streams,
            firings,
            first_fired,
            outcome_state,
            splits,
            frustrations,
        } = blocks;
        for (b, stream) in streams.iter_mut().enumerate() {
            let state = b * pairs..(b + 1) * pairs;
            let per_event = b * LANES * events..(b + 1) * LANES * events;
            let block = OneBlock {
                latent: &mut latent[state.clone()],
                alignment: &mut alignment[state.clone()],
                latent_baseline: &mut latent_baseline[state],
                firings: &mut firings[per_event.clone()],
                first_fired: &mut first_fired[per_event],
                outcome_state: &mut outcome_state[b * LANES * outcomes..(b + 1) * LANES * outcomes],
                splits: &mut splits[b * LANES..(b + 1) * LANES],
                frustrations: &mut frustrations[b * LANES..(b + 1) * LANES],
            };
            // The page's worker compiles two month steps (each is about 15 KB of wasm, and the
            // page's bundle has a budget), both reading draws made ahead: the shared one, for
            // ensembles of one model, and the per-run one. The draws are the tape's when there is
            // one (only ensembles of one model have one), else the block's month drawn just
            // before the step.
            #[cfg(target_arch = "wasm32")]
            {
                // The page's step reads draws made ahead; its kernels are `simd128`'s, whatever
                // `kernels` says.
                let block_index = first_block + b;
                let draws = match self.tape {
                    Some(tape) => FromTape::of(tape, block_index, self.month),
                    None => scratch.draws.draw(stream, &self.prepared.ziggurat),
                };
                match self.per_run.get(block_index) {
                    Some(params) => self.advance_block(block, draws, params, &mut scratch.fired, kernels),
                    None => self.advance_block(block, draws, self.shared(), &mut scratch.fired, kernels),
                }
            }
            #[cfg(not(target_arch = "wasm32"))]
            self.advance_block_natively(
                block,
                AsItGoes {
                    streams: stream,
                    kernels,
                    spare: [0.0; LANES],
                },
                first_block + b,
                &mut scratch.fired,
            );
        }
    }

    /// [`MonthStep::advance_block`] with the parameters and random numbers of block `block_index`:
    /// the runs' own models, or the model shared by every run, reading the tape if there is one.
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(always)]
    fn advance_block_natively(&self, block: OneBlock<'_>, stream: AsItGoes<'_>, block_index: usize, fired: &mut [u32]) {
        let kernels = stream.kernels;
        if let Some(params) = self.per_run.get(block_index) {
            // Runs with models of their own (never read from a tape).
            return self.advance_block(block, stream, params, fired, kernels);
        }
        match self.tape {
            Some(tape) => {
                let draws = FromTape::of(tape, block_index, self.month);
                self.advance_block(block, draws, self.shared(), fired, kernels)
            }
            None => self.advance_block(block, stream, self.shared(), fired, kernels),
        }
    }

    /// The ensemble's model, the same in every lane.
    #[inline(always)]
    fn shared(&self) -> Shared<'_> {
        Shared {
            model: self.model,
            constants: &self.prepared.constants,
        }
    }

    /// Steps (a)–(e) of one month for the runs of one block, with `kernels`' tanh.
    #[inline(always)]
    fn advance_block<P: StepParams>(
        &self,
        block: OneBlock<'_>,
        mut draws: impl BlockDraws,
        params: P,
        fired_lanes: &mut [u32],
        kernels: Kernels,
    ) {
        let OneBlock {
            latent,
            alignment,
            latent_baseline: baseline,
            firings,
            first_fired,
            outcome_state,
            splits,
            frustrations,
        } = block;
        let Shape {
            pairs,
            outcomes: outcome_count,
            ..
        } = self.shape;
        let (model, prepared, month) = (self.model, self.prepared, self.month);
        // (a) The month's snapshot: `alignment` itself, which is only overwritten in step (e).
        let snapshot = &*alignment;

        // (b) Events still eligible, in file order: window, once-only, condition on the snapshot.
        // Every event draws its uniform every month, eligible or not, so that the draws of later
        // months do not depend on earlier eligibility (common random numbers stay aligned).
        let mut any_fired = false;
        for (e, event) in model.events.iter().enumerate() {
            let draw = draws.event_draws(e);
            fired_lanes[e] = 0;
            let in_window = params.in_window(e, month);
            let open = |l: usize| P::SAME_IN_EVERY_LANE || in_window[l];
            let certain_now = event.certain_month == Some(month as u32);
            if !in_window.iter().any(|&open| open) && !certain_now {
                continue;
            }
            // The draw is below the monthly hazard: compared as integers (`rng::fires`). In most
            // months no lane's draw is, and then nothing below can fire the event: skipping the
            // eligibility and condition tests then changes no number, only the work.
            let below = params.firing_threshold(e);
            let drawn = lane_mask(|l| open(l) & rng::fires(draw[l], below[l]));
            if drawn == 0 && !certain_now {
                continue;
            }
            // Another event's state at the snapshot: fired in an earlier month (this month's
            // firings of events earlier in the file do not count, whatever the file order).
            // Lanes as bits of a mask, so that no lane's value is a branch (and the vector
            // comparisons compile to mask registers).
            let fired_before = |other: usize| -> u32 {
                let first = &first_fired[other * LANES..(other + 1) * LANES];
                lane_mask(|l| (first[l] != 0) & ((first[l] as usize) < month))
            };
            let mut eligible = ALL_LANES;
            for &other in &event.after {
                eligible &= fired_before(other);
            }
            for &other in &event.unless {
                eligible &= !fired_before(other);
            }
            let lanes = e * LANES..(e + 1) * LANES;
            let count: &mut [u32; LANES] = (&mut firings[lanes.clone()]).try_into().expect("one block");
            let first: &mut [u32; LANES] = (&mut first_fired[lanes]).try_into().expect("one block");
            let not_yet = if event.repeatable {
                ALL_LANES
            } else {
                lane_mask(|l| count[l] == 0)
            };
            let mut fire = drawn & eligible & not_yet;
            for (c, condition) in event.conditions.iter().enumerate() {
                let a = &snapshot[condition.pair];
                let threshold = params.threshold(e, c);
                fire &= lane_mask(|l| condition.comparison.holds_single(a[l], threshold[l]));
            }
            if certain_now {
                fire = ALL_LANES;
            } else if event.certain_month.is_some() && !event.repeatable {
                fire = 0;
            }
            // Only the lanes that fired, one by one: seldom more than one, and a loop over all
            // sixteen, unrolled, was a kilobyte of the page's bundle per month step.
            let mut lanes_fired = fire;
            while lanes_fired != 0 {
                let l = lanes_fired.trailing_zeros() as usize;
                lanes_fired &= lanes_fired - 1;
                count[l] += 1;
                if first[l] == 0 {
                    first[l] = month as u32;
                }
            }
            fired_lanes[e] = fire;
            any_fired |= fire != 0;
        }

        // (c) Exact OU step toward the baseline, plus the balance pressure from the snapshot.
        let decay = params.decay();
        let per_pair = prepared.constants.terms_per_pair;
        for p in 0..pairs {
            let shock = draws.shocks(p, &prepared.ziggurat);
            let (m, z, noise) = (&baseline[p], &latent[p], params.noise(p));
            let mut next = map(|l| m[l] + (z[l] - m[l]) * decay[l] + noise[l] * shock[l]);
            if !params.balance_off() {
                let beta = params.balance();
                // Summed in term order from −0.0, as `Iterator::sum` does (−0.0 + x is x to the
                // bit, so this is the sum from the first term). One plain loop: starting from the
                // first term instead left that term in a call the compiler would not inline, and its
                // result went through memory (measured with `perf annotate`).
                let first_term = p * per_pair;
                let terms = &prepared.constants.terms[first_term..first_term + per_pair];
                let mut pressure = [-0.0; LANES];
                for (t, shared) in terms.iter().enumerate() {
                    let (ik, kj) = (&snapshot[shared.pair_ik as usize], &snapshot[shared.pair_kj as usize]);
                    let weight = params.term_weight(first_term + t, shared);
                    pressure = map(|l| pressure[l] + weight[l] * ik[l] * kj[l]);
                }
                next = map(|l| next[l] + beta[l] * pressure[l]);
            }
            latent[p] = map(|l| next[l].clamp(-LATENT_LIMIT, LATENT_LIMIT));
        }

        // (d) Jumps of the events that fired, in file order, then their baseline shifts.
        if any_fired {
            for (e, (event, &fired)) in model.events.iter().zip(&*fired_lanes).enumerate() {
                let mut lanes_fired = fired;
                while lanes_fired != 0 {
                    let l = lanes_fired.trailing_zeros() as usize;
                    lanes_fired &= lanes_fired - 1;
                    for (f, effect) in event.effects.iter().enumerate() {
                        let pair = effect.pair;
                        let jump = params.jump(e, f, l);
                        // In double precision from the state's tanh, rounded to single once.
                        if jump != 0.0 {
                            let a = f64::from(prepared.tanh.of_one(latent[pair][l]));
                            let moved = (a + jump).clamp(-ALIGNMENT_CLAMP, ALIGNMENT_CLAMP);
                            latent[pair][l] = libm::atanh(moved) as f32;
                        }
                        let shift = params.shift(e, f, l);
                        if shift != 0.0 {
                            let mu = f64::from(prepared.tanh.of_one(baseline[pair][l]));
                            let moved = (mu + shift).clamp(-ALIGNMENT_CLAMP, ALIGNMENT_CLAMP);
                            baseline[pair][l] = libm::atanh(moved) as f32;
                        }
                    }
                }
            }
        }

        // (e) Record a = tanh z: the month's value and the next month's snapshot.
        for (a, z) in alignment.iter_mut().zip(latent.iter()) {
            *a = prepared.tanh.of_lanes(z, kernels);
        }

        let horizon = month == self.horizon;
        for (o, outcome) in model.outcomes.iter().enumerate() {
            // A test at the horizon is read only there; the other months' values are never used.
            if outcome.when == When::Horizon && !horizon {
                continue;
            }
            let mut holds_in: [bool; LANES] = [outcome.join == Join::All; LANES];
            for test in &outcome.tests {
                // In single precision, deciding exactly what the file's level in double precision
                // decides (`Comparison::single_threshold`).
                let left = &alignment[test.pair];
                let right = match test.reference {
                    Reference::Level(level) => [test.comparison.single_threshold(level); LANES],
                    Reference::Pair(pair) => alignment[pair],
                };
                let holds: [bool; LANES] = map_to(|l| test.comparison.holds_single(left[l], right[l]));
                holds_in = match outcome.join {
                    Join::All => map_to(|l| holds_in[l] & holds[l]),
                    Join::Any => map_to(|l| holds_in[l] | holds[l]),
                };
            }
            // Each lane's slot, every `outcome_count`-th of the block's.
            let slots = outcome_state[o..].iter_mut().step_by(outcome_count);
            match outcome.when {
                When::AnyMonth => slots.zip(holds_in).for_each(|(slot, holds)| *slot |= holds),
                When::EveryMonth => slots.zip(holds_in).for_each(|(slot, holds)| *slot &= holds),
                When::Horizon => slots.zip(holds_in).for_each(|(slot, holds)| *slot = holds),
            }
        }
        if horizon && self.full {
            let actors = model.actor_count();
            let mut weights = [[0.0; LANES]; 16];
            for (actor, w) in weights[..actors].iter_mut().enumerate() {
                *w = params.weight(actor);
            }
            // The blocs and the frustration, once per run, in double precision (the exact values
            // of the single-precision state).
            let mut wide = [[0.0; LANES]; MAX_PAIRS];
            for (wide, a) in wide.iter_mut().zip(alignment.iter()) {
                *wide = a.map(f64::from);
            }
            let wide = &wide[..alignment.len()];
            let two_best: &mut [TwoBestSplits; LANES] = splits.try_into().expect("one block");
            *two_best = two_best_splits_of_block(&weights[..actors], wide);
            frustrations.copy_from_slice(&frustration_of_block(actors, wide));
        }
    }
}

/// Where run `run`'s count for event `event` (of `events`) is kept: block by block, each event's
/// lanes side by side, so that a block's step reads and writes them as vectors.
fn event_slot(run: usize, event: usize, events: usize) -> usize {
    (run / LANES * events + event) * LANES + run % LANES
}

/// Per pair, over the first `runs` runs of `blocks` (blocks × pairs, as [`Runs::alignment`]): its
/// values in run order into the start of its row of `record` (rows of `stride` values), and in
/// `sums` their sum in run order from 0 (so that it is the same to the bit however the runs were
/// computed, and a sum continued over later runs is their sum in run order too).
///
/// One pass over the blocks per eight pairs natively, four in the page, each pair with its own
/// running sum in a register: a sum in run order is one long chain of additions, and independent
/// chains overlap their additions. (Eight in the page too put its bundle over its budget; natively
/// eight took the default ensemble from 19.28 to 19.10 ms, means of 4 alternating minima of 30.)
/// Written so that the compiler vectorises within a block's lanes, not across pairs (which would
/// need gathers and scatters). The extremes are the quantiles' own pass over the contiguous row:
/// taken here, lane by lane for four pairs, they cost the page's bundle 0.8 KB more.
#[inline(always)]
fn column_sums(blocks: &[Lanes], pairs: usize, runs: usize, stride: usize, record: &mut [f64], sums: &mut [f64]) {
    const GROUP: usize = if cfg!(target_arch = "wasm32") { 4 } else { 8 };
    let full = runs / LANES;
    let rest = runs - full * LANES;
    for first in (0..pairs).step_by(GROUP) {
        let group = (pairs - first).min(GROUP);
        let mut sum = [0.0; GROUP];
        for (b, block) in blocks.chunks_exact(pairs).take(full).enumerate() {
            let values = &block[first..first + group];
            for g in 0..GROUP {
                if g < group {
                    let v = &values[g];
                    let start = (first + g) * stride + b * LANES;
                    let row: &mut DoubleLanes = (&mut record[start..start + LANES]).try_into().expect("a block");
                    *row = v.map(f64::from);
                }
            }
            for l in 0..LANES {
                for g in 0..GROUP {
                    if g < group {
                        sum[g] += f64::from(values[g][l]);
                    }
                }
            }
        }
        for g in 0..group {
            if rest > 0 {
                let values = &blocks[full * pairs + first + g][..rest];
                let start = (first + g) * stride + full * LANES;
                for (slot, &v) in record[start..start + rest].iter_mut().zip(values) {
                    *slot = f64::from(v);
                    sum[g] += f64::from(v);
                }
            }
            sums[first + g] = sum[g];
        }
    }
}

/// The quantiles of the rows `pairs` of `record` (`runs` values a row, as [`column_sums`] leaves
/// it).
fn row_quantiles(
    quantiles: &mut Quantiles,
    record: &[f64],
    runs: usize,
    pairs: std::ops::Range<usize>,
) -> Vec<[f64; 5]> {
    pairs.map(|p| quantiles.of(&record[p * runs..(p + 1) * runs])).collect()
}

/// One block of [`BlocksMut`].
struct OneBlock<'a> {
    latent: &'a mut [Lanes],
    alignment: &'a mut [Lanes],
    latent_baseline: &'a mut [Lanes],
    firings: &'a mut [u32],
    first_fired: &'a mut [u32],
    outcome_state: &'a mut [bool],
    splits: &'a mut [TwoBestSplits],
    frustrations: &'a mut [f64],
}

/// An ensemble of N runs in progress.
pub struct Ensemble {
    model: Model,
    settings: Settings,
    /// Boxed: its tables are large, and ensembles are moved around (the worker's jobs hold two).
    prepared: Box<Prepared>,
    shape: Shape,
    /// Blocks of [`LANES`] runs.
    blocks: usize,
    /// The month being computed, 1..=T (T + 1 when done).
    month: usize,
    /// Blocks of `month` already advanced.
    next_block: usize,
    /// When set, the random numbers are read from it instead of the runs' streams.
    tape: Option<Arc<RandomTape>>,
    runs: Runs,
    scratch: Scratch,
    quantiles: Quantiles,
    /// The month's alignments, pairs × runs (each pair's row in run order), for the quantiles.
    record: Vec<f64>,
    bands: Vec<PairBands>,
    /// Whether fan-chart bands, blocs and frustration are computed (not needed by analyses that
    /// only read outcomes and events, such as the sensitivity tornado).
    full: bool,
    /// Threads the month's quantiles may use (set by [`Ensemble::advance_month_on_threads`]).
    #[cfg(not(target_arch = "wasm32"))]
    threads: usize,
    /// Per block, the runs' own models ([`Ensemble::per_run`]); empty when every run uses `model`.
    per_run: Vec<PerRun>,
    /// Which blocks this ensemble advances: all, or one side of an ensemble shared by two.
    part: Part,
}

impl Ensemble {
    /// An ensemble computing every output.
    pub fn new(model: Model, settings: Settings) -> Self {
        Self::with_outputs(model, settings, true)
    }

    /// An ensemble computing only outcomes and event statistics: its summary has empty `pairs`
    /// and `blocs` and a zero frustration. The runs themselves (and so the outcomes) are exactly
    /// those of [`Ensemble::new`].
    pub fn outcomes_only(model: Model, settings: Settings) -> Self {
        Self::with_outputs(model, settings, false)
    }

    /// As [`Ensemble::new`], reading its random numbers from `tape` (the same numbers it would
    /// draw) when the tape fits this model and these settings.
    pub fn from_tape(model: Model, settings: Settings, tape: Arc<RandomTape>) -> Self {
        Self::with_outputs(model, settings, true).reading(tape)
    }

    /// As [`Ensemble::outcomes_only`], reading its random numbers from `tape` (the same numbers
    /// it would draw) when the tape fits this model and these settings.
    pub fn outcomes_only_from_tape(model: Model, settings: Settings, tape: Arc<RandomTape>) -> Self {
        Self::with_outputs(model, settings, false).reading(tape)
    }

    /// This ensemble, reading `tape` if it holds its draws.
    fn reading(mut self, tape: Arc<RandomTape>) -> Self {
        if tape.fits(&self.model, self.settings) {
            self.tape = Some(tape);
        }
        self
    }

    /// As [`Ensemble::outcomes_only`], of the runs numbered `runs` of an ensemble with these
    /// settings' seed: its run i draws what run `runs[i]` draws (`settings.runs` is ignored). Every
    /// run has the model itself, so the month step is the shared one: what
    /// [`Ensemble::per_run_filled`] computes with `model` in every run and these streams, without
    /// a model per run.
    pub fn outcomes_only_of_runs(model: Model, settings: Settings, runs: &[u64]) -> Self {
        assert!(!runs.is_empty(), "an ensemble of no runs");
        let settings = Settings {
            runs: runs.len(),
            ..settings
        };
        let mut ensemble = Self::with_outputs(model, settings, false);
        for (b, streams) in ensemble.runs.streams.iter_mut().enumerate() {
            // Padding lanes past the last run repeat the last run (never reported).
            *streams = BlockStreams::of_runs(
                settings.seed,
                core::array::from_fn(|l| runs[(b * LANES + l).min(runs.len() - 1)]),
            );
        }
        ensemble
    }

    /// Whether the ensemble reads its random numbers from a tape.
    pub fn reads_a_tape(&self) -> bool {
        self.tape.is_some()
    }

    fn with_outputs(model: Model, settings: Settings, full: bool) -> Self {
        let pairs = model.pair_count();
        assert!(pairs <= MAX_PAIRS, "at most 16 actors");
        let shape = Shape {
            pairs,
            events: model.events.len(),
            outcomes: model.outcomes.len(),
        };
        let blocks = blocks_for(settings.runs);
        let padded_runs = blocks * LANES;
        let prepared = Box::new(Prepared::new(&model));
        // As `Derived::update_start` derives them for a run of its own.
        let initial_latent: Vec<f32> = model.initial.iter().map(|&a| libm::atanh(a) as f32).collect();
        let initial_alignment: Vec<f32> = initial_latent.iter().map(|&z| prepared.tanh.of_one(z)).collect();
        let baseline_latent: Vec<f32> = model.baseline.iter().map(|&mu| libm::atanh(mu) as f32).collect();
        let per_block = |row: &[f32]| -> Vec<Lanes> {
            let block: Vec<Lanes> = row.iter().map(|&v| [v; LANES]).collect();
            block.iter().copied().cycle().take(block.len() * blocks).collect()
        };
        let outcome_start: Vec<bool> = model.outcomes.iter().map(|o| o.when == When::EveryMonth).collect();
        let bands = model
            .initial
            .iter()
            .map(|&a| PairBands {
                quantiles: vec![[a; 5]],
                mean: vec![a],
            })
            .collect();
        let runs = Runs {
            latent: per_block(&initial_latent),
            alignment: per_block(&initial_alignment),
            latent_baseline: per_block(&baseline_latent),
            streams: (0..blocks).map(|b| BlockStreams::of_block(settings.seed, b)).collect(),
            firings: vec![0; padded_runs * shape.events],
            first_fired: vec![0; padded_runs * shape.events],
            outcome_state: outcome_start
                .iter()
                .copied()
                .cycle()
                .take(outcome_start.len() * padded_runs)
                .collect(),
            splits: vec![TwoBestSplits::default(); padded_runs],
            frustrations: vec![0.0; padded_runs],
        };
        Ensemble {
            scratch: Scratch::new(shape),
            quantiles: Quantiles::default(),
            record: Vec::new(),
            bands,
            full,
            #[cfg(not(target_arch = "wasm32"))]
            threads: 1,
            per_run: Vec::new(),
            part: Part::Whole,
            month: 1,
            next_block: 0,
            tape: None,
            runs,
            blocks,
            shape,
            prepared,
            model,
            settings,
        }
    }

    /// An ensemble in which every run has a model of its own: `run_input(r)` gives run r's model
    /// (of the same structure as `model`: actors, pairs, events with their conditions and effects
    /// on the same pairs, outcomes) and the number of the random stream it draws from (r itself
    /// keeps common random numbers with an ensemble of `model`; another number lets an analysis
    /// choose the stream, as a Sobol design does for the model's own noise). Each run computes
    /// exactly what it would compute alone in an ensemble of its model, on that stream. Outputs are
    /// as for [`Ensemble::new`] (or [`Ensemble::outcomes_only`] when `full` is false), except that
    /// the summary's month-0 frustration is that of `model`.
    pub fn per_run(
        model: Model,
        settings: Settings,
        full: bool,
        mut run_input: impl FnMut(usize) -> (Model, u64),
    ) -> Self {
        Self::per_run_filled(model, settings, full, |run, lane_model| {
            let (model, stream) = run_input(run);
            *lane_model = model;
            stream
        })
    }

    /// [`Ensemble::per_run`] without a new model per run: `fill(r, m)` writes run r's values into
    /// `m` and returns its stream. `m` is one of sixteen reused models (one per lane of a block),
    /// which starts as a copy of `model` and then holds what the previous run of its lane left, so
    /// `fill` must write every number that differs between runs.
    pub fn per_run_filled(
        model: Model,
        settings: Settings,
        full: bool,
        fill: impl FnMut(usize, &mut Model) -> u64,
    ) -> Self {
        Self::per_run_derived(model, settings, full, None, fill)
    }

    /// [`Ensemble::per_run_filled`] keeping what each run's model derives in `cache`, by run number
    /// (see [`RunCache`]): the same numbers, with less work when the cache holds runs of earlier
    /// ensembles whose values are mostly the same (the matrices of a Sobol design). Ensembles of
    /// more than [`RunCache::MAX_RUNS`] runs leave the cache alone.
    pub fn per_run_cached(
        model: Model,
        settings: Settings,
        full: bool,
        cache: &mut RunCache,
        fill: impl FnMut(usize, &mut Model) -> u64,
    ) -> Self {
        Self::per_run_derived(model, settings, full, Some(cache), fill)
    }

    fn per_run_derived(
        model: Model,
        settings: Settings,
        full: bool,
        cache: Option<&mut RunCache>,
        mut fill: impl FnMut(usize, &mut Model) -> u64,
    ) -> Self {
        let mut models: [Model; LANES] = core::array::from_fn(|_| model.clone());
        let mut ensemble = Self::with_outputs(model, settings, full);
        let pairs = ensemble.shape.pairs;
        let tanh = &ensemble.prepared.tanh;
        // Without a cache to keep (or with too many runs for one), each lane's entry is reused by
        // the lane's next run.
        let mut cache = cache.filter(|_| settings.runs <= RunCache::MAX_RUNS);
        // A vector, not an array: the page's bundle holds one loop rather than sixteen unrolled
        // constructions (2.7 KB of wasm).
        let mut lanes: Vec<Derived> = (0..LANES).map(|_| Derived::default()).collect();
        // Month 0's values, for its fan-chart bands (an ensemble of outcomes only has none).
        let mut initial_rows: Vec<Vec<f64>> = vec![Vec::with_capacity(if full { settings.runs } else { 0 }); pairs];
        for b in 0..ensemble.blocks {
            let streams: [u64; LANES] = core::array::from_fn(|l| {
                let run = b * LANES + l;
                // Padding lanes past the last run repeat the last run's input (never reported).
                fill(run.min(settings.runs - 1), &mut models[l])
            });
            let derived = match cache.as_deref_mut() {
                Some(cache) => cache.block(b),
                None => &mut lanes[..],
            };
            for (lane, run_model) in derived.iter_mut().zip(&models) {
                lane.update_step(run_model);
                lane.update_start(run_model, tanh);
            }
            for p in 0..pairs {
                let state = b * pairs + p;
                for (l, (run_model, lane)) in models.iter().zip(derived.iter()).enumerate() {
                    ensemble.runs.latent[state][l] = lane.initial_latent[p];
                    ensemble.runs.alignment[state][l] = lane.initial_alignment[p];
                    ensemble.runs.latent_baseline[state][l] = lane.baseline_latent[p];
                    if full && b * LANES + l < settings.runs {
                        initial_rows[p].push(run_model.initial[p]);
                    }
                }
            }
            ensemble.runs.streams[b] = BlockStreams::of_runs(settings.seed, streams);
            ensemble.per_run.push(PerRun::of_derived(&models, derived));
        }
        // Month 0 differs between runs now: its bands are taken over the runs like any month's.
        // (Where every run starts alike, the value itself, as [`Ensemble::new`] gives it.)
        if full {
            for (bands, row) in ensemble.bands.iter_mut().zip(&initial_rows) {
                if row.iter().any(|&a| a != row[0]) {
                    bands.quantiles[0] = ensemble.quantiles.of(row);
                    bands.mean[0] = row.iter().sum::<f64>() / row.len() as f64;
                } else {
                    bands.quantiles[0] = [row[0]; 5];
                    bands.mean[0] = row[0];
                }
            }
        }
        ensemble
    }

    pub fn progress(&self) -> Progress {
        Progress {
            months_done: (self.month - 1).min(self.settings.horizon),
            horizon: self.settings.horizon,
            runs_done: if self.month > self.settings.horizon {
                0
            } else {
                (self.next_block * LANES).min(self.settings.runs)
            },
            runs: self.settings.runs,
        }
    }

    /// Whether each outcome held in each run so far (runs × outcomes, run-major): the per-run
    /// indicators behind the outcome probabilities, for paired comparisons between ensembles that
    /// share their random streams.
    pub fn outcome_states(&self) -> &[bool] {
        &self.runs.outcome_state[..self.settings.runs * self.shape.outcomes]
    }

    /// The latent scores z of every run after the last completed month (runs × pairs, run-major).
    pub fn latent(&self) -> Vec<f64> {
        self.run_major(&self.runs.latent)
    }

    /// The alignments a = tanh z of every run after the last completed month (runs × pairs,
    /// run-major): at the horizon once the ensemble is done, the state its blocs are read from.
    pub fn alignments(&self) -> Vec<f64> {
        self.run_major(&self.runs.alignment)
    }

    /// Every run's best two-bloc split and the second best, with their energies, at the horizon
    /// (what [`two_best_splits_of_runs`](crate::two_best_splits_of_runs) finds from
    /// [`Ensemble::alignments`] and the runs' weights, to the bit). Only a full ensemble that is
    /// done has them.
    pub fn two_best_splits(&self) -> &[TwoBestSplits] {
        assert!(
            self.full && self.progress().is_done(),
            "the splits are those of a finished full ensemble"
        );
        &self.runs.splits[..self.settings.runs]
    }

    /// A per-pair state held block by block (blocks × pairs lanes), as runs × pairs, run-major.
    fn run_major(&self, state: &[Lanes]) -> Vec<f64> {
        let (pairs, runs) = (self.shape.pairs, self.settings.runs);
        // Block by block: a block's runs are written within a few cache lines.
        let mut by_run = vec![0.0; runs * pairs];
        for (b, block) in state.chunks_exact(pairs.max(1)).take(blocks_for(runs)).enumerate() {
            for (p, lanes) in block.iter().enumerate() {
                for (l, &value) in lanes.iter().enumerate().take(runs - b * LANES) {
                    by_run[(b * LANES + l) * pairs + p] = f64::from(value);
                }
            }
        }
        by_run
    }

    /// The month each event first fired in each run so far (runs × events, run-major; 0 = not
    /// fired): with the outcome states, the raw material of outcomes conditional on events.
    pub fn first_fired_months(&self) -> Vec<u32> {
        let events = self.shape.events;
        (0..self.settings.runs)
            .flat_map(|run| (0..events).map(move |e| (run, e)))
            .map(|(run, e)| self.runs.first_fired[event_slot(run, e, events)])
            .collect()
    }

    /// The fan-chart bands of the months computed so far (month 0 first).
    pub fn bands(&self) -> &[PairBands] {
        &self.bands
    }

    /// The month's step, with the per-run state and scratch it advances (disjoint borrows).
    fn parts(&mut self) -> (MonthStep<'_>, &mut Runs, &mut Scratch) {
        let step = MonthStep {
            model: &self.model,
            prepared: &self.prepared,
            tape: self.tape.as_deref(),
            shape: self.shape,
            month: self.month,
            horizon: self.settings.horizon,
            full: self.full,
            per_run: &self.per_run,
        };
        (step, &mut self.runs, &mut self.scratch)
    }

    /// Advances at least `max_runs` runs (rounded up to whole blocks of [`LANES`]) through the
    /// current month, closing the month when its last run is done. Returns where the ensemble
    /// stands.
    pub fn advance(&mut self, max_runs: usize) -> Progress {
        if self.month > self.settings.horizon || self.awaits_rows() {
            return self.progress();
        }
        let last = self.part_blocks().end;
        let end = self
            .next_block
            .saturating_add(max_runs.max(1).div_ceil(LANES))
            .min(last);
        let (range, shape) = (self.next_block..end, self.shape);
        let (step, runs, scratch) = self.parts();
        step.advance(runs.blocks(shape, range.clone()), range.start, scratch);
        self.next_block = end;
        if end == last {
            self.close_month();
        }
        self.progress()
    }

    /// Finishes the current month with its remaining blocks spread over up to `threads` threads.
    /// The numbers are those of [`Ensemble::advance`]: each block is advanced exactly as it would
    /// be on one thread.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn advance_month_on_threads(&mut self, threads: usize) -> Progress {
        if self.month > self.settings.horizon {
            return self.progress();
        }
        let remaining = self.blocks - self.next_block;
        self.threads = threads.max(1);
        let threads = threads.clamp(1, remaining.max(1));
        if threads == 1 {
            return self.advance(usize::MAX);
        }
        let (shape, first) = (self.shape, self.next_block);
        let (step, runs, _) = self.parts();
        let mut rest = runs.blocks(shape, first..first + remaining);
        let per_thread = remaining.div_ceil(threads);
        std::thread::scope(|scope| {
            let mut start = first;
            while start < first + remaining {
                let count = per_thread.min(first + remaining - start);
                let (mine, others) = rest.split_at(shape, count);
                rest = others;
                let step = &step;
                scope.spawn(move || step.advance(mine, start, &mut Scratch::new(shape)));
                start += count;
            }
        });
        self.next_block = self.blocks;
        self.close_month();
        self.progress()
    }

    /// Advances every remaining month at once: what a caller that does not report progress or
    /// yield between chunks does. (A lead waiting for its follow's rows never finishes alone.)
    pub fn finish(&mut self) {
        while !self.advance(usize::MAX).is_done() {}
    }

    /// Runs the whole ensemble and summarises it.
    pub fn run(model: Model, settings: Settings) -> Summary {
        let mut ensemble = Ensemble::new(model, settings);
        ensemble.finish();
        ensemble.summary()
    }

    /// Where each pair heads under the dynamics alone: the path with no noise (σ = 0) and no
    /// events, month 0 … horizon, per pair. Reversion pulls a pair toward its baseline and the
    /// balance term toward its camp, so with β > 0 this is not the baseline: it is the line that
    /// explains a fan whose middle ends away from the baseline. Computed by the engine itself
    /// (one block of identical runs), so it is exactly what the model does.
    pub fn drift_path(model: &Model, horizon: usize) -> Vec<Vec<f64>> {
        let mut still = model.clone();
        still.volatility.iter_mut().for_each(|s| *s = 0.0);
        still.events.clear();
        still.outcomes.clear();
        let mut ensemble = Ensemble::new(
            still,
            Settings {
                seed: 0,
                runs: 1,
                horizon,
            },
        );
        ensemble.finish();
        // The bands themselves, not `summary()`, which would ask for this path again.
        ensemble.bands.into_iter().map(|bands| bands.mean).collect()
    }

    /// [`Ensemble::run`] with each month spread over up to `threads` threads: the same summary.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn run_on_threads(model: Model, settings: Settings, threads: usize) -> Summary {
        let mut ensemble = Ensemble::new(model, settings);
        while !ensemble.advance_month_on_threads(threads).is_done() {}
        ensemble.summary()
    }

    /// Quantiles and mean of every pair for the month just finished; moves on to the next month.
    /// (One side of a shared ensemble closes its months in `halves`.)
    fn close_month(&mut self) {
        if !matches!(self.part, Part::Whole) {
            return self.close_shared_month();
        }
        self.month += 1;
        self.next_block = 0;
        if !self.full {
            return;
        }
        let runs = self.settings.runs;
        // One pass over the state: each pair's values into its row of `record` (the quantiles'
        // passes read contiguous rows much faster than one pair's lanes of every block), with
        // their sum.
        self.record.resize(self.shape.pairs * runs, 0.0);
        let mut sums = [0.0; MAX_PAIRS];
        self.record_rows(0..self.blocks, runs, &mut sums);
        self.finish_month(&sums);
    }

    /// The rows of the runs of `blocks` (the ensemble's last runs if it includes the last block)
    /// into the start of `record`'s rows of `stride` values, and their sums from 0. (Not inlined:
    /// a whole ensemble, a lead and a follow each call it; inlined, the page's bundle is 136 bytes
    /// larger.)
    #[inline(never)]
    fn record_rows(&mut self, blocks: std::ops::Range<usize>, stride: usize, sums: &mut [f64]) {
        let pairs = self.shape.pairs;
        let runs = (blocks.end * LANES).min(self.settings.runs) - blocks.start * LANES;
        let alignment = &self.runs.alignment[blocks.start * pairs..blocks.end * pairs];
        let record = &mut self.record;
        with_widest_simd(
            #[inline(always)]
            |_| column_sums(alignment, pairs, runs, stride, record, sums),
        );
    }

    /// The month's bands from every run's row in `record` (pairs × runs) and the rows' `sums`.
    fn finish_month(&mut self, sums: &[f64]) {
        let runs = self.settings.runs;
        let pairs = self.shape.pairs;
        for (bands, &sum) in self.bands.iter_mut().zip(sums) {
            bands.mean.push(sum / runs as f64);
        }
        let record = &self.record;
        #[cfg(not(target_arch = "wasm32"))]
        if self.threads > 1 && runs >= PARALLEL_QUANTILES_FROM {
            // Each pair's quantiles depend on its values alone: the same numbers on any thread.
            let per_thread = pairs.div_ceil(self.threads);
            let quantiles: Vec<[f64; 5]> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..pairs)
                    .step_by(per_thread)
                    .map(|first| {
                        let mine = first..(first + per_thread).min(pairs);
                        scope.spawn(move || {
                            let mut quantiles = Quantiles::default();
                            row_quantiles(&mut quantiles, record, runs, mine)
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().expect("a quantile thread panicked"))
                    .collect()
            });
            for (bands, q) in self.bands.iter_mut().zip(quantiles) {
                bands.quantiles.push(q);
            }
            return;
        }
        let month = row_quantiles(&mut self.quantiles, record, runs, 0..pairs);
        for (bands, q) in self.bands.iter_mut().zip(month) {
            bands.quantiles.push(q);
        }
    }

    /// The outputs; call once [`Ensemble::advance`] reports the ensemble done.
    pub fn summary(&self) -> Summary {
        let runs = self.settings.runs;
        let horizon = self.settings.horizon;
        let outcome_count = self.shape.outcomes;
        let outcome_state = self.outcome_states();
        let outcomes = (0..outcome_count)
            .map(|o| Proportion::of((0..runs).filter(|r| outcome_state[r * outcome_count + o]).count(), runs))
            .collect();

        let event_count = self.shape.events;
        let events = (0..event_count)
            .map(|e| {
                let first: Vec<u32> = (0..runs)
                    .map(|r| self.runs.first_fired[event_slot(r, e, event_count)])
                    .filter(|&m| m > 0)
                    .collect();
                let mut by_month = vec![0usize; horizon + 1];
                for &m in &first {
                    by_month[m as usize] += 1;
                }
                let mut cumulative = Vec::with_capacity(horizon + 1);
                let mut so_far = 0;
                for count in by_month {
                    so_far += count;
                    cumulative.push(so_far as f64 / runs as f64);
                }
                let first_month_quartiles = (!first.is_empty()).then(|| {
                    let as_f64: Vec<f64> = first.iter().map(|&m| m as f64).collect();
                    let [_, q25, q50, q75, _] = quantiles(&as_f64);
                    [q25, q50, q75]
                });
                let total_firings: u64 = (0..runs)
                    .map(|r| self.runs.firings[event_slot(r, e, event_count)] as u64)
                    .sum();
                EventStats {
                    fired: Proportion::of(first.len(), runs),
                    cumulative,
                    first_month_quartiles,
                    mean_firings: total_firings as f64 / runs as f64,
                }
            })
            .collect();

        let masks: Vec<SplitMask> = if self.full {
            self.runs.splits[..runs].iter().map(|&((best, _), _)| best).collect()
        } else {
            Vec::new()
        };
        // Most frequent first; equal counts in ascending order of mask.
        let mut counts = split_counts(&masks, self.model.actor_count());
        super::order::sort_stably_by(&mut counts, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let blocs = counts
            .into_iter()
            .take(REPORTED_SPLITS)
            .map(|(mask, count)| BlocShare {
                mask,
                share: Proportion::of(count, runs),
            })
            .collect();

        let frustration_stats = self.full.then(|| {
            let frustrations = &self.runs.frustrations[..runs];
            FrustrationStats {
                initial: frustration(self.model.actor_count(), &self.model.initial),
                mean: mean(frustrations),
                quantiles: quantiles(frustrations),
            }
        });

        Summary {
            settings: self.settings,
            pairs: if self.full { self.bands.clone() } else { Vec::new() },
            outcomes,
            events,
            blocs,
            frustration: frustration_stats,
            drift: if self.full {
                Ensemble::drift_path(&self.model, horizon)
            } else {
                Vec::new()
            },
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::{Comparison, Condition, Effect, Event, Outcome};

    /// Four actors, balance pressure, and an event with a condition, a jump and a shift: every
    /// step of the month is exercised (the tape's tests use it too).
    pub(crate) fn model() -> Model {
        Model {
            weights: vec![1.0, 0.6, 0.8, 0.3],
            initial: vec![0.5, -0.4, 0.2, 0.3, -0.6, 0.1],
            baseline: vec![0.3, -0.2, 0.0, 0.2, -0.3, 0.1],
            volatility: vec![0.08; 6],
            half_life: 20.0,
            balance: 0.05,
            events: vec![Event {
                per_year: 0.5,
                window: (2, 30),
                repeatable: true,
                conditions: vec![Condition {
                    pair: 0,
                    comparison: Comparison::Above,
                    threshold: 0.0,
                }],
                after: vec![],
                unless: vec![],
                certain_month: None,
                effects: vec![Effect {
                    pair: 1,
                    jump: -0.2,
                    shift: 0.1,
                }],
            }],
            outcomes: vec![Outcome::single(
                1,
                Comparison::Below,
                Reference::Level(-0.3),
                When::AnyMonth,
            )],
        }
    }

    /// A variant of [`model`] for run `run`: every kind of value moved (weights, start, baseline,
    /// σ, half-life, β, probability, window, threshold, jump, shift).
    fn model_of_run(run: usize) -> Model {
        let x = run as f64 / 40.0;
        let mut m = model();
        m.weights[2] += x;
        m.initial[1] -= 0.3 * x;
        m.baseline[4] += 0.2 * x;
        m.volatility[3] += 0.05 * x;
        m.half_life += 10.0 * x;
        m.balance = if run.is_multiple_of(5) { 0.0 } else { 0.05 + 0.1 * x };
        let event = &mut m.events[0];
        event.per_year = 0.2 + 0.6 * x;
        event.window = (1 + (run % 4) as u32, 30 - (run % 7) as u32);
        event.conditions[0].threshold = -0.2 + 0.3 * x;
        event.effects[0].jump = -0.3 * x;
        event.effects[0].shift = 0.1 - 0.1 * x;
        m
    }

    /// Each run of a per-run ensemble computes what that run computes in an ensemble of its own
    /// model, on the stream it names.
    #[test]
    fn per_run_models_compute_what_each_model_computes_alone() {
        let settings = Settings {
            seed: 11,
            runs: 21,
            horizon: 14,
        };
        // Run r draws from stream (r · 7) mod 23: streams need not follow the runs.
        let stream = |run: usize| (run * 7 % 23) as u64;
        let mut mixed = Ensemble::per_run(model(), settings, true, |run| (model_of_run(run), stream(run)));
        while !mixed.advance(16).is_done() {}
        let (alignments, states, fired) = (mixed.alignments(), mixed.outcome_states(), mixed.first_fired_months());
        let pairs = model().pair_count();
        for run in 0..settings.runs {
            let alone_settings = Settings {
                runs: stream(run) as usize + 1,
                ..settings
            };
            let mut alone = Ensemble::new(model_of_run(run), alone_settings);
            alone.finish();
            let s = stream(run) as usize;
            assert_eq!(
                alignments[run * pairs..(run + 1) * pairs],
                alone.alignments()[s * pairs..(s + 1) * pairs],
                "run {run}"
            );
            assert_eq!(states[run], alone.outcome_states()[s], "run {run}");
            assert_eq!(fired[run], alone.first_fired_months()[s], "run {run}");
        }
    }

    /// A cache kept from one ensemble to the next changes no number: ensembles whose runs change a
    /// few values at a time (the rate, the start and a baseline, a weight and the half-life), and
    /// of other structures in between (a second event; three actors), give with one shared cache
    /// what they give without one (which the test above checks against each model alone).
    #[test]
    fn a_run_cache_kept_across_ensembles_changes_no_number() {
        let settings = Settings {
            seed: 5,
            runs: 19,
            horizon: 12,
        };
        type Variant = Box<dyn Fn(usize) -> Model>;
        let changed = |change: fn(&mut Model)| -> Variant {
            Box::new(move |run| {
                let mut m = model_of_run(run);
                change(&mut m);
                m
            })
        };
        let variants: Vec<Variant> = vec![
            Box::new(model_of_run),
            changed(|m| m.events[0].per_year += 0.1),
            changed(|m| {
                m.initial[2] = -0.1;
                m.baseline[0] = 0.4;
            }),
            Box::new(model_of_run),
            changed(|m| {
                m.weights[0] = 0.2;
                m.half_life = 7.0;
            }),
            changed(|m| {
                let mut second = m.events[0].clone();
                second.repeatable = false;
                m.events.push(second);
            }),
            changed(|m| {
                for values in [&mut m.weights, &mut m.initial, &mut m.baseline, &mut m.volatility] {
                    values.truncate(3);
                }
            }),
            Box::new(model_of_run),
        ];
        let mut cache = RunCache::default();
        for (v, variant) in variants.iter().enumerate() {
            let mut cached = Ensemble::per_run_cached(variant(0), settings, true, &mut cache, |run, m| {
                *m = variant(run);
                run as u64
            });
            let mut fresh = Ensemble::per_run(variant(0), settings, true, |run| (variant(run), run as u64));
            cached.finish();
            fresh.finish();
            assert_eq!(cached.alignments(), fresh.alignments(), "variant {v}");
            assert_eq!(cached.summary(), fresh.summary(), "variant {v}");
        }
    }

    /// A split and its energy's bits.
    type SplitBits = (SplitMask, u64);

    /// Splits as bits, to compare energies exactly.
    fn split_bits(splits: &[TwoBestSplits]) -> Vec<(SplitBits, Option<SplitBits>)> {
        let bits = |(mask, energy): (SplitMask, f64)| (mask, energy.to_bits());
        splits
            .iter()
            .map(|&(best, second)| (bits(best), second.map(bits)))
            .collect()
    }

    /// The two best splits an ensemble keeps from its horizon step are what the search of each
    /// run's own final alignments and weights finds: with one model, and with weights that differ
    /// by run; with a last block that is full and one that is not.
    #[test]
    fn an_ensembles_splits_are_those_of_its_runs_final_state() {
        for runs in [16, 37] {
            let settings = Settings {
                seed: 11,
                runs,
                horizon: 9,
            };
            let model_of_run = |run: usize| {
                let mut m = model();
                m.weights[run % 4] += 0.05 * (run % 7) as f64;
                m
            };
            let mut plain = Ensemble::new(model(), settings);
            plain.finish();
            let weights = model().weights;
            let searched = crate::two_best_splits_of_runs(&plain.alignments(), runs, |_| &weights);
            assert_eq!(
                split_bits(plain.two_best_splits()),
                split_bits(&searched),
                "{runs} runs"
            );

            let mut per_run = Ensemble::per_run(model(), settings, true, |run| (model_of_run(run), run as u64));
            per_run.finish();
            let weights: Vec<Vec<f64>> = (0..runs).map(|run| model_of_run(run).weights).collect();
            let searched = crate::two_best_splits_of_runs(&per_run.alignments(), runs, |run| &weights[run]);
            assert_eq!(
                split_bits(per_run.two_best_splits()),
                split_bits(&searched),
                "{runs} runs, own weights"
            );
            // The weights matter: searched with the shared weights, some run's splits or energies differ.
            let shared = model().weights;
            let with_shared = crate::two_best_splits_of_runs(&per_run.alignments(), runs, |_| &shared);
            assert_ne!(
                split_bits(per_run.two_best_splits()),
                split_bits(&with_shared),
                "{runs} runs"
            );
        }
    }

    /// With every run's model equal to the ensemble's and run r on stream r, nothing changes.
    #[test]
    fn per_run_models_that_are_all_the_same_change_no_number() {
        let settings = Settings {
            seed: 4,
            runs: 37,
            horizon: 12,
        };
        let plain = Ensemble::run(model(), settings);
        let mut same = Ensemble::per_run(model(), settings, true, |run| (model(), run as u64));
        same.finish();
        assert_eq!(same.summary(), plain);
    }

    /// An ensemble of some runs of another (in any order, repeated, not a whole number of blocks)
    /// computes, run for run, what those runs compute in the whole ensemble.
    #[test]
    fn an_ensemble_of_some_runs_computes_what_they_compute_in_the_whole() {
        let settings = Settings {
            seed: 5,
            runs: 40,
            horizon: 12,
        };
        let mut whole = Ensemble::outcomes_only(model(), settings);
        whole.finish();
        let rows: Vec<u64> = vec![3, 0, 17, 17, 39, 8, 22, 31, 5, 12, 38];
        let mut some = Ensemble::outcomes_only_of_runs(model(), settings, &rows);
        some.finish();
        let (outcomes, events, pairs) = (model().outcomes.len(), model().events.len(), model().pair_count());
        // Exactly the rows' runs, no more: an ensemble left at the other's 40 runs computes the
        // same first 11 (their padding repeats the last row) but counts 40.
        assert_eq!(some.progress().runs, rows.len());
        assert_eq!(some.outcome_states().len(), rows.len() * outcomes);
        let (latent_some, latent_whole) = (some.latent(), whole.latent());
        let (fired_some, fired_whole) = (some.first_fired_months(), whole.first_fired_months());
        assert!(fired_whole.iter().any(|&month| month > 0), "some event fires");
        for (i, &row) in rows.iter().enumerate() {
            let r = row as usize;
            assert_eq!(
                some.outcome_states()[i * outcomes..(i + 1) * outcomes],
                whole.outcome_states()[r * outcomes..(r + 1) * outcomes],
                "run {i}, run {r} of the whole"
            );
            assert_eq!(
                fired_some[i * events..(i + 1) * events],
                fired_whole[r * events..(r + 1) * events]
            );
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(
                bits(&latent_some[i * pairs..(i + 1) * pairs]),
                bits(&latent_whole[r * pairs..(r + 1) * pairs])
            );
        }
    }

    /// The month's pass over the state against the plain definitions: each pair's row in run
    /// order and its sum added in run order; for run counts that fill the last block
    /// and that do not, and for more pairs than one group of eight.
    #[test]
    fn column_sums_are_the_rows_and_their_sums() {
        let mut state = 99u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 40) as f32 / (1u32 << 24) as f32) * 2.0 - 1.0
        };
        for (pairs, runs) in [(1, 1), (3, 8), (6, 13), (21, 2000), (21, 2003), (10, 7), (120, 17)] {
            let blocks: Vec<Lanes> = (0..blocks_for(runs) * pairs)
                .map(|_| {
                    let mut lanes = [0.0; LANES];
                    lanes.iter_mut().for_each(|v| *v = next());
                    lanes
                })
                .collect();
            // Rows longer than the runs (as a lead's, whose rows end with the other half's runs):
            // the rest of each row is left alone.
            let stride = runs + 5;
            let mut record = vec![f64::NAN; pairs * stride];
            let mut sums = [f64::NAN; MAX_PAIRS];
            column_sums(&blocks, pairs, runs, stride, &mut record, &mut sums);
            for p in 0..pairs {
                let row: Vec<f64> = (0..runs)
                    .map(|r| f64::from(blocks[r / LANES * pairs + p][r % LANES]))
                    .collect();
                assert_eq!(
                    record[p * stride..p * stride + runs],
                    row[..],
                    "pairs {pairs}, runs {runs}, pair {p}"
                );
                assert!(record[p * stride + runs..(p + 1) * stride].iter().all(|v| v.is_nan()));
                let mut sum = 0.0;
                for &v in &row {
                    sum += v;
                }
                assert_eq!(sums[p].to_bits(), sum.to_bits(), "pairs {pairs}, runs {runs}, pair {p}");
            }
        }
    }

    /// Every instruction set the processor has computes the same bits: the shared model's
    /// ensemble (with its quantiles, blocs and events) and an ensemble of per-run models, each as
    /// on the build's baseline instructions. A set the processor lacks is reported, not tested.
    #[test]
    fn the_instruction_set_changes_no_number() {
        use crate::lanes::{instruction_set, limit_instruction_set, InstructionSet};
        let settings = Settings {
            seed: 9,
            runs: 203,
            horizon: 30,
        };
        // The variants of `model_of_run` stay valid models for the first 21 runs or so.
        let variant = |run: usize| (model_of_run(run % 21), run as u64);
        let outputs = || {
            let mut mixed = Ensemble::per_run(model(), settings, true, variant);
            while !mixed.advance(64).is_done() {}
            (Ensemble::run(model(), settings), mixed.summary(), mixed.alignments())
        };
        let widest = instruction_set();
        // The limit holds, and a set the processor has is taken up to it: otherwise the
        // comparisons below would compare one set with itself.
        limit_instruction_set(InstructionSet::Baseline);
        assert_eq!(instruction_set(), InstructionSet::Baseline);
        let baseline = outputs();
        for set in [InstructionSet::Avx2, InstructionSet::Avx512] {
            limit_instruction_set(set);
            if crate::lanes::processor_reports(set) {
                assert_eq!(instruction_set(), set);
                assert!(
                    outputs() == baseline,
                    "{set:?} computes other numbers than the baseline instructions"
                );
            } else {
                assert!(instruction_set() < set);
                eprintln!("{set:?}: not on this processor, not compared");
            }
        }
        limit_instruction_set(widest);
    }

    #[test]
    fn two_halves_compute_what_one_ensemble_computes() {
        let model = model();
        for runs in [17, 33, 203] {
            let settings = Settings {
                seed: 5,
                runs,
                horizon: 7,
            };
            let mut whole = Ensemble::new(model.clone(), settings);
            let blocks = blocks_for(runs);
            for lead_blocks in [1, blocks / 2, blocks - 1] {
                let what = format!("{runs} runs, lead of {lead_blocks} blocks");
                let mut lead = Ensemble::new(model.clone(), settings).into_lead(lead_blocks);
                let mut follow = Ensemble::new(model.clone(), settings).into_follow(lead_blocks);
                let mut sent = std::collections::VecDeque::new();
                // The follow runs ahead by a month or two, in chunks of two blocks, as a worker
                // with slices of its own would; the lead is given rows only when it waits for them.
                while !lead.progress().is_done() {
                    for _ in 0..3 {
                        follow.advance(2 * LANES);
                        sent.extend(follow.month_rows().map(<[f64]>::to_vec));
                    }
                    let months_before = lead.progress().months_done;
                    lead.advance(LANES);
                    if lead.awaits_rows() {
                        let Some(rows) = sent.pop_front() else { continue };
                        // Waiting, it advances nothing.
                        assert_eq!(lead.advance(LANES).months_done, months_before, "{what}");
                        let follow_runs = runs - lead_blocks * LANES;
                        assert_eq!(rows.len(), model.pair_count() * follow_runs, "{what}");
                        lead.join_month(|p, row| row.copy_from_slice(&rows[p * follow_runs..(p + 1) * follow_runs]));
                        assert_eq!(lead.bands()[0].mean.len(), months_before + 2, "{what}");
                    }
                }
                follow.finish();
                assert!(sent.is_empty() && follow.month_rows().is_none(), "{what}");
                assert!(lead.awaits_end(), "{what}");
                lead.join_end(&follow.follow_end());
                assert!(!lead.awaits_end(), "{what}");
                if lead_blocks == 1 {
                    whole.finish();
                }
                assert_eq!(lead.summary(), whole.summary(), "{what}");
                assert_eq!(lead.outcome_states(), whole.outcome_states(), "{what}");
                assert_eq!(lead.first_fired_months(), whole.first_fired_months(), "{what}");
                let bits = |values: Vec<f64>| values.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(lead.alignments()), bits(whole.alignments()), "{what}");
                assert_eq!(bits(lead.latent()), bits(whole.latent()), "{what}");
                assert_eq!(
                    split_bits(lead.two_best_splits()),
                    split_bits(whole.two_best_splits()),
                    "{what}"
                );
                for (l, w) in lead.bands().iter().zip(whole.bands()) {
                    assert_eq!(bits(l.mean.clone()), bits(w.mean.clone()), "{what}");
                }
            }
        }
    }

    #[test]
    fn the_thread_count_changes_no_number() {
        // Enough runs that the month's quantiles are spread over threads too, and a run count that
        // leaves the last block partly empty.
        let settings = Settings {
            seed: 3,
            runs: PARALLEL_QUANTILES_FROM + 5,
            horizon: 4,
        };
        let one = Ensemble::run(model(), settings);
        for threads in [1, 2, 3, 7] {
            assert_eq!(
                Ensemble::run_on_threads(model(), settings, threads),
                one,
                "{threads} threads"
            );
        }
    }
}
