//! The Monte Carlo ensemble, month by month over a structure of arrays.
//!
//! State is one value per run per pair (`runs × pairs`, run-major so that one run's month is a
//! contiguous slice). Each month every run is advanced by the steps (a)–(e) of DESIGN.md §3; the
//! month's alignments are written pair-major into `record`, where the quantiles are taken, so no
//! path is ever kept. Work can be done in chunks of runs ([`Ensemble::advance`]); the result does not
//! depend on the chunk size, because every run has its own random stream.

use std::sync::Arc;

use super::blocs::{best_split, frustration, SplitMask};
use super::fastmath::ExpTable;
use super::model::{pair_index, pair_list, Model, Settings, When};
use super::rng::{RunRng, Stream, Ziggurat};
use super::stats::{mean, quantiles, Quantiles};
use super::summary::{BlocShare, EventStats, FrustrationStats, PairBands, Proportion, Summary, REPORTED_SPLITS};
use super::tape::RandomTape;

/// Alignments are clamped here when an event moves them or their baseline.
pub const ALIGNMENT_CLAMP: f64 = 0.995;

/// Latent scores are kept within ±this, so that a = tanh z stays strictly inside (−1, 1) in
/// floating point (tanh rounds to exactly 1 beyond about 19.1). Only strongly saturated states, such
/// as a very large balance strength, ever reach it, where a differs from ±1 by less than 1e-15.
pub const LATENT_LIMIT: f64 = 18.0;

/// One term of the balance sum of a pair (i, j): coefficient w_k / Σw times a_ik · a_kj.
#[derive(Clone, Copy, Debug)]
struct BalanceTerm {
    /// Pair indices, below [`MAX_PAIRS`]: as `u8` into a `[f64; 256]` snapshot they need no
    /// bounds check in the hot loop.
    pair_ik: u8,
    pair_kj: u8,
    weight: f64,
}

/// Pairs of at most 16 actors, the scenario limit.
const MAX_PAIRS: usize = 16 * 15 / 2;

/// Constants derived once from the model.
#[derive(Clone, Debug)]
struct Prepared {
    /// e^(−θ)
    decay: f64,
    /// σ_p · sqrt((1 − e^(−2θ)) / (2θ)), per pair.
    noise: Vec<f64>,
    /// Monthly hazard of each event.
    hazards: Vec<f64>,
    /// Every pair has the same number of balance terms (one per third actor, n − 2): those of
    /// pair p are `terms[p * terms_per_pair..(p + 1) * terms_per_pair]`.
    terms_per_pair: usize,
    terms: Vec<BalanceTerm>,
    ziggurat: Ziggurat,
    exp: ExpTable,
}

impl Prepared {
    fn new(model: &Model) -> Self {
        let n = model.actor_count();
        let theta = core::f64::consts::LN_2 / model.half_life;
        let decay = libm::exp(-theta);
        let noise_factor = ((1.0 - libm::exp(-2.0 * theta)) / (2.0 * theta)).sqrt();
        let noise = model.volatility.iter().map(|sigma| sigma * noise_factor).collect();
        let hazards = model.events.iter().map(|e| e.monthly_hazard()).collect();
        let mut terms = Vec::new();
        for (i, j) in pair_list(n) {
            let others = (0..n).filter(|&k| k != i && k != j);
            let total: f64 = others.clone().map(|k| model.weights[k]).sum();
            for k in others {
                terms.push(BalanceTerm {
                    pair_ik: pair_index(n, i, k) as u8,
                    pair_kj: pair_index(n, k, j) as u8,
                    // Weights are positive in any valid scenario; a zero total means no pressure.
                    weight: if total > 0.0 { model.weights[k] / total } else { 0.0 },
                });
            }
        }
        let terms_per_pair = n.saturating_sub(2);
        Prepared {
            decay,
            noise,
            hazards,
            terms_per_pair,
            terms,
            ziggurat: Ziggurat::new(),
            exp: ExpTable::new(),
        }
    }
}

/// The random numbers of an ensemble: drawn as the runs go, or read from a shared tape.
enum Draws {
    /// Per run: the stream of the pairs' shocks and the stream of the events' draws.
    Streams {
        noise: Vec<RunRng>,
        events: Vec<RunRng>,
    },
    Tape(Arc<RandomTape>),
}

/// One run's random numbers for one month, in the order the steps use them. The month's step is
/// compiled once per source, so drawing as we go costs nothing extra for the tape's sake.
trait MonthDraws {
    fn shock(&mut self, pair: usize, ziggurat: &Ziggurat) -> f64;
    fn event_draw(&mut self, event: usize) -> f64;
}

struct FromStreams<'a> {
    noise: &'a mut RunRng,
    events: &'a mut RunRng,
}

impl MonthDraws for FromStreams<'_> {
    #[inline]
    fn shock(&mut self, _pair: usize, ziggurat: &Ziggurat) -> f64 {
        self.noise.normal(ziggurat)
    }

    #[inline]
    fn event_draw(&mut self, _event: usize) -> f64 {
        self.events.uniform()
    }
}

struct FromTape<'a> {
    shocks: &'a [f64],
    events: &'a [f64],
}

impl MonthDraws for FromTape<'_> {
    #[inline]
    fn shock(&mut self, pair: usize, _ziggurat: &Ziggurat) -> f64 {
        self.shocks[pair]
    }

    #[inline]
    fn event_draw(&mut self, event: usize) -> f64 {
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

/// An ensemble of N runs in progress.
pub struct Ensemble {
    model: Model,
    settings: Settings,
    prepared: Prepared,
    pairs: usize,
    /// The month being computed, 1..=T (T + 1 when done).
    month: usize,
    /// Runs of `month` already advanced.
    next_run: usize,
    /// Where the random numbers come from (taken out while a chunk of runs is advanced).
    draws: Option<Draws>,
    /// Latent scores z, runs × pairs.
    latent: Vec<f64>,
    /// Alignments a = tanh z at the end of the last month (the next month's snapshot), runs × pairs.
    alignment: Vec<f64>,
    /// Latent baselines m = atanh μ, runs × pairs (moved by baseline shifts).
    latent_baseline: Vec<f64>,
    /// Times each event has fired, runs × events.
    firings: Vec<u32>,
    /// Month each event first fired (0 = not yet), runs × events.
    first_fired: Vec<u32>,
    /// Whether each outcome holds so far, runs × outcomes.
    outcome_state: Vec<bool>,
    /// This month's alignments, pairs × runs.
    record: Vec<f64>,
    quantiles: Quantiles,
    /// This month's sum of alignments per pair, added in run order (for the mean).
    month_sum: Vec<f64>,
    bands: Vec<PairBands>,
    /// At the horizon, per run.
    splits: Vec<SplitMask>,
    frustrations: Vec<f64>,
    fired_now: Vec<usize>,
    /// Scratch: one run's snapshot, padded to 256 entries (see [`BalanceTerm`]).
    snapshot: Box<[f64; 256]>,
    /// Whether fan-chart bands, blocs and frustration are computed (not needed by analyses that
    /// only read outcomes and events, such as the sensitivity tornado).
    full: bool,
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

    /// As [`Ensemble::outcomes_only`], reading its random numbers from `tape` (the same numbers
    /// it would draw) when the tape fits this model and these settings.
    pub fn outcomes_only_from_tape(model: Model, settings: Settings, tape: Arc<RandomTape>) -> Self {
        let fits = tape.fits(&model, settings);
        let mut ensemble = Self::with_outputs(model, settings, false);
        if fits {
            ensemble.draws = Some(Draws::Tape(tape));
        }
        ensemble
    }

    fn with_outputs(model: Model, settings: Settings, full: bool) -> Self {
        let pairs = model.pair_count();
        let runs = settings.runs;
        let prepared = Prepared::new(&model);
        let initial_latent: Vec<f64> = model.initial.iter().map(|&a| libm::atanh(a)).collect();
        let initial_alignment: Vec<f64> = initial_latent.iter().map(|&z| prepared.exp.tanh(z)).collect();
        let baseline_latent: Vec<f64> = model.baseline.iter().map(|&mu| libm::atanh(mu)).collect();
        let repeat = |row: &[f64]| row.iter().copied().cycle().take(row.len() * runs).collect::<Vec<f64>>();
        let outcome_start: Vec<bool> = model.outcomes.iter().map(|o| o.when == When::EveryMonth).collect();
        let bands = model
            .initial
            .iter()
            .map(|&a| PairBands {
                quantiles: vec![[a; 5]],
                mean: vec![a],
            })
            .collect();
        let events = model.events.len();
        assert!(pairs <= MAX_PAIRS, "at most 16 actors");
        Ensemble {
            draws: Some(Draws::Streams {
                noise: (0..runs)
                    .map(|r| RunRng::for_run(settings.seed, r as u64, Stream::Noise))
                    .collect(),
                events: (0..runs)
                    .map(|r| RunRng::for_run(settings.seed, r as u64, Stream::Events))
                    .collect(),
            }),

            latent: repeat(&initial_latent),
            alignment: repeat(&initial_alignment),
            latent_baseline: repeat(&baseline_latent),
            firings: vec![0; runs * events],
            first_fired: vec![0; runs * events],
            outcome_state: outcome_start
                .iter()
                .copied()
                .cycle()
                .take(outcome_start.len() * runs)
                .collect(),
            record: if full { vec![0.0; runs * pairs] } else { Vec::new() },
            quantiles: Quantiles::default(),
            month_sum: vec![0.0; pairs],
            bands,
            splits: vec![0; runs],
            frustrations: vec![0.0; runs],
            fired_now: Vec::with_capacity(events),
            snapshot: Box::new([0.0; 256]),
            full,
            month: 1,
            next_run: 0,
            pairs,
            prepared,
            model,
            settings,
        }
    }

    pub fn progress(&self) -> Progress {
        Progress {
            months_done: (self.month - 1).min(self.settings.horizon),
            horizon: self.settings.horizon,
            runs_done: if self.month > self.settings.horizon {
                0
            } else {
                self.next_run
            },
            runs: self.settings.runs,
        }
    }

    /// Whether each outcome held in each run so far (runs × outcomes, run-major): the per-run
    /// indicators behind the outcome probabilities, for paired comparisons between ensembles that
    /// share their random streams.
    pub fn outcome_states(&self) -> &[bool] {
        &self.outcome_state
    }

    /// The latent scores z of every run after the last completed month (runs × pairs, run-major).
    pub fn latent(&self) -> &[f64] {
        &self.latent
    }

    /// The fan-chart bands of the months computed so far (month 0 first).
    pub fn bands(&self) -> &[PairBands] {
        &self.bands
    }

    /// Advances up to `max_runs` runs through the current month, closing the month when its last
    /// run is done. Returns where the ensemble stands.
    pub fn advance(&mut self, max_runs: usize) -> Progress {
        let horizon = self.settings.horizon;
        if self.month > horizon {
            return self.progress();
        }
        let runs = self.settings.runs;
        let end = (self.next_run + max_runs.max(1)).min(runs);
        let mut draws = self.draws.take().expect("draws are put back after every chunk");
        let month = self.month;
        match &mut draws {
            Draws::Streams { noise, events } => {
                for run in self.next_run..end {
                    self.advance_run(
                        run,
                        FromStreams {
                            noise: &mut noise[run],
                            events: &mut events[run],
                        },
                    );
                }
            }
            Draws::Tape(tape) => {
                for run in self.next_run..end {
                    self.advance_run(
                        run,
                        FromTape {
                            shocks: tape.shocks(run, month),
                            events: tape.event_draws(run, month),
                        },
                    );
                }
            }
        }
        self.draws = Some(draws);
        self.next_run = end;
        if end == runs {
            self.close_month();
            self.month += 1;
            self.next_run = 0;
        }
        self.progress()
    }

    /// Runs the whole ensemble and summarises it.
    pub fn run(model: Model, settings: Settings) -> Summary {
        let mut ensemble = Ensemble::new(model, settings);
        while !ensemble.advance(usize::MAX).is_done() {}
        ensemble.summary()
    }

    /// Steps (a)–(e) of one month for one run.
    fn advance_run(&mut self, run: usize, mut draws: impl MonthDraws) {
        let pairs = self.pairs;
        let month = self.month;
        let state = run * pairs..(run + 1) * pairs;
        // The month's snapshot, copied where the balance terms can index it without checks.
        let snapshot = &mut *self.snapshot;
        snapshot[..pairs].copy_from_slice(&self.alignment[state.clone()]);
        let snapshot = &*snapshot;
        let latent = &mut self.latent[state.clone()];
        let baseline = &mut self.latent_baseline[state.clone()];
        let prepared = &self.prepared;
        let model = &self.model;
        let event_count = model.events.len();

        // (b) Events still eligible, in file order: window, once-only, condition on the snapshot.
        // Every event draws its uniform every month, eligible or not, so that the draws of later
        // months do not depend on earlier eligibility (common random numbers stay aligned).
        self.fired_now.clear();
        for (e, event) in model.events.iter().enumerate() {
            let draw = draws.event_draw(e);
            let slot = run * event_count + e;
            let in_window = event.window.0 as usize <= month && month <= event.window.1 as usize;
            if !in_window || (!event.repeatable && self.firings[slot] > 0) {
                continue;
            }
            if !event
                .conditions
                .iter()
                .all(|c| c.comparison.holds(snapshot[c.pair], c.threshold))
            {
                continue;
            }
            if draw < prepared.hazards[e] {
                self.fired_now.push(e);
                self.firings[slot] += 1;
                if self.first_fired[slot] == 0 {
                    self.first_fired[slot] = month as u32;
                }
            }
        }

        // (c) Exact OU step toward the baseline, plus the balance pressure from the snapshot.
        let beta = model.balance;
        let per_pair = prepared.terms_per_pair;
        for p in 0..pairs {
            let m = baseline[p];
            let mut z = m + (latent[p] - m) * prepared.decay + prepared.noise[p] * draws.shock(p, &prepared.ziggurat);
            if beta != 0.0 {
                let terms = &prepared.terms[p * per_pair..(p + 1) * per_pair];
                let pressure: f64 = terms
                    .iter()
                    .map(|t| t.weight * snapshot[t.pair_ik as usize] * snapshot[t.pair_kj as usize])
                    .sum();
                z += beta * pressure;
            }
            latent[p] = z.clamp(-LATENT_LIMIT, LATENT_LIMIT);
        }

        // (d) Jumps of the events that fired, in file order, then their baseline shifts.
        for &e in &self.fired_now {
            for effect in &model.events[e].effects {
                if effect.jump != 0.0 {
                    let moved =
                        (prepared.exp.tanh(latent[effect.pair]) + effect.jump).clamp(-ALIGNMENT_CLAMP, ALIGNMENT_CLAMP);
                    latent[effect.pair] = libm::atanh(moved);
                }
                if effect.shift != 0.0 {
                    let mu = (prepared.exp.tanh(baseline[effect.pair]) + effect.shift)
                        .clamp(-ALIGNMENT_CLAMP, ALIGNMENT_CLAMP);
                    baseline[effect.pair] = libm::atanh(mu);
                }
            }
        }

        // (e) Record a = tanh z: the month's value and the next month's snapshot.
        let runs = self.settings.runs;
        let alignment = &mut self.alignment[state];
        for (a, &z) in alignment.iter_mut().zip(latent.iter()) {
            *a = self.prepared.exp.tanh(z);
        }
        if self.full {
            for (p, (&a, sum)) in alignment.iter().zip(self.month_sum.iter_mut()).enumerate() {
                self.record[p * runs + run] = a;
                *sum += a;
            }
        }

        let outcomes = &model.outcomes;
        let horizon = month == self.settings.horizon;
        for (o, outcome) in outcomes.iter().enumerate() {
            let slot = &mut self.outcome_state[run * outcomes.len() + o];
            match outcome.when {
                When::AnyMonth => *slot |= outcome.holds(alignment),
                When::EveryMonth => *slot &= outcome.holds(alignment),
                When::Horizon if horizon => *slot = outcome.holds(alignment),
                When::Horizon => {}
            }
        }
        if horizon && self.full {
            self.splits[run] = best_split(&model.weights, alignment);
            self.frustrations[run] = frustration(model.actor_count(), alignment);
        }
    }

    /// Quantiles and mean of every pair for the month just finished.
    fn close_month(&mut self) {
        if !self.full {
            return;
        }
        let runs = self.settings.runs;
        for (p, bands) in self.bands.iter_mut().enumerate() {
            bands.mean.push(self.month_sum[p] / runs as f64);
            self.month_sum[p] = 0.0;
            bands
                .quantiles
                .push(self.quantiles.of(&self.record[p * runs..(p + 1) * runs]));
        }
    }

    /// The outputs; call once [`Ensemble::advance`] reports the ensemble done.
    pub fn summary(&self) -> Summary {
        let runs = self.settings.runs;
        let horizon = self.settings.horizon;
        let outcome_count = self.model.outcomes.len();
        let outcomes = (0..outcome_count)
            .map(|o| {
                Proportion::of(
                    (0..runs).filter(|r| self.outcome_state[r * outcome_count + o]).count(),
                    runs,
                )
            })
            .collect();

        let event_count = self.model.events.len();
        let events = (0..event_count)
            .map(|e| {
                let first: Vec<u32> = (0..runs)
                    .map(|r| self.first_fired[r * event_count + e])
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
                let total_firings: u64 = (0..runs).map(|r| self.firings[r * event_count + e] as u64).sum();
                EventStats {
                    fired: Proportion::of(first.len(), runs),
                    cumulative,
                    first_month_quartiles,
                    mean_firings: total_firings as f64 / runs as f64,
                }
            })
            .collect();

        let mut masks = if self.full { self.splits.clone() } else { Vec::new() };
        masks.sort_unstable();
        let mut counts: Vec<(usize, SplitMask)> = Vec::new();
        for chunk in masks.chunk_by(|a, b| a == b) {
            counts.push((chunk.len(), chunk[0]));
        }
        counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let blocs = counts
            .into_iter()
            .take(REPORTED_SPLITS)
            .map(|(count, mask)| BlocShare {
                mask,
                share: Proportion::of(count, runs),
            })
            .collect();

        let frustration_stats = if self.full {
            FrustrationStats {
                initial: frustration(self.model.actor_count(), &self.model.initial),
                mean: mean(&self.frustrations),
                quantiles: quantiles(&self.frustrations),
            }
        } else {
            FrustrationStats {
                initial: 0.0,
                mean: 0.0,
                quantiles: [0.0; 5],
            }
        };

        Summary {
            settings: self.settings,
            pairs: if self.full { self.bands.clone() } else { Vec::new() },
            outcomes,
            events,
            blocs,
            frustration: frustration_stats,
        }
    }
}
