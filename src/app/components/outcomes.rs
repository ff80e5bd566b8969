//! Outcome probabilities with their Monte Carlo error.

use yew::prelude::*;

use crate::app::Shared;
use crate::engine::{Summary, When};
use crate::scenario::Scenario;
use crate::view::format;

#[derive(Properties, PartialEq)]
pub struct OutcomesProps {
    pub scenario: Shared<Scenario>,
    pub summary: Shared<Summary>,
}

/// Above this standard error (in probability) a number is flagged as too noisy to read.
const NOISY: f64 = 0.03;

fn when_words(when: When) -> &'static str {
    match when {
        When::Horizon => "at the horizon",
        When::AnyMonth => "in at least one month",
        When::EveryMonth => "in every month",
    }
}

#[component]
pub fn Outcomes(props: &OutcomesProps) -> Html {
    html! {
        <section class="outcomes" aria-labelledby="outcomes-heading">
            <h2 id="outcomes-heading">{ "Outcomes" }</h2>
            <p class="caption">{ "Share of runs in which each outcome happens under the current assumptions (± Monte Carlo standard error, in points). Not a forecast." }</p>
            <table>
                <thead><tr><th scope="col">{ "Outcome" }</th><th scope="col">{ "Probability" }</th></tr></thead>
                <tbody>
                    for (spec, p) in props.scenario.outcomes.iter().zip(&props.summary.outcomes) {
                        <tr data-outcome={spec.id.clone()} data-probability={p.probability.to_string()} data-std-error={p.std_error.to_string()}>
                            <th scope="row">
                                { spec.label.clone() }
                                <span class="test">{ format!("{} {}", spec.test, when_words(spec.outcome.when)) }</span>
                            </th>
                            <td>
                                <span class="probability">{ format::percent_with_error(p.probability, p.std_error) }</span>
                                <svg class="bar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true">
                                    <rect class="bar-track" width="100" height="6" />
                                    <rect class="bar-fill" width={format!("{:.1}", 100.0 * p.probability)} height="6" />
                                </svg>
                                if p.std_error > NOISY {
                                    <span class="noisy">{ "too few runs to read closely" }</span>
                                }
                            </td>
                        </tr>
                    }
                </tbody>
            </table>
        </section>
    }
}
