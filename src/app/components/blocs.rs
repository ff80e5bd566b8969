//! The most frequent two-bloc splits at the horizon, where each actor leans and how clearly, which
//! pairs end on the same side, how far the best split is from the next, and how balanced the
//! triads are.

use yew::prelude::*;

use crate::analysis::readings::RunReadings;
use crate::app::Shared;
use crate::engine::Summary;
use crate::scenario::Scenario;
use crate::view::format;

#[derive(Properties, PartialEq)]
pub struct BlocsProps {
    pub scenario: Shared<Scenario>,
    pub summary: Shared<Summary>,
    /// The readings of the same runs (the leans), when they fit this scenario.
    #[prop_or_default]
    pub readings: Option<Shared<RunReadings>>,
}

/// A lean in −1…+1 with a true minus, two decimals.
fn lean(v: f64) -> String {
    format::value(v, 0.01)
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
            if let Some(blocs) = props.readings.as_ref().map(|r| &r.blocs).filter(|b| b.leans.len() == scenario.actors.len()) {
                {{
                    let [first, second] = scenario.split_sides(blocs.camps);
                    let (first, second) = (names(&first), names(&second));
                    html! { <>
                        <h3>{ "Where each actor leans" }</h3>
                        <p class="caption">{ format!(
                            "Camps: {first} versus {}. Lean = capability-weighted alignment with the first camp minus with the second (−1 … +1), over the runs; too weak to call where 90 % of runs do not agree on the side.",
                            if second.is_empty() { "nobody".to_string() } else { second.clone() }
                        ) }</p>
                        <table class="leans">
                            <thead><tr><th scope="col">{ "Actor" }</th><th scope="col">{ "Lean (mean)" }</th><th scope="col">{ "90 % of runs" }</th><th scope="col">{ format!("Leans to {first}") }</th></tr></thead>
                            <tbody>
                                for (actor, l) in scenario.actors.iter().zip(&blocs.leans) {
                                    <tr data-actor={actor.id.clone()} data-lean={l.mean.to_string()} data-too-weak={l.too_weak_to_call.to_string()}>
                                        <th scope="row">{ actor.name.clone() }</th>
                                        <td>{ lean(l.mean) }</td>
                                        <td>{ format!("{} … {}", lean(l.quantiles[0]), lean(l.quantiles[4])) }
                                            if l.too_weak_to_call { <span class="noisy">{ " too weak to call" }</span> }</td>
                                        <td>{ format::percent_with_error(l.toward_first.probability, l.toward_first.std_error) }</td>
                                    </tr>
                                }
                            </tbody>
                        </table>
                        if let Some(gap) = blocs.gap {
                            <p class="caption" data-gap-median={gap[2].to_string()}>{ format!(
                                "Gap to the second-best split: median {} (90 % of runs {} … {}), the mean change of alignment over all pairs that would make it fit as well{}.",
                                lean(gap[2]), lean(gap[0]), lean(gap[4]),
                                blocs.runner_up.map_or(String::new(), |(mask, share)| format!("; the runner-up is most often {} ({})", scenario.split_label(mask), format::percent(share.probability)))
                            ) }</p>
                        }
                        <details class="same-side">
                            <summary>{ "Pairs on the same side of each run's best split" }</summary>
                            <table>
                                <tbody>
                                    for (p, same) in blocs.same_side.iter().enumerate() {
                                        <tr data-pair={scenario.pair_key(p)} data-same-side={same.probability.to_string()}>
                                            <th scope="row">{ scenario.pair_name(p) }</th>
                                            <td>{ format::percent_with_error(same.probability, same.std_error) }</td>
                                        </tr>
                                    }
                                </tbody>
                            </table>
                        </details>
                    </> }
                }}
            }
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
