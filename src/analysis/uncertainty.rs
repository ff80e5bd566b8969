//! Uncertainty about the assumptions, propagated: each run draws every assumption from its
//! plausible range, so the ensemble's spread holds both the model's own noise and what we do not
//! know about its inputs ("over what we don't know"), beside the ensemble at the given values ("at
//! these values").
//!
//! **Distributions, by confidence.** The plausible range [lo, hi] says what the modeller would not
//! be surprised by; how the values inside it are weighted follows the stated confidence:
//! - `high` and `medium`: triangular on [lo, hi] with its mode at the assumption's current value
//!   (values near the stated one are likelier; the built-in files already make the range narrow for
//!   high confidence and middling for medium);
//! - `low`: uniform on [lo, hi] (the evidence does not favour any value in the range).
//!
//! The current value is the default, a view's value or a `--set` one. When it lies outside the
//! plausible range (a user may set any slider value), the range is widened to reach it, so the
//! triangle's mode stays inside. An assumption whose file gives no plausible range uses its whole
//! slider range, as [`crate::scenario::Assumption::plausible_or_range`] does; commands say which.
//! Months (event windows) are drawn like any number and rounded by the model, as a slider value
//! is; a drawn window that closes before it opens lets its event fire in no month of that run.
//!
//! **Random streams.** Run r draws its assumptions, in assumption order, one uniform each, from its
//! own stream: stream r of the key [`assumption_key`] derived from the seed with SplitMix64. The
//! runs' shock and event streams are those of the plain ensemble, so the two ensembles are on
//! common random numbers, and with every plausible range collapsed to its value a run computes
//! exactly what it computes at these values.

use serde::{Deserialize, Serialize};

use crate::engine::{splitmix64, Model, RunRng};
use crate::scenario::{Assumption, Confidence, Scenario};

/// How an assumption's plausible range is weighted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Spread {
    /// Triangular, mode at the current value.
    Triangular,
    /// Uniform on the range.
    Uniform,
}

impl Spread {
    pub fn for_confidence(confidence: Confidence) -> Self {
        match confidence {
            Confidence::High | Confidence::Medium => Spread::Triangular,
            Confidence::Low => Spread::Uniform,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Spread::Triangular => "triangular",
            Spread::Uniform => "uniform",
        }
    }
}

/// The value at quantile `u` ∈ [0, 1) of the distribution on [lo, hi] (mode `mode` for the
/// triangle): the inverse of its distribution function. A collapsed range gives `lo` itself.
pub fn quantile(spread: Spread, lo: f64, hi: f64, mode: f64, u: f64) -> f64 {
    if lo >= hi {
        return lo;
    }
    let width = hi - lo;
    match spread {
        Spread::Uniform => lo + u * width,
        Spread::Triangular => {
            let below = (mode - lo) / width;
            if u < below {
                lo + (u * width * (mode - lo)).sqrt()
            } else {
                hi - ((1.0 - u) * width * (hi - mode)).sqrt()
            }
        }
    }
}

/// The range an assumption's value is drawn from: its plausible range (or slider range when the
/// file gives none) widened to include `value`.
pub fn draw_range(assumption: &Assumption, value: f64) -> (f64, f64) {
    let (lo, hi) = assumption.plausible_or_range();
    (lo.min(value), hi.max(value))
}

/// The key of the assumption streams of `seed` (distinct from the seed the noise streams use).
pub fn assumption_key(seed: u64) -> u64 {
    // A fixed odd constant, so that the key differs from the seed's own SplitMix64 base.
    let mut state = seed ^ 0xA55E_55ED_0F0A_55E5;
    splitmix64(&mut state)
}

/// One assumption's distribution: its spread over [lo, hi] with the mode at the current value.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draw {
    pub spread: Spread,
    pub lo: f64,
    pub hi: f64,
    pub mode: f64,
}

impl Draw {
    pub fn of(assumption: &Assumption, value: f64) -> Self {
        let (lo, hi) = draw_range(assumption, value);
        Draw {
            spread: Spread::for_confidence(assumption.confidence),
            lo,
            hi,
            mode: value,
        }
    }

    /// The value at quantile `u`.
    pub fn at(&self, u: f64) -> f64 {
        quantile(self.spread, self.lo, self.hi, self.mode, u)
    }
}

/// Every assumption's distribution around `values` (one per assumption).
pub fn draws(scenario: &Scenario, values: &[f64]) -> Vec<Draw> {
    scenario
        .assumptions
        .iter()
        .zip(values)
        .map(|(assumption, &value)| Draw::of(assumption, value))
        .collect()
}

/// Run `run`'s values of every assumption: one uniform each, in assumption order, from stream
/// `run` of `key`.
pub fn values_of_run(draws: &[Draw], key: u64, run: u64) -> Vec<f64> {
    let mut values = vec![0.0; draws.len()];
    fill_values_of_run(draws, key, run, &mut values);
    values
}

/// [`values_of_run`] written into `values` (one per draw).
pub fn fill_values_of_run(draws: &[Draw], key: u64, run: u64, values: &mut [f64]) {
    let mut rng = RunRng::new(key, run);
    for (value, draw) in values.iter_mut().zip(draws) {
        *value = draw.at(rng.uniform());
    }
}

/// Run `run`'s values of every assumption, drawn around `values` (one per assumption).
pub fn run_values(scenario: &Scenario, values: &[f64], key: u64, run: u64) -> Vec<f64> {
    values_of_run(&draws(scenario, values), key, run)
}

/// Run `run`'s model ([`run_values`] through [`Scenario::model`]).
pub fn run_model(scenario: &Scenario, values: &[f64], key: u64, run: u64) -> Model {
    scenario.model(&run_values(scenario, values, key, run))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The distribution functions by hand: uniform F(x) = (x − lo)/(hi − lo); triangle on [0, 4]
    /// with mode 1: F(x) = x²/4 for x ≤ 1 (F(1) = 1/4), 1 − (4 − x)²/12 above.
    #[test]
    fn quantiles_invert_the_distribution_functions() {
        assert_eq!(quantile(Spread::Uniform, 2.0, 6.0, 3.0, 0.25), 3.0);
        let tri = |u| quantile(Spread::Triangular, 0.0, 4.0, 1.0, u);
        for x in [0.0, 0.3, 1.0, 2.5, 3.9] {
            let f: f64 = if x <= 1.0 {
                x * x / 4.0
            } else {
                1.0 - (4.0 - x) * (4.0 - x) / 12.0
            };
            assert!((tri(f) - x).abs() < 1e-12, "x = {x}");
        }
        // The mean of a triangle is (lo + mode + hi)/3; of the uniform, the midpoint.
        let n = 200_000;
        let mean = (0..n).map(|i| tri((i as f64 + 0.5) / n as f64)).sum::<f64>() / n as f64;
        assert!((mean - 5.0 / 3.0).abs() < 1e-6, "{mean}");
        // A collapsed range is the value itself, bit for bit.
        assert_eq!(quantile(Spread::Triangular, 0.3, 0.3, 0.3, 0.999), 0.3);
        assert_eq!(quantile(Spread::Uniform, 0.1, 0.1, 0.1, 0.5), 0.1);
    }

    #[test]
    fn the_key_is_not_the_seed() {
        assert_ne!(assumption_key(1), 1);
        assert_ne!(assumption_key(1), assumption_key(2));
    }
}
