//! The model's numbers as the month's step reads them: the same for every run ([`Shared`]), or one
//! set per run ([`PerRun`], for propagating the uncertainty about the assumptions: each run of a
//! block has its own model, one per lane).
//!
//! Both give the step lane vectors, so the step is written once. [`Shared`] broadcasts the model's
//! scalars, which is exactly what the step computed before per-run values existed; [`PerRun`] holds
//! the values of each lane's run, computed by the very same formulas ([`Constants::of`]) from that
//! run's model. A block whose eight models are equal therefore computes the same bits either way.

use super::lanes::{Lanes, LANES};
use super::model::{pair_index, pair_list, Model};

/// One term of the balance sum of a pair (i, j): coefficient w_k / Σw times a_ik · a_kj.
#[derive(Clone, Copy, Debug)]
pub(super) struct BalanceTerm {
    /// Pair indices, below 120 (as `u8`, so a term fits in 16 bytes).
    pub pair_ik: u8,
    pub pair_kj: u8,
    pub weight: f64,
}

/// The numbers the step derives from one model.
#[derive(Clone, Debug)]
pub(super) struct Constants {
    /// e^(−θ)
    pub decay: f64,
    /// σ_p · sqrt((1 − e^(−2θ)) / (2θ)), per pair.
    pub noise: Vec<f64>,
    /// Monthly hazard of each event.
    pub hazards: Vec<f64>,
    /// Every pair has the same number of balance terms (one per third actor, n − 2): those of
    /// pair p are `terms[p * terms_per_pair..(p + 1) * terms_per_pair]`.
    pub terms_per_pair: usize,
    pub terms: Vec<BalanceTerm>,
}

impl Constants {
    pub fn of(model: &Model) -> Self {
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
        Constants {
            decay,
            noise,
            hazards,
            terms_per_pair: n.saturating_sub(2),
            terms,
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
    fn hazard(&self, event: usize) -> Lanes;
    fn in_window(&self, event: usize, month: usize) -> [bool; LANES];
    fn threshold(&self, event: usize, condition: usize) -> Lanes;
    /// The weight of balance term number `term`, which is `shared` in the ensemble's model.
    fn term_weight(&self, term: usize, shared: &BalanceTerm) -> Lanes;
    fn jump(&self, event: usize, effect: usize, lane: usize) -> f64;
    fn shift(&self, event: usize, effect: usize, lane: usize) -> f64;
    /// The capability weight of `actor` in each lane's run.
    fn weight(&self, actor: usize) -> Lanes;
}

/// Every run uses the model itself (natively; the page's worker reads [`PerRun`] only).
#[cfg(not(target_arch = "wasm32"))]
pub(super) struct Shared<'a> {
    pub model: &'a Model,
    pub constants: &'a Constants,
}

#[cfg(not(target_arch = "wasm32"))]
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
        [self.model.balance; LANES]
    }
    #[inline(always)]
    fn balance_off(&self) -> bool {
        self.model.balance == 0.0
    }
    #[inline(always)]
    fn hazard(&self, event: usize) -> Lanes {
        [self.constants.hazards[event]; LANES]
    }
    #[inline(always)]
    fn in_window(&self, event: usize, month: usize) -> [bool; LANES] {
        let (opens, closes) = self.model.events[event].window;
        [opens as usize <= month && month <= closes as usize; LANES]
    }
    #[inline(always)]
    fn threshold(&self, event: usize, condition: usize) -> Lanes {
        [self.model.events[event].conditions[condition].threshold; LANES]
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
    fn weight(&self, actor: usize) -> Lanes {
        [self.model.weights[actor]; LANES]
    }
}

/// The flat per-condition thresholds and per-effect jumps and shifts of a model, in [`Offsets`]
/// order.
fn flat_values(model: &Model) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let thresholds = model
        .events
        .iter()
        .flat_map(|e| e.conditions.iter().map(|c| c.threshold))
        .collect();
    let jumps = model
        .events
        .iter()
        .flat_map(|e| e.effects.iter().map(|f| f.jump))
        .collect();
    let shifts = model
        .events
        .iter()
        .flat_map(|e| e.effects.iter().map(|f| f.shift))
        .collect();
    (thresholds, jumps, shifts)
}

/// One block's runs, each with its own model: every value the step reads, lane by lane (the
/// command line's and the page's propagated uncertainty and Sobol designs).
#[derive(Clone, Debug)]
pub(super) struct PerRun {
    decay: Lanes,
    noise: Vec<Lanes>,
    balance: Lanes,
    balance_off: bool,
    hazards: Vec<Lanes>,
    windows: Vec<[(u32, u32); LANES]>,
    thresholds: Vec<Lanes>,
    term_weights: Vec<Lanes>,
    jumps: Vec<Lanes>,
    shifts: Vec<Lanes>,
    weights: Vec<Lanes>,
    offsets: Offsets,
}

impl PerRun {
    /// The block of `models` (one per lane; they must share the structure of the ensemble's
    /// model: actors, pairs, events with their conditions and effects on the same pairs).
    pub fn of(models: &[Model; LANES]) -> Self {
        let constants: Vec<Constants> = models.iter().map(Constants::of).collect();
        let flat: Vec<(Vec<f64>, Vec<f64>, Vec<f64>)> = models.iter().map(flat_values).collect();
        let lanes = |value: &dyn Fn(usize) -> f64| -> Lanes { core::array::from_fn(value) };
        let column = |len: usize, value: &dyn Fn(usize, usize) -> f64| -> Vec<Lanes> {
            (0..len).map(|i| lanes(&|l| value(l, i))).collect()
        };
        let first = &models[0];
        let balance = lanes(&|l| models[l].balance);
        PerRun {
            decay: lanes(&|l| constants[l].decay),
            noise: column(first.pair_count(), &|l, p| constants[l].noise[p]),
            balance,
            balance_off: balance.iter().all(|&b| b == 0.0),
            hazards: column(first.events.len(), &|l, e| constants[l].hazards[e]),
            windows: (0..first.events.len())
                .map(|e| core::array::from_fn(|l| models[l].events[e].window))
                .collect(),
            thresholds: column(flat[0].0.len(), &|l, c| flat[l].0[c]),
            term_weights: column(constants[0].terms.len(), &|l, t| constants[l].terms[t].weight),
            jumps: column(flat[0].1.len(), &|l, f| flat[l].1[f]),
            shifts: column(flat[0].2.len(), &|l, f| flat[l].2[f]),
            weights: column(first.actor_count(), &|l, i| models[l].weights[i]),
            offsets: Offsets::of(first),
        }
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
    fn hazard(&self, event: usize) -> Lanes {
        self.hazards[event]
    }
    #[inline(always)]
    fn in_window(&self, event: usize, month: usize) -> [bool; LANES] {
        let windows = &self.windows[event];
        core::array::from_fn(|l| windows[l].0 as usize <= month && month <= windows[l].1 as usize)
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
    fn weight(&self, actor: usize) -> Lanes {
        self.weights[actor]
    }
}
