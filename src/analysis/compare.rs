//! Two states side by side on the same random draws: per outcome, p_A, p_B and the paired
//! difference B − A with its standard error.
//!
//! A is the reference (usually the scenario's defaults), B the state being looked at (the user's
//! changes). The two may also be two scenarios over the same actors: outcomes are matched by id,
//! and those present in only one are listed. The actors must be the same, in the same order, because
//! run r's random draws are spent pair by pair in that order; with different events the streams
//! drift apart sooner, so the pairing helps less, but the standard error stays honest.

use serde::{Deserialize, Serialize};

use super::indicators::OutcomeRuns;
use super::paired::PairedDifference;
use crate::engine::{Proportion, Settings};
use crate::scenario::Scenario;

/// One outcome in both states.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutcomeDelta {
    pub id: String,
    /// The label in state B's scenario.
    pub label: String,
    pub a: Proportion,
    pub b: Proportion,
    /// p_B − p_A with its paired standard error.
    pub difference: PairedDifference,
    /// The two scenarios give this id different tests (the numbers then answer different questions).
    pub tests_differ: bool,
}

/// Every outcome of A and B compared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StateComparison {
    pub settings: Settings,
    /// In A's outcome order.
    pub outcomes: Vec<OutcomeDelta>,
    /// Outcome ids only A's scenario has, and only B's.
    pub only_in_a: Vec<String>,
    pub only_in_b: Vec<String>,
}

/// Why two states cannot be compared run by run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompareError {
    /// The scenarios' actors differ (ids of A, ids of B).
    DifferentActors(Vec<String>, Vec<String>),
}

impl std::fmt::Display for CompareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CompareError::DifferentActors(a, b) => write!(
                f,
                "the two scenarios have different actors ({} vs {}); a paired comparison needs the same actors in the same order",
                a.join(" "),
                b.join(" ")
            ),
        }
    }
}

impl std::error::Error for CompareError {}

/// Checks that run r of A and of B spend their random draws on the same pairs.
pub fn check_same_actors(a: &Scenario, b: &Scenario) -> Result<(), CompareError> {
    let ids = |s: &Scenario| s.actors.iter().map(|actor| actor.id.clone()).collect::<Vec<_>>();
    let (ids_a, ids_b) = (ids(a), ids(b));
    if ids_a == ids_b {
        Ok(())
    } else {
        Err(CompareError::DifferentActors(ids_a, ids_b))
    }
}

/// Compares indicators already computed with the same settings (for example by two workers).
pub fn compare_runs(
    a: &Scenario,
    runs_a: &OutcomeRuns,
    b: &Scenario,
    runs_b: &OutcomeRuns,
    settings: Settings,
) -> StateComparison {
    let outcomes = a
        .outcomes
        .iter()
        .enumerate()
        .filter_map(|(index_a, spec_a)| {
            let index_b = b.outcomes.iter().position(|o| o.id == spec_a.id)?;
            let spec_b = &b.outcomes[index_b];
            Some(OutcomeDelta {
                id: spec_a.id.clone(),
                label: spec_b.label.clone(),
                a: runs_a.proportion(index_a),
                b: runs_b.proportion(index_b),
                difference: PairedDifference::of(runs_a, index_a, runs_b, index_b),
                tests_differ: spec_a.outcome != spec_b.outcome,
            })
        })
        .collect();
    let missing_from = |from: &Scenario, other: &Scenario| {
        from.outcomes
            .iter()
            .filter(|o| !other.outcomes.iter().any(|p| p.id == o.id))
            .map(|o| o.id.clone())
            .collect::<Vec<_>>()
    };
    StateComparison {
        settings,
        outcomes,
        only_in_a: missing_from(a, b),
        only_in_b: missing_from(b, a),
    }
}

/// Runs both states with the same settings (outcomes only) and compares them.
pub fn compare_states(
    a: &Scenario,
    values_a: &[f64],
    b: &Scenario,
    values_b: &[f64],
    settings: Settings,
) -> Result<StateComparison, CompareError> {
    check_same_actors(a, b)?;
    let runs_a = OutcomeRuns::simulate(a.model(values_a), settings);
    let runs_b = OutcomeRuns::simulate(b.model(values_b), settings);
    Ok(compare_runs(a, &runs_a, b, &runs_b, settings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::builtin;

    fn scenario(id: &str) -> Scenario {
        builtin(id).unwrap().unwrap()
    }

    const SETTINGS: Settings = Settings {
        seed: 11,
        runs: 500,
        horizon: 36,
    };

    #[test]
    fn a_state_against_itself_gives_zero_deltas_with_zero_error() {
        let s = scenario("sino-russian-drift");
        let c = compare_states(&s, &s.defaults(), &s, &s.defaults(), SETTINGS).unwrap();
        assert_eq!(c.outcomes.len(), s.outcomes.len());
        for o in &c.outcomes {
            assert_eq!((o.difference.delta, o.difference.std_error), (0.0, 0.0), "{}", o.id);
            assert_eq!(o.a, o.b);
        }
        assert!(c.only_in_a.is_empty() && c.only_in_b.is_empty());
    }

    #[test]
    fn a_change_moves_the_outcome_it_should_and_the_error_is_paired() {
        let s = scenario("sino-russian-drift");
        let mut values = s.defaults();
        values[s.assumption_index("pair.RUS-CHN.baseline").unwrap()] = -0.2;
        let c = compare_states(&s, &s.defaults(), &s, &values, SETTINGS).unwrap();
        let below = c.outcomes.iter().find(|o| o.id == "rus-chn-below-03").unwrap();
        assert!(
            below.difference.delta > 0.1,
            "a much lower baseline makes a low alignment likelier: {below:?}"
        );
        assert!((below.difference.delta - (below.b.probability - below.a.probability)).abs() < 1e-12);
        assert!(below.difference.std_error < below.difference.unpaired_std_error);
    }

    #[test]
    fn two_scenarios_over_the_same_actors_are_compared_by_outcome_id() {
        let a = scenario("us-russia-rapprochement");
        let b = scenario("sino-russian-drift");
        let c = compare_states(&a, &a.defaults(), &b, &b.defaults(), SETTINGS).unwrap();
        let shared: Vec<&str> = c.outcomes.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(shared, ["rus-closer-to-usa"]);
        assert!(
            c.outcomes[0].tests_differ,
            "one asks at the horizon, the other in any month"
        );
        assert_eq!(c.only_in_a.len(), a.outcomes.len() - 1);
        assert_eq!(c.only_in_b.len(), b.outcomes.len() - 1);
        let other = scenario("russia-dprk-alignment");
        assert!(matches!(
            compare_states(&a, &a.defaults(), &other, &other.defaults(), SETTINGS),
            Err(CompareError::DifferentActors(..))
        ));
    }
}
