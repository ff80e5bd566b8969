//! What one ensemble reports: everything the page draws and the command line prints.

use serde::{Deserialize, Serialize};

use super::blocs::SplitMask;
use super::model::Settings;
use super::stats::proportion_std_error;

/// A share of runs with its Monte Carlo standard error sqrt(p(1 − p)/N).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Proportion {
    pub probability: f64,
    pub std_error: f64,
    /// Runs counted in the numerator.
    pub count: usize,
}

impl Proportion {
    pub fn of(count: usize, runs: usize) -> Self {
        let probability = if runs == 0 { 0.0 } else { count as f64 / runs as f64 };
        Proportion {
            probability,
            std_error: proportion_std_error(probability, runs),
            count,
        }
    }
}

/// The fan chart of one pair: for each month 0..=T, the quantiles 5/25/50/75/95 and the mean of a.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PairBands {
    pub quantiles: Vec<[f64; 5]>,
    pub mean: Vec<f64>,
}

/// How often and when an event fired.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventStats {
    /// Share of runs in which it fired at least once by the horizon.
    pub fired: Proportion,
    /// Share of runs in which it had fired by month t, for t = 0..=T.
    pub cumulative: Vec<f64>,
    /// Quartiles (25/50/75 %) of the month it first fired, over the runs where it fired.
    pub first_month_quartiles: Option<[f64; 3]>,
    /// Mean number of times it fired per run (above 1 only for repeatable events).
    pub mean_firings: f64,
}

/// One two-bloc split and the share of runs whose horizon state it fits best.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BlocShare {
    /// Bit i set: actor i on the second side (actor 0 is always on the first).
    pub mask: SplitMask,
    pub share: Proportion,
}

/// Frustration of the triads (0 balanced … 1 all unbalanced).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FrustrationStats {
    /// At month 0 (the same in every run).
    pub initial: f64,
    /// Mean over runs at the horizon.
    pub mean: f64,
    /// Quantiles 5/25/50/75/95 over runs at the horizon.
    pub quantiles: [f64; 5],
}

/// All outputs of one ensemble of N runs over months 0..=T.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub settings: Settings,
    /// Per pair, in pair-index order.
    pub pairs: Vec<PairBands>,
    /// Per outcome of the scenario, in file order.
    pub outcomes: Vec<Proportion>,
    /// Per event of the scenario, in file order.
    pub events: Vec<EventStats>,
    /// The most frequent splits at the horizon, most frequent first (ties: smaller mask first).
    pub blocs: Vec<BlocShare>,
    /// `None` for an outcomes-only ensemble, which does not follow the alignments it would need.
    pub frustration: Option<FrustrationStats>,
    /// Per pair, the path without noise or events, months 0..=T ([`super::Ensemble::drift_path`]);
    /// empty for an outcomes-only ensemble.
    pub drift: Vec<Vec<f64>>,
}

/// How many of the most frequent bloc splits a summary keeps.
pub const REPORTED_SPLITS: usize = 6;
