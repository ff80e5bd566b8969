//! Without this source: drop one source and see what changes. Every assumption that rests on that
//! source alone (besides judgement, which sets the exact number) falls back to the value its file
//! states for that case (`without = …`: an event's probability 0, the data prior, …); the rest stay
//! as they are. Both states run on the same random draws (common random numbers), so each
//! outcome's change carries a paired standard error.
//!
//! An assumption rests on the sources its value is derived from ([`super::sobol::resting_sources`]:
//! citations "for reference only" do not count). It rests on source S *alone* when S is among them
//! and every other one is a judgement source. An assumption that rests on S alone but states no
//! `without` value keeps its value, and is listed so that a reader sees what was not dropped.

use super::sobol::resting_sources;
use crate::scenario::{Scenario, SourceKind};

/// What dropping one source does to the values.
#[derive(Clone, Debug, PartialEq)]
pub struct Ablation {
    /// Index into the scenario's sources.
    pub source: usize,
    /// (assumption, value without the source), for every assumption that rests on it alone and
    /// states a `without` value.
    pub changed: Vec<(usize, f64)>,
    /// Assumptions that rest on it alone but state no `without` value (kept as they are).
    pub unstated: Vec<usize>,
}

impl Ablation {
    /// The values without the source: `values` with the changed assumptions replaced.
    pub fn values(&self, values: &[f64]) -> Vec<f64> {
        let mut without = values.to_vec();
        for &(assumption, value) in &self.changed {
            without[assumption] = value;
        }
        without
    }
}

/// Whether assumption `index` rests on source `source` alone.
pub fn rests_on_alone(scenario: &Scenario, index: usize, source: usize) -> bool {
    let id = &scenario.sources[source].id;
    let mut found = false;
    for s in resting_sources(scenario, index) {
        if &s.id == id {
            found = true;
        } else if s.kind != SourceKind::Judgement {
            return false;
        }
    }
    found
}

/// The ablation of `source` (an index into the scenario's sources).
pub fn ablation(scenario: &Scenario, source: usize) -> Ablation {
    let mut changed = Vec::new();
    let mut unstated = Vec::new();
    for (index, assumption) in scenario.assumptions.iter().enumerate() {
        if rests_on_alone(scenario, index, source) {
            match assumption.without {
                Some(value) => changed.push((index, value)),
                None => unstated.push(index),
            }
        }
    }
    Ablation {
        source,
        changed,
        unstated,
    }
}

/// The sources whose ablation changes something (a document or data set that some assumption
/// rests on alone and states a `without` value for), in file order.
pub fn ablatable(scenario: &Scenario) -> Vec<usize> {
    (0..scenario.sources.len())
        .filter(|&s| scenario.sources[s].kind != SourceKind::Judgement)
        .filter(|&s| !ablation(scenario, s).changed.is_empty())
        .collect()
}
