//! How assumption values become an engine [`Model`]: a model with every assumption's place left
//! to fill ([`ModelTemplate`]), the one definition behind [`Scenario::model`].
//!
//! It is plain data, so the page sends it once to a Web Worker, which then builds each run's model
//! of a propagated-uncertainty or Sobol ensemble from that run's values without the scenario itself.

use serde::{Deserialize, Serialize};

use super::{Observation, Scenario};
use crate::engine::{self, Condition, Effect, Model};

/// Where one assumption's value goes in the model (indices of actors, pairs, events, and of the
/// conditions and effects within their event).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Slot {
    Weight(u16),
    Initial(u16),
    Baseline(u16),
    /// A pair's σ: its own assumption or the global one.
    Volatility(u16),
    HalfLife,
    Balance,
    PerYear(u16),
    /// The first month of an event's window, rounded, and never before `at_least` (the month after
    /// a "not by" mark).
    Opens {
        event: u16,
        at_least: u32,
    },
    Closes(u16),
    Threshold(u16, u16),
    Jump(u16, u16),
    Shift(u16, u16),
}

/// A model whose assumption-dependent numbers are filled in by [`ModelTemplate::model`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelTemplate {
    /// Everything that no assumption sets (structure, marks, defaults of optional numbers).
    base: Model,
    /// (where, which assumption), for every number an assumption sets.
    slots: Vec<(Slot, u32)>,
    assumptions: usize,
}

impl ModelTemplate {
    /// The model for one value per assumption.
    pub fn model(&self, values: &[f64]) -> Model {
        let mut model = self.base.clone();
        self.fill(values, &mut model);
        model
    }

    /// Writes every number an assumption sets into `model`, a model of this template (what
    /// [`ModelTemplate::model`] gives for other values): afterwards it is the model for `values`.
    pub fn fill(&self, values: &[f64], model: &mut Model) {
        assert_eq!(values.len(), self.assumptions, "one value per assumption");
        for &(slot, assumption) in &self.slots {
            let v = values[assumption as usize];
            let event = |e: u16| e as usize;
            match slot {
                Slot::Weight(i) => model.weights[i as usize] = v,
                Slot::Initial(p) => model.initial[p as usize] = v,
                Slot::Baseline(p) => model.baseline[p as usize] = v,
                Slot::Volatility(p) => model.volatility[p as usize] = v,
                Slot::HalfLife => model.half_life = v,
                Slot::Balance => model.balance = v,
                Slot::PerYear(e) => model.events[event(e)].per_year = v,
                Slot::Opens { event: e, at_least } => {
                    model.events[event(e)].window.0 = (v.round() as u32).max(at_least)
                }
                Slot::Closes(e) => model.events[event(e)].window.1 = v.round() as u32,
                Slot::Threshold(e, c) => model.events[event(e)].conditions[c as usize].threshold = v,
                Slot::Jump(e, f) => model.events[event(e)].effects[f as usize].jump = v,
                Slot::Shift(e, f) => model.events[event(e)].effects[f as usize].shift = v,
            }
        }
    }
}

impl ModelTemplate {
    /// The number of events of its models.
    pub fn event_count(&self) -> usize {
        self.base.events.len()
    }

    /// The events whose effects are all that `assumptions` set (each of their places a jump or a
    /// shift), with repeats; `None` if any of them sets anything else. A run in which none of
    /// those events fires is the same run whatever their values.
    pub fn events_sized_only_by(&self, assumptions: &[usize]) -> Option<Vec<usize>> {
        let mut events = Vec::new();
        for &(slot, assumption) in &self.slots {
            if assumptions.contains(&(assumption as usize)) {
                match slot {
                    Slot::Jump(e, _) | Slot::Shift(e, _) => events.push(e as usize),
                    _ => return None,
                }
            }
        }
        Some(events)
    }
}

impl Scenario {
    /// The template of this scenario's models (with its events' current marks).
    pub fn template(&self) -> ModelTemplate {
        let mut slots: Vec<(Slot, u32)> = Vec::new();
        let mut put = |slot: Slot, assumption: usize| slots.push((slot, assumption as u32));
        for (i, actor) in self.actors.iter().enumerate() {
            put(Slot::Weight(i as u16), actor.weight);
        }
        for (p, pair) in self.pairs.iter().enumerate() {
            put(Slot::Initial(p as u16), pair.initial);
            put(Slot::Baseline(p as u16), pair.baseline);
            put(
                Slot::Volatility(p as u16),
                pair.volatility.unwrap_or(self.parameters.volatility),
            );
        }
        put(Slot::HalfLife, self.parameters.half_life);
        put(Slot::Balance, self.parameters.balance);
        let events = self
            .events
            .iter()
            .enumerate()
            .map(|(e, spec)| {
                let index = e as u16;
                let at_least = match spec.observed {
                    Some(Observation::NotBy(m)) => m + 1,
                    _ => 1,
                };
                if let Some(a) = spec.per_year {
                    put(Slot::PerYear(index), a);
                }
                if let Some(a) = spec.opens {
                    put(Slot::Opens { event: index, at_least }, a);
                }
                if let Some(a) = spec.closes {
                    put(Slot::Closes(index), a);
                }
                for (c, condition) in spec.conditions.iter().enumerate() {
                    put(Slot::Threshold(index, c as u16), condition.threshold);
                }
                for (f, effect) in spec.effects.iter().enumerate() {
                    if let Some(a) = effect.jump {
                        put(Slot::Jump(index, f as u16), a);
                    }
                    if let Some(a) = effect.shift {
                        put(Slot::Shift(index, f as u16), a);
                    }
                }
                engine::Event {
                    per_year: 0.0,
                    window: (at_least, u32::MAX),
                    repeatable: spec.repeatable,
                    conditions: spec
                        .conditions
                        .iter()
                        .map(|c| Condition {
                            pair: c.pair,
                            comparison: c.comparison,
                            threshold: 0.0,
                        })
                        .collect(),
                    after: spec.after.clone(),
                    unless: spec.unless.clone(),
                    certain_month: match spec.observed {
                        Some(Observation::HappenedIn(m)) => Some(m),
                        // A date in the file up to M contradicts "not by M": the user's word wins.
                        Some(Observation::NotBy(m)) => spec.at.filter(|&at| at > m),
                        None => spec.at,
                    },
                    effects: spec
                        .effects
                        .iter()
                        .map(|f| Effect {
                            pair: f.pair,
                            jump: 0.0,
                            shift: 0.0,
                        })
                        .collect(),
                }
            })
            .collect();
        let pairs = self.pairs.len();
        ModelTemplate {
            base: Model {
                weights: vec![0.0; self.actors.len()],
                initial: vec![0.0; pairs],
                baseline: vec![0.0; pairs],
                volatility: vec![0.0; pairs],
                half_life: 0.0,
                balance: 0.0,
                events,
                outcomes: self.outcomes.iter().map(|o| o.outcome.clone()).collect(),
            },
            slots,
            assumptions: self.assumptions.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::builtin::{builtin, BUILTIN_IDS};

    /// A model reused from run to run (`Ensemble::per_run_filled`) must become exactly the model
    /// of the new values, whatever the previous values left in it: every number an assumption
    /// sets is written again.
    #[test]
    fn filling_a_model_of_other_values_gives_the_model_of_the_new_values() {
        for id in BUILTIN_IDS {
            let scenario = builtin(id).expect("built in").expect("loads");
            let template = scenario.template();
            let ends = |high: bool| -> Vec<f64> {
                let end = |a: &crate::scenario::Assumption| if high { a.range.1 } else { a.range.0 };
                scenario.assumptions.iter().map(end).collect()
            };
            let (low, high) = (ends(false), ends(true));
            assert_ne!(
                template.model(&low),
                template.model(&high),
                "{id}: the ends give other models"
            );
            let mut reused = template.model(&low);
            template.fill(&high, &mut reused);
            assert_eq!(reused, template.model(&high), "{id}");
            template.fill(&scenario.defaults(), &mut reused);
            assert_eq!(reused, scenario.model(&scenario.defaults()), "{id}");
        }
    }

    /// By hand, on `sino-russian-drift`: a jump and a shift of the settlement (the event's
    /// index in the file) set effects only; its probability, a pair's start, or either of them
    /// with a jump, set more.
    #[test]
    fn events_sized_only_by_jumps_and_shifts() {
        let scenario = builtin("sino-russian-drift").expect("built in").expect("loads");
        let template = scenario.template();
        let assumption = |id: &str| {
            scenario
                .assumptions
                .iter()
                .position(|a| a.id == id)
                .unwrap_or_else(|| panic!("{id}"))
        };
        let settlement = scenario
            .events
            .iter()
            .position(|e| e.id == "ukraine-settlement")
            .unwrap();
        let jump = assumption("event.ukraine-settlement.jump.RUS-UKR");
        let shift = assumption("event.ukraine-settlement.shift.RUS-CHN");
        assert_eq!(template.events_sized_only_by(&[jump]), Some(vec![settlement]));
        assert_eq!(
            template.events_sized_only_by(&[shift, jump]),
            Some(vec![settlement, settlement])
        );
        let probability = assumption("event.ukraine-settlement.probability");
        let start = assumption("pair.RUS-CHN.initial");
        for other in [probability, start] {
            assert_eq!(template.events_sized_only_by(&[other]), None);
            assert_eq!(template.events_sized_only_by(&[jump, other]), None);
        }
        assert_eq!(template.events_sized_only_by(&[]), Some(vec![]));
    }
}
