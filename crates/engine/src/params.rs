//! The model's numbers as the month's step reads them: the same for every run ([`Shared`]), or one
//! set per run ([`PerRun`], for propagating the uncertainty about the assumptions: each run of a
//! block has its own model, one per lane).
//!
//! Both give the step lane vectors, so the step is written once. [`Shared`] broadcasts the model's
//! scalars, which is exactly what the step computed before per-run values existed; [`PerRun`] holds
//! the values of each lane's run, computed from that run's model by the very functions behind
//! [`Constants::of`] (`decay_and_noise_factor`, `balance_terms`, `Event::monthly_hazard`). A block
//! whose models are all equal therefore computes the same bits either way.
//!
//! The month's step is single precision: the decay, the noise scales, β and the balance terms'
//! weights are derived in double precision and rounded to single once, here; the conditions'
//! thresholds are rounded so that a single-precision comparison decides exactly what the double
//! one would. What is computed once per run (the blocs' weights) and the events' jumps and shifts
//! stay in double precision.

use super::fastmath::Tanh;
use super::lanes::{map_to, DoubleLanes, Lanes, LANES};
use super::model::{pair_index, pair_list, Model};
use super::rng::firing_threshold;

/// One term of the balance sum of a pair (i, j): coefficient w_k / Σw times a_ik · a_kj.
#[derive(Clone, Copy, Debug)]
pub(super) struct BalanceTerm {
    /// Pair indices, below 120 (as `u8`, so a term fits in 16 bytes).
    pub pair_ik: u8,
    pub pair_kj: u8,
    pub weight: f32,
}

/// The numbers the step derives from one model.
#[derive(Clone, Debug)]
pub(super) struct Constants {
    /// e^(−θ)
    pub decay: f32,
    /// σ_p · sqrt((1 − e^(−2θ)) / (2θ)), per pair.
    pub noise: Vec<f32>,
    /// β
    pub balance: f32,
    /// Per event, [`firing_threshold`] of its monthly hazard: it fires when its draw is below.
    pub firing_thresholds: Vec<u64>,
    /// Every pair has the same number of balance terms (one per third actor, n − 2): those of
    /// pair p are `terms[p * terms_per_pair..(p + 1) * terms_per_pair]`.
    pub terms_per_pair: usize,
    pub terms: Vec<BalanceTerm>,
}

impl Constants {
    pub fn of(model: &Model) -> Self {
        let n = model.actor_count();
        let (decay, noise_factor) = decay_and_noise_factor(model.half_life);
        let noise = model
            .volatility
            .iter()
            .map(|sigma| (sigma * noise_factor) as f32)
            .collect();
        let firing_thresholds = model
            .events
            .iter()
            .map(|e| firing_threshold(e.monthly_hazard()))
            .collect();
        let mut terms = Vec::new();
        balance_terms(n, &model.weights, |pair_ik, pair_kj, weight| {
            terms.push(BalanceTerm {
                pair_ik: pair_ik as u8,
                pair_kj: pair_kj as u8,
                weight: weight as f32,
            })
        });
        Constants {
            decay: decay as f32,
            noise,
            balance: model.balance as f32,
            firing_thresholds,
            terms_per_pair: n.saturating_sub(2),
            terms,
        }
    }
}

/// e^(−θ) and sqrt((1 − e^(−2θ)) / (2θ)) for θ = ln 2 / half-life: the one definition behind
/// [`Constants`] and [`PerRun`].
fn decay_and_noise_factor(half_life: f64) -> (f64, f64) {
    let theta = core::f64::consts::LN_2 / half_life;
    let decay = libm::exp(-theta);
    let noise_factor = ((1.0 - libm::exp(-2.0 * theta)) / (2.0 * theta)).sqrt();
    (decay, noise_factor)
}

/// Each balance term (pair i–k, pair k–j, w_k / Σ w over the actors other than i and j), pair by
/// pair in [`pair_list`] order and by third actor k within a pair: the one definition behind
/// [`Constants`] and [`PerRun`].
fn balance_terms(n: usize, weights: &[f64], mut term: impl FnMut(usize, usize, f64)) {
    for (i, j) in pair_list(n) {
        let others = (0..n).filter(|&k| k != i && k != j);
        let total: f64 = others.clone().map(|k| weights[k]).sum();
        for k in others {
            // Weights are positive in any valid scenario; a zero total means no pressure.
            let weight = if total > 0.0 { weights[k] / total } else { 0.0 };
            term(pair_index(n, i, k), pair_index(n, k, j), weight);
        }
    }
}

/// Where each event's conditions and effects start in [`PerRun`]'s flat per-condition and
/// per-effect lists.
#[derive(Clone, Debug, Default)]
struct Offsets {
    conditions: Vec<usize>,
    effects: Vec<usize>,
}

impl Offsets {
    fn of(model: &Model) -> Self {
        let starts = |sizes: &mut dyn Iterator<Item = usize>| {
            let mut next = 0;
            sizes
                .map(|size| {
                    let start = next;
                    next += size;
                    start
                })
                .collect()
        };
        Offsets {
            conditions: starts(&mut model.events.iter().map(|e| e.conditions.len())),
            effects: starts(&mut model.events.iter().map(|e| e.effects.len())),
        }
    }
}

/// What the month's step reads, lane by lane. `condition` and `effect` count within their event;
/// `term` is `pair * terms_per_pair + t`.
pub(super) trait StepParams {
    /// Every lane has the same values (the step may then test a window once for the block).
    const SAME_IN_EVERY_LANE: bool;
    fn decay(&self) -> Lanes;
    fn noise(&self, pair: usize) -> Lanes;
    fn balance(&self) -> Lanes;
    /// β is 0 in every lane: the balance term is skipped.
    fn balance_off(&self) -> bool;
    fn firing_threshold(&self, event: usize) -> [u64; LANES];
    fn in_window(&self, event: usize, month: usize) -> [bool; LANES];
    /// The condition's threshold as its comparison reads it in single precision
    /// ([`crate::Comparison::single_threshold`]).
    fn threshold(&self, event: usize, condition: usize) -> Lanes;
    /// The weight of balance term number `term`, which is `shared` in the ensemble's model.
    fn term_weight(&self, term: usize, shared: &BalanceTerm) -> Lanes;
    fn jump(&self, event: usize, effect: usize, lane: usize) -> f64;
    fn shift(&self, event: usize, effect: usize, lane: usize) -> f64;
    /// The capability weight of `actor` in each lane's run.
    fn weight(&self, actor: usize) -> DoubleLanes;
}

/// Every run uses the model itself.
pub(super) struct Shared<'a> {
    pub model: &'a Model,
    pub constants: &'a Constants,
}

impl StepParams for Shared<'_> {
    const SAME_IN_EVERY_LANE: bool = true;
    #[inline(always)]
    fn decay(&self) -> Lanes {
        [self.constants.decay; LANES]
    }
    #[inline(always)]
    fn noise(&self, pair: usize) -> Lanes {
        [self.constants.noise[pair]; LANES]
    }
    #[inline(always)]
    fn balance(&self) -> Lanes {
        [self.constants.balance; LANES]
    }
    #[inline(always)]
    fn balance_off(&self) -> bool {
        self.model.balance == 0.0
    }
    #[inline(always)]
    fn firing_threshold(&self, event: usize) -> [u64; LANES] {
        [self.constants.firing_thresholds[event]; LANES]
    }
    #[inline(always)]
    fn in_window(&self, event: usize, month: usize) -> [bool; LANES] {
        let (opens, closes) = self.model.events[event].window;
        [opens as usize <= month && month <= closes as usize; LANES]
    }
    #[inline(always)]
    fn threshold(&self, event: usize, condition: usize) -> Lanes {
        let condition = &self.model.events[event].conditions[condition];
        [condition.comparison.single_threshold(condition.threshold); LANES]
    }
    #[inline(always)]
    fn term_weight(&self, _term: usize, shared: &BalanceTerm) -> Lanes {
        [shared.weight; LANES]
    }
    #[inline(always)]
    fn jump(&self, event: usize, effect: usize, _lane: usize) -> f64 {
        self.model.events[event].effects[effect].jump
    }
    #[inline(always)]
    fn shift(&self, event: usize, effect: usize, _lane: usize) -> f64 {
        self.model.events[event].effects[effect].shift
    }
    #[inline(always)]
    fn weight(&self, actor: usize) -> DoubleLanes {
        [self.model.weights[actor]; LANES]
    }
}

/// One block's runs, each with its own model: every value the step reads, lane by lane (the
/// command line's and the page's propagated uncertainty and Sobol designs).
#[derive(Clone, Debug)]
pub(super) struct PerRun {
    decay: Lanes,
    noise: Vec<Lanes>,
    balance: Lanes,
    balance_off: bool,
    firing_thresholds: Vec<[u64; LANES]>,
    /// Per event, the first and the last month of its window in each lane (two arrays rather
    /// than pairs, so that the window test is one vector comparison each).
    opens: Vec<[u32; LANES]>,
    closes: Vec<[u32; LANES]>,
    thresholds: Vec<Lanes>,
    term_weights: Vec<Lanes>,
    jumps: Vec<DoubleLanes>,
    shifts: Vec<DoubleLanes>,
    weights: Vec<DoubleLanes>,
    offsets: Offsets,
}

impl PerRun {
    /// The block of `models` (one per lane; they must share the structure of the ensemble's
    /// model: actors, pairs, events with their conditions and effects on the same pairs), with
    /// what each lane's model derives already in `derived` (brought up to date with
    /// [`Derived::update_step`]).
    pub fn of_derived(models: &[Model; LANES], derived: &[Derived]) -> Self {
        let first = &models[0];
        let (n, pairs, events) = (first.actor_count(), first.pair_count(), first.events.len());
        let mut decay = [0.0; LANES];
        let mut noise = vec![[0.0; LANES]; pairs];
        let mut firing_thresholds = vec![[0; LANES]; events];
        let mut term_weights = vec![[0.0; LANES]; pairs * n.saturating_sub(2)];
        let conditions: usize = first.events.iter().map(|e| e.conditions.len()).sum();
        let effects: usize = first.events.iter().map(|e| e.effects.len()).sum();
        let mut thresholds = vec![[0.0; LANES]; conditions];
        let mut jumps = vec![[0.0; LANES]; effects];
        let mut shifts = vec![[0.0; LANES]; effects];
        let mut balance = [0.0; LANES];
        let mut opens = vec![[0; LANES]; events];
        let mut closes = vec![[0; LANES]; events];
        let mut weights = vec![[0.0; LANES]; n];
        // Lane by lane, by the formulas of `Constants::of`, written straight into the lanes: a
        // Sobol design builds one block per sixteen runs, and allocating each run's constants took
        // about a tenth of its time (`perf`: `Constants::of` 5.4 %, `malloc`/`free` 5.3 %).
        for ((l, model), derived) in models.iter().enumerate().zip(derived) {
            decay[l] = derived.decay as f32;
            balance[l] = model.balance as f32;
            for (lanes, &weight) in weights.iter_mut().zip(&model.weights) {
                lanes[l] = weight;
            }
            for (lanes, sigma) in noise.iter_mut().zip(&model.volatility) {
                lanes[l] = (sigma * derived.noise_factor) as f32;
            }
            for (lanes, &threshold) in firing_thresholds.iter_mut().zip(&derived.firing_thresholds) {
                lanes[l] = threshold;
            }
            for (lanes, &weight) in term_weights.iter_mut().zip(&derived.term_weights) {
                lanes[l] = weight as f32;
            }
            // Conditions and effects in `Offsets` order: event by event, in their event's order.
            let (mut c, mut f) = (0, 0);
            for (e, event) in model.events.iter().enumerate() {
                (opens[e][l], closes[e][l]) = event.window;
                for condition in &event.conditions {
                    thresholds[c][l] = condition.comparison.single_threshold(condition.threshold);
                    c += 1;
                }
                for effect in &event.effects {
                    jumps[f][l] = effect.jump;
                    shifts[f][l] = effect.shift;
                    f += 1;
                }
            }
        }
        PerRun {
            decay,
            noise,
            balance,
            balance_off: balance.iter().all(|&b| b == 0.0),
            firing_thresholds,
            opens,
            closes,
            thresholds,
            term_weights,
            jumps,
            shifts,
            weights,
            offsets: Offsets::of(first),
        }
    }
}

/// What one run's model derives through libm's slower functions (the OU step's decay and noise
/// scale, the events' firing thresholds, the balance terms' weights, the latent start and
/// baseline), each kept with the bits of the values it came from. [`Derived::update_step`] and
/// [`Derived::update_start`] recompute only what comes from values that changed, by the functions
/// behind [`Constants::of`], so what they hold is always what a fresh derivation gives: keeping
/// one per run from one ensemble to the next ([`RunCache`]) changes the work, never a number.
#[derive(Clone, Debug, Default)]
pub(super) struct Derived {
    half_life: Option<u64>,
    pub decay: f64,
    pub noise_factor: f64,
    weights: Option<Vec<u64>>,
    pub term_weights: Vec<f64>,
    /// Per event, the bits of its rate and whether it repeats (what its monthly hazard reads).
    hazards: Vec<Option<(u64, bool)>>,
    pub firing_thresholds: Vec<u64>,
    initial: Vec<Option<u64>>,
    /// atanh a₀ rounded to single precision, and its tanh: the state a run starts from.
    pub initial_latent: Vec<f32>,
    pub initial_alignment: Vec<f32>,
    baseline: Vec<Option<u64>>,
    pub baseline_latent: Vec<f32>,
}

/// Each value's bits (equal bits give equal results; ±0 and NaNs are simply told apart).
fn bits(values: &[f64]) -> impl Iterator<Item = u64> + '_ {
    values.iter().map(|v| v.to_bits())
}

impl Derived {
    /// Brings the month step's numbers up to date with `model`.
    pub fn update_step(&mut self, model: &Model) {
        let half_life = Some(model.half_life.to_bits());
        if self.half_life != half_life {
            (self.decay, self.noise_factor) = decay_and_noise_factor(model.half_life);
            self.half_life = half_life;
        }
        if !self
            .weights
            .as_ref()
            .is_some_and(|w| w.iter().copied().eq(bits(&model.weights)))
        {
            self.term_weights.clear();
            balance_terms(model.actor_count(), &model.weights, |_, _, weight| {
                self.term_weights.push(weight)
            });
            self.weights = Some(bits(&model.weights).collect());
        }
        let events = model.events.len();
        if self.hazards.len() != events {
            self.hazards = vec![None; events];
            self.firing_thresholds = vec![0; events];
        }
        for ((key, threshold), event) in self
            .hazards
            .iter_mut()
            .zip(&mut self.firing_thresholds)
            .zip(&model.events)
        {
            // `Event::monthly_hazard` reads these two alone.
            let now = Some((event.per_year.to_bits(), event.repeatable));
            if *key != now {
                *threshold = firing_threshold(event.monthly_hazard());
                *key = now;
            }
        }
    }

    /// Brings the runs' starting state up to date with `model`: a = tanh(atanh a₀) at month 0, as
    /// an ensemble of one model starts.
    pub fn update_start(&mut self, model: &Model, tanh: &Tanh) {
        let pairs = model.initial.len();
        if self.initial.len() != pairs {
            self.initial = vec![None; pairs];
            self.initial_latent = vec![0.0; pairs];
            self.initial_alignment = vec![0.0; pairs];
            self.baseline = vec![None; pairs];
            self.baseline_latent = vec![0.0; pairs];
        }
        for p in 0..pairs {
            let initial = Some(model.initial[p].to_bits());
            if self.initial[p] != initial {
                self.initial_latent[p] = libm::atanh(model.initial[p]) as f32;
                self.initial_alignment[p] = tanh.of_one(self.initial_latent[p]);
                self.initial[p] = initial;
            }
            let baseline = Some(model.baseline[p].to_bits());
            if self.baseline[p] != baseline {
                self.baseline_latent[p] = libm::atanh(model.baseline[p]) as f32;
                self.baseline[p] = baseline;
            }
        }
    }
}

/// What the runs' models derived (`Derived`), kept by run number from one ensemble to the next.
/// The matrices of a Sobol design share their run numbers, and every row of a matrix AB_g differs
/// from the same row of A in one factor: with a cache, an ensemble of such rows derives only what
/// that factor changes (the slow functions were about a sixth of a Sobol design's work). Any
/// ensemble may use any cache: a stale entry is recomputed, never read.
#[derive(Clone, Debug, Default)]
pub struct RunCache {
    runs: Vec<Derived>,
}

impl RunCache {
    /// Ensembles of more runs than this do not keep their runs' derivations (a few kilobytes a
    /// run): they derive lane by lane as without a cache.
    pub const MAX_RUNS: usize = 20_000;

    /// The entries of the runs of block `block` (created as needed).
    pub(super) fn block(&mut self, block: usize) -> &mut [Derived] {
        let end = (block + 1) * LANES;
        if self.runs.len() < end {
            self.runs.resize_with(end, Derived::default);
        }
        &mut self.runs[block * LANES..end]
    }
}

impl StepParams for &PerRun {
    const SAME_IN_EVERY_LANE: bool = false;
    #[inline(always)]
    fn decay(&self) -> Lanes {
        self.decay
    }
    #[inline(always)]
    fn noise(&self, pair: usize) -> Lanes {
        self.noise[pair]
    }
    #[inline(always)]
    fn balance(&self) -> Lanes {
        self.balance
    }
    #[inline(always)]
    fn balance_off(&self) -> bool {
        self.balance_off
    }
    #[inline(always)]
    fn firing_threshold(&self, event: usize) -> [u64; LANES] {
        self.firing_thresholds[event]
    }
    #[inline(always)]
    fn in_window(&self, event: usize, month: usize) -> [bool; LANES] {
        let (opens, closes) = (&self.opens[event], &self.closes[event]);
        // Months and windows are far below u32::MAX (the horizon is at most 240).
        let month = month as u32;
        map_to(|l| (opens[l] <= month) & (month <= closes[l]))
    }
    #[inline(always)]
    fn threshold(&self, event: usize, condition: usize) -> Lanes {
        self.thresholds[self.offsets.conditions[event] + condition]
    }
    #[inline(always)]
    fn term_weight(&self, term: usize, _shared: &BalanceTerm) -> Lanes {
        self.term_weights[term]
    }
    #[inline(always)]
    fn jump(&self, event: usize, effect: usize, lane: usize) -> f64 {
        self.jumps[self.offsets.effects[event] + effect][lane]
    }
    #[inline(always)]
    fn shift(&self, event: usize, effect: usize, lane: usize) -> f64 {
        self.shifts[self.offsets.effects[event] + effect][lane]
    }
    #[inline(always)]
    fn weight(&self, actor: usize) -> DoubleLanes {
        self.weights[actor]
    }
}
