//! How often, and when, each event fired.

use yew::prelude::*;

use crate::app::Shared;
use crate::engine::Summary;
use crate::scenario::Scenario;
use crate::view::format;

#[derive(Properties, PartialEq)]
pub struct EventsProps {
    pub scenario: Shared<Scenario>,
    pub summary: Shared<Summary>,
}

#[component]
pub fn Events(props: &EventsProps) -> Html {
    let horizon = props.summary.settings.horizon;
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
                    for (spec, stats) in props.scenario.events.iter().zip(&props.summary.events) {
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
        </section>
    }
}
