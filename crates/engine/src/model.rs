//! The model's inputs as plain numbers: what the engine needs, nothing about files or the web.

use serde::{Deserialize, Serialize};

/// Index of the unordered pair (i, j), i ≠ j, among `n` actors, in the order
/// (0,1), (0,2), …, (0,n−1), (1,2), …: the order every per-pair vector uses.
pub fn pair_index(n: usize, i: usize, j: usize) -> usize {
    debug_assert!(i != j && i < n && j < n);
    let (i, j) = if i < j { (i, j) } else { (j, i) };
    i * (2 * n - i - 1) / 2 + (j - i - 1)
}

/// The actors (i, j), i < j, of pair number `pair` among `n` actors: the inverse of [`pair_index`].
pub fn pair_actors(n: usize, pair: usize) -> (usize, usize) {
    let mut first = pair;
    for i in 0..n {
        let row = n - i - 1;
        if first < row {
            return (i, i + 1 + first);
        }
        first -= row;
    }
    panic!("pair {pair} of {n} actors does not exist")
}

/// The actor indices of every pair, in [`pair_index`] order.
pub fn pair_list(n: usize) -> Vec<(usize, usize)> {
    let mut pairs = Vec::with_capacity(n * n.saturating_sub(1) / 2);
    for i in 0..n {
        for j in i + 1..n {
            pairs.push((i, j));
        }
    }
    pairs
}

/// Comparison used by event conditions and outcomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Comparison {
    #[serde(rename = ">")]
    Above,
    #[serde(rename = "<")]
    Below,
}

impl Comparison {
    pub fn holds(self, left: f64, right: f64) -> bool {
        match self {
            Comparison::Above => left > right,
            Comparison::Below => left < right,
        }
    }

    /// The single-precision threshold against which [`Comparison::holds_single`] decides, for a
    /// single-precision `left`, exactly what [`Comparison::holds`] decides against `level`: the
    /// smallest single at least `level` for "below" (no single lies between the two, so a single
    /// is below one exactly when it is below the other), the largest at most it for "above".
    /// Not inlined: the month's step asks once per test and block, and each inlined copy of its
    /// rounding was a few hundred bytes of the page's bundle.
    #[inline(never)]
    pub fn single_threshold(self, level: f64) -> f32 {
        match self {
            Comparison::Above => crate::lanes::single_at_most(level),
            Comparison::Below => crate::lanes::single_at_least(level),
        }
    }

    /// [`Comparison::holds`] in single precision.
    #[inline(always)]
    pub fn holds_single(self, left: f32, right: f32) -> bool {
        match self {
            Comparison::Above => left > right,
            Comparison::Below => left < right,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Above => ">",
            Comparison::Below => "<",
        }
    }
}

impl std::str::FromStr for Comparison {
    type Err = ();

    /// The inverse of [`Comparison::symbol`].
    fn from_str(text: &str) -> Result<Self, ()> {
        [Comparison::Above, Comparison::Below]
            .into_iter()
            .find(|c| c.symbol() == text)
            .ok_or(())
    }
}

/// "Only while a(pair) ⋚ threshold", evaluated on the month's snapshot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub pair: usize,
    pub comparison: Comparison,
    pub threshold: f64,
}

/// What an event does to one pair when it fires.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Effect {
    pub pair: usize,
    /// Added to the alignment a (then mapped back to latent space, clamped to ±0.995).
    pub jump: f64,
    /// Added to the baseline μ for the rest of the run (clamped to ±0.995).
    pub shift: f64,
}

/// A discrete event: how often it may fire, when, under which conditions, and what it does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Once-only events: the probability of firing within one year while eligible, in [0, 1].
    /// Repeatable events: the expected number of firings per year while eligible (a rate ≥ 0), so
    /// that no slider value means "every month".
    pub per_year: f64,
    /// First and last month (1-based, inclusive) in which it may fire.
    pub window: (u32, u32),
    /// May fire again after it has fired once.
    pub repeatable: bool,
    /// All must hold on the snapshot for the event to be eligible.
    pub conditions: Vec<Condition>,
    /// Events (by index) that must each have fired in an earlier month for this one to be eligible.
    pub after: Vec<usize>,
    /// Events (by index) any of which, once fired in an earlier month, makes this one ineligible.
    pub unless: Vec<usize>,
    /// Fires in exactly this month in every run, whatever its chance, window and conditions (an
    /// event marked as having happened then, or dated by the file); a once-only event then fires
    /// in no other month.
    pub certain_month: Option<u32>,
    pub effects: Vec<Effect>,
}

impl Event {
    /// Monthly hazard: 1 − (1 − P)^(1/12) for a once-only event (P within a year), 1 − e^(−λ/12)
    /// for a repeatable one (a Poisson rate λ per year, at most one firing counted per month).
    pub fn monthly_hazard(&self) -> f64 {
        if self.repeatable {
            -libm::expm1(-self.per_year.max(0.0) / 12.0)
        } else {
            let p = self.per_year.clamp(0.0, 1.0);
            1.0 - libm::pow(1.0 - p, 1.0 / 12.0)
        }
    }
}

/// When an outcome's test is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum When {
    /// At the horizon month T only.
    Horizon,
    /// In at least one of the months 1..=T.
    AnyMonth,
    /// In every one of the months 1..=T.
    EveryMonth,
}

impl When {
    /// The word scenario files use.
    pub fn keyword(self) -> &'static str {
        match self {
            When::Horizon => "horizon",
            When::AnyMonth => "any_month",
            When::EveryMonth => "every_month",
        }
    }
}

impl std::str::FromStr for When {
    type Err = ();

    /// The inverse of [`When::keyword`].
    fn from_str(text: &str) -> Result<Self, ()> {
        [When::Horizon, When::AnyMonth, When::EveryMonth]
            .into_iter()
            .find(|w| w.keyword() == text)
            .ok_or(())
    }
}

/// The right-hand side of an outcome's comparison.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reference {
    /// A fixed alignment level.
    Level(f64),
    /// The alignment of another pair in the same month.
    Pair(usize),
}

/// One comparison of a month's alignments: "a(pair) ⋚ reference".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Test {
    pub pair: usize,
    pub comparison: Comparison,
    pub reference: Reference,
}

impl Test {
    /// Whether the comparison holds for one month's alignments (indexed by pair).
    pub fn holds(&self, alignments: &[f64]) -> bool {
        let right = match self.reference {
            Reference::Level(level) => level,
            Reference::Pair(pair) => alignments[pair],
        };
        self.comparison.holds(alignments[self.pair], right)
    }
}

/// How an outcome's tests combine within one month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Join {
    /// Every test holds (also the join of a single test).
    All,
    /// At least one test holds.
    Any,
}

/// A yes/no question asked of every run: its tests, joined within a month, at the time(s) `when`
/// (so "every month, A and B" asks that both hold in the same months).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// At least one; the first names the outcome's main pair.
    pub tests: Vec<Test>,
    pub join: Join,
    pub when: When,
}

impl Outcome {
    /// An outcome of one test.
    pub fn single(pair: usize, comparison: Comparison, reference: Reference, when: When) -> Self {
        Outcome {
            tests: vec![Test {
                pair,
                comparison,
                reference,
            }],
            join: Join::All,
            when,
        }
    }

    /// The pair of its first test: the pair a chart of this outcome shows.
    pub fn main_pair(&self) -> usize {
        self.tests[0].pair
    }

    /// Whether the joined tests hold for one month's alignments (indexed by pair).
    pub fn holds(&self, alignments: &[f64]) -> bool {
        match self.join {
            Join::All => self.tests.iter().all(|t| t.holds(alignments)),
            Join::Any => self.tests.iter().any(|t| t.holds(alignments)),
        }
    }
}

/// Every input of the model of DESIGN.md §3, as numbers. Built from a scenario and the
/// user's slider values; per-pair vectors are in [`pair_index`] order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// Capability weight w_i > 0 of each actor.
    pub weights: Vec<f64>,
    /// Alignment a⁰ at month 0, in (−1, 1).
    pub initial: Vec<f64>,
    /// Baseline μ the pair reverts to, in (−1, 1).
    pub baseline: Vec<f64>,
    /// Latent volatility σ per month, ≥ 0.
    pub volatility: Vec<f64>,
    /// Months for a deviation from the baseline to halve (θ = ln 2 / half-life).
    pub half_life: f64,
    /// Strength β of the balance (Heider) pressure; 0 switches it off.
    pub balance: f64,
    pub events: Vec<Event>,
    pub outcomes: Vec<Outcome>,
}

impl Model {
    pub fn actor_count(&self) -> usize {
        self.weights.len()
    }

    pub fn pair_count(&self) -> usize {
        self.initial.len()
    }

    /// The events whose effect sizes (jumps and baseline shifts) are all that tell `other` from
    /// this model, or `None` if the two differ in anything else. On the same random stream, a run
    /// in which none of those events fires takes the same steps with either model: an effect's
    /// size is read only when its event fires. Numbers compare as numbers (−0 equals +0).
    pub fn differs_only_in_effects_of(&self, other: &Model) -> Option<Vec<usize>> {
        if self.events.len() != other.events.len() {
            return None;
        }
        let mut with_these_effects = other.clone();
        let mut events = Vec::new();
        for (e, (mine, theirs)) in self.events.iter().zip(&mut with_these_effects.events).enumerate() {
            if mine.effects.len() != theirs.effects.len() {
                return None;
            }
            if mine.effects != theirs.effects {
                events.push(e);
            }
            for (m, t) in mine.effects.iter().zip(&mut theirs.effects) {
                (t.jump, t.shift) = (m.jump, m.shift);
            }
        }
        (with_these_effects == *self).then_some(events)
    }
}

/// How many runs, how many months, and from which seed: not assumptions, but part of the link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub seed: u64,
    pub runs: usize,
    pub horizon: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_threshold_decides_as_the_double_level() {
        // Levels of every kind (singles, their neighbours in double precision, random doubles),
        // and for each, the singles around it: the single-precision test agrees with the double
        // one on every single.
        let mut state = 3u64;
        let mut next = || {
            state = crate::rng::splitmix64(&mut state);
            state
        };
        for i in 0..20_000 {
            let random = 2.0 * (next() >> 11) as f64 / 2f64.powi(53) - 1.0;
            let single = f64::from(random as f32);
            let level = match i % 4 {
                0 => random,
                1 => single,
                2 => single.next_up(),
                _ => single.next_down(),
            };
            let near = level as f32;
            let mut lefts = vec![near, -near, 0.0, -0.0, 1.0, -1.0];
            let (mut up, mut down) = (near, near);
            for _ in 0..3 {
                up = up.next_up();
                down = down.next_down();
                lefts.extend([up, down]);
            }
            for comparison in [Comparison::Above, Comparison::Below] {
                let threshold = comparison.single_threshold(level);
                for &left in &lefts {
                    assert_eq!(
                        comparison.holds_single(left, threshold),
                        comparison.holds(f64::from(left), level),
                        "{left} {comparison:?} {level}"
                    );
                }
            }
        }
    }

    #[test]
    fn pair_actors_inverts_pair_index() {
        for n in 2..=16 {
            for (p, (i, j)) in pair_list(n).into_iter().enumerate() {
                assert_eq!(pair_index(n, i, j), p);
                assert_eq!(pair_actors(n, p), (i, j));
            }
        }
    }
}
