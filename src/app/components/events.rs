//! How often, and when, each event fired; and the outcomes in the runs where it did and where it
//! did not (read from the same runs).

use yew::prelude::*;

use crate::analysis::readings::RunReadings;
use crate::app::Shared;
use crate::engine::{Proportion, Summary};
use crate::scenario::Scenario;
use crate::view::format;

#[derive(Properties, PartialEq)]
pub struct EventsProps {
    pub scenario: Shared<Scenario>,
    pub summary: Shared<Summary>,
    /// The readings of the same runs (conditional outcomes), when they fit this scenario.
    #[prop_or_default]
    pub readings: Option<Shared<RunReadings>>,
}

/// "42.3 % ± 1.1", or "—" for a part of the runs that is empty.
fn share(p: Option<Proportion>) -> String {
    p.map_or_else(
        || "—".to_string(),
        |p| format::percent_with_error(p.probability, p.std_error),
    )
}

#[component]
pub fn Events(props: &EventsProps) -> Html {
    let horizon = props.summary.settings.horizon;
    let scenario = &props.scenario;
    let conditional = props
        .readings
        .as_ref()
        .map(|r| &r.conditional)
        .filter(|c| c.len() == scenario.events.len() * scenario.outcomes.len() && !c.is_empty());
    html! {
        <section class="events" aria-labelledby="events-heading">
            <h2 id="events-heading">{ "Events" }</h2>
            <table>
                <thead><tr>
                    <th scope="col">{ "Event" }</th>
                    <th scope="col">{ format!("Fired by month {horizon}") }</th>
                    <th scope="col">{ "First fired (months, quartiles)" }</th>
                </tr></thead>
                <tbody>
                    for (spec, stats) in scenario.events.iter().zip(&props.summary.events) {
                        <tr data-event={spec.id.clone()} data-probability={stats.fired.probability.to_string()}>
                            <th scope="row">{ spec.label.clone() }</th>
                            <td>
                                { format::percent_with_error(stats.fired.probability, stats.fired.std_error) }
                                if spec.repeatable {
                                    <span class="test">{ format!("{:.2} times per run on average", stats.mean_firings) }</span>
                                }
                            </td>
                            <td>{ stats.first_month_quartiles.map_or("—".to_string(), |q| format!("{:.0} / {:.0} / {:.0}", q[0], q[1], q[2])) }</td>
                        </tr>
                    }
                </tbody>
            </table>
            if let Some(conditional) = conditional {
                <details class="conditional">
                    <summary>{ format!("Outcomes in the runs where each event fired by month {horizon}, and where it did not") }</summary>
                    <p class="caption">{ "Read from the same runs (no extra ones), ± Monte Carlo standard error. A conditional share describes the model's runs, not the event's effect: an event that fires more often in runs already heading somewhere carries that selection too." }</p>
                    <table>
                        <thead><tr><th scope="col">{ "Event / outcome" }</th><th scope="col">{ "If fired" }</th><th scope="col">{ "If not fired" }</th></tr></thead>
                        <tbody>
                            for c in conditional.iter() {
                                if c.outcome == 0 {
                                    <tr class="group"><th scope="rowgroup" colspan="3">{ format!("{} (fired in {} of {} runs)", scenario.events[c.event].label, c.runs_fired, props.summary.settings.runs) }</th></tr>
                                }
                                <tr data-given-event={scenario.events[c.event].id.clone()} data-outcome={scenario.outcomes[c.outcome].id.clone()}
                                    data-p-fired={c.fired.map(|p| p.probability.to_string())} data-p-not={c.not_fired.map(|p| p.probability.to_string())}>
                                    <th scope="row">{ scenario.outcomes[c.outcome].label.clone() }</th>
                                    <td>{ share(c.fired) }</td>
                                    <td>{ share(c.not_fired) }</td>
                                </tr>
                            }
                        </tbody>
                    </table>
                </details>
            }
        </section>
    }
}
