//! The most frequent two-bloc splits at the horizon, and how balanced the triads are.

use yew::prelude::*;

use crate::app::Shared;
use crate::engine::Summary;
use crate::scenario::Scenario;
use crate::view::format;

#[derive(Properties, PartialEq)]
pub struct BlocsProps {
    pub scenario: Shared<Scenario>,
    pub summary: Shared<Summary>,
}

#[component]
pub fn Blocs(props: &BlocsProps) -> Html {
    let scenario = &props.scenario;
    let horizon = props.summary.settings.horizon;
    let names = |side: &[usize]| {
        side.iter()
            .map(|&i| scenario.actors[i].name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    html! {
        <section class="blocs" aria-labelledby="blocs-heading">
            <h2 id="blocs-heading">{ format!("Blocs at month {horizon}") }</h2>
            <p class="caption">{ "For each run, the split into two camps that best fits its alignments (weighted by capability); the most frequent splits:" }</p>
            <ul>
                for bloc in props.summary.blocs.iter() {
                    <li data-mask={bloc.mask.to_string()} data-share={bloc.share.probability.to_string()}>
                        <span class="share">{ format::percent_with_error(bloc.share.probability, bloc.share.std_error) }</span>
                        {{
                            let [first, second] = scenario.split_sides(bloc.mask);
                            if second.is_empty() {
                                html! { <span class="camps">{ format!("one bloc: {}", names(&first)) }</span> }
                            } else {
                                html! { <span class="camps"><span class="camp">{ names(&first) }</span>{ " versus " }<span class="camp">{ names(&second) }</span></span> }
                            }
                        }}
                    </li>
                }
            </ul>
            if let Some(frustration) = &props.summary.frustration {
                <p class="caption">
                    { format!(
                        "Frustration (share of triangle weight that is unbalanced; 0 = fully balanced): {} at month 0, median {} at month {horizon} (90 % of runs between {} and {}).",
                        format::value(frustration.initial, 0.01),
                        format::value(frustration.quantiles[2], 0.01),
                        format::value(frustration.quantiles[0], 0.01),
                        format::value(frustration.quantiles[4], 0.01),
                    ) }
                </p>
            }
        </section>
    }
}
